// The text of `flowlens compare`: a headline per run, then parameters, tags, steps (wall times and
// the artifacts that differ; the ones that are the same are counted) and the code diff. Values
// and code come from the runs, so every line is made safe for a terminal first.

import { sanitizeTerminalText } from "../../../server/src/protocol/terminalText";
import { describeSide, formatDelta, formatSeconds, shortValue, statusWord } from "../../../server/src/protocol/comparisonWords";
import { countStatuses, describeStats, type ArtifactDiff, type RunComparison, type RunSide, type ValueSummary } from "../../../server/src/protocol/runComparison";

export function printComparison(c: RunComparison): string {
  const lines: string[] = [`Comparing ${c.flow}/${c.a.runId} (A) with ${c.flow}/${c.b.runId} (B)`, `  A: ${runLine(c.a)}`, `  B: ${runLine(c.b)}`, ""];
  lines.push(`Parameters and configs${countLine(c.parameters)}`);
  lines.push(...artifactLines(c.parameters, "  "), "");
  lines.push("Tags");
  lines.push(`  in both: ${c.tags.both.join(", ") || "none"}`, `  only in A: ${c.tags.onlyA.join(", ") || "none"}`, `  only in B: ${c.tags.onlyB.join(", ") || "none"}`, "");
  lines.push("Steps (wall time A → B)");
  for (const step of c.steps) {
    const where = step.status === "both" ? "" : ` (${statusWord[step.status]})`;
    const tasks = step.tasks.a > 1 || step.tasks.b > 1 ? ` · tasks ${step.tasks.a} → ${step.tasks.b}` : "";
    lines.push(`  ${step.step}${where}: ${formatSeconds(step.seconds.a)} → ${formatSeconds(step.seconds.b)}${step.seconds.a !== undefined && step.seconds.b !== undefined ? ` (${formatDelta(step.seconds.a, step.seconds.b)})` : ""}${tasks}${countLine(step.artifacts)}`);
    lines.push(...artifactLines(step.artifacts, "    "));
  }
  lines.push("", "Code");
  if (!c.code.available) lines.push(`  not compared: ${c.code.reason}`);
  else if (c.code.same) lines.push(`  the same (${c.code.files.length} files)`);
  else {
    for (const file of c.code.files.filter((f) => f.status !== "same")) {
      lines.push(`  ${file.path}: ${statusWord[file.status]}`);
      if (file.diff) lines.push(...file.diff.split("\n").map((l) => `    ${l}`));
    }
  }
  if (!c.valuesLoaded && c.steps.some((s) => s.artifacts.some((a) => a.status === "changed" && !a.valueDiff))) lines.push("", "Changed values that were not stored as JSON are not loaded; --values loads them (this unpickles them).");
  return lines.map((l) => sanitizeTerminalText(l, { colors: false })).join("\n") + "\n";
}

function runLine(r: RunSide): string {
  const when = r.started !== undefined ? new Date(r.started * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : "start unknown";
  return [r.status ?? "status unknown", when, formatSeconds(r.seconds), `made by ${r.madeBy === "flowlens" ? "Flowlens" : "Metaflow"}`, r.codeSha ? `code ${r.codeSha.slice(0, 10)}` : "no code package"].join(" · ");
}

function countLine(diffs: ArtifactDiff[]): string {
  const n = countStatuses(diffs);
  const parts = [`${n.same} same`, n.changed ? `${n.changed} changed` : "", n["only-a"] ? `${n["only-a"]} only in A` : "", n["only-b"] ? `${n["only-b"]} only in B` : ""].filter(Boolean);
  return diffs.length > 0 ? ` — ${parts.join(", ")}` : "";
}

/** A line per artifact that differs, with what is known of its two values. */
function artifactLines(diffs: ArtifactDiff[], indent: string): string[] {
  const out: string[] = [];
  const width = Math.max(4, ...diffs.filter((d) => d.status !== "same").map((d) => d.name.length));
  for (const d of diffs) {
    if (d.status === "same") continue;
    const tasks = d.tasks ? ` (${d.tasks.changed} of ${d.tasks.total} tasks)` : "";
    out.push(`${indent}${d.name.padEnd(width)}  ${statusWord[d.status]}${tasks}: ${describeSide(d.a, d.loaded?.a)} → ${describeSide(d.b, d.loaded?.b)}`);
    for (const change of d.valueDiff ?? []) out.push(`${indent}  ${change.path}: ${change.kind === "added" ? `added ${shortValue(change.b)}` : change.kind === "removed" ? `removed ${shortValue(change.a)}` : `${shortValue(change.a)} → ${shortValue(change.b)}`}`);
    for (const [label, s] of [["A", d.loaded?.a], ["B", d.loaded?.b]] as const) out.push(...statsLines(s).map((l) => `${indent}  ${label} ${l}`));
  }
  return out;
}

function statsLines(s: ValueSummary | undefined): string[] {
  if (s?.kind === "array" && s.stats) return [`${s.dtype}: ${describeStats(s.stats)}`];
  if (s?.kind === "frame") return s.columns.map((c) => `${c.name} (${c.dtype})${c.stats ? `: ${describeStats(c.stats)}` : ""}`);
  return [];
}
