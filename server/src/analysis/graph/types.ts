// Node types and edges of a flow's steps, as Metaflow's graph parser assigns them.
import type { ExtractedMethod } from "../extract/method";
import type { NodeType, StepModel } from "../model";

export function isStartStep(s: StepModel): boolean {
  return s.name === "start" || s.startAnnotated;
}

export function isEndStep(s: StepModel): boolean {
  return s.name === "end" || s.endAnnotated;
}

/** Fills type, next, foreach artifact, condition and switch cases of a (copied) step. */
export function typeStep(m: ExtractedMethod): StepModel {
  const src = m.step;
  // Extraction never sets the typed fields, so a shallow copy starts without them.
  const step: StepModel = { ...src, next: [] };
  const t = m.transition;
  const join = src.args.length >= 2;
  let type: NodeType = join ? "join" : "linear";
  if (t && t.shape !== "invalid") {
    if (t.shape === "switch") {
      const cases: Record<string, string> = {};
      for (const target of t.targets) {
        if (target.caseKey !== undefined) cases[String(target.caseKey)] = target.name;
        if (!step.next.includes(target.name)) step.next.push(target.name);
      }
      step.switchCases = cases;
      if (t.condition) step.condition = t.condition.artifact;
      type = "split-switch";
    } else {
      step.next = t.targets.map((x) => x.name);
      if (t.shape === "split") type = "split-static";
      else if (t.shape === "foreach") {
        type = "split-foreach";
        if (t.foreach) step.foreachArtifact = t.foreach.artifact;
      } else if (t.shape === "parallel") type = "split-parallel";
    }
  } else if (t) {
    // An invalid shape still shows its edges, so the graph panel can draw what was meant.
    const seen = new Set<string>();
    for (const target of t.targets) {
      if (seen.has(target.name)) continue;
      seen.add(target.name);
      step.next.push(target.name);
    }
  }
  if (type === "linear" || type === "join") {
    if (isStartStep(src)) type = "start";
  }
  if (isEndStep(src)) type = "end";
  step.type = type;
  return step;
}

export function isSplit(type: NodeType): boolean {
  return type === "split-static" || type === "split-foreach" || type === "split-parallel";
}
