// What the card can show of a Vega-Lite chart without a Vega library (none is bundled): the data
// of the spec as tables, and, for a plain bar, line or point chart of one x and one numeric y
// field, the marks to draw as SVG. Pure functions over the spec (unknown JSON), no DOM.

export interface DataTable {
  name: string;
  columns: string[];
  rows: unknown[][];
}

export interface SimpleChart {
  mark: "bar" | "line" | "point";
  x: string;
  y: string;
  points: { x: unknown; y: number }[];
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function toTable(name: string, values: unknown): DataTable | undefined {
  if (!Array.isArray(values)) return undefined;
  const columns: string[] = [];
  for (const v of values.slice(0, 200)) if (isObject(v)) for (const k of Object.keys(v)) if (!columns.includes(k)) columns.push(k);
  if (columns.length === 0) return { name, columns: ["value"], rows: (values as unknown[]).map((v) => [v]) };
  return { name, columns, rows: (values as unknown[]).map((v) => (isObject(v) ? columns.map((c) => v[c]) : columns.map(() => undefined))) };
}

/** Inline data of the spec: `data.values`, named `datasets`, and the data of nested layers. */
export function vegaTables(spec: unknown, extra?: unknown): DataTable[] {
  const out: DataTable[] = [];
  const visit = (s: unknown, depth: number): void => {
    if (!isObject(s) || depth > 4) return;
    if (isObject(s.data)) {
      const t = toTable(typeof s.data.name === "string" ? s.data.name : "data", s.data.values);
      if (t) out.push(t);
    }
    if (isObject(s.datasets)) for (const [name, values] of Object.entries(s.datasets)) {
      const t = toTable(name, values);
      if (t) out.push(t);
    }
    for (const key of ["layer", "hconcat", "vconcat", "concat"]) if (Array.isArray(s[key])) for (const child of s[key] as unknown[]) visit(child, depth + 1);
  };
  visit(spec, 0);
  if (isObject(extra)) for (const [name, values] of Object.entries(extra)) {
    const t = toTable(name, values);
    if (t) out.push(t);
  }
  return out;
}

/** The marks of a single-view bar/line/point chart with field encodings, else undefined. */
export function simpleChart(spec: unknown): SimpleChart | undefined {
  if (!isObject(spec) || !isObject(spec.encoding)) return undefined;
  const markName = typeof spec.mark === "string" ? spec.mark : isObject(spec.mark) ? spec.mark.type : undefined;
  if (markName !== "bar" && markName !== "line" && markName !== "point") return undefined;
  const x = isObject(spec.encoding.x) ? spec.encoding.x.field : undefined;
  const y = isObject(spec.encoding.y) ? spec.encoding.y.field : undefined;
  if (typeof x !== "string" || typeof y !== "string") return undefined;
  const table = vegaTables({ data: spec.data })[0];
  if (!table) return undefined;
  const xi = table.columns.indexOf(x);
  const yi = table.columns.indexOf(y);
  if (xi < 0 || yi < 0) return undefined;
  const points = table.rows.map((r) => ({ x: r[xi], y: Number(r[yi]) })).filter((p) => Number.isFinite(p.y));
  return points.length > 0 ? { mark: markName, x, y, points: points.slice(0, 2000) } : undefined;
}
