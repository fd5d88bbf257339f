// Turns a finished Batch job into a TaskResult: the harness's result file when the container
// got far enough to write one, else the job's own status reason, classified so the scheduler
// spends the right retry budget (user code vs infrastructure vs timeout vs cancellation).
import type { TaskFailure, TaskResult, TaskTransition } from "../types";

export interface HarnessResult {
  ok: boolean;
  transition?: TaskTransition;
  failure?: TaskFailure;
  caught?: TaskFailure;
  /** Artifacts the harness persisted, reported to the sink after the job. */
  artifacts?: { name: string; sha: string; size: number; typeName: string }[];
}

export function parseHarnessResult(body: Buffer | undefined): HarnessResult | undefined {
  if (!body) return undefined;
  try {
    const v = JSON.parse(body.toString("utf8")) as unknown;
    if (typeof v === "object" && v !== null && typeof (v as { ok?: unknown }).ok === "boolean") return v as HarnessResult;
  } catch {
    return undefined;
  }
  return undefined;
}

export interface FinishedJob {
  status: "SUCCEEDED" | "FAILED";
  statusReason?: string;
  exitCode?: number;
  containerReason?: string;
}

/** Batch's reasons for failures that are not the task's fault: worth an infrastructure retry. */
const infrastructureReasons = /Host EC2|instance.*terminated|CannotPullContainer|CannotStartContainer|CannotInspectContainer|ResourceInitializationError|Task failed to start|OutOfMemory|spot|DockerTimeoutError|InternalError/i;

export function toTaskResult(job: FinishedJob, harness: HarnessResult | undefined, durationMs: number, cancelled: boolean): TaskResult {
  const reason = [job.statusReason, job.containerReason].filter(Boolean).join(": ");
  if (cancelled) return { ok: false, durationMs, failure: { headline: `cancelled; Batch job terminated${reason ? ` (${reason})` : ""}`, kind: "cancelled" } };
  if (harness) {
    const out: TaskResult = { ok: harness.ok && job.status === "SUCCEEDED", durationMs };
    if (harness.transition) out.transition = harness.transition;
    if (harness.caught) out.caught = harness.caught;
    if (harness.failure) out.failure = harness.failure;
    else if (!out.ok) out.failure = { headline: `Batch job ${job.status}: ${reason || "no reason given"}`, kind: "infrastructure" };
    return out;
  }
  if (job.status === "SUCCEEDED") {
    return { ok: false, durationMs, failure: { headline: "the Batch job succeeded but the task harness left no result file", kind: "infrastructure" } };
  }
  if (/duration exceeded timeout|timed out/i.test(reason)) {
    return { ok: false, durationMs, failure: { headline: `timed out: ${reason}`, kind: "timeout" } };
  }
  const exit = job.exitCode !== undefined ? ` (exit code ${job.exitCode})` : "";
  const kind = infrastructureReasons.test(reason) || job.exitCode === undefined ? "infrastructure" : "user";
  return { ok: false, durationMs, failure: { headline: `Batch job failed${exit}: ${reason || "no reason given"}`, kind } };
}
