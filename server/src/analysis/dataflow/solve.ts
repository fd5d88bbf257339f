// The fixed point of the artifact data flow: for each step, what is set on every path into it
// (a forward "must" analysis), the union over its incoming edges, what merge_artifacts copies
// into a join, and what the step ends with. Names only, no offsets: the result describes the
// flow's shape, and the offset-level questions are answered in engine.ts.
//
// A step sees the intersection, over its incoming edges, of what its predecessors end with; a
// join sees nothing on self (as in Metaflow, where a join task starts empty apart from
// parameters) until merge_artifacts copies the union of its branches' artifacts. Loops (switch
// self-edges) are handled by iterating to a fixed point from an optimistic start.
import type { FlowGraph } from "../graph/structure";
import type { StepModel } from "../model";
import { Bits, W } from "./bits";

export interface NameSet {
  has(name: string): boolean;
}

export interface Sets {
  get(step: string): NameSet | undefined;
}

export interface Solution {
  /** Set on every path into the step. */
  inSet: Sets;
  /** Set on some path into the step (the union over its incoming edges). */
  branchUnion: Sets;
  /** What the join's merge_artifacts calls copy from its branches. */
  merged: Sets;
  /** What the step ends with. */
  out: Sets;
  /** Every artifact name some step sets. */
  names: readonly string[];
}

/** Reverse post-order from start: predecessors come first, so one pass settles acyclic flows. */
function forwardOrder(g: FlowGraph, live: Set<string>): string[] {
  const seen = new Set<string>();
  const post: string[] = [];
  const stack: { name: string; i: number }[] = [];
  if (g.start !== undefined) {
    stack.push({ name: g.start, i: 0 });
    seen.add(g.start);
  }
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { name: string; i: number };
    const next = g.steps.get(top.name)?.next ?? [];
    if (top.i < next.length) {
      const n = next[top.i++] as string;
      if (!seen.has(n) && g.steps.has(n)) {
        seen.add(n);
        stack.push({ name: n, i: 0 });
      }
    } else {
      post.push(top.name);
      stack.pop();
    }
  }
  return post.reverse().filter((n) => live.has(n));
}

/** What the join's merge_artifacts calls copy out of `union` (include/exclude applied). */
function mergedInto(step: StepModel, union: Bits, ids: Map<string, number>, words: number): Bits {
  const m = Bits.empty(words);
  for (const call of step.mergeArtifacts) {
    const add = union.copy();
    if (call.include) {
      const inc = Bits.empty(words);
      for (const x of call.include) {
        const i = ids.get(x);
        if (i !== undefined) inc.set(i);
      }
      add.and(inc);
    }
    for (const x of call.exclude ?? []) {
      const i = ids.get(x);
      if (i !== undefined) add.clear(i);
    }
    m.or(add);
  }
  return m;
}

/** A membership view over bit sets, without building a Set per step. */
function view(m: Map<string, Bits>, ids: Map<string, number>): Sets {
  return {
    get(k: string) {
      const b = m.get(k);
      if (!b) return undefined;
      return {
        has(x: string) {
          const i = ids.get(x);
          return i !== undefined && b.has(i);
        },
      };
    },
  };
}

/**
 * Solves the data flow. `writes` is what each step sets itself (with its helpers and @catch
 * var); after a step in `opaque` (a user step decorator) any artifact may be there.
 */
export function solve(g: FlowGraph, live: Set<string>, writes: Map<string, Set<string>>, opaque: Set<string>): Solution {
  const ids = new Map<string, number>();
  const names: string[] = [];
  for (const set of writes.values()) {
    for (const x of set) {
      if (ids.has(x)) continue;
      ids.set(x, names.length);
      names.push(x);
    }
  }
  const words = Math.max(1, Math.ceil(names.length / W));
  const writeBits = new Map<string, Bits>();
  for (const [name, set] of writes) {
    const b = Bits.empty(words);
    for (const x of set) b.set(ids.get(x) as number);
    writeBits.set(name, b);
  }
  const out = new Map<string, Bits>();
  for (const n of g.order) out.set(n, Bits.full(words));
  const inBits = new Map<string, Bits>();
  const unionBits = new Map<string, Bits>();
  const mergedBits = new Map<string, Bits>();
  const order = forwardOrder(g, live);
  for (let iter = 0, changed = true; changed && iter < 100; iter++) {
    changed = false;
    for (const name of order) {
      const step = g.steps.get(name);
      if (!step) continue;
      const preds = name === g.start ? [] : (g.incoming.get(name) ?? []).filter((p) => live.has(p));
      let inter: Bits | undefined;
      const union = Bits.empty(words);
      for (const p of preds) {
        const o = out.get(p) ?? Bits.empty(words);
        union.or(o);
        if (inter) inter.and(o);
        else inter = o.copy();
      }
      const available = inter ?? Bits.empty(words);
      inBits.set(name, available);
      unionBits.set(name, union);
      const result = (writeBits.get(name) ?? Bits.empty(words)).copy();
      if (step.type === "join") {
        const m = mergedInto(step, union, ids, words);
        mergedBits.set(name, m);
        result.or(m);
      } else {
        result.or(available);
      }
      // What a user decorator sets is unknown: after such a step, any artifact may be there.
      if (opaque.has(name)) result.or(Bits.full(words));
      const prev = out.get(name);
      if (!prev || !prev.equals(result)) {
        out.set(name, result);
        changed = true;
      }
    }
  }
  return { inSet: view(inBits, ids), branchUnion: view(unionBits, ids), merged: view(mergedBits, ids), out: view(out, ids), names };
}
