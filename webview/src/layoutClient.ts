// Talks to the layout worker. A webview cannot start a Worker from its resource URL (another
// origin), so the script is fetched and started from a blob: URL (the CSP allows `worker-src blob:`).
// Only the newest request matters: an older answer that arrives late is dropped by the caller.
import type { ElkNode } from "elkjs/lib/elk-api";
import type { LayoutRequest, LayoutResponse } from "./layoutTypes";

export class LayoutClient {
  private worker: Promise<Worker> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (g: ElkNode) => void; reject: (e: Error) => void }>();

  constructor(private readonly workerUrl: string) {}

  layout(graph: ElkNode): Promise<ElkNode> {
    const id = this.nextId++;
    return this.start().then(
      (worker) =>
        new Promise<ElkNode>((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
          const request: LayoutRequest = { id, graph };
          worker.postMessage(request);
        }),
    );
  }

  /** Starts the worker and runs one tiny layout, so the first real graph skips ELK's cold start. */
  warmUp(): void {
    this.layout({ id: "warm-up", children: [{ id: "a", width: 10, height: 10 }, { id: "b", width: 10, height: 10 }], edges: [{ id: "e", sources: ["a"], targets: ["b"] }] }).catch(() => {
      // A failure shows with the first real layout, which reports it.
    });
  }

  private start(): Promise<Worker> {
    this.worker ??= fetch(this.workerUrl)
      .then((r) => {
        if (!r.ok) throw new Error(`layout worker: cannot load ${this.workerUrl}: HTTP ${r.status}`);
        return r.text();
      })
      .then((code) => {
        const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
        const worker = new Worker(url);
        worker.onmessage = (e: MessageEvent<LayoutResponse>) => this.settle(e.data);
        worker.onerror = (e) => {
          const error = new Error(`layout worker failed: ${e.message}`);
          for (const p of this.pending.values()) p.reject(error);
          this.pending.clear();
        };
        return worker;
      });
    return this.worker;
  }

  private settle(response: LayoutResponse): void {
    const p = this.pending.get(response.id);
    if (!p) return;
    this.pending.delete(response.id);
    if ("error" in response) p.reject(new Error(`layout failed: ${response.error}`));
    else p.resolve(response.graph);
  }
}
