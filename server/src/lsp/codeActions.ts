// Quick fixes for the findings that have an obvious edit. Each fix is a small function from a
// core diagnostic (with its flow and step) to a code action; `codeActions` matches the client's
// diagnostics to the core's by code and start position.
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type TextEdit } from "vscode-languageserver";
import type { Diagnostic, FlowModel, StepModel } from "../analysis/model";
import type { FeatureContext } from "./context";
import { ancestors, isJoin, predecessors, stepByName } from "./flowGraph";
import { pointRange, toRange, toOffset } from "./positions";
import { ownSteps, stepOccurrences } from "./query";
import { bodyIndent, freshStepName, indentAt, lineEnd, lineStart, newStepText } from "./textEdits";

interface FixInput {
  ctx: FeatureContext;
  diagnostic: Diagnostic;
  lsp: LspDiagnostic;
  flow: FlowModel;
  step: StepModel | undefined;
}

function action(input: FixInput, title: string, edits: TextEdit[], preferred = false): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [input.lsp], isPreferred: preferred, edit: { changes: { [input.ctx.uri]: edits } } };
}

function insertAt(input: FixInput, offset: number, newText: string): TextEdit {
  return { range: pointRange(input.ctx.map, offset), newText };
}

function addMissingNext({ ...input }: FixInput): CodeAction[] {
  const { ctx, flow, step } = input;
  if (!step) return [];
  const steps = ownSteps(flow);
  const after = steps[steps.indexOf(step) + 1];
  const target = after && after.name !== "start" ? after.name : flow.steps.some((s) => s.name === "end") ? "end" : undefined;
  if (target === undefined || target === step.name) return [];
  const text = `\n${bodyIndent(ctx.text, step)}self.next(self.${target})`;
  return [action(input, `Add self.next(self.${target})`, [insertAt(input, step.bodySpan.end, text)], true)];
}

function createMissingStep(input: FixInput): CodeAction[] {
  const { ctx, flow, step, diagnostic } = input;
  if (!step) return [];
  const written = ctx.text.slice(diagnostic.span.start, diagnostic.span.end);
  const name = /(?:self\s*\.\s*)?([A-Za-z_]\w*)\s*$/.exec(written)?.[1];
  if (name === undefined || flow.steps.some((s) => s.name === name)) return [];
  const next = name === "end" ? undefined : flow.steps.some((s) => s.name === "end") ? "end" : undefined;
  return [action(input, `Create step '${name}'`, [insertAt(input, step.span.end, newStepText(ctx.text, step, name, next, "TODO: describe this step."))], true)];
}

/** FL015 / FL019: put a step between a split and the join it goes straight into. */
function insertIntermediate(input: FixInput): CodeAction[] {
  const { ctx, flow, step } = input;
  const t = step?.transition;
  if (!step || !t) return [];
  const out: CodeAction[] = [];
  const at = t.targets.filter((x) => x.nameSpan.start === input.diagnostic.span.start);
  for (const target of at.length > 0 ? at : t.targets) {
    const to = stepByName(flow, target.name);
    if (!to || !isJoin(to)) continue;
    const name = freshStepName(flow, `${step.name}_${target.name}`);
    out.push(
      action(input, `Insert step '${name}' between '${step.name}' and '${target.name}'`, [
        { range: toRange(ctx.map, target.nameSpan), newText: name },
        insertAt(input, step.span.end, newStepText(ctx.text, step, name, target.name, `Runs once per branch before ${target.name}.`)),
      ], true),
    );
  }
  return out;
}

/**
 * A join that lacks `inputs`: the step itself when branches meet there, else (for an FL013 reported
 * further down, e.g. at end) every one-argument step upstream where two or more branches meet.
 */
function addInputs(input: FixInput): CodeAction[] {
  const { step, flow } = input;
  if (!step) return [];
  const preds = predecessors(flow);
  const needsInputs = (s: StepModel): boolean => s.args.length === 1 && s.inheritedFrom === undefined && ((preds.get(s.name)?.length ?? 0) >= 2 || flow.steps.some((o) => o.matchingJoin === s.name));
  const candidates = needsInputs(step) ? [step] : input.diagnostic.code === "FL013" ? ownSteps(flow).filter((s) => needsInputs(s) && ancestors(flow, step.name).has(s.name) && !isSwitchMerge(flow, s)) : [];
  return candidates.flatMap((s) => {
    const self = s.args[0];
    return self ? [action(input, `Make '${s.name}' a join: add the 'inputs' argument`, [insertAt(input, self.span.end, ", inputs")])] : [];
  });
}

/** Branches of a switch meet in an ordinary step (only one of them runs): that is no join. */
function isSwitchMerge(flow: FlowModel, step: StepModel): boolean {
  const incoming = predecessors(flow).get(step.name) ?? [];
  return incoming.length > 0 && incoming.every((p) => [...ancestors(flow, p), p].some((a) => stepByName(flow, a)?.type === "split-switch"));
}

function fixCase(input: FixInput): CodeAction[] {
  const { ctx, flow, step } = input;
  if (!step) return [];
  // The same suggestion as the finding's message: camelCase becomes snake_case.
  const name = freshStepName(flow, step.name.replace(/([a-z0-9])([A-Z])/g, "$1_$2"));
  if (name === step.name) return [];
  const edits = stepOccurrences(flow, ctx.text, step.name).map((o) => ({ range: toRange(ctx.map, o.span), newText: name }));
  return [action(input, `Rename step to '${name}'`, edits, true)];
}

function moveDecoratorAbove(input: FixInput): CodeAction[] {
  const { ctx, step, diagnostic } = input;
  if (!step) return [];
  const stepIndex = step.decorators.findIndex((d) => d.name === "step");
  const stepDeco = step.decorators[stepIndex];
  if (!stepDeco) return [];
  const below = step.decorators.filter((d, i) => i > stepIndex && d.span.start <= diagnostic.span.end && d.span.end >= diagnostic.span.start);
  const misplaced = below.length > 0 ? below : step.decorators.slice(stepIndex + 1);
  if (misplaced.length === 0) return [];
  const edits: TextEdit[] = [];
  const indent = indentAt(ctx.text, stepDeco.span.start);
  const moved = misplaced.map((d) => indent + ctx.text.slice(d.span.start, d.span.end) + "\n").join("");
  edits.push(insertAt(input, lineStart(ctx.text, stepDeco.span.start), moved));
  for (const d of misplaced) {
    const end = Math.min(ctx.text.length, lineEnd(ctx.text, d.span.end) + 1);
    edits.push({ range: toRange(ctx.map, { start: lineStart(ctx.text, d.span.start), end }), newText: "" });
  }
  return [action(input, `Move ${misplaced.map((d) => "@" + d.written).join(", ")} above @step`, edits, true)];
}

const fixes: Record<string, ((input: FixInput) => CodeAction[])[]> = {
  FL006: [fixCase],
  FL007: [addInputs],
  FL008: [addMissingNext],
  FL010: [createMissingStep],
  FL013: [addInputs],
  FL015: [insertIntermediate],
  FL019: [insertIntermediate],
  FL101: [moveDecoratorAbove],
};

export function codeActions(ctx: FeatureContext, diagnostics: LspDiagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const lsp of diagnostics) {
    if (lsp.source !== "flowlens" || typeof lsp.code !== "string") continue;
    const start = toOffset(ctx.map, lsp.range.start);
    const diagnostic = ctx.result.diagnostics.find((d) => d.code === lsp.code && d.span.start === start);
    if (!diagnostic) continue;
    const flow = ctx.result.flows.find((f) => f.name === diagnostic.flow) ?? ctx.result.flows.find((f) => f.span.start <= start && start <= f.span.end);
    if (!flow) continue;
    const step = diagnostic.step !== undefined ? ownSteps(flow).find((s) => s.name === diagnostic.step) : ownSteps(flow).find((s) => s.span.start <= start && start <= s.span.end);
    for (const fix of fixes[diagnostic.code] ?? []) out.push(...fix({ ctx, diagnostic, lsp, flow, step }));
  }
  return out;
}
