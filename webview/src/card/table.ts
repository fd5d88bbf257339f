// Card tables: sortable by a click on a column header, shown a page (100 rows) at a time so a
// table of 10,000 rows opens at once. Cells are plain values or components (rendered nested).
// Sort and page survive live updates of the card (kept in the card state by the table's key).
import type { ComponentData } from "../../../server/src/protocol/cards";
import type { RenderContext } from "./context";
import { displayText, el } from "./dom";
import { clampPage, nextSort, pageCount, pageSize, sortedOrder, type TableView } from "./tableModel";

export type CellRenderer = (cell: ComponentData, ctx: RenderContext) => HTMLElement;

export function renderTable(c: ComponentData, ctx: RenderContext, renderCell: CellRenderer): HTMLElement {
  const columns = Array.isArray(c.columns) ? c.columns.map((h) => displayText(h)) : [];
  const rows: unknown[][] = Array.isArray(c.data) ? (c.data as unknown[]).map((r) => (Array.isArray(r) ? (r as unknown[]) : [r])) : [];
  if (c.vertical === true) return verticalTable(columns, rows, ctx, renderCell);
  const box = el("div", { class: "table-box" });
  const draw = (): void => {
    const view = ctx.state.tables.get(ctx.key) ?? { column: null, direction: "asc", page: 0 };
    view.page = clampPage(view.page, rows.length);
    box.replaceChildren(...tableParts(columns, rows, view, ctx, renderCell, (next) => {
      ctx.state.tables.set(ctx.key, next);
      draw();
    }));
  };
  draw();
  return box;
}

function tableParts(columns: string[], rows: unknown[][], view: TableView, ctx: RenderContext, renderCell: CellRenderer, set: (v: TableView) => void): HTMLElement[] {
  const width = Math.max(columns.length, ...rows.slice(0, 1000).map((r) => r.length));
  const order = sortedOrder(rows, view.column, view.direction);
  const head = el("tr");
  for (let i = 0; i < width; i++) {
    const mark = view.column === i ? (view.direction === "asc" ? " ▲" : " ▼") : "";
    const th = el("th", { "aria-sort": view.column === i ? (view.direction === "asc" ? "ascending" : "descending") : "none" }, el("button", { type: "button", class: "sort", title: "Sort by this column" }, `${columns[i] ?? ""}${mark}`));
    th.querySelector("button")?.addEventListener("click", () => set(nextSort(view, i)));
    head.append(th);
  }
  const body = el("tbody");
  const from = view.page * pageSize;
  for (const index of order.slice(from, from + pageSize)) {
    const row = rows[index] ?? [];
    const tr = el("tr");
    for (let i = 0; i < width; i++) tr.append(el("td", {}, cellContent(row[i], { key: `${ctx.key}.r${index}.${i}`, state: ctx.state }, renderCell)));
    body.append(tr);
  }
  const parts: HTMLElement[] = [el("table", { class: "card-table" }, el("thead", {}, head), body)];
  if (rows.length > pageSize) parts.push(pager(view, rows.length, set));
  return parts;
}

function pager(view: TableView, total: number, set: (v: TableView) => void): HTMLElement {
  const pages = pageCount(total);
  const prev = el("button", { type: "button", class: "page-prev" }, "‹ Previous");
  const next = el("button", { type: "button", class: "page-next" }, "Next ›");
  prev.disabled = view.page === 0;
  next.disabled = view.page >= pages - 1;
  prev.addEventListener("click", () => set({ ...view, page: view.page - 1 }));
  next.addEventListener("click", () => set({ ...view, page: view.page + 1 }));
  const first = view.page * pageSize + 1;
  const last = Math.min(total, first + pageSize - 1);
  return el("div", { class: "pager" }, prev, el("span", { class: "page-info" }, `rows ${first}–${last} of ${total.toLocaleString("en-US")} (page ${view.page + 1} of ${pages})`), next);
}

function verticalTable(columns: string[], rows: unknown[][], ctx: RenderContext, renderCell: CellRenderer): HTMLElement {
  const body = el("tbody");
  columns.forEach((name, i) => {
    const tr = el("tr", {}, el("th", { scope: "row" }, name));
    rows.forEach((r, j) => tr.append(el("td", {}, cellContent(r[i], { key: `${ctx.key}.v${j}.${i}`, state: ctx.state }, renderCell))));
    body.append(tr);
  });
  return el("div", { class: "table-box" }, el("table", { class: "card-table vertical" }, body));
}

function cellContent(cell: unknown, ctx: RenderContext, renderCell: CellRenderer): Node {
  if (typeof cell === "object" && cell !== null && !Array.isArray(cell) && typeof (cell as { type?: unknown }).type === "string") return renderCell(cell as ComponentData, ctx);
  return document.createTextNode(cell === null ? "null" : displayText(cell));
}
