// How a past task ended beyond succeeded/failed, for the Runs view: the mark of a success after a
// retry or with an exception @catch swallowed, and a failure's cause in plain words. Read from the
// attempt's `flowlens_outcome.json` (written by the local worker when the attempt finished); a run
// made by Metaflow has none, so only its retries (the attempt number) are marked. Never throws.
import type { ArtifactPreview, FlowDatastore } from "../../../runtime/src/datastore/layout";
import { classifyFailure, evidenceLines, type FailureReason } from "../../../server/src/protocol/failureReasons";
import { describeMark, successMark, type SuccessMark } from "../../../server/src/protocol/runStates";

export const outcomeFile = "flowlens_outcome.json";

export interface TaskOutcome {
  mark?: SuccessMark;
  /** "succeeded on attempt 2", "@catch caught ValueError: bad row 7". */
  markDetail?: string;
  /** The exception @catch swallowed, with its traceback. */
  caught?: { headline: string; traceback?: string };
  failure?: FailureReason;
  peakRssBytes?: number;
}

interface StoredFailure {
  headline?: unknown;
  kind?: unknown;
  traceback?: unknown;
  exitCode?: unknown;
  signal?: unknown;
  peakRssBytes?: unknown;
}

interface StoredOutcome {
  failure?: StoredFailure;
  caught?: StoredFailure;
  peakRssBytes?: unknown;
}

const kinds = new Set(["user", "infrastructure", "timeout", "cancelled"]);

function failureOf(f: StoredFailure | undefined, peak: number | undefined): FailureReason | undefined {
  if (!f || typeof f.headline !== "string") return undefined;
  const kind = typeof f.kind === "string" && kinds.has(f.kind) ? (f.kind as "user" | "infrastructure" | "timeout" | "cancelled") : "user";
  return classifyFailure({
    headline: f.headline,
    kind,
    ...(typeof f.exitCode === "number" ? { exitCode: f.exitCode } : {}),
    ...(typeof f.signal === "string" ? { signal: f.signal } : {}),
    ...(peak !== undefined ? { peakRssBytes: peak } : {}),
  });
}

/** Whether any artifact the task wrote is what @catch stores: only then is its outcome read for a success. */
export function mayHaveCaught(previews: Record<string, ArtifactPreview>): boolean {
  return Object.values(previews).some((p) => p.type.endsWith("MetaflowExceptionWrapper"));
}

export async function readTaskOutcome(ds: FlowDatastore, t: { runId: string; step: string; taskId: string; attempt: number; succeeded: boolean }): Promise<TaskOutcome> {
  let stored: StoredOutcome | undefined;
  try {
    stored = await ds.readJson<StoredOutcome>(`${ds.flow}/${t.runId}/${t.step}/${t.taskId}/${t.attempt}.${outcomeFile}`);
  } catch {
    stored = undefined;
  }
  const peak = typeof stored?.peakRssBytes === "number" ? stored.peakRssBytes : undefined;
  const out: TaskOutcome = peak !== undefined ? { peakRssBytes: peak } : {};
  if (!t.succeeded) {
    const failure = failureOf(stored?.failure, peak);
    if (failure) out.failure = failure;
    return out;
  }
  const c = stored?.caught;
  if (c && typeof c.headline === "string") out.caught = { headline: c.headline, ...(typeof c.traceback === "string" ? { traceback: c.traceback } : {}) };
  const mark = successMark(t.attempt, out.caught !== undefined);
  if (mark) {
    out.mark = mark;
    out.markDetail = describeMark(mark, { attempt: t.attempt, ...(out.caught ? { caught: out.caught.headline } : {}) });
  }
  return out;
}

/**
 * Line numbers (0-based) of a task's log text that show how it ended: the failure's evidence, or
 * the lines @catch printed about what it caught. None for a task without a failure or a mark.
 */
export function logEvidence(t: TaskOutcome, text: string): number[] {
  const lines = text.split("\n");
  if (t.failure) return evidenceLines(t.failure, lines);
  if (t.caught) {
    const caught = t.caught.headline;
    return lines.flatMap((l, i) => (l.includes("@catch caught") || l.includes(caught) ? [i] : []));
  }
  return [];
}
