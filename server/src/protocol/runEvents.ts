// Events a run emits. The runtime's scheduler produces them; `flowlens run --json` prints one
// per line; the VS Code client reads that stream and draws it. Declared once, here.

import { parseTaggedLine } from "./jsonLines";

export type TaskState = "pending" | "running" | "succeeded" | "failed" | "retrying" | "skipped" | "cloned";

export type RunStatus = "running" | "succeeded" | "failed" | "cancelled";

/** Identifies one task attempt, Metaflow style: Flow/run/step/task plus attempt. */
export interface TaskRef {
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  attempt: number;
}

export interface RunStartedEvent {
  type: "run-started";
  ts: number;
  flow: string;
  runId: string;
  file: string;
  /** "local:/abs/path/.metaflow" or "s3://bucket/prefix". */
  datastore: string;
  parameters: Record<string, unknown>;
  /** For resume and single-step runs: the run whose tasks are reused. */
  originRunId?: string;
  /** "run" | "resume" | "step". */
  mode: "run" | "resume" | "step";
}

export interface TaskStateEvent {
  type: "task-state";
  ts: number;
  task: TaskRef;
  state: TaskState;
  /** Why: an exception headline, "timed out after 60 s", "cloned from run 12", a Batch status reason. */
  reason?: string;
  /** For a task of a foreach: its index and how many siblings. */
  foreach?: { index: number; count: number };
  /** Remote executors: the backend's own status (e.g. Batch's RUNNABLE) and job id. */
  remote?: { backend: string; status: string; jobId?: string };
  /** For failures: the Python traceback, when there is one. */
  traceback?: string;
}

export interface LogEvent {
  type: "log";
  ts: number;
  task: TaskRef;
  stream: "stdout" | "stderr";
  line: string;
}

export interface ArtifactEvent {
  type: "artifact";
  ts: number;
  task: TaskRef;
  name: string;
  sha: string;
  size: number;
  typeName: string;
}

/** The `reason` of a `failed` task-state for a task stopped with its run (Stop run, Ctrl-C):
 * not a failure of the step's code. */
export const stoppedReason = "cancelled";

/** How a run's tasks ended. A task stopped with its run (reason `stoppedReason`) is counted as
 * `cancelled`, not `failed`. */
export interface TaskCounts {
  succeeded: number;
  failed: number;
  cloned: number;
  skipped: number;
  cancelled: number;
}

/** "3 succeeded, 1 cloned, 1 stopped": the counts a run summary shows (succeeded always, others when not 0). */
export function describeTaskCounts(c: TaskCounts): string {
  const parts = [`${c.succeeded} succeeded`, c.cloned ? `${c.cloned} cloned` : "", c.failed ? `${c.failed} failed` : "", c.cancelled ? `${c.cancelled} stopped` : "", c.skipped ? `${c.skipped} skipped` : ""];
  return parts.filter(Boolean).join(", ");
}

export function totalTasks(c: TaskCounts): number {
  return c.succeeded + c.failed + c.cloned + c.skipped + c.cancelled;
}

export interface RunFinishedEvent {
  type: "run-finished";
  ts: number;
  flow: string;
  runId: string;
  status: Exclude<RunStatus, "running">;
  durationMs: number;
  tasks: TaskCounts;
  /** For a failed run: a headline and where, e.g. "step train failed: ValueError" and "flow.py:42". */
  error?: { headline: string; location?: string };
}

/** A problem that stopped the run before any task started (check errors, bad parameter, no Python). */
export interface RunRefusedEvent {
  type: "run-refused";
  ts: number;
  headline: string;
  /** Every problem, each with `file:line` when it has one. */
  problems: { message: string; location?: string }[];
}

export type RunEvent = RunStartedEvent | TaskStateEvent | LogEvent | ArtifactEvent | RunFinishedEvent | RunRefusedEvent;

const runEventTypes: ReadonlySet<string> = new Set(["run-started", "task-state", "log", "artifact", "run-finished", "run-refused"]);

/** Parses one line of `--json` output; undefined for anything that is not a run event. */
export function parseRunEvent(line: string): RunEvent | undefined {
  return parseTaggedLine<RunEvent>(line, runEventTypes);
}
