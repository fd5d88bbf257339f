// Draws a laid-out graph as SVG. Colours come from CSS classes (webview/media/graph.css) that use
// VS Code's theme variables, so this file only decides shapes, positions and text.

import type { ElkNode } from "elkjs/lib/elk-api";
import type { EdgeView, GraphView, NodeView } from "./toElk";

const svgNs = "http://www.w3.org/2000/svg";

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A glyph per node type, so the type reads without colour too. */
const typeGlyph: Record<NodeView["type"], string> = {
  start: "", // the pill shape and green border mark it; "▶"/"▷" are missing from common monospace fonts
  end: "■",
  linear: "",
  join: "⋈",
  "split-static": "⋔",
  "split-foreach": "∀",
  "split-parallel": "∥",
  "split-switch": "◇",
  missing: "?",
  collapsed: "",
};

export interface NodeBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Drawing {
  /** The content group (the viewport transforms it). */
  content: SVGGElement;
  nodes: Map<string, SVGGElement>;
  boxes: Map<string, NodeBox>;
  width: number;
  height: number;
}

export function draw(view: GraphView, laidOut: ElkNode): Drawing {
  const content = svg("g", { class: "content" });
  const edgeLayer = svg("g", { class: "edges" });
  const nodeLayer = svg("g", { class: "nodes" });
  content.append(edgeLayer, nodeLayer);

  const boxes = new Map<string, NodeBox>();
  for (const child of laidOut.children ?? []) {
    boxes.set(child.id, { x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 });
  }
  const edgeById = new Map(view.edges.map((e) => [e.id, e]));
  for (const edge of laidOut.edges ?? []) {
    const model = edgeById.get(edge.id);
    if (model) edgeLayer.append(drawEdge(model, edge.sections ?? [], edge.labels ?? []));
  }
  const nodes = new Map<string, SVGGElement>();
  for (const node of view.nodes) {
    const box = boxes.get(node.id);
    if (!box) continue;
    const g = drawNode(node, box);
    nodes.set(node.id, g);
    nodeLayer.append(g);
  }
  return { content, nodes, boxes, width: laidOut.width ?? 0, height: laidOut.height ?? 0 };
}

interface Section {
  startPoint: { x: number; y: number };
  endPoint: { x: number; y: number };
  bendPoints?: { x: number; y: number }[];
}

interface Label {
  text?: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
}

function drawEdge(edge: EdgeView, sections: Section[], labels: Label[]): SVGGElement {
  const g = svg("g", { class: `edge${edge.fanOut ? " fan-out" : ""}`, "data-source": edge.source, "data-target": edge.target });
  for (const s of sections) {
    const points = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
    const d = points.map((p, i) => `${i === 0 ? "M" : "L"}${round(p.x)},${round(p.y)}`).join(" ");
    g.append(svg("path", { d, "marker-end": "url(#arrow)" }));
  }
  for (const label of labels) {
    if (!label.text) continue;
    const x = (label.x ?? 0) + (label.width ?? 0) / 2;
    const y = (label.y ?? 0) + (label.height ?? 0) / 2;
    const lg = svg("g", { class: "edge-label" });
    lg.append(
      svg("rect", { x: round(label.x ?? 0), y: round(label.y ?? 0), width: round(label.width ?? 0), height: round(label.height ?? 0), rx: 3 }),
      svg("text", { x: round(x), y: round(y), "dominant-baseline": "central", "text-anchor": "middle" }, label.text),
    );
    g.append(lg);
  }
  return g;
}

function drawNode(node: NodeView, box: NodeBox): SVGGElement {
  const classes = ["node", `type-${node.type}`];
  if (node.mark) classes.push(`has-${node.mark}`);
  // Metaflow types a `start` that splits as a split; it still gets the start's look.
  if (node.id === "start") classes.push("entry");
  const g = svg("g", {
    class: classes.join(" "),
    transform: `translate(${round(box.x)},${round(box.y)})`,
    "data-step": node.id,
    // VS Code passes this object to the panel's context-menu commands (Show Step Logs / Artifacts).
    "data-vscode-context": JSON.stringify({ step: node.id }),
    tabindex: "-1",
    role: "button",
    "aria-label": `${node.name} (${node.type})${node.problems.length > 0 ? `: ${node.problems.length} problem(s)` : ""}`,
  });
  const rx = node.type === "start" || node.type === "end" ? Math.min(17, box.height / 2) : node.type === "join" ? 10 : 4;
  g.append(svg("rect", { class: "shape", width: box.width, height: box.height, rx }));
  if (node.type === "end") g.append(svg("rect", { class: "inner", x: 3, y: 3, width: box.width - 6, height: box.height - 6, rx: Math.max(0, rx - 3) }));

  const glyph = typeGlyph[node.type];
  const title = glyph ? `${glyph} ${node.name}` : node.name;
  g.append(svg("text", { class: "name", x: box.width / 2, y: 21, "text-anchor": "middle" }, title));
  let y = 34;
  if (node.subtitle) {
    g.append(svg("text", { class: "subtitle", x: box.width / 2, y: y + 8, "text-anchor": "middle" }, node.subtitle));
    y += 14;
  }
  for (const badge of node.badges) {
    const bg = svg("g", { class: "badge", transform: `translate(8,${y})` });
    bg.append(svg("rect", { width: box.width - 16, height: 15, rx: 7 }), svg("text", { x: (box.width - 16) / 2, y: 11, "text-anchor": "middle" }, badge));
    g.append(bg);
    y += 18;
  }
  if (node.card) {
    // On the node's top-left corner, like the problem mark on the right: no extra height.
    const badge = svg("g", { class: "card-badge", transform: "translate(-6,-7)", "data-card-step": node.id, role: "button", "aria-label": `Open the latest card of ${node.name}` });
    badge.append(svg("rect", { width: 34, height: 14, rx: 7 }), svg("text", { x: 17, y: 10.5, "text-anchor": "middle" }, "card"), svg("title", {}, "Open the latest run's card of this step"));
    g.append(badge);
  }
  if (node.mark) {
    const mark = svg("g", { class: `mark ${node.mark}`, transform: `translate(${box.width - 2},2)` });
    mark.append(svg("circle", { r: 7 }), svg("text", { y: 4, "text-anchor": "middle" }, node.mark === "info" ? "i" : "!"));
    g.append(mark);
  }
  // The native tooltip: the step and every problem's message, on hover and for screen readers.
  const lines = [`${node.name} — ${node.type}${node.inheritedFrom !== undefined ? ` (inherited from ${node.inheritedFrom})` : ""}`, ...node.decorators, ...node.problems.map((p) => `${p.severity} ${p.code}: ${p.message}`)];
  g.append(svg("title", {}, lines.join("\n")));
  return g;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
