// Pure helpers over the flow model's graph that several features share: who comes before a step,
// and which assignments of an artifact can reach a read. The core reports findings about the
// data flow but does not expose these walks, so they live here, over the model only.
import type { ArtifactAccess, FlowModel, StepModel } from "../analysis/model";

/** Step name -> names of the steps with an edge into it. */
export function predecessors(flow: FlowModel): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const s of flow.steps) map.set(s.name, map.get(s.name) ?? []);
  for (const s of flow.steps) {
    for (const n of s.next) {
      const list = map.get(n) ?? [];
      if (!list.includes(s.name)) list.push(s.name);
      map.set(n, list);
    }
  }
  return map;
}

export function stepByName(flow: FlowModel, name: string): StepModel | undefined {
  return flow.steps.find((s) => s.name === name);
}

/** Every step from which `step` can be reached (not including `step` unless it is on a cycle). */
export function ancestors(flow: FlowModel, step: string): Set<string> {
  const preds = predecessors(flow);
  const seen = new Set<string>();
  const queue = [...(preds.get(step) ?? [])];
  while (queue.length > 0) {
    const s = queue.pop();
    if (s === undefined || seen.has(s)) continue;
    seen.add(s);
    queue.push(...(preds.get(s) ?? []));
  }
  return seen;
}

export interface ReachingWrite {
  step: StepModel;
  write: ArtifactAccess;
}

/**
 * The assignments of `name` that can reach a read in `step` at `offset`: a write earlier in the
 * same step wins; otherwise walk back along the edges and stop each path at the first step that
 * sets the artifact. With `fromStep` (for `inputs.a.x`) the walk starts at that step itself.
 */
export function reachingWrites(flow: FlowModel, step: StepModel, name: string, offset: number, fromStep?: string): ReachingWrite[] {
  if (fromStep === undefined) {
    const local = step.writes.filter((w) => w.name === name && w.span.end <= offset);
    if (local.length > 0) return local.map((write) => ({ step, write }));
  }
  const preds = predecessors(flow);
  const out: ReachingWrite[] = [];
  const seen = new Set<string>();
  const queue = fromStep !== undefined ? [fromStep] : [...(preds.get(step.name) ?? [])];
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
    queue.push(...(preds.get(current) ?? []));
  }
  return out;
}

/** Artifact names a step can read: set in the step itself or in any ancestor. */
export function visibleArtifacts(flow: FlowModel, step: StepModel): Map<string, StepModel> {
  const out = new Map<string, StepModel>();
  for (const w of step.writes) out.set(w.name, step);
  for (const a of ancestors(flow, step.name)) {
    const s = stepByName(flow, a);
    if (!s) continue;
    for (const w of s.writes) if (!out.has(w.name)) out.set(w.name, s);
  }
  return out;
}

/** Artifacts visible in the branch that comes from `fromStep`, including what it sets itself. */
export function artifactsFromStep(flow: FlowModel, fromStep: string): Map<string, StepModel> {
  const s = stepByName(flow, fromStep);
  if (!s) return new Map();
  return visibleArtifacts(flow, s);
}

/** Whether the step takes an `inputs` argument (a join). */
export function isJoin(step: StepModel): boolean {
  return step.type === "join" || step.args.length >= 2;
}
