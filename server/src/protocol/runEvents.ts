// Events a run emits. The runtime's scheduler produces them; `flowlens run --json` prints one
// per line; the VS Code client reads that stream and draws it. Declared once, here.

import { parseTaggedLine } from "./jsonLines";
import type { FailureCause } from "./failureReasons";
import { readTaskState, type MarkCounts, type RunStatus, type TaskCounts, type TaskState } from "./runStates";

// The state vocabulary lives in runStates.ts; importers of the events get it from here too.
export { describeState, describeTaskCounts, totalTasks, type RunStatus, type TaskCounts, type TaskState } from "./runStates";

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
  /** For failed and retrying attempts: the cause `reason` names (failureReasons.ts). */
  cause?: FailureCause;
  /** The task process's peak resident memory when the attempt ended, when the executor measured it. */
  peakRssBytes?: number;
  /** For a succeeded task whose @catch swallowed an exception: that exception. */
  caught?: { headline: string; traceback?: string };
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

export interface RunFinishedEvent {
  type: "run-finished";
  ts: number;
  flow: string;
  runId: string;
  status: Exclude<RunStatus, "running">;
  durationMs: number;
  tasks: TaskCounts;
  /** How many succeeded tasks did so only after a retry, or with an exception @catch swallowed. */
  marks?: MarkCounts;
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
  const event = parseTaggedLine<RunEvent>(line, runEventTypes);
  // A stream from an earlier version says "failed" with reason "cancelled" for a stopped task.
  if (event?.type === "task-state") event.state = readTaskState(event.state, event.reason);
  return event;
}
