// Cycles in a flow graph. A switch case that points back at its own step is Metaflow's allowed
// loop and is not a cycle here.
import type { FlowGraph } from "./structure";

export interface Cycle {
  /** The edge that closes the cycle. */
  from: string;
  to: string;
  /** The steps of the cycle in order, starting and ending with `to`. */
  path: string[];
}

export function findCycles(g: FlowGraph): Cycle[] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const out: Cycle[] = [];
  const visit = (name: string) => {
    state.set(name, 1);
    stack.push(name);
    const node = g.steps.get(name);
    for (const n of node?.next ?? []) {
      if (!g.steps.has(n)) continue;
      if (n === name && node?.type === "split-switch") continue;
      const s = state.get(n);
      if (s === 1) {
        const at = stack.indexOf(n);
        out.push({ from: name, to: n, path: [...stack.slice(at), n] });
      } else if (s === undefined) {
        visit(n);
      }
    }
    stack.pop();
    state.set(name, 2);
  };
  if (g.start !== undefined && g.steps.has(g.start)) visit(g.start);
  for (const name of g.order) if (!state.has(name)) visit(name);
  return out;
}

/** Steps reachable from start, following `extra` edges (step -> targets) besides the graph's own. */
export function reachable(g: FlowGraph, extra?: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  if (g.start === undefined) return seen;
  const queue = [g.start];
  seen.add(g.start);
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i] as string;
    for (const n of [...(g.steps.get(from)?.next ?? []), ...(extra?.get(from) ?? [])]) {
      if (!seen.has(n) && g.steps.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}
