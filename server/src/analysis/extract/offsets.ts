// The one contract about where offsets live in extracted facts, shared by the code that moves a
// cached method (relocate) and the code that compares two extractions by everything but their
// offsets (signature.ts):
// - an offset is a `Span` (an object with exactly the numeric fields `start` and `end`), or one
//   of the numbers of an array listed in `offsetArrays`;
// - a key listed in `opaque` holds no offset (literal values, memos): it is copied by reference.
// A new fact with a Span anywhere inside it is therefore moved and compared without further
// code; only a new bare-number offset needs an entry in `offsetArrays`.
import type { Span } from "../model";

/** Arrays of bare offsets (every element is an offset). */
export const offsetArrays: ReadonlySet<string> = new Set(["writeEnds"]);

/** Keys whose values hold no offsets: a literal value (a Python dict literal may well have keys
 * "start" and "end"), and the offset-free memo of signature.ts. */
export const opaque: ReadonlySet<string> = new Set(["value", "signature"]);

export function isSpan(o: object): o is Span {
  const s = o as { start?: unknown; end?: unknown };
  if (typeof s.start !== "number" || typeof s.end !== "number") return false;
  let n = 0;
  for (const _ in o) if (++n > 2) return false;
  return true;
}

/** A copy of `value` with every offset moved by `d`. An array reached twice (a step's `writes`
 * is also its facts' `writes`) stays shared in the copy. This runs for every method below an
 * edit on every keystroke: the checks are inlined and only arrays are remembered. */
export function relocate<T>(value: T, d: number): T {
  if (d === 0) return value;
  return move(value, d, new Map()) as T;
}

function move(v: unknown, d: number, arrays: Map<unknown, unknown>): unknown {
  if (Array.isArray(v)) {
    if (v.length === 0) return v;
    const done = arrays.get(v);
    if (done !== undefined) return done;
    const a: unknown[] = v.slice();
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (typeof x === "object" && x !== null) a[i] = move(x, d, arrays);
    }
    arrays.set(v, a);
    return a;
  }
  const s = v as { start?: unknown; end?: unknown };
  if (typeof s.start === "number" && typeof s.end === "number" && isSpan(s)) return { start: s.start + d, end: s.end + d };
  // A spread, then assignments to keys the copy already has: V8 clones the shape in one step.
  const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const k in o) {
    const x = o[k];
    if (typeof x !== "object" || x === null || opaque.has(k)) continue;
    o[k] = offsetArrays.has(k) ? (x as number[]).map((e) => e + d) : move(x, d, arrays);
  }
  return o;
}
