// Position-free signatures of what the rules read. Two inputs with the same `key` differ only in
// their offsets (`pos`, in the same walk order), so the rules' findings for one are the findings
// for the other with every offset moved the same way (see ruleMemo.ts).
import type { ExtractedMethod } from "./extract/method";
import { isSpan, offsetArrays, opaque } from "./extract/offsets";

export interface Signature {
  key: string;
  pos: number[];
}

/** A method's signature with offsets relative to its `step.span.start`: shifting keeps it valid. */
export interface MethodSignature {
  key: string;
  rel: number[];
  /** The smallest and largest of `rel` (0 when empty): lets a caller check a range at once. */
  lo: number;
  hi: number;
}

/** Appends `value` to the key parts, and every offset in it (extract/offsets.ts says which values
 * are offsets) to `pos`. `literal`: inside a value that holds no offsets (all of it is key). */
export function walkValue(value: unknown, key: string[], pos: number[], base: number, literal = false): void {
  if (value === null || value === undefined || typeof value === "boolean") key.push(String(value));
  else if (typeof value === "number") key.push(`n${value}`);
  else if (typeof value === "string") key.push(JSON.stringify(value));
  else if (Array.isArray(value)) {
    key.push("[");
    for (const v of value) walkValue(v, key, pos, base, literal);
    key.push("]");
  } else if (value instanceof Map) {
    key.push("M");
    for (const [k, v] of value) {
      walkValue(k, key, pos, base, literal);
      walkValue(v, key, pos, base, literal);
    }
  } else if (value instanceof Set) {
    key.push("T");
    for (const v of value) walkValue(v, key, pos, base, literal);
  } else if (typeof value === "object") {
    if (!literal && isSpan(value)) {
      key.push("S");
      pos.push(value.start - base, value.end - base);
      return;
    }
    key.push("{");
    for (const [k, v] of Object.entries(value)) {
      key.push(k);
      if (!literal && offsetArrays.has(k) && Array.isArray(v)) {
        key.push(`W${v.length}`);
        for (const e of v as number[]) pos.push(e - base);
      } else walkValue(v, key, pos, base, literal || opaque.has(k));
    }
    key.push("}");
  } else key.push(typeof value);
}

/** The signature of a method, computed once per extraction and carried by its copies. */
export function methodSignature(m: ExtractedMethod): MethodSignature {
  if (m.signature) return m.signature;
  const key: string[] = [];
  const rel: number[] = [];
  // Inheritance is part of the class's signature, not the method's (copies share the memo).
  walkValue({ ...m, signature: undefined, step: { ...m.step, inheritedFrom: undefined } }, key, rel, m.step.span.start);
  let lo = rel.length > 0 ? Infinity : 0;
  let hi = rel.length > 0 ? -Infinity : 0;
  for (const r of rel) {
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  const sig = { key: key.join("\u0001"), rel, lo, hi };
  m.signature = sig;
  return sig;
}
