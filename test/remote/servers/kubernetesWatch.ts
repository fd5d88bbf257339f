// The pod events of the loopback Kubernetes API server and the watches that stream them. Every
// event keeps the resource version it made, so a watch resumes from any version, until the
// history is expired (as after an etcd compaction): a watch from an older version then gets
// 410 Gone and the client must list again. Bookmarks are sent when asked for.
import type { ServerResponse } from "node:http";
import type { V1Pod } from "@kubernetes/client-node";
import { parseSelector, status, type Json, type Selector } from "./kubernetesRules";

interface Watcher {
  namespace: string;
  selector: Selector;
  res: ServerResponse;
}

const send = (w: Watcher, type: string, object: unknown): void => {
  w.res.write(`${JSON.stringify({ type, object })}\n`);
};

export class PodEvents {
  /** The last resource version given out. */
  private version = 1;
  private readonly history: { rv: number; type: string; pod: V1Pod; namespace: string }[] = [];
  private compactedBelow = 0;
  private readonly watchers = new Set<Watcher>();

  /** `timeoutMs`: close every watch after this long, as API servers do, so clients resume from their version. */
  constructor(private readonly timeoutMs?: number) {}

  /** Stamps the pod with a new resource version and sends a copy to every watch that selects it. */
  emit(type: "ADDED" | "MODIFIED" | "DELETED", namespace: string, pod: V1Pod | undefined): void {
    if (!pod?.metadata) return;
    this.version += 1;
    pod.metadata.resourceVersion = String(this.version);
    const copy = JSON.parse(JSON.stringify(pod)) as V1Pod;
    this.history.push({ rv: this.version, type, pod: copy, namespace });
    for (const w of this.watchers) if (w.namespace === namespace && w.selector(pod.metadata.labels ?? {})) send(w, type, copy);
  }

  /** A PodList of the namespace's `pods` the selector takes, at the current version. */
  list(pods: V1Pod[], selectorText: string | null): Json {
    const selector = parseSelector(selectorText);
    return { kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: String(this.version) }, items: pods.filter((p) => selector(p.metadata?.labels ?? {})) };
  }

  /** Streams the events after `resourceVersion` (or from now), then every new one, until closed. */
  watch(namespace: string, url: URL, res: ServerResponse): void {
    const selector = parseSelector(url.searchParams.get("labelSelector"));
    const from = Number(url.searchParams.get("resourceVersion") ?? String(this.version));
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    const w: Watcher = { namespace, selector, res };
    if (from < this.compactedBelow) {
      send(w, "ERROR", status(410, "Expired", `too old resource version: ${from} (${this.compactedBelow})`));
      res.end();
      return;
    }
    for (const h of this.history) if (h.rv > from && h.namespace === namespace && selector(h.pod.metadata?.labels ?? {})) send(w, h.type, h.pod);
    if (url.searchParams.get("allowWatchBookmarks") === "true") send(w, "BOOKMARK", { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: String(this.version) } });
    this.watchers.add(w);
    const timer = this.timeoutMs ? setTimeout(() => res.end(), this.timeoutMs) : undefined;
    res.on("close", () => {
      if (timer) clearTimeout(timer);
      this.watchers.delete(w);
    });
  }

  /** Ends every open watch with 410 Gone; a watch from any version given out so far is refused. */
  expire(): void {
    this.compactedBelow = this.version;
    for (const w of this.watchers) {
      send(w, "ERROR", status(410, "Expired", "too old resource version"));
      w.res.end();
    }
  }

  count(): number {
    return this.watchers.size;
  }

  close(): void {
    for (const w of this.watchers) w.res.end();
  }
}
