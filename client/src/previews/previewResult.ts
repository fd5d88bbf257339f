// What `python -m flowlens._preview_artifact` prints (runtime/python/flowlens/_preview_artifact.py),
// checked on arrival, and the pure renderings of it: preview HTML (no script at all: paging links
// are command URIs) and the comparison summary of two values. No `vscode` import.

import { describeStats, type NumberStats } from "../../../server/src/protocol/runComparison";

/** A numeric column's statistics: the same shape as a comparison's (one describer for both). */
export type TableStats = NumberStats;

/** A table's row order: by one column, ascending unless `descending`. */
export interface TableSort {
  column: string;
  descending: boolean;
}

export type PreviewResult =
  | { kind: "json"; type?: string; value: unknown }
  | { kind: "text"; type?: string; text: string; truncated?: boolean; length?: number }
  | { kind: "table"; type?: string; shape: number[]; dtype?: string; dtypes: string[]; columns: string[]; rows: unknown[][]; offset: number; limit: number; total: number; stats?: TableStats; columnStats?: Record<string, TableStats>; sort?: TableSort }
  | { kind: "image"; type?: string; mime: string; base64: string }
  | { kind: "repr"; type?: string; text: string; truncated?: boolean }
  | { kind: "error"; type?: string; message: string };

export function parsePreviewResult(text: string): PreviewResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "error", message: `the preview script printed no JSON: ${text.slice(0, 300)}` };
  }
  if (typeof value !== "object" || value === null) return { kind: "error", message: "the preview script printed no object" };
  const o = value as Record<string, unknown>;
  switch (o.kind) {
    case "json":
      return { kind: "json", value: o.value, ...(typeof o.type === "string" ? { type: o.type } : {}) };
    case "text":
    case "repr":
      if (typeof o.text === "string") return value as PreviewResult;
      break;
    case "table":
      if (Array.isArray(o.shape) && Array.isArray(o.rows) && Array.isArray(o.columns) && typeof o.total === "number") return value as PreviewResult;
      break;
    case "image":
      if (typeof o.mime === "string" && typeof o.base64 === "string" && /^image\/(png|jpeg)$/.test(o.mime)) return value as PreviewResult;
      break;
    case "error":
      if (typeof o.message === "string") return value as PreviewResult;
      break;
  }
  return { kind: "error", message: `the preview script printed an unexpected result: ${text.slice(0, 300)}` };
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export interface PreviewPage {
  title: string;
  /** Where the value lives, e.g. `ArrFlow/3/start/1 · arr`. */
  where: string;
  /** Allows the page's one inline stylesheet; no script is allowed at all. */
  nonce: string;
  /** A command URI that shows rows from `offset` (in the current order), or undefined when paging is not possible. */
  pageLink?: (offset: number) => string;
  /** A command URI that shows the first rows sorted by a column (the page has no script: sorting is a link). */
  sortLink?: (sort: TableSort) => string;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v) ?? "";
}

function fmt(n: number | undefined): string {
  return n === undefined ? "–" : Number.isInteger(n) ? String(n) : n.toPrecision(6);
}

export function statsLine(s: TableStats | undefined): string {
  return s ? describeStats(s) : "";
}

const statNames = ["count", "nan", "min", "max", "mean", "std"] as const;

/** A frame's statistics, one column each (a frame's columns have their own units: never pooled). */
function columnStatsTable(columns: string[], stats: Record<string, TableStats> | undefined): string {
  if (!stats || Object.keys(stats).length === 0) return "";
  const shown = columns.filter((c) => stats[c] !== undefined);
  const head = `<tr><th></th>${shown.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>`;
  const rows = statNames.map((k) => `<tr><th>${k === "nan" ? "NaN" : k}</th>${shown.map((c) => `<td>${fmt(stats[c]?.[k])}</td>`).join("")}</tr>`).join("\n");
  return `<table class="stats" data-stats="per-column">${head}\n${rows}</table>`;
}

/** A column header: a link that sorts by it (ascending, or descending when it is already ascending), with an arrow for the current order. */
function headerCell(column: string, dtype: string, sort: TableSort | undefined, link: PreviewPage["sortLink"]): string {
  const current = sort?.column === column ? (sort.descending ? " ▼" : " ▲") : "";
  const label = `${escapeHtml(column)}${current}`;
  const next: TableSort = { column, descending: sort?.column === column && !sort.descending };
  const title = `${dtype} · sort ${next.descending ? "descending" : "ascending"}`;
  const name = link ? `<a class="sort" href="${link(next)}">${label}</a>` : label;
  return `<th title="${escapeHtml(title)}">${name}<br><small>${escapeHtml(dtype)}</small></th>`;
}

/** The preview tab's HTML: a strict CSP (no script; images only as data: URIs), theme colours. */
export function previewHtml(result: PreviewResult, page: PreviewPage): string {
  const csp = `default-src 'none'; img-src data:; style-src 'nonce-${page.nonce}'`;
  let body: string;
  switch (result.kind) {
    case "table": {
      const first = result.offset;
      const last = Math.min(result.total, result.offset + result.rows.length);
      const prev = page.pageLink && first > 0 ? `<a href="${page.pageLink(Math.max(0, first - result.limit))}">◀ previous ${result.limit}</a>` : "";
      const next = page.pageLink && last < result.total ? `<a href="${page.pageLink(last)}">next ${result.limit} ▶</a>` : "";
      const head = `<tr>${result.columns.map((c, i) => headerCell(c, result.dtypes[i] ?? "", result.sort, page.sortLink)).join("")}</tr>`;
      const rows = result.rows.map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(cellText(v))}</td>`).join("")}</tr>`).join("\n");
      body = `<p class="meta"><b data-shape="${result.shape.join(",")}">shape (${result.shape.join(", ")})</b>${result.dtype ? ` · dtype ${escapeHtml(result.dtype)}` : ""} · rows ${first + 1}–${last} of ${result.total}</p>
<p class="meta">${escapeHtml(statsLine(result.stats))}</p>
${columnStatsTable(result.columns, result.columnStats)}
<p class="nav">${prev} ${next}</p>
<table>${head}\n${rows}</table>`;
      break;
    }
    case "image":
      body = `<img alt="${escapeHtml(page.title)}" src="data:${result.mime};base64,${result.base64}">`;
      break;
    case "error":
      body = `<p class="error">${escapeHtml(result.message)}</p>`;
      break;
    case "json":
      body = `<pre>${escapeHtml(JSON.stringify(result.value, null, 2))}</pre>`;
      break;
    case "text":
    case "repr":
      body = `<pre>${escapeHtml(result.text)}</pre>${result.truncated ? `<p class="meta">(truncated)</p>` : ""}`;
      break;
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${escapeHtml(page.title)}</title>
<style nonce="${page.nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 8px 16px; }
h1 { font-size: 14px; margin: 4px 0; } .meta { opacity: .85; margin: 4px 0; } .error { color: var(--vscode-errorForeground); }
table { border-collapse: collapse; font-family: var(--vscode-editor-font-family); font-size: 12px; }
th, td { border: 1px solid var(--vscode-editorWidget-border, #8884); padding: 2px 8px; text-align: right; white-space: nowrap; }
th { background: var(--vscode-editorWidget-background); position: sticky; top: 0; } small { opacity: .7; font-weight: normal; }
table.stats { margin: 6px 0; } a.sort { color: inherit; margin: 0; text-decoration: none; } a.sort:hover { text-decoration: underline; }
a { color: var(--vscode-textLink-foreground); margin-right: 16px; } img { max-width: 100%; background: #fff; }
pre { font-family: var(--vscode-editor-font-family); white-space: pre-wrap; }
</style></head>
<body><h1>${escapeHtml(page.title)}</h1><p class="meta">${escapeHtml(page.where)}${result.type ? ` · ${escapeHtml(result.type)}` : ""}</p>
${body}
</body></html>`;
}

/**
 * The text "Compare with…" diffs for one value: JSON-native values as formatted JSON (a real text
 * diff), arrays and frames as a summary of shape, dtypes and statistics, anything else as its text.
 */
export function comparisonText(r: PreviewResult): string {
  switch (r.kind) {
    case "json":
      return `${JSON.stringify(r.value, null, 2)}\n`;
    case "table":
      return [`type: ${r.type ?? "?"}`, `shape: (${r.shape.join(", ")})`, `dtype: ${r.dtype ?? ""}`, `columns: ${r.columns.join(", ")}`, `dtypes: ${r.dtypes.join(", ")}`, ...(r.stats ? Object.entries(r.stats).map(([k, v]: [string, number | undefined]) => `${k}: ${fmt(v)}`) : []), ...Object.entries(r.columnStats ?? {}).map(([c, s]) => `${c}: ${statsLine(s)}`), ""].join("\n");
    case "image":
      return `image ${r.mime}, ${Math.round((r.base64.length * 3) / 4)} bytes\n`;
    case "error":
      return `cannot load: ${r.message}\n`;
    default:
      return `${r.text}\n`;
  }
}
