// A plain, JSON-safe picture of a run for commands' return values (tests and other extensions).
import type { RunSession, SessionStatus } from "./runSession";
import type { TaskState } from "../../../server/src/protocol/runStates";

export interface RunSummary {
  status: SessionStatus;
  flow: string;
  runId?: string;
  mode: string;
  step?: string;
  outcome: string;
  steps: Record<string, { state: TaskState; done: number; total: number }>;
  logText: string;
  /** Milliseconds from spawning the CLI to the first log line / to the end. */
  firstLogMs?: number;
  totalMs?: number;
  failure?: { step: string; taskId: string; reason?: string; traceback?: string };
}

export function summarize(session: RunSession, logText: string, endedAt?: number): RunSummary {
  const failed = session.firstFailure();
  const summary: RunSummary = {
    status: session.status,
    flow: session.flow,
    mode: session.request.mode,
    outcome: session.outcome(),
    steps: session.stepStatuses(),
    logText,
  };
  if (session.runId !== undefined) summary.runId = session.runId;
  if (session.request.step !== undefined) summary.step = session.request.step;
  if (session.firstLogAt !== undefined) summary.firstLogMs = session.firstLogAt - session.createdAt;
  if (endedAt !== undefined) summary.totalMs = endedAt - session.createdAt;
  if (failed) summary.failure = { step: failed.ref.step, taskId: failed.ref.taskId, ...(failed.reason ? { reason: failed.reason } : {}), ...(failed.traceback ? { traceback: failed.traceback } : {}) };
  return summary;
}
