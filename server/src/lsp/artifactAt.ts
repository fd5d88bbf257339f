// `flowlens/artifactAt`: the IDE layer's hover facts of an artifact, converted for the editor's
// value lookup (client/src/hoverValues). Computes nothing of its own.
import { hoverFacts } from "../analysis/ide";
import type { ArtifactAtResult } from "../protocol/artifactAt";
import type { FeatureContext } from "./context";
import { toRange } from "./positions";

export function artifactAt(ctx: FeatureContext, offset: number): ArtifactAtResult | null {
  const facts = hoverFacts(ctx.result, ctx.text, offset);
  if (!facts || (facts.kind !== "artifact-write" && facts.kind !== "artifact-read")) return null;
  const step = facts.step;
  const flow = step ? ctx.result.flows.find((f) => f.steps.includes(step)) : undefined;
  if (!step || !flow) return null;
  const setBy = facts.kind === "artifact-write" ? [step.name] : [...new Set(facts.writes.map((w) => w.step.name))];
  return { flow: flow.name, name: facts.name, step: step.name, setBy, range: toRange(ctx.map, facts.span) };
}
