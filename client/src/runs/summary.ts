// A plain, JSON-safe picture of a run for commands' return values (tests and other extensions).
import type { RunSession, SessionStatus } from "./runSession";
import type { RunNodeStatus } from "../../../server/src/protocol/webview";

export interface RunSummary {
  status: SessionStatus;
  flow: string;
  runId?: string;
  mode: string;
  step?: string;
  outcome: string;
  /** Each step's state as its graph node shows it: progress, a failure's reason and cause, a retried or caught mark. */
  steps: Record<string, RunNodeStatus>;
  logText: string;
  /** Milliseconds from spawning the CLI to the first log line / to the end. */
  firstLogMs?: number;
  totalMs?: number;
  failure?: { step: string; taskId: string; reason?: string; traceback?: string; cause?: string; peakRssBytes?: number };
  /** The status bar's text when the summary was made. */
  progress: string;
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
    progress: session.progressText(),
  };
  if (session.runId !== undefined) summary.runId = session.runId;
  if (session.request.step !== undefined) summary.step = session.request.step;
  if (session.firstLogAt !== undefined) summary.firstLogMs = session.firstLogAt - session.createdAt;
  if (endedAt !== undefined) summary.totalMs = endedAt - session.createdAt;
  if (failed) summary.failure = { step: failed.ref.step, taskId: failed.ref.taskId, ...(failed.reason ? { reason: failed.reason } : {}), ...(failed.traceback ? { traceback: failed.traceback } : {}), ...(failed.cause ? { cause: failed.cause } : {}), ...(failed.peakRssBytes !== undefined ? { peakRssBytes: failed.peakRssBytes } : {}) };
  return summary;
}
