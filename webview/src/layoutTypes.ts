// The messages between the webview and its layout worker (webview-internal, not a host message).
import type { ElkNode } from "elkjs/lib/elk-api";

export interface LayoutRequest {
  id: number;
  graph: ElkNode;
}

export type LayoutResponse = { id: number; graph: ElkNode } | { id: number; error: string };
