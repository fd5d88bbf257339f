// Moves a cached method's spans by a number of characters: a method whose text did not change
// but whose position did (an edit above it) is reused instead of re-walked.
import type { ArtifactAccess, DecoratorModel, Span, StepModel } from "../model";
import type { ExtractedMethod } from "./method";
import type { ExtractedTransition } from "./transition";

const sh = (s: Span, d: number): Span => ({ start: s.start + d, end: s.end + d });
const access = (a: ArtifactAccess, d: number): ArtifactAccess => ({ ...a, span: sh(a.span, d) });
const decorator = (x: DecoratorModel, d: number): DecoratorModel => ({
  ...x,
  span: sh(x.span, d),
  nameSpan: sh(x.nameSpan, d),
  args: x.args.map((a) => ({ ...a, span: sh(a.span, d), valueSpan: sh(a.valueSpan, d) })),
});

function transition(t: ExtractedTransition, d: number): ExtractedTransition {
  const out: ExtractedTransition = {
    ...t,
    span: sh(t.span, d),
    statementSpan: sh(t.statementSpan, d),
    targets: t.targets.map((x) => {
      const y = { ...x, span: sh(x.span, d), nameSpan: sh(x.nameSpan, d) };
      if (x.caseKeySpan) y.caseKeySpan = sh(x.caseKeySpan, d);
      return y;
    }),
    keywords: t.keywords.map((k) => ({ ...k, span: sh(k.span, d), valueSpan: sh(k.valueSpan, d) })),
    badTargets: t.badTargets.map((b) => ({ ...b, span: sh(b.span, d) })),
  };
  if (t.foreach) out.foreach = { ...t.foreach, span: sh(t.foreach.span, d) };
  if (t.condition) out.condition = { ...t.condition, span: sh(t.condition.span, d) };
  if (t.numParallel) out.numParallel = { ...t.numParallel, span: sh(t.numParallel.span, d) };
  return out;
}

export function shiftMethod(m: ExtractedMethod, d: number): ExtractedMethod {
  if (d === 0) return m;
  const s = m.step;
  const writes = s.writes.map((a) => access(a, d));
  const reads = s.reads.map((a) => access(a, d));
  const mergeArtifacts = s.mergeArtifacts.map((x) => ({ ...x, span: sh(x.span, d) }));
  const tr = m.transition ? transition(m.transition, d) : undefined;
  const step: StepModel = {
    ...s,
    span: sh(s.span, d),
    defSpan: sh(s.defSpan, d),
    nameSpan: sh(s.nameSpan, d),
    bodySpan: sh(s.bodySpan, d),
    args: s.args.map((a) => ({ ...a, span: sh(a.span, d) })),
    decorators: s.decorators.map((x) => decorator(x, d)),
    strayTransitions: s.strayTransitions.map((x) => sh(x, d)),
    writes,
    reads,
    mergeArtifacts,
  };
  if (tr) step.transition = tr;
  return {
    ...m,
    step,
    transition: tr,
    facts: {
      ...m.facts,
      writes,
      reads,
      mergeArtifacts,
      writeEnds: m.facts.writeEnds.map((e) => e + d),
      nextCalls: m.facts.nextCalls.map((x) => sh(x, d)),
    },
  };
}
