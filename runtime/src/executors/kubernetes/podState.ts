// A pod's state in the run-state vocabulary (protocol/runStates.ts): what the editor draws and
// the reason it shows on hover. Pending says why (unschedulable, pulling the image, an image that
// cannot be pulled); a failure says what happened (OOMKilled with the memory limit, the exit
// code, the deadline, an eviction).
import type { CoreV1Event, V1Job, V1Pod } from "@kubernetes/client-node";
import type { TaskState } from "../../../../server/src/protocol/runEvents";

export interface PodView {
  state: TaskState;
  /** The word Kubernetes uses: the pod's phase, or the waiting/terminated reason that matters. */
  status: string;
  reason?: string;
  /** An image that cannot be pulled: the pod stays pending until Flowlens gives up. */
  imagePullError?: boolean;
  /** The pod reached Succeeded or Failed. */
  finished: boolean;
}

const pullErrors = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable"]);
/** Waiting reasons that will not fix themselves: the task fails on them. */
const configErrors = new Set(["CreateContainerConfigError", "CreateContainerError", "RunContainerError"]);

const oneLine = (text: string | undefined): string | undefined => (text ? text.replace(/\s+/g, " ").trim() : undefined);

/** "its memory limit of 1024M", or what it requested when it had no limit (Burstable). */
function memoryWords(pod: V1Pod): string {
  const r = pod.spec?.containers[0]?.resources;
  if (r?.limits?.memory) return `its memory limit of ${r.limits.memory}`;
  return r?.requests?.memory ? `the memory the node could give it (it requested ${r.requests.memory}, with no limit)` : "the memory it was given";
}

export function describePod(pod: V1Pod): PodView {
  const phase = pod.status?.phase ?? "Pending";
  const container = pod.status?.containerStatuses?.[0];
  if (phase === "Pending") {
    const waiting = container?.state?.waiting;
    if (waiting?.reason && pullErrors.has(waiting.reason)) {
      return { state: "pending", status: waiting.reason, reason: `image pull error (${waiting.reason}): ${oneLine(waiting.message) ?? pod.spec?.containers[0]?.image ?? ""}`, imagePullError: true, finished: false };
    }
    if (waiting?.reason && configErrors.has(waiting.reason)) {
      return { state: "failed", status: waiting.reason, reason: `${waiting.reason}: ${oneLine(waiting.message) ?? "the container could not be created"}`, finished: true };
    }
    const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    if (scheduled?.status === "False" && scheduled.reason === "Unschedulable") {
      return { state: "pending", status: "Unschedulable", reason: `unschedulable: ${oneLine(scheduled.message) ?? "no node fits the pod"}`, finished: false };
    }
    if (waiting?.reason) return { state: "pending", status: waiting.reason, reason: waiting.reason === "ContainerCreating" ? "pulling the image and starting the container" : (oneLine(waiting.message) ?? waiting.reason), finished: false };
    return { state: "pending", status: "Pending", reason: scheduled?.status === "True" ? "scheduled, starting" : "waiting for a node", finished: false };
  }
  if (phase === "Running") return { state: "running", status: "Running", ...(pod.spec?.nodeName ? { reason: `on node ${pod.spec.nodeName}` } : {}), finished: false };
  if (phase === "Succeeded") return { state: "succeeded", status: "Succeeded", finished: true };
  const terminated = container?.state?.terminated;
  if (pod.status?.reason === "Evicted") return { state: "failed", status: "Evicted", reason: `evicted: ${oneLine(pod.status.message) ?? "the node ran out of resources"}`, finished: true };
  if (pod.status?.reason === "DeadlineExceeded") return { state: "failed", status: "DeadlineExceeded", reason: "deadline exceeded: the step's @timeout", finished: true };
  if (terminated?.reason === "OOMKilled") {
    return { state: "failed", status: "OOMKilled", reason: `OOMKilled: the task used more than ${memoryWords(pod)}; raise @resources(memory=...) or @kubernetes(memory=...)`, finished: true };
  }
  if (phase === "Failed") {
    const code = terminated?.exitCode;
    const why = oneLine(terminated?.message ?? pod.status?.message);
    return { state: "failed", status: terminated?.reason ?? pod.status?.reason ?? "Failed", reason: `${code !== undefined ? `exit code ${code}` : "failed"}${why ? `: ${why}` : terminated?.reason ? ` (${terminated.reason})` : ""}`, finished: true };
  }
  return { state: "pending", status: phase, finished: false };
}

/** The job's own verdict when its pod is gone or never came: a deadline, or a failed pod creation. */
export function describeJob(job: V1Job | undefined): PodView | undefined {
  const failed = job?.status?.conditions?.find((c) => c.type === "Failed" && c.status === "True");
  if (failed) {
    if (failed.reason === "DeadlineExceeded") return { state: "failed", status: "DeadlineExceeded", reason: "deadline exceeded: the step's @timeout", finished: true };
    return { state: "failed", status: failed.reason ?? "Failed", reason: `job failed: ${oneLine(failed.message) ?? failed.reason ?? "no reason given"}`, finished: true };
  }
  const complete = job?.status?.conditions?.find((c) => c.type === "Complete" && c.status === "True");
  if (complete) return { state: "succeeded", status: "Succeeded", finished: true };
  return undefined;
}

const when = (e: CoreV1Event): number => new Date(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? 0).getTime();

/**
 * Why a job has no pod, from its controller's latest FailedCreate event: a ResourceQuota
 * ("exceeded quota: compute, requested: cpu=4, used: cpu=6, limited: cpu=8") or any other
 * refusal (an admission policy, a missing service account), in one line.
 */
export function describeFailedCreate(events: CoreV1Event[]): { status: string; reason: string } | undefined {
  const latest = events.filter((e) => e.reason === "FailedCreate").sort((a, b) => when(a) - when(b)).at(-1);
  const message = oneLine(latest?.message);
  if (!message) return undefined;
  const quota = /exceeded quota: (.*)$/.exec(message);
  if (quota) return { status: "QuotaExceeded", reason: `quota exceeded: ${quota[1] ?? ""}` };
  return { status: "FailedCreate", reason: `the cluster does not create the pod: ${message.replace(/^Error creating: /, "")}` };
}
