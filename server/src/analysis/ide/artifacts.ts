// Which artifacts a point of a step sees, and which assignments reach a read: asked of the same
// data-flow engine as FL201–FL203 (dataflow/engine.ts), so that completion offers and
// go-to-definition jumps exactly where the checks agree an artifact reaches.
//
// When the engine cannot tell (a base Flowlens cannot read, a flow decorator that may change
// anything, no start step) or the model did not come from the pipeline, nothing is reported
// about artifacts, and these queries fall back to every artifact set upstream ("may" reach).
// A syntax error does not: while `self.` is being typed the class does not parse, and the
// answer must be the one FL201–FL203 will give once the line is complete.
import { dataFlowOf, type DataFlow, type ReadVerdict } from "../dataflow/engine";
import type { ArtifactAccess, FlowModel, StepModel } from "../model";
import { ancestors, predecessors, stepByName } from "./walks";

export interface ReachingWrite {
  step: StepModel;
  write: ArtifactAccess;
}

/** Verdicts under which a read draws no finding. */
const quiet = new Set<ReadVerdict["kind"]>(["local", "merged", "available", "exempt"]);

/** The engine's verdict on a read of self.<name> at `at` in `step`, when the engine can tell. */
export function readVerdict(flow: FlowModel, step: StepModel, name: string, at: number): ReadVerdict | undefined {
  const engine = dataFlowOf(flow);
  return engine?.knows ? engine.readAt(step.name, name, at) : undefined;
}

/** Walks back along the edges from `start`, stopping each path at the first step that sets
 * `name`; with an engine, a join lets the name through only when its merge_artifacts copies it. */
function walkBack(flow: FlowModel, start: string[], name: string, engine: DataFlow | undefined): ReachingWrite[] {
  const preds = predecessors(flow);
  const out: ReachingWrite[] = [];
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const current = queue.pop();
    if (current === undefined || seen.has(current)) continue;
    seen.add(current);
    const s = stepByName(flow, current);
    if (!s) continue;
    const writes = s.writes.filter((w) => w.name === name);
    if (writes.length > 0) {
      for (const write of writes) out.push({ step: s, write });
      continue;
    }
    // Set by a helper the step calls (no assignment in the step to point at), or held back by a join.
    if (engine && (engine.setsIn(current).has(name) || (s.type === "join" && !engine.mergesIn(current, name)))) continue;
    queue.push(...(preds.get(current) ?? []));
  }
  return out;
}

/**
 * The assignments of `name` that reach a read in `step` at `at`: a write earlier in the same step
 * wins; otherwise the walk back along the edges. With `fromStep` (for `inputs.a.x`) the walk
 * starts at that step itself; `via` other than "self" in a join reads the branches directly.
 * A read the engine reports as FL203 has no reaching write; a read it accepts but no write
 * reaches (a guarded name, a flow the engine cannot follow) gets every write upstream.
 */
export function reachingWrites(flow: FlowModel, step: StepModel, name: string, at: number, fromStep?: string, via: ArtifactAccess["via"] = "self"): ReachingWrite[] {
  const engine = dataFlowOf(flow);
  const known = engine?.knows === true ? engine : undefined;
  if (fromStep !== undefined) return walkBack(flow, [fromStep], name, known);
  const local = step.writes.filter((w) => w.name === name && w.span.end <= at && (known ? known.setBefore(step.name, name, at) : true));
  if (local.length > 0) return local.map((write) => ({ step, write }));
  const preds = predecessors(flow).get(step.name) ?? [];
  if (!known || via !== "self") return walkBack(flow, preds, name, known);
  const verdict = known.readAt(step.name, name, at);
  if (!quiet.has(verdict.kind)) return verdict.kind === "some-paths" ? walkBack(flow, preds, name, known) : [];
  const found = walkBack(flow, preds, name, known);
  return found.length > 0 ? found : walkBack(flow, preds, name, undefined);
}

/** Artifact name -> the nearest step before `step` (or `step` itself) whose code assigns it. */
function nearestSetters(flow: FlowModel, step: StepModel, includeSelf: boolean): Map<string, StepModel> {
  const out = new Map<string, StepModel>();
  if (includeSelf) for (const w of step.writes) out.set(w.name, step);
  for (const a of ancestors(flow, step.name)) {
    const s = stepByName(flow, a);
    if (!s) continue;
    for (const w of s.writes) if (!out.has(w.name)) out.set(w.name, s);
  }
  return out;
}

export interface AvailableArtifact {
  name: string;
  /** A step that sets it (undefined when only a helper method or a decorator does). */
  from?: StepModel;
}

function listed(names: Iterable<string>, setters: Map<string, StepModel>): AvailableArtifact[] {
  return [...names].map((name) => {
    const from = setters.get(name);
    return from ? { name, from } : { name };
  });
}

/** The artifacts a read on self at `at` in `step` sees without a finding. */
export function availableArtifacts(flow: FlowModel, step: StepModel, at: number): AvailableArtifact[] {
  const engine = dataFlowOf(flow);
  const setters = nearestSetters(flow, step, true);
  if (!engine?.knows) return listed(setters.keys(), setters);
  return listed(engine.names.filter((n) => quiet.has(engine.readAt(step.name, n, at).kind)), setters);
}

/** The artifacts `foreach=`/`condition=` in the step's transition may name without FL202. */
export function transitionArtifacts(flow: FlowModel, step: StepModel): AvailableArtifact[] {
  const engine = dataFlowOf(flow);
  const setters = nearestSetters(flow, step, true);
  if (!engine?.knows) return listed(setters.keys(), setters);
  return listed(engine.names.filter((n) => engine.transitionSees(step.name, n)), setters);
}

/** The artifacts the branch from step `from` carries into a join (`inputs.<from>.x`). */
export function branchArtifacts(flow: FlowModel, from: string): AvailableArtifact[] {
  const s = stepByName(flow, from);
  if (!s) return [];
  const engine = dataFlowOf(flow);
  const setters = nearestSetters(flow, s, true);
  if (!engine?.knows) return listed(setters.keys(), setters);
  return listed(engine.names.filter((n) => engine.endsWith(from, n)), setters);
}
