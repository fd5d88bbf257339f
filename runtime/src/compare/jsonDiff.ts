// The differences inside two JSON-like values, as a list of paths (`a.b[2]`): what changed, what
// one side lacks. Pure. A long list is cut at `limit` changes, the last entry saying how many more.

import type { JsonChange } from "../../../server/src/protocol/runComparison";

export function jsonDiff(a: unknown, b: unknown, limit = 50): JsonChange[] {
  const out: JsonChange[] = [];
  let more = 0;
  const push = (change: JsonChange): void => {
    if (out.length < limit) out.push(change);
    else more += 1;
  };
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (Array.isArray(x) && Array.isArray(y)) {
      for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const p = `${path}[${i}]`;
        if (i >= x.length) push({ path: p, kind: "added", b: y[i] });
        else if (i >= y.length) push({ path: p, kind: "removed", a: x[i] });
        else walk(x[i], y[i], p);
      }
      return;
    }
    if (isPlainObject(x) && isPlainObject(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
      for (const key of keys) {
        const p = path === "" ? key : `${path}.${key}`;
        if (!(key in y)) push({ path: p, kind: "removed", a: x[key] });
        else if (!(key in x)) push({ path: p, kind: "added", b: y[key] });
        else walk(x[key], y[key], p);
      }
      return;
    }
    if (!sameScalar(x, y)) push({ path: path === "" ? "(value)" : path, kind: "changed", a: x, b: y });
  };
  walk(a, b, "");
  if (more > 0) out.push({ path: `(${more} more changes)`, kind: "changed" });
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function sameScalar(x: unknown, y: unknown): boolean {
  if (typeof x === "object" || typeof y === "object") return JSON.stringify(x) === JSON.stringify(y);
  return Object.is(x, y) || x === y;
}

/** The value diff worth showing: only when one side is a list or an object (a scalar's change is the line itself). */
export function valueDiffOf(a: unknown, b: unknown): JsonChange[] | undefined {
  return typeof a === "object" && a !== null ? jsonDiff(a, b) : typeof b === "object" && b !== null ? jsonDiff(a, b) : undefined;
}
