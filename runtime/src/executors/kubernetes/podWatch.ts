// One list+watch of a run's pods per namespace, shared by all of the run's tasks: list once to
// get every pod and a resource version, then watch from that version; when the watch ends it is
// started again from the last version seen, and when the server says that version is gone (410)
// the pods are listed again; a pod seen before that the new list lacks was deleted while nobody
// watched, and its task is told so, as a watch would have. Tasks subscribe by job name and get
// every change of their pod, so a 100-way foreach costs one watch, not 100 pollers; while the
// watch streams, a task need not read its Job to know its pod's state (`streaming`).
import type { CoreV1Api, V1Pod, Watch } from "@kubernetes/client-node";
import { httpStatus } from "./client";
import { jobNameLabel } from "./jobManifest";

export type PodEvent = { type: "ADDED" | "MODIFIED" | "DELETED"; pod: V1Pod };
type Listener = (event: PodEvent) => void;

const jobOf = (pod: V1Pod): string | undefined => pod.metadata?.labels?.[jobNameLabel];

export class PodWatch {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** The last state of every pod seen, by job name (a job has one pod: backoffLimit 0). */
  private readonly latest = new Map<string, PodEvent>();
  private resourceVersion: string | undefined;
  private controller: AbortController | undefined;
  private started: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;
  private live = false;
  /** The last error that interrupted the watch (for a task that waits too long). */
  lastError: string | undefined;

  constructor(
    private readonly core: CoreV1Api,
    private readonly watch: Watch,
    readonly namespace: string,
    private readonly labelSelector: string,
  ) {}

  /** Starts the watch (once) and resolves when the first list is in. */
  start(): Promise<void> {
    this.started ??= this.relist();
    return this.started;
  }

  /** Whether a watch request is open now: every change of a pod reaches its task as it happens. */
  get streaming(): boolean {
    return this.live && !this.stopped;
  }

  /** Every change of the pods of `job`, starting with the last one already seen. */
  subscribe(job: string, listener: Listener): () => void {
    let set = this.listeners.get(job);
    if (!set) this.listeners.set(job, (set = new Set()));
    set.add(listener);
    const seen = this.latest.get(job);
    if (seen) listener(seen);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(job);
    };
  }

  private dispatch(event: PodEvent): void {
    const job = jobOf(event.pod);
    if (!job) return;
    if (event.type === "DELETED") this.latest.delete(job);
    else this.latest.set(job, event);
    for (const l of this.listeners.get(job) ?? []) l(event);
  }

  private async relist(): Promise<void> {
    const list = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: this.labelSelector });
    this.resourceVersion = list.metadata?.resourceVersion;
    const listed = new Set(list.items.map(jobOf));
    // Deleted between the last watch and this list (a deadline, an eviction, kubectl): no event will say so.
    for (const [job, seen] of [...this.latest]) if (!listed.has(job)) this.dispatch({ type: "DELETED", pod: seen.pod });
    for (const pod of list.items) this.dispatch({ type: this.latest.has(jobOf(pod) ?? "") ? "MODIFIED" : "ADDED", pod });
    await this.follow();
  }

  private async follow(): Promise<void> {
    if (this.stopped) return;
    const path = `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`;
    const query = { labelSelector: this.labelSelector, allowWatchBookmarks: true, ...(this.resourceVersion ? { resourceVersion: this.resourceVersion } : {}) };
    let gone = false;
    let ended = false;
    this.controller = await this.watch.watch(
      path,
      query,
      (type: string, obj: unknown) => {
        const o = obj as V1Pod & { code?: number };
        if (type === "ERROR") {
          gone = o.code === 410;
          return;
        }
        if (o.metadata?.resourceVersion) this.resourceVersion = o.metadata.resourceVersion;
        if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") {
          this.failures = 0;
          this.dispatch({ type, pod: o });
        }
      },
      (err: unknown) => {
        ended = true;
        this.ended(err, gone);
      },
    );
    // The request was answered 200 and its stream is open (a refused one has ended already).
    if (!ended) this.live = true;
  }

  private ended(err: unknown, gone: boolean): void {
    this.live = false;
    if (this.stopped) return;
    if (err) this.lastError = err instanceof Error ? err.message : JSON.stringify(err);
    // The list answers an ApiException; the watch request an Error with the HTTP status.
    const expired = gone || httpStatus(err) === 410 || (err as { statusCode?: unknown } | null)?.statusCode === 410;
    if (err || expired) this.failures += 1;
    // A watch the server closed normally resumes at once; after an error, back off a little.
    const pause = err || expired ? Math.min(5_000, 100 * 2 ** Math.min(this.failures, 6)) : 0;
    setTimeout(() => {
      if (this.stopped) return;
      const next = expired || this.resourceVersion === undefined ? this.relist() : this.follow();
      next.catch((e: unknown) => this.ended(e, false));
    }, pause).unref();
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
  }
}
