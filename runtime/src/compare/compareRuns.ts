// Two run snapshots -> their comparison. Pure: same or changed is the artifacts' hashes alone;
// a value diff is made only from JSON values the runs stored (or the caller loaded).

import type { ArtifactDiff, ArtifactSide, CodeComparison, RunComparison, StepComparison } from "../../../server/src/protocol/runComparison";
import { valueDiffOf } from "./jsonDiff";
import { isInternal, type RunSnapshot, type StepSnapshot, type TaskSnapshot } from "./readRun";

export function compareRuns(a: RunSnapshot, b: RunSnapshot, code: CodeComparison): RunComparison {
  // Every task carries the parameters: they are compared once, in their own section.
  const shown = (name: string): boolean => !isInternal(name) && !a.parameters.has(name) && !b.parameters.has(name);
  return {
    flow: a.side.flow,
    a: a.side,
    b: b.side,
    parameters: diffMaps(a.parameters, b.parameters).map((d) => ({ ...d, kind: parameterKind(d.name, a, b) })),
    steps: stepOrder(a.steps, b.steps).map((name) => compareStep(name, a.steps.find((s) => s.name === name), b.steps.find((s) => s.name === name), shown)),
    tags: compareTags(a.side.tags, b.side.tags),
    code,
    valuesLoaded: false,
    problems: [...a.problems, ...b.problems],
  };
}

function parameterKind(name: string, a: RunSnapshot, b: RunSnapshot): RunComparison["parameters"][number]["kind"] {
  if (a.parameterNames?.has(name) || b.parameterNames?.has(name)) return "parameter";
  return a.parameterNames || b.parameterNames ? "config or constant" : "parameter or config";
}

/** A's steps in A's order, then B's steps A lacks, each after the step it follows in B. */
function stepOrder(a: StepSnapshot[], b: StepSnapshot[]): string[] {
  const order = a.map((s) => s.name);
  let after = -1;
  for (const s of b) {
    const at = order.indexOf(s.name);
    if (at >= 0) after = at;
    else order.splice(++after, 0, s.name);
  }
  return order;
}

function compareStep(name: string, a: StepSnapshot | undefined, b: StepSnapshot | undefined, shown: (name: string) => boolean): StepComparison {
  const status = a && b ? "both" : a ? "only-a" : "only-b";
  const seconds: StepComparison["seconds"] = {};
  const sa = wallTime(a);
  const sb = wallTime(b);
  if (sa !== undefined) seconds.a = sa;
  if (sb !== undefined) seconds.b = sb;
  const ta = a?.tasks ?? [];
  const tb = b?.tasks ?? [];
  const names = [...new Set([...ta, ...tb].flatMap((t) => [...t.artifacts.keys()]))].filter(shown).sort();
  const pairs = pairTasks(ta, tb);
  const artifacts = names.map((name): ArtifactDiff => {
    const firstA = ta.find((t) => t.artifacts.has(name))?.artifacts.get(name);
    const firstB = tb.find((t) => t.artifacts.has(name))?.artifacts.get(name);
    if (pairs.length <= 1) return diffOne(name, firstA, firstB);
    // The values shown are one pair's: the first that changed, else the first that has it on both sides.
    let changed = 0;
    let sample: [ArtifactSide, ArtifactSide] | undefined;
    let unchanged: [ArtifactSide, ArtifactSide] | undefined;
    for (const [x, y] of pairs) {
      const sa = x?.artifacts.get(name);
      const sb = y?.artifacts.get(name);
      if (sa?.sha !== sb?.sha) changed += 1;
      if (!sa || !sb) continue;
      if (sa.sha !== sb.sha) sample ??= [sa, sb];
      else unchanged ??= [sa, sb];
    }
    const shown = sample ?? unchanged;
    const one = shown ? diffOne(name, ...shown) : diffOne(name, firstA, firstB);
    if (one.status === "same" && changed > 0) one.status = "changed";
    return { ...one, tasks: { changed, total: pairs.length } };
  });
  return { step: name, status, tasks: { a: ta.length, b: tb.length }, seconds, artifacts };
}

/**
 * The tasks of one step in two runs, paired: by their place in the foreach splits when both runs
 * say it for every task (task ids follow the order tasks were created, which for a step after a
 * foreach is the order its parents finished), else by their order in the step.
 */
export function pairTasks(a: TaskSnapshot[], b: TaskSnapshot[]): [TaskSnapshot | undefined, TaskSnapshot | undefined][] {
  const known = (ts: TaskSnapshot[]): boolean => ts.every((t) => t.foreach !== undefined) && new Set(ts.map((t) => t.foreach)).size === ts.length;
  if (!known(a) || !known(b)) return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [a[i], b[i]]);
  const byA = new Map(a.map((t) => [t.foreach, t]));
  const byB = new Map(b.map((t) => [t.foreach, t]));
  const places = [...new Set([...byA.keys(), ...byB.keys()])];
  return places.map((p) => [byA.get(p), byB.get(p)]);
}

function wallTime(step: StepSnapshot | undefined): number | undefined {
  const starts = (step?.tasks ?? []).map((t) => t.start).filter((n): n is number => n !== undefined);
  const ends = (step?.tasks ?? []).map((t) => t.end).filter((n): n is number => n !== undefined);
  if (starts.length === 0 || ends.length === 0) return undefined;
  return Math.max(0, Math.max(...ends) - Math.min(...starts));
}

function diffMaps(a: Map<string, ArtifactSide>, b: Map<string, ArtifactSide>): ArtifactDiff[] {
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names.map((name) => diffOne(name, a.get(name), b.get(name)));
}

export function diffOne(name: string, a: ArtifactSide | undefined, b: ArtifactSide | undefined): ArtifactDiff {
  const status = a && b ? (a.sha === b.sha ? "same" : "changed") : a ? "only-a" : "only-b";
  const out: ArtifactDiff = { name, status };
  if (a) out.a = a;
  if (b) out.b = b;
  const valueDiff = status === "changed" && a && b && "json" in a && "json" in b ? valueDiffOf(a.json, b.json) : undefined;
  if (valueDiff) out.valueDiff = valueDiff;
  return out;
}

function compareTags(a: string[], b: string[]): RunComparison["tags"] {
  const sa = new Set(a);
  const sb = new Set(b);
  return { both: a.filter((t) => sb.has(t)), onlyA: a.filter((t) => !sb.has(t)), onlyB: b.filter((t) => !sa.has(t)) };
}
