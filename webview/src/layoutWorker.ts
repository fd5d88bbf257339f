// The layout worker: runs elkjs off the webview's UI thread, so a 500-step flow does not freeze
// zooming or the editor. Protocol: { id, graph } in, { id, graph } or { id, error } out.
// Importing elk-worker.min.js inside a Worker makes it install its own `self.onmessage`; we
// replace that with ours and use its `Worker` export, which runs ELK in this thread.
import ELK from "elkjs/lib/elk-api.js";
import type { ElkNode } from "elkjs/lib/elk-api";
import { Worker as ElkInThisThread } from "elkjs/lib/elk-worker.min.js";
import type { LayoutRequest, LayoutResponse } from "./layoutTypes";

const elk = new ELK({ workerFactory: () => new ElkInThisThread() });

interface WorkerScope {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutResponse): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const { id, graph } = event.data;
  elk.layout(graph).then(
    (laidOut: ElkNode) => scope.postMessage({ id, graph: laidOut }),
    (err: unknown) => scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) }),
  );
};
