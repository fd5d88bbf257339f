// Custom LSP messages about flow graphs, shared by the server, the client and the webview.
// Ranges here are LSP ranges (0-based line, UTF-16 character), because they cross the wire.

import type { GraphInfo, NodeType, Severity } from "../analysis/model";

export interface WirePosition {
  line: number;
  character: number;
}

export interface WireRange {
  start: WirePosition;
  end: WirePosition;
}

/** A diagnostic that concerns one step, for marking its node. */
export interface GraphNodeProblem {
  code: string;
  severity: Severity;
  message: string;
}

export interface GraphNodeSource {
  /** The step's name token: where a click on the node takes the editor. */
  nameRange: WireRange;
  /** The whole step, decorators to end of body: the cursor inside it highlights the node. */
  range: WireRange;
  /** Defined in a base flow in another file. */
  uri?: string;
  /** The base flow class that defines the step, when it is inherited (from this file or another). */
  inheritedFrom?: string;
}

/** A decorator as the source writes it: `_graph_info` fills in Metaflow's defaults, a badge should not. */
export interface WrittenDecorator {
  name: string;
  /** Each argument's source text, whitespace collapsed (`times=2`, `memory=MEM`). */
  args: string[];
}

export interface FlowGraph {
  flow: string;
  /** The flow class name's range. */
  range: WireRange;
  graph: GraphInfo;
  /** Per step name. */
  sources: Record<string, GraphNodeSource>;
  /** Per step name: the findings that concern it. */
  problems: Record<string, GraphNodeProblem[]>;
  /** Findings that concern the flow as a whole (e.g. no start step). */
  flowProblems: GraphNodeProblem[];
  /** Per step name: its decorators but `@step`, with the arguments as written. */
  decoratorsWritten: Record<string, WrittenDecorator[]>;
  /** Per step name: the targets of its `self.next` that are not steps (`_graph_info` leaves them out),
   * drawn as "not a step" nodes so the edge and the rest of the graph stay in place. Absent: none. */
  unknownTargets?: Record<string, string[]>;
  /** The node types, repeated for convenience of consumers that only need a lookup. */
  types: Record<string, NodeType>;
}

export interface GraphParams {
  uri: string;
}

export interface GraphResult {
  uri: string;
  /** The document version the graph was computed from. */
  version: number | null;
  flows: FlowGraph[];
  /** True when the file currently has a syntax error (the client keeps its last good graph greyed). */
  broken: boolean;
  /** Error count in the file, for the panel's headline. */
  errorCount: number;
}

/** Request: the flows of a file as graphs, with ranges for click-to-source. */
export const GraphRequest = "flowlens/graph" as const;

/** Notification from the server: the graph of this file changed (params: GraphResult). */
export const GraphChangedNotification = "flowlens/graphChanged" as const;
