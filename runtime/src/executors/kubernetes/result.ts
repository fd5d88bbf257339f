// Turns a finished pod (or job) into a TaskResult: the harness's result file when the container
// got far enough to write one, else the pod's own reason, classified so the scheduler spends the
// right retry budget (user code vs infrastructure vs timeout vs cancellation).
import type { HarnessResult } from "../batch/result";
import type { TaskResult } from "../types";
import type { PodView } from "./podState";

/** Not the task's fault: worth an infrastructure retry. */
const infrastructure = new Set(["OOMKilled", "Evicted", "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable", "CreateContainerConfigError", "CreateContainerError", "RunContainerError", "PodDeleted", "QuotaExceeded", "FailedCreate"]);

export function toTaskResult(view: PodView, harness: HarnessResult | undefined, durationMs: number, cancelled: boolean): TaskResult {
  const reason = view.reason ?? view.status;
  if (cancelled) return { ok: false, durationMs, failure: { headline: `cancelled; Kubernetes job deleted (${reason})`, kind: "cancelled" } };
  if (view.status === "DeadlineExceeded") return { ok: false, durationMs, failure: { headline: `timed out: ${reason}`, kind: "timeout" } };
  if (harness) {
    const out: TaskResult = { ok: harness.ok && view.state === "succeeded", durationMs };
    if (harness.transition) out.transition = harness.transition;
    if (harness.caught) out.caught = harness.caught;
    if (harness.failure) out.failure = harness.failure;
    else if (!out.ok) out.failure = { headline: `Kubernetes pod ${view.status}: ${reason}`, kind: "infrastructure" };
    return out;
  }
  if (view.state === "succeeded") return { ok: false, durationMs, failure: { headline: "the Kubernetes pod succeeded but the task harness left no result file", kind: "infrastructure" } };
  const kind = infrastructure.has(view.status) || !/^exit code/.test(reason) ? "infrastructure" : "user";
  return { ok: false, durationMs, failure: { headline: `Kubernetes pod failed: ${reason}`, kind } };
}
