// The comparison of two runs of a flow: what `flowlens compare --json` prints and what the
// comparison tab's webview is sent. Declared once here; the runtime computes it
// (runtime/src/compare), the CLI prints it, the client posts it, the webview draws it.
//
// Same or changed is decided by the artifacts' content hashes alone (blobs are content-addressed),
// so a comparison never needs to load a value. Values appear only when they were stored as JSON at
// run time, or when the caller chose to load them (`values`), which unpickles.

/** Where a name is: in both runs with the same hash, with different hashes, or in one run only. */
export type DiffStatus = "same" | "changed" | "only-a" | "only-b";

/** A loaded value, summarised: JSON-native values in full, arrays and frames by their statistics. */
export type ValueSummary =
  | { kind: "json"; type: string; value: unknown }
  | { kind: "array"; type: string; shape: number[]; dtype: string; stats?: NumberStats }
  | { kind: "frame"; type: string; shape: number[]; columns: ColumnSummary[] }
  | { kind: "text"; type: string; text: string }
  | { kind: "error"; type?: string; message: string };

export interface NumberStats {
  count: number;
  nan: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
}

export interface ColumnSummary {
  name: string;
  dtype: string;
  stats?: NumberStats;
}

/** One side of an artifact: its hash and what data.json (and a stored preview) say about it. */
export interface ArtifactSide {
  sha: string;
  type: string;
  size: number;
  /** The value as stored at run time when it is JSON-native and small (Flowlens runs); never loaded. */
  json?: unknown;
  repr?: string;
  shape?: number[];
  dtype?: string;
  columns?: string[];
}

/** One change inside a JSON-like value, at a path such as `a.b[2]`. */
export interface JsonChange {
  path: string;
  kind: "changed" | "added" | "removed";
  a?: unknown;
  b?: unknown;
}

export interface ArtifactDiff {
  name: string;
  status: DiffStatus;
  a?: ArtifactSide;
  b?: ArtifactSide;
  /** For steps with several tasks: how many task pairs differ in this artifact, of how many. */
  tasks?: { changed: number; total: number };
  /** The differences inside the value, when both sides are JSON-like (stored or loaded). */
  valueDiff?: JsonChange[];
  /** Loaded values (only when the caller asked to load them). */
  loaded?: { a?: ValueSummary; b?: ValueSummary };
}

export interface StepComparison {
  step: string;
  status: "both" | "only-a" | "only-b";
  tasks: { a: number; b: number };
  /** Wall time of the step: its first task's start to its last task's end, in seconds. */
  seconds: { a?: number; b?: number };
  /** Every non-internal artifact the step's tasks hold, by name. */
  artifacts: ArtifactDiff[];
}

export interface RunSide {
  flow: string;
  runId: string;
  /** Who wrote the run: Flowlens (a run record) or Metaflow (its local metadata). */
  madeBy: "flowlens" | "metaflow";
  status?: string;
  /** Epoch seconds. */
  started?: number;
  seconds?: number;
  tags: string[];
  /** The flow file's path as recorded. */
  file?: string;
  /** The code package's hash, when the run stored one. */
  codeSha?: string;
}

export interface FileDiff {
  path: string;
  status: DiffStatus;
  /** A unified diff of a changed text file (lines prefixed " ", "-", "+", hunks by "@@"). */
  diff?: string;
}

export type CodeComparison =
  | { available: true; same: boolean; files: FileDiff[] }
  | { available: false; reason: string };

export interface RunComparison {
  flow: string;
  a: RunSide;
  b: RunSide;
  /**
   * Values of the `_parameters` task: parameters, configs and class constants. Which is which is
   * known from a Flowlens run record; a run Metaflow made does not say without loading `_graph_info`.
   */
  parameters: (ArtifactDiff & { kind: "parameter" | "config or constant" | "parameter or config" })[];
  steps: StepComparison[];
  tags: { both: string[]; onlyA: string[]; onlyB: string[] };
  code: CodeComparison;
  /** Whether changed values were loaded (unpickled) for this comparison. */
  valuesLoaded: boolean;
  /** Files that could not be read (damaged), said once each; the rest is compared. */
  problems: string[];
}

/** Counts for a headline: how many artifacts are the same, changed, or in one run only. */
export function countStatuses(diffs: readonly { status: DiffStatus }[]): Record<DiffStatus, number> {
  const out: Record<DiffStatus, number> = { same: 0, changed: 0, "only-a": 0, "only-b": 0 };
  for (const d of diffs) out[d.status] += 1;
  return out;
}

/** Statistics as one line, the same in the CLI, the preview tab and the comparison tab. */
export function describeStats(s: NumberStats): string {
  const f = (n: number | undefined): string => (n === undefined ? "–" : Number.isInteger(n) ? String(n) : n.toPrecision(6));
  return `count ${s.count} · NaN ${s.nan} · min ${f(s.min)} · max ${f(s.max)} · mean ${f(s.mean)} · std ${f(s.std)}`;
}

// ---- The comparison tab's messages (client/src/compare <-> webview/src/compare) ----

/** Host → webview: the comparison to draw (or why there is none). */
export type CompareHostMessage =
  | { type: "comparison"; comparison: RunComparison; trusted: boolean }
  | { type: "compareError"; message: string };

/** Webview → host: what a click asks for. */
export type CompareWebviewMessage =
  | { type: "ready" }
  | { type: "openCodeDiff"; path: string }
  | { type: "loadValues" }
  /** The page drew a comparison: what it shows, for the host's tests and log. */
  | { type: "rendered"; runs: [string, string]; changed: number; ms: number };

export function isCompareHostMessage(m: unknown): m is CompareHostMessage {
  if (!isRecord(m)) return false;
  if (m.type === "comparison") return isRecord(m.comparison) && typeof m.trusted === "boolean";
  if (m.type === "compareError") return typeof m.message === "string";
  return false;
}

export function isCompareWebviewMessage(m: unknown): m is CompareWebviewMessage {
  if (!isRecord(m)) return false;
  switch (m.type) {
    case "ready":
    case "loadValues":
      return true;
    case "openCodeDiff":
      return typeof m.path === "string";
    case "rendered":
      return Array.isArray(m.runs) && m.runs.length === 2 && m.runs.every((r) => typeof r === "string") && typeof m.changed === "number" && typeof m.ms === "number";
    default:
      return false;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
