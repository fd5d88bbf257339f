// The pure part of card tables: the row order for a sort, and which rows a page shows. The DOM
// side (table.ts) draws one page at a time, so a table of 10,000 rows opens as fast as 100.

export type SortDirection = "asc" | "desc";

export interface TableView {
  /** The sorted column, or null for the card's own order. */
  column: number | null;
  direction: SortDirection;
  page: number;
}

export const pageSize = 100;

/** Numbers by value, then strings (natural order, "item 2" before "item 10"), then anything else as JSON text. */
export function compareCells(a: unknown, b: unknown): number {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  if (na !== undefined) return -1;
  if (nb !== undefined) return 1;
  return collator.compare(sortText(a), sortText(b));
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function numeric(x: unknown): number | undefined {
  if (typeof x === "number" && Number.isFinite(x)) return x;
  if (typeof x === "boolean") return x ? 1 : 0;
  if (typeof x === "string" && x.trim() !== "" && Number.isFinite(Number(x))) return Number(x);
  return undefined;
}

function sortText(x: unknown): string {
  if (typeof x === "string") return x;
  if (x === null || x === undefined) return "";
  if (typeof x === "object" && typeof (x as { text?: unknown }).text === "string") return (x as { text: string }).text;
  return JSON.stringify(x) ?? "";
}

/** Row indices in display order: stable, so equal cells keep the card's order. */
export function sortedOrder(rows: readonly unknown[][], column: number | null, direction: SortDirection): number[] {
  const order = rows.map((_, i) => i);
  if (column === null) return order;
  const sign = direction === "asc" ? 1 : -1;
  return order.sort((a, b) => sign * compareCells(rows[a]?.[column], rows[b]?.[column]) || a - b);
}

export function pageCount(rows: number): number {
  return Math.max(1, Math.ceil(rows / pageSize));
}

/** The view after a click on a column header: ascending, then descending, then the card's order. */
export function nextSort(view: TableView, column: number): TableView {
  if (view.column !== column) return { column, direction: "asc", page: 0 };
  if (view.direction === "asc") return { column, direction: "desc", page: 0 };
  return { column: null, direction: "asc", page: 0 };
}

export function clampPage(page: number, rows: number): number {
  return Math.min(Math.max(0, page), pageCount(rows) - 1);
}
