// Follows one task's pod to its end: reports each change of state with its reason, tails the
// logs the container uploads while it runs, gives up on an image that cannot be pulled after the
// grace period, reads the job when the pod is gone (a deadline deletes it), and deletes the job
// when the task is stopped.
import type { TaskOutput } from "../types";
import type { PodEvent } from "./podWatch";
import { describePod, type PodView } from "./podState";
import type { KubernetesSettings } from "./settings";

export interface FollowInputs {
  job: string;
  sink: (o: TaskOutput) => void;
  signal: AbortSignal;
  tail: { poll(final?: boolean): Promise<void> };
  settings: KubernetesSettings;
  jobCheckMs: number;
  /** The next change of the job's pod; resolves undefined when woken without one. */
  next(): Promise<PodEvent | undefined>;
  /** Wakes `next` (a timer or the stop fired). */
  wakeNow(): void;
  readJob(): Promise<PodView | undefined>;
  deleteJob(): Promise<void>;
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
  const onAbort = (): void => i.wakeNow();
  i.signal.addEventListener("abort", onAbort);
  // A timer wakes the loop to tail logs while running and to read the job now and then.
  const tick = setInterval(() => i.wakeNow(), Math.max(50, Math.min(i.jobCheckMs, i.settings.logIntervalSeconds * 1000)));
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
        const view = describePod(event.pod);
        report(view);
        if (view.state === "running" && !running) running = true;
        if (view.finished) {
          await i.tail.poll(true).catch(() => undefined);
          return { view, cancelled };
        }
        pullErrorSince = view.imagePullError ? (pullErrorSince ?? Date.now()) : undefined;
      }
      if (running) await i.tail.poll().catch(() => undefined);
      if (pullErrorSince !== undefined && Date.now() - pullErrorSince >= i.settings.imagePullGraceMs && last) {
        await i.deleteJob();
        const view: PodView = { ...last, state: "failed", finished: true };
        report(view);
        return { view, cancelled };
      }
      if (Date.now() - lastJobCheck >= i.jobCheckMs) {
        lastJobCheck = Date.now();
        const verdict = await i.readJob();
        // The job ended while the watch was interrupted: its verdict stands for the pod's.
        if (verdict?.finished) {
          report(verdict);
          await i.tail.poll(true).catch(() => undefined);
          return { view: verdict, cancelled };
        }
      }
    }
  } finally {
    clearInterval(tick);
    i.signal.removeEventListener("abort", onAbort);
  }
}
