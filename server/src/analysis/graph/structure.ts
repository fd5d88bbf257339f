// The shape of a typed flow: incoming edges, which join closes which split (Metaflow's
// traversal), reconvergence of switches, and Metaflow's nested `graph_structure`.
import type { GraphStructure, StepModel } from "../model";
import { isEndStep, isSplit, isStartStep } from "./types";

export interface FlowGraph {
  steps: Map<string, StepModel>;
  order: string[];
  start?: string;
  end?: string;
  /** Step -> the steps with an edge into it (in source order, distinct). */
  incoming: Map<string, string[]>;
  /** Step -> the splits enclosing it on the first path found (Metaflow's split_parents). */
  splitParents: Map<string, string[]>;
  /** Step -> the first step of each enclosing split's branch it is on, on the first path found
   * (Metaflow's split_branches: a join compares its inputs' last entries with its split's branches). */
  splitBranches: Map<string, string[]>;
  /** Split step -> its matching join (splits) or reconvergence step (switches). */
  matching: Map<string, string>;
}

export function buildGraph(stepList: StepModel[]): FlowGraph {
  const steps = new Map<string, StepModel>();
  for (const s of stepList) if (!steps.has(s.name)) steps.set(s.name, s);
  const order = [...steps.keys()];
  const starts = stepList.filter(isStartStep);
  const ends = stepList.filter(isEndStep);
  // A step literally named start/end wins over an annotation (the annotation is then FL003).
  const start = (starts.find((s) => s.name === "start") ?? starts[0])?.name;
  const end = (ends.find((s) => s.name === "end") ?? ends[0])?.name;
  const incoming = new Map<string, string[]>(order.map((n) => [n, []]));
  for (const s of steps.values()) {
    for (const n of s.next) {
      const list = incoming.get(n);
      if (list && !list.includes(s.name)) list.push(s.name);
    }
  }
  const g: FlowGraph = { steps, order, incoming, splitParents: new Map(), splitBranches: new Map(), matching: new Map() };
  if (start !== undefined) g.start = start;
  if (end !== undefined) g.end = end;
  traverse(g);
  matchSwitches(g);
  return g;
}

/**
 * Metaflow's `_traverse_graph`: depth first from start, carrying the stack of open splits.
 * Metaflow walks every path; here each (step, open splits) pair is visited once, which gives the
 * same answer on well-formed graphs in linear time (Metaflow's walk is exponential in the number
 * of consecutive splits).
 */
function traverse(g: FlowGraph): void {
  if (g.start === undefined) return;
  const visited = new Set<string>();
  let budget = 50000;
  const visit = (name: string, parents: string[], branches: string[]) => {
    const key = `${name}|${parents.join(",")}|${branches.join(",")}`;
    if (visited.has(key) || --budget < 0 || parents.length > 64) return;
    visited.add(key);
    const node = g.steps.get(name);
    if (!node) return;
    let nextParents = parents;
    let nextBranches = branches;
    let opens = false;
    if (node.type === "join" && parents.length > 0) {
      if (!g.matching.has(parents[parents.length - 1] as string)) g.matching.set(parents[parents.length - 1] as string, name);
      record(g, name, parents, branches.slice(0, -1));
      nextParents = parents.slice(0, -1);
      nextBranches = branches.slice(0, -1);
    } else {
      record(g, name, parents, branches);
      if (isSplit(node.type)) {
        nextParents = [...parents, name];
        opens = true;
      }
    }
    for (const n of node.next) if (g.steps.has(n)) visit(n, nextParents, opens ? [...nextBranches, n] : nextBranches);
  };
  visit(g.start, [], []);
}

function record(g: FlowGraph, name: string, parents: string[], branches: string[]): void {
  if (g.splitParents.has(name)) return;
  g.splitParents.set(name, parents);
  g.splitBranches.set(name, branches);
}

/** Steps reachable from `from` (including it), with their BFS distance, not passing `avoid`. */
export function distances(g: FlowGraph, from: string, avoid?: string): Map<string, number> {
  const dist = new Map<string, number>([[from, 0]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const cur = queue[i] as string;
    const d = dist.get(cur) ?? 0;
    for (const n of g.steps.get(cur)?.next ?? []) {
      if (n === avoid || dist.has(n) || !g.steps.has(n)) continue;
      dist.set(n, d + 1);
      queue.push(n);
    }
  }
  return dist;
}

/** A switch's branches reconverge at the nearest step every branch reaches (loops back excluded). */
function matchSwitches(g: FlowGraph): void {
  for (const s of g.steps.values()) {
    if (s.type !== "split-switch") continue;
    const branches = s.next.filter((n) => n !== s.name && g.steps.has(n));
    if (branches.length === 0) continue;
    const maps = branches.map((b) => distances(g, b, s.name));
    let best: string | undefined;
    let bestScore = Infinity;
    for (const [name, d0] of maps[0] ?? new Map<string, number>()) {
      let score = d0;
      let ok = true;
      for (const m of maps.slice(1)) {
        const d = m.get(name);
        if (d === undefined) {
          ok = false;
          break;
        }
        score = Math.max(score, d);
      }
      if (ok && score < bestScore) {
        best = name;
        bestScore = score;
      }
    }
    if (best !== undefined) g.matching.set(s.name, best);
  }
}

/** Metaflow's `graph_structure`: steps in order, each split followed by a list of its branches. */
export function graphStructure(g: FlowGraph): GraphStructure {
  const placed = new Set<string>();
  const block = (from: string, until: string | undefined, depth: number): GraphStructure => {
    const out: GraphStructure = [];
    let cur: string | undefined = from;
    while (cur !== undefined && cur !== until && !placed.has(cur) && depth < 50) {
      const node = g.steps.get(cur);
      if (!node) break;
      placed.add(cur);
      out.push(cur);
      if (node.type === "end") break;
      if (node.next.length > 1 || isSplit(node.type) || node.type === "split-switch") {
        const join = g.matching.get(cur);
        const self = cur;
        const branches = node.next.filter((n) => n !== self).map((n) => block(n, join, depth + 1));
        // A switch whose only other case goes straight on (a loop) has no branch to draw.
        if (branches.some((b) => b.length > 0)) out.push(branches);
        cur = join;
      } else {
        cur = node.next[0];
      }
    }
    return out;
  };
  if (g.start === undefined) return [];
  const out = block(g.start, g.end, 0);
  if (g.end !== undefined && !placed.has(g.end)) out.push(g.end);
  return out;
}
