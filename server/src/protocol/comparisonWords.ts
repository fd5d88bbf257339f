// The words every surface uses for a run comparison (runComparison.ts): the CLI's text and the
// comparison tab say a status, a value, a wall time and its change the same way.

import type { ArtifactSide, DiffStatus, ValueSummary } from "./runComparison";

export const statusWord: Record<DiffStatus, string> = { same: "same", changed: "changed", "only-a": "only in A", "only-b": "only in B" };

/** A value in at most 60 characters: JSON as compact JSON, text quoted. */
export function shortValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One side of an artifact: its value when known (stored or loaded), else type, shape, size and hash. */
export function describeSide(side: ArtifactSide | undefined, loaded: ValueSummary | undefined): string {
  if (!side) return "—";
  if (loaded?.kind === "json") return shortValue(loaded.value);
  if (loaded?.kind === "text") return shortValue(loaded.text);
  if (loaded?.kind === "error") return `(cannot load: ${loaded.message})`;
  if ("json" in side) return shortValue(side.json);
  const type = /^<class '(.*)'>$/.exec(side.type)?.[1] ?? side.type;
  const shape = loaded && (loaded.kind === "array" || loaded.kind === "frame") ? loaded.shape : side.shape;
  return `${type}${shape ? ` (${shape.join(" × ")})` : ""}, ${side.size} B, ${side.sha.slice(0, 10)}`;
}

export function formatSeconds(s: number | undefined): string {
  if (s === undefined) return "?";
  return s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`;
}

/** B's wall time against A's, signed ("+0.25 s", "−1.10 s"); empty when either is unknown. */
export function formatDelta(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined) return "";
  const d = b - a;
  return `${d >= 0 ? "+" : "−"}${Math.abs(d).toFixed(2)} s`;
}
