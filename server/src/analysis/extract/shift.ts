// Moves a cached method's spans by a number of characters: a method whose text did not change
// but whose position did (an edit above it) is reused instead of re-walked.
//
// Every copy is a plain clone (`{ ...x }`) followed by assignments to keys it already has: V8
// clones the object's shape in one step that way, while a spread followed by overriding
// properties in one literal is several times slower (this runs for every method below an edit,
// on every keystroke). Key order and presence stay those of the original.
import type { ArtifactAccess, DecoratorModel, Span, StepModel } from "../model";
import type { ExtractedMethod } from "./method";
import type { ExtractedTransition } from "./transition";

const sh = (s: Span, d: number): Span => ({ start: s.start + d, end: s.end + d });

function access(a: ArtifactAccess, d: number): ArtifactAccess {
  const o = { ...a };
  o.span = sh(a.span, d);
  return o;
}

function decorator(x: DecoratorModel, d: number): DecoratorModel {
  const o = { ...x };
  o.span = sh(x.span, d);
  o.nameSpan = sh(x.nameSpan, d);
  o.args = x.args.map((a) => {
    const b = { ...a };
    b.span = sh(a.span, d);
    b.valueSpan = sh(a.valueSpan, d);
    return b;
  });
  return o;
}

function transition(t: ExtractedTransition, d: number): ExtractedTransition {
  const out = { ...t };
  out.span = sh(t.span, d);
  out.statementSpan = sh(t.statementSpan, d);
  out.targets = t.targets.map((x) => {
    const y = { ...x };
    y.span = sh(x.span, d);
    y.nameSpan = sh(x.nameSpan, d);
    if (x.caseKeySpan) y.caseKeySpan = sh(x.caseKeySpan, d);
    return y;
  });
  out.keywords = t.keywords.map((k) => {
    const y = { ...k };
    y.span = sh(k.span, d);
    y.valueSpan = sh(k.valueSpan, d);
    return y;
  });
  out.badTargets = t.badTargets.map((b) => {
    const y = { ...b };
    y.span = sh(b.span, d);
    return y;
  });
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
  const mergeArtifacts = s.mergeArtifacts.map((x) => {
    const y = { ...x };
    y.span = sh(x.span, d);
    return y;
  });
  const tr = m.transition ? transition(m.transition, d) : undefined;
  const step: StepModel = { ...s };
  step.span = sh(s.span, d);
  step.defSpan = sh(s.defSpan, d);
  step.nameSpan = sh(s.nameSpan, d);
  step.bodySpan = sh(s.bodySpan, d);
  step.args = s.args.map((a) => {
    const b = { ...a };
    b.span = sh(a.span, d);
    return b;
  });
  step.decorators = s.decorators.map((x) => decorator(x, d));
  step.strayTransitions = s.strayTransitions.map((x) => sh(x, d));
  step.writes = writes;
  step.reads = reads;
  step.mergeArtifacts = mergeArtifacts;
  if (tr) step.transition = tr;
  const facts = { ...m.facts };
  facts.writes = writes;
  facts.reads = reads;
  facts.mergeArtifacts = mergeArtifacts;
  facts.writeEnds = m.facts.writeEnds.map((e) => e + d);
  facts.nextCalls = m.facts.nextCalls.map((x) => sh(x, d));
  const out = { ...m };
  out.step = step;
  out.transition = tr;
  out.facts = facts;
  return out;
}
