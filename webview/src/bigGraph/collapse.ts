// Collapse a foreach or a branching split to one node: the steps between the split and its join
// are hidden behind a "⋯ N steps" node, so a big flow can be read a level at a time. Pure: works on
// the node and edge views before layout, so ELK lays out the smaller graph.
import type { FlowGraph } from "../../../server/src/protocol/graph";
import type { EdgeView, GraphView, NodeView } from "../toElk";

/** The id of the node that stands for a collapsed split's body (no step name contains a colon). */
export const collapsedId = (split: string): string => `collapsed:${split}`;

/**
 * The steps strictly between each split and the join that closes it, for every split whose body is
 * closed: entered only from the split, left only into the join. A malformed split is not collapsible.
 */
export function collapsibleBodies(flow: FlowGraph): Map<string, string[]> {
  const steps = flow.graph.steps;
  const incoming = new Map<string, string[]>();
  for (const s of Object.values(steps)) for (const n of s.next) incoming.set(n, [...(incoming.get(n) ?? []), s.name]);
  const out = new Map<string, string[]>();
  for (const split of Object.values(steps)) {
    const join = split.matching_join;
    if (join === undefined || !split.type.startsWith("split")) continue;
    const body: string[] = [];
    const seen = new Set<string>([split.name, join]);
    const queue = split.next.filter((n) => !seen.has(n));
    let closed = true;
    while (queue.length > 0 && closed) {
      const name = queue.shift() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      const step = steps[name];
      if (!step || step.type === "end") closed = false;
      else {
        body.push(name);
        queue.push(...step.next.filter((n) => !seen.has(n)));
      }
    }
    const inBody = new Set([split.name, ...body]);
    // A switch case that loops back to its own step is inside the body too.
    if (closed && body.length > 0 && body.every((n) => (incoming.get(n) ?? []).every((p) => inBody.has(p)))) out.set(split.name, body);
  }
  return out;
}

/** The view with each split in `collapsed` (and collapsible) folded into one node. */
export function collapseView(view: GraphView, bodies: Map<string, string[]>, collapsed: ReadonlySet<string>): GraphView {
  const hiddenBy = new Map<string, string>();
  // Outer splits first: a split inside a collapsed body is hidden with it.
  for (const node of view.nodes) {
    const body = bodies.get(node.id);
    if (!body || !collapsed.has(node.id) || hiddenBy.has(node.id)) continue;
    for (const step of body) if (!hiddenBy.has(step)) hiddenBy.set(step, node.id);
  }
  if (hiddenBy.size === 0) return view;
  const hidden = new Map<string, NodeView[]>();
  for (const node of view.nodes) {
    const split = hiddenBy.get(node.id);
    if (split !== undefined) hidden.set(split, [...(hidden.get(split) ?? []), node]);
  }
  const nodes: NodeView[] = [];
  for (const node of view.nodes) {
    if (hiddenBy.has(node.id)) continue;
    nodes.push(node);
    const inside = hidden.get(node.id);
    if (inside !== undefined) nodes.push(placeholder(node.id, inside));
  }
  const end = (id: string) => {
    const split = hiddenBy.get(id);
    return split !== undefined ? collapsedId(split) : id;
  };
  const edges: EdgeView[] = [];
  const ids = new Set<string>();
  for (const e of view.edges) {
    const source = end(e.source);
    const target = end(e.target);
    const id = `${source}->${target}`;
    if (source === target || ids.has(id)) continue;
    ids.add(id);
    // Switch case labels name edges to single steps; on the folded edge they would mislead.
    edges.push({ ...e, id, source, target, label: source === e.source && target === e.target ? e.label : undefined });
  }
  return { flow: view.flow, nodes, edges };
}

const severityOrder = ["error", "warning", "info"] as const;

/** The folded node keeps the problems of the steps it hides, so a collapsed error still shows. */
function placeholder(split: string, inside: NodeView[]): NodeView {
  const name = `⋯ ${inside.length} step${inside.length === 1 ? "" : "s"}`;
  const problems = inside.flatMap((n) => n.problems.map((p) => ({ ...p, message: `${n.name}: ${p.message}` })));
  const mark = severityOrder.find((s) => inside.some((n) => n.mark === s));
  const node: NodeView = { id: collapsedId(split), type: "collapsed", name, subtitle: "click to expand", badges: [], card: false, decorators: inside.map((n) => n.name), problems, width: 120, height: 48 };
  if (mark !== undefined) node.mark = mark;
  return node;
}
