// Pure conversion from a FlowGraph (what the server sends) to the ELK input graph and to the
// per-node view data the renderer draws. No DOM here, so it is unit-tested under Node
// (test/unit/webview/toElk.test.ts) and reused by the benchmark.

import type { ElkExtendedEdge, ElkNode, LayoutOptions } from "elkjs/lib/elk-api";
import type { LiteralValue, NodeType } from "../../server/src/analysis/model";
import type { FlowGraph, GraphNodeProblem, WrittenDecorator } from "../../server/src/protocol/graph";
import type { GraphViewOptions } from "../../server/src/protocol/webview";

/** What the renderer needs to draw one node, besides its position. */
export interface NodeView {
  id: string;
  /** "missing" marks a target of `self.next` that is not a step: drawn dashed so the edge still shows.
   * "collapsed" stands for the hidden steps of a collapsed split (bigGraph/collapse.ts). */
  type: NodeType | "missing" | "collapsed";
  name: string;
  /** A second line: the foreach artifact, the switch condition, parallel, or the base flow it comes from. */
  subtitle?: string;
  /** The base flow class that defines the step, when it is inherited. */
  inheritedFrom?: string;
  badges: string[];
  /** The step has @card: the node gets a card badge that opens its latest card. */
  card: boolean;
  /** Every decorator in full (`@retry(times=3, minutes_between_retries=2)`), for the tooltip. */
  decorators: string[];
  problems: GraphNodeProblem[];
  /** The worst severity among the problems, for the node's mark. */
  mark?: "error" | "warning" | "info";
  width: number;
  height: number;
}

export interface EdgeView {
  id: string;
  source: string;
  target: string;
  /** Switch case keys for this edge, e.g. "a, b". */
  label?: string;
  /** The edge fans out (foreach or parallel): drawn dashed. */
  fanOut: boolean;
}

export interface GraphView {
  flow: string;
  nodes: NodeView[];
  edges: EdgeView[];
}

const charWidth = 7.2;
const badgeCharWidth = 6.2;
const minWidth = 96;
const maxBadgeChars = 30;

function decoratorText(name: string, parts: string[], limit: number): string {
  const text = parts.length > 0 ? `@${name}(${parts.join(", ")})` : `@${name}`;
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** The decorator `@name(k=v, ...)` with every attribute `_graph_info` holds, Metaflow's defaults included (the tooltip). */
export function badgeText(name: string, attributes: Record<string, LiteralValue>, limit = maxBadgeChars): string {
  const parts = Object.entries(attributes)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  return decoratorText(name, parts, limit);
}

/** The decorator as the source writes it, shortened to one badge: `@retry(times=2)`, not Metaflow's defaults too. */
export function writtenBadgeText(d: WrittenDecorator, limit = maxBadgeChars): string {
  return decoratorText(d.name, d.args, limit);
}

function worstSeverity(problems: GraphNodeProblem[]): NodeView["mark"] {
  if (problems.some((p) => p.severity === "error")) return "error";
  if (problems.some((p) => p.severity === "warning")) return "warning";
  return problems.length > 0 ? "info" : undefined;
}

/** Builds the node and edge views of one flow; every edge ends at a node that exists. */
export function toGraphView(flow: FlowGraph, options: GraphViewOptions): GraphView {
  const steps = flow.graph.steps;
  const nodes: NodeView[] = [];
  const edges: EdgeView[] = [];
  const known = new Set(Object.keys(steps));
  const missing = new Set<string>();

  for (const step of Object.values(steps)) {
    const written = flow.decoratorsWritten[step.name] ?? [];
    const badges = options.showDecorators ? written.map((d) => writtenBadgeText(d)) : [];
    // The tooltip lists what the step runs with: the written values and Metaflow's defaults.
    const decorators = step.decorators.filter((d) => d.name !== "step").map((d) => badgeText(d.name, d.attributes, Number.POSITIVE_INFINITY));
    let subtitle: string | undefined;
    if (step.type === "split-foreach" && step.foreach_artifact) subtitle = `foreach ${step.foreach_artifact}`;
    else if (step.type === "split-switch" && step.condition) subtitle = `switch on ${step.condition}`;
    else if (step.type === "split-parallel") subtitle = "parallel";
    const inheritedFrom = flow.sources[step.name]?.inheritedFrom;
    if (subtitle === undefined && inheritedFrom !== undefined) subtitle = `from ${inheritedFrom}`;
    const problems = flow.problems[step.name] ?? [];
    nodes.push(sized({ id: step.name, type: step.type, name: step.name, subtitle, ...(inheritedFrom !== undefined ? { inheritedFrom } : {}), badges, card: step.decorators.some((d) => d.name === "card"), decorators, problems, mark: worstSeverity(problems) }));

    const caseLabels = new Map<string, string[]>();
    for (const [key, target] of Object.entries(step.switch_cases ?? {})) {
      caseLabels.set(target, [...(caseLabels.get(target) ?? []), key]);
    }
    const seen = new Set<string>();
    // Targets that are not steps are absent from `_graph_info`; the server lists them apart.
    for (const target of [...step.next, ...(flow.unknownTargets?.[step.name] ?? [])]) {
      if (seen.has(target)) continue;
      seen.add(target);
      if (!known.has(target)) missing.add(target);
      const keys = caseLabels.get(target);
      edges.push({
        id: `${step.name}->${target}`,
        source: step.name,
        target,
        label: keys ? keys.join(", ") : undefined,
        fanOut: step.type === "split-foreach" || step.type === "split-parallel",
      });
    }
  }
  for (const name of missing) {
    nodes.push(sized({ id: name, type: "missing", name, subtitle: "not a step", badges: [], card: false, decorators: [], problems: [], mark: undefined }));
  }
  return { flow: flow.flow, nodes, edges };
}

function sized(node: Omit<NodeView, "width" | "height">): NodeView {
  const textChars = Math.max(node.name.length + 3, (node.subtitle?.length ?? 0) + 1);
  const badgeWidth = node.badges.reduce((w, b) => Math.max(w, b.length * badgeCharWidth + 14), 0);
  const width = Math.ceil(Math.max(minWidth, textChars * charWidth + 28, badgeWidth + 16));
  const height = 34 + (node.subtitle ? 14 : 0) + node.badges.length * 18;
  return { ...node, width, height };
}

/** Layout options: layered, top to bottom; big graphs trade crossing quality for speed. */
export function layoutOptions(nodeCount: number, options: GraphViewOptions): LayoutOptions {
  return {
    "elk.algorithm": "layered",
    "elk.direction": "DOWN",
    "elk.edgeRouting": "ORTHOGONAL",
    "elk.spacing.nodeNode": String(options.nodeSpacing),
    "elk.layered.spacing.nodeNodeBetweenLayers": "36",
    "elk.spacing.edgeLabel": "4",
    // Measured (test/bench/webview.bench.ts): thoroughness 7, ELK's default, costs 2x for no visible gain
    // on flows; past ~30 nodes the minimum keeps a live update near 100 ms.
    "elk.layered.thoroughness": nodeCount > 30 ? "1" : "3",
    "elk.layered.nodePlacement.strategy": nodeCount > 300 ? "SIMPLE" : "BRANDES_KOEPF",
    // Where crossings do not decide, keep the source's order: `self.next(self.a, self.b)` draws a
    // left of b, as the reader of the code expects (ELK otherwise may swap them).
    "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
    "elk.padding": "[top=20,left=20,bottom=20,right=20]",
  };
}

/** The ELK input for a graph view. Labels carry an estimated size so ELK leaves room for them. */
export function toElk(view: GraphView, options: GraphViewOptions): ElkNode {
  const edges: ElkExtendedEdge[] = view.edges.map((e) => ({
    id: e.id,
    sources: [e.source],
    targets: [e.target],
    labels: e.label ? [{ id: `${e.id}#label`, text: e.label, width: e.label.length * badgeCharWidth + 8, height: 16 }] : undefined,
  }));
  return {
    id: "root",
    layoutOptions: layoutOptions(view.nodes.length, options),
    children: view.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges,
  };
}
