// Follows one task's pod to its end: reports each change of state with its reason, tails the
// logs the container uploads while it runs, gives up on an image that cannot be pulled after the
// grace period, reads the job when the pod is gone (a deadline deletes it), says why a job has
// no pod (a ResourceQuota refused it: the job controller's FailedCreate event) and gives up on it
// after its own grace period, and deletes the job when the task is stopped.
import type { TaskOutput } from "../types";
import type { PodEvent } from "./podWatch";
import { QuietBackoff } from "./logPace";
import { describePod, type PodView } from "./podState";
import type { KubernetesSettings } from "./settings";

export interface FollowInputs {
  job: string;
  sink: (o: TaskOutput) => void;
  signal: AbortSignal;
  /** Reads what the container uploaded of the logs; resolves whether that brought new lines. */
  tail: { poll(final?: boolean): Promise<boolean> };
  /** Starts the reads of a finished task (its result, its records), made beside the last log read. */
  ended(): Promise<unknown>;
  /** Whether the run's log budget allows a read now (logPace.ts): the call that ends it, or undefined; the final read is always made. */
  mayTail(): (() => void) | undefined;
  settings: KubernetesSettings;
  jobCheckMs: number;
  /** The next change of the job's pod; resolves undefined when woken without one. */
  next(): Promise<PodEvent | undefined>;
  /** Wakes `next` (a timer or the stop fired). */
  wakeNow(): void;
  readJob(): Promise<PodView | undefined>;
  /** Whether the run's pod watch is open now (podWatch.ts): then the pod's events tell its end. */
  streaming(): boolean;
  /** Why the cluster has not created the job's pod (its FailedCreate event), when it says. */
  whyNoPod(): Promise<{ status: string; reason: string } | undefined>;
  deleteJob(): Promise<void>;
}

const seconds = (ms: number): string => String(Math.round(ms / 100) / 10);

/**
 * How much rarer the Job is read once its pod is known and the watch streams. Its pod's events
 * then tell the task's end (a deadline or an eviction deletes the pod; a pod deleted while the
 * watch was down is reported when the pods are listed again), so the read only guards against a
 * change the watch missed; before the pod appears, or while the watch is down, the Job is read at
 * the interval. A hundred running tasks read their Jobs every few minutes, not ten times a second.
 */
const quietJobChecks = 30;

/**
 * While a job has no pod, asks now and then why: a refusal is reported as pending with its
 * reason, and once it has lasted the grace period the job is deleted and the task fails (Metaflow
 * waits for ever; a run that cannot fit its namespace's quota should say so and end).
 */
function noPodCheck(i: FollowInputs, report: (v: PodView) => void): { podSeen(): void; seen(): boolean; check(): Promise<PodView | undefined> } {
  let seen = false;
  let refusedSince: number | undefined;
  let lastCheck = Date.now();
  const everyMs = Math.min(i.jobCheckMs, 2_000);
  return {
    podSeen: () => {
      seen = true;
    },
    seen: () => seen,
    async check() {
      if (seen || Date.now() - lastCheck < everyMs) return undefined;
      lastCheck = Date.now();
      const why = await i.whyNoPod().catch(() => undefined);
      if (!why || seen) return undefined;
      refusedSince ??= Date.now();
      report({ state: "pending", status: why.status, reason: why.reason, finished: false });
      if (Date.now() - refusedSince < i.settings.podCreateGraceMs) return undefined;
      await i.deleteJob();
      const view: PodView = { state: "failed", status: why.status, reason: `${why.reason} (no pod after ${seconds(i.settings.podCreateGraceMs)} s; the job was deleted)`, finished: true };
      report(view);
      return view;
    },
  };
}

/** A log tail (made with the sink it writes to) whose reads say whether they brought new lines. */
export function countingTail(make: (sink: (o: TaskOutput) => void) => { poll(final?: boolean): Promise<void> }, sink: (o: TaskOutput) => void): FollowInputs["tail"] {
  let lines = 0;
  const tail = make((o) => {
    if (o.kind === "log") lines += 1;
    sink(o);
  });
  return {
    async poll(final?: boolean): Promise<boolean> {
      const before = lines;
      await tail.poll(final);
      return lines > before;
    },
  };
}

/** The last log read and the task's own end reads, at once: a finished task waits for one round of S3 requests, not for each in turn. */
async function finalReads(i: FollowInputs): Promise<void> {
  await Promise.all([i.tail.poll(true).catch(() => undefined), i.ended()]);
}

export async function followPod(i: FollowInputs): Promise<{ view: PodView; cancelled: boolean }> {
  let last: PodView | undefined;
  let pullErrorSince: number | undefined;
  let cancelled = false;
  let running = false;
  const report = (view: PodView): void => {
    if (last && last.status === view.status && last.state === view.state && last.reason === view.reason) return;
    last = view;
    i.sink({ kind: "state", state: view.state, ...(view.reason ? { reason: view.reason } : {}), remote: { backend: "kubernetes", status: view.status, jobId: i.job } });
  };
  const noPod = noPodCheck(i, report);
  const onAbort = (): void => i.wakeNow();
  i.signal.addEventListener("abort", onAbort);
  // A timer wakes the loop to tail logs while running and to read the job now and then.
  const tickMs = Math.max(50, Math.min(i.jobCheckMs, i.settings.logIntervalSeconds * 1000));
  const tick = setInterval(() => i.wakeNow(), tickMs);
  const logs = new QuietBackoff(tickMs);
  let lastJobCheck = Date.now();
  try {
    for (;;) {
      if (i.signal.aborted && !cancelled) {
        cancelled = true;
        await i.deleteJob();
        return { view: last ?? { state: "pending", status: "Deleted", finished: true }, cancelled };
      }
      const event = await i.next();
      if (event?.type === "DELETED" && !last?.finished) {
        const verdict = await i.readJob();
        const view = verdict ?? { state: "failed", status: "PodDeleted", reason: "the pod was deleted before it finished", finished: true };
        report(view);
        return { view, cancelled };
      }
      if (event && event.type !== "DELETED") {
        noPod.podSeen();
        const view = describePod(event.pod);
        report(view);
        if (view.state === "running" && !running) running = true;
        if (view.finished) {
          await finalReads(i);
          return { view, cancelled };
        }
        pullErrorSince = view.imagePullError ? (pullErrorSince ?? Date.now()) : undefined;
      }
      const reading = running && logs.due(Date.now()) ? i.mayTail() : undefined;
      if (reading) logs.read(Date.now(), await i.tail.poll().catch(() => false).finally(reading));
      if (pullErrorSince !== undefined && Date.now() - pullErrorSince >= i.settings.imagePullGraceMs && last) {
        await i.deleteJob();
        const view: PodView = { ...last, state: "failed", finished: true };
        report(view);
        return { view, cancelled };
      }
      const gaveUp = await noPod.check();
      if (gaveUp) return { view: gaveUp, cancelled };
      const jobCheckMs = noPod.seen() && i.streaming() ? i.jobCheckMs * quietJobChecks : i.jobCheckMs;
      if (Date.now() - lastJobCheck >= jobCheckMs) {
        lastJobCheck = Date.now();
        const verdict = await i.readJob();
        // The job ended while the watch was interrupted: its verdict stands for the pod's.
        if (verdict?.finished) {
          report(verdict);
          await finalReads(i);
          return { view: verdict, cancelled };
        }
      }
    }
  } finally {
    clearInterval(tick);
    i.signal.removeEventListener("abort", onAbort);
  }
}
