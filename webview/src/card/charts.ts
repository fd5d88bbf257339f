// vegaChart components: a simple SVG drawing when the spec is a plain bar/line/point chart, the
// spec's data as tables, and a note that full Vega rendering is not available in Flowlens.
import type { ComponentData } from "../../../server/src/protocol/cards";
import type { RenderContext } from "./context";
import { displayText, el, svgEl } from "./dom";
import { renderTable, type CellRenderer } from "./table";
import { simpleChart, vegaTables, type SimpleChart } from "./vegaModel";

export function renderVega(c: ComponentData, ctx: RenderContext, renderCell: CellRenderer): HTMLElement {
  const box = el("figure", { class: "vega" });
  const spec = c.spec;
  const title = typeof (spec as { title?: unknown } | undefined)?.title === "string" ? (spec as { title: string }).title : undefined;
  if (title) box.append(el("figcaption", {}, title));
  const chart = simpleChart(spec);
  if (chart) box.append(drawChart(chart));
  box.append(el("p", { class: "note" }, chart ? "A simple drawing of this chart: full Vega-Lite rendering is not available in Flowlens. Its data:" : "Chart rendering is not available in Flowlens (no Vega library is bundled). The chart's data:"));
  const tables = vegaTables(spec, c.data);
  tables.forEach((t, i) => {
    if (tables.length > 1) box.append(el("div", { class: "subtitle" }, t.name));
    box.append(renderTable({ type: "table", columns: t.columns, data: t.rows }, { key: `${ctx.key}.data${i}`, state: ctx.state }, renderCell));
  });
  if (tables.length === 0) box.append(el("pre", { class: "code" }, el("code", {}, JSON.stringify(spec, null, 2) ?? displayText(spec))));
  return box;
}

const W = 560;
const H = 240;
const pad = { left: 48, right: 12, top: 10, bottom: 36 };

function drawChart(chart: SimpleChart): SVGSVGElement {
  const root = svgEl("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `${chart.mark} chart of ${chart.y} by ${chart.x}` });
  const ys = chart.points.map((p) => p.y);
  const lo = Math.min(0, ...ys);
  const hi = Math.max(...ys, lo + 1e-9);
  const plotW = W - pad.left - pad.right;
  const plotH = H - pad.top - pad.bottom;
  const yAt = (v: number): number => pad.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const step = plotW / chart.points.length;
  const xAt = (i: number): number => pad.left + step * (i + 0.5);
  root.append(svgEl("line", { class: "axis", x1: pad.left, y1: yAt(lo), x2: W - pad.right, y2: yAt(lo) }), svgEl("line", { class: "axis", x1: pad.left, y1: pad.top, x2: pad.left, y2: pad.top + plotH }));
  root.append(svgEl("text", { class: "tick", x: pad.left - 4, y: yAt(hi) + 4, "text-anchor": "end" }, short(hi)), svgEl("text", { class: "tick", x: pad.left - 4, y: yAt(lo), "text-anchor": "end" }, short(lo)));
  if (chart.mark === "line") {
    root.append(svgEl("polyline", { class: "mark-line", points: chart.points.map((p, i) => `${xAt(i).toFixed(1)},${yAt(p.y).toFixed(1)}`).join(" ") }));
  }
  const every = Math.ceil(chart.points.length / 12);
  chart.points.forEach((p, i) => {
    if (chart.mark === "bar") root.append(svgEl("rect", { class: "mark-bar", x: xAt(i) - step * 0.4, y: Math.min(yAt(p.y), yAt(0)), width: step * 0.8, height: Math.abs(yAt(0) - yAt(p.y)) }));
    else root.append(svgEl("circle", { class: "mark-point", cx: xAt(i), cy: yAt(p.y), r: 3 }));
    if (i % every === 0) root.append(svgEl("text", { class: "tick", x: xAt(i), y: H - pad.bottom + 14, "text-anchor": "middle" }, displayText(p.x).slice(0, 12)));
  });
  root.append(svgEl("text", { class: "axis-title", x: pad.left + plotW / 2, y: H - 4, "text-anchor": "middle" }, chart.x));
  return root;
}

function short(n: number): string {
  return Math.abs(n) >= 1000 || (Math.abs(n) < 0.01 && n !== 0) ? n.toExponential(1) : String(Math.round(n * 100) / 100);
}
