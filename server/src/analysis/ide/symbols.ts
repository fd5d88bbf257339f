// What is at an offset, and where else a step or an artifact occurs: pure lookups over the
// model plus the analysed text (the model gives access spans; the exact name token inside them
// is found here so that rename and references can edit just the name).
import type { AnalysisResult, ArtifactAccess, DecoratorModel, FlowModel, ParameterModel, Span, StepModel } from "../model";
import { ownSteps, spanContains } from "./walks";

export type SymbolAt =
  | { kind: "flow"; flow: FlowModel; span: Span }
  | { kind: "step"; flow: FlowModel; step: string; span: Span; from?: StepModel }
  | { kind: "artifact"; flow: FlowModel; name: string; span: Span; step?: StepModel; access?: ArtifactAccess }
  | { kind: "parameter"; flow: FlowModel; parameter: ParameterModel; span: Span; step?: StepModel }
  | { kind: "decorator"; flow: FlowModel; decorator: DecoratorModel; span: Span; step?: StepModel };

export function flowAt(result: AnalysisResult, offset: number): FlowModel | undefined {
  return result.flows.find((f) => spanContains(f.span, offset));
}

export function stepAt(flow: FlowModel, offset: number): StepModel | undefined {
  return ownSteps(flow).find((s) => spanContains(s.span, offset));
}

/** The span of the last occurrence of `name` as a whole word inside `span`. */
export function nameSpanIn(text: string, span: Span, name: string): Span | undefined {
  const slice = text.slice(span.start, span.end);
  let found: Span | undefined;
  let from = 0;
  for (;;) {
    const i = slice.indexOf(name, from);
    if (i < 0) break;
    const before = i === 0 ? "" : slice.charAt(i - 1);
    const after = slice.charAt(i + name.length);
    if (!/[A-Za-z0-9_]/.test(before) && !/[A-Za-z0-9_]/.test(after)) found = { start: span.start + i, end: span.start + i + name.length };
    from = i + 1;
  }
  return found;
}

/** The class attribute of a parameter (`alpha` in `alpha = Parameter("alpha")`); the model's nameSpan is the quoted name. */
export function parameterAttributeSpan(text: string, p: ParameterModel): Span {
  const start = p.span.start;
  if (text.slice(start, start + p.attribute.length) === p.attribute) return { start, end: start + p.attribute.length };
  return nameSpanIn(text, { start, end: p.nameSpan.start }, p.attribute) ?? p.nameSpan;
}

/** For `inputs.a.x`: the span of `a` (the core's access span may cover just `x` or the whole chain). */
export function inputsStepSpan(text: string, access: ArtifactAccess): Span | undefined {
  if (access.via !== "inputs-step" || access.fromStep === undefined) return undefined;
  const from = Math.max(0, Math.min(access.span.start, access.span.end) - 200);
  const name = nameSpanIn(text, access.span, access.name) ?? access.span;
  const before = text.slice(from, name.start);
  const m = /\binputs\s*\.\s*([A-Za-z_]\w*)\s*\.\s*$/d.exec(before);
  const at = m?.indices?.[1];
  if (!m || !at || m[1] !== access.fromStep) return undefined;
  return { start: from + at[0], end: from + at[1] };
}

/** The artifact name token of an access (`x` in `self.x` or `inputs.a.x`). */
export function accessNameSpan(text: string, access: ArtifactAccess): Span {
  return nameSpanIn(text, access.span, access.name) ?? access.span;
}

/** The inside of a string literal's span (without quotes), or the span itself when it is no literal. */
export function stringContentSpan(text: string, span: Span): Span {
  const first = text.charAt(span.start);
  const last = text.charAt(span.end - 1);
  if ((first === '"' || first === "'") && last === first && span.end - span.start >= 2) return { start: span.start + 1, end: span.end - 1 };
  return span;
}

function artifactOrParameter(flow: FlowModel, name: string, span: Span, step?: StepModel, access?: ArtifactAccess): SymbolAt {
  const parameter = flow.parameters.find((p) => p.attribute === name);
  if (parameter) return { kind: "parameter", flow, parameter, span, step };
  return { kind: "artifact", flow, name, span, step, access };
}

/** The symbol under the cursor, or undefined. */
export function symbolAt(result: AnalysisResult, text: string, offset: number): SymbolAt | undefined {
  const flow = flowAt(result, offset);
  if (!flow) return undefined;
  if (spanContains(flow.nameSpan, offset)) return { kind: "flow", flow, span: flow.nameSpan };
  for (const p of flow.parameters) {
    if (p.inheritedFrom !== undefined) continue;
    const attribute = parameterAttributeSpan(text, p);
    if (spanContains(attribute, offset)) return { kind: "parameter", flow, parameter: p, span: attribute };
    if (spanContains(p.nameSpan, offset)) return { kind: "parameter", flow, parameter: p, span: p.nameSpan };
  }
  for (const d of flow.decorators) if (spanContains(d.nameSpan, offset)) return { kind: "decorator", flow, decorator: d, span: d.nameSpan };
  const step = stepAt(flow, offset);
  if (!step) return undefined;
  if (spanContains(step.nameSpan, offset)) return { kind: "step", flow, step: step.name, span: step.nameSpan, from: step };
  for (const d of step.decorators) if (spanContains(d.nameSpan, offset)) return { kind: "decorator", flow, decorator: d, span: d.nameSpan, step };
  const t = step.transition;
  if (t) {
    for (const target of t.targets) if (spanContains(target.nameSpan, offset)) return { kind: "step", flow, step: target.name, span: target.nameSpan, from: step };
    if (t.foreach && spanContains(t.foreach.span, offset)) return artifactOrParameter(flow, t.foreach.artifact, stringContentSpan(text, t.foreach.span), step);
    if (t.condition && spanContains(t.condition.span, offset)) return artifactOrParameter(flow, t.condition.artifact, stringContentSpan(text, t.condition.span), step);
  }
  for (const access of step.reads) {
    const stepSpan = inputsStepSpan(text, access);
    if (stepSpan && spanContains(stepSpan, offset) && access.fromStep !== undefined) return { kind: "step", flow, step: access.fromStep, span: stepSpan, from: step };
  }
  for (const access of [...step.reads, ...step.writes]) {
    if (!spanContains(access.span, offset)) continue;
    const nameSpan = accessNameSpan(text, access);
    if (spanContains(nameSpan, offset)) return artifactOrParameter(flow, access.name, nameSpan, step, access);
  }
  return undefined;
}

/** Where a step's name occurs in this file: its def, every transition to it, every `inputs.<step>`. */
export function stepOccurrences(flow: FlowModel, text: string, name: string): { span: Span; isDefinition: boolean }[] {
  const out: { span: Span; isDefinition: boolean }[] = [];
  for (const s of ownSteps(flow)) {
    if (s.name === name) out.push({ span: s.nameSpan, isDefinition: true });
    for (const t of s.transition?.targets ?? []) if (t.name === name) out.push({ span: t.nameSpan, isDefinition: false });
    for (const r of s.reads) {
      if (r.fromStep !== name) continue;
      const span = inputsStepSpan(text, r);
      if (span && !out.some((o) => o.span.start === span.start)) out.push({ span, isDefinition: false });
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** Where an artifact (or a parameter's attribute) occurs in this file: writes, reads, `foreach=`/`condition=` strings. */
export function artifactOccurrences(flow: FlowModel, text: string, name: string): { span: Span; isWrite: boolean }[] {
  const out: { span: Span; isWrite: boolean }[] = [];
  const param = flow.parameters.find((p) => p.attribute === name && p.inheritedFrom === undefined);
  if (param) out.push({ span: parameterAttributeSpan(text, param), isWrite: true });
  for (const s of ownSteps(flow)) {
    for (const w of s.writes) if (w.name === name) out.push({ span: accessNameSpan(text, w), isWrite: true });
    for (const r of s.reads) if (r.name === name) out.push({ span: accessNameSpan(text, r), isWrite: false });
    const t = s.transition;
    if (t?.foreach?.artifact === name) out.push({ span: stringContentSpan(text, t.foreach.span), isWrite: false });
    if (t?.condition?.artifact === name) out.push({ span: stringContentSpan(text, t.condition.span), isWrite: false });
  }
  const seen = new Set<number>();
  return out.filter((o) => (seen.has(o.span.start) ? false : (seen.add(o.span.start), true))).sort((a, b) => a.span.start - b.span.start);
}
