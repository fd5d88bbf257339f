// Walks over a flow model's steps that several IDE queries share: who comes before a step, and
// the steps defined in the analysed file.
import type { FlowModel, Span, StepModel } from "../model";

/** Whether an offset lies in a span; the end is included so that a cursor just after a name still hits it. */
export function spanContains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

/** Own steps only: inherited ones carry spans into their own file. */
export function ownSteps(flow: FlowModel): StepModel[] {
  return flow.steps.filter((s) => s.inheritedFrom === undefined);
}

export function stepByName(flow: FlowModel, name: string): StepModel | undefined {
  return flow.steps.find((s) => s.name === name);
}

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

/** Whether the step takes an `inputs` argument (a join). */
export function isJoin(step: StepModel): boolean {
  return step.type === "join" || step.args.length >= 2;
}

/** The step the cursor is in: the last step starting before it (the body may still be half typed). */
export function enclosingStep(flow: FlowModel, offset: number): StepModel | undefined {
  let found: StepModel | undefined;
  for (const s of ownSteps(flow)) if (s.span.start <= offset && (!found || s.span.start > found.span.start)) found = s;
  return found;
}
