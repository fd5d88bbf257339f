// Quick fixes as plain data: for a finding with an obvious edit, a title and offset edits into
// the analysed text. Computed on demand for the finding the editor asks about (not attached to
// every diagnostic: the analysis would pay for edits nobody asks for, and an incremental session
// would have to move their offsets too).
import { closestName } from "../graph/closestStep";
import type { AnalysisResult, Diagnostic, FlowModel, StepModel } from "../model";
import { stepOccurrences } from "./symbols";
import { bodyIndent, freshStepName, indentAt, lineEnd, lineStart, newStepText } from "./textEdits";
import { ancestors, isJoin, ownSteps, predecessors, stepByName } from "./walks";

export interface FixEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: FixEdit[];
  /** The fix to apply when the editor offers one (VS Code's "auto fix"). */
  preferred: boolean;
}

interface FixInput {
  text: string;
  diagnostic: Diagnostic;
  flow: FlowModel;
  step: StepModel | undefined;
}

const insert = (at: number, newText: string): FixEdit => ({ start: at, end: at, newText });

function addMissingNext({ text, flow, step }: FixInput): Fix[] {
  if (!step) return [];
  const steps = ownSteps(flow);
  const after = steps[steps.indexOf(step) + 1];
  const target = after && after.name !== "start" ? after.name : flow.steps.some((s) => s.name === "end") ? "end" : undefined;
  if (target === undefined || target === step.name) return [];
  return [{ title: `Add self.next(self.${target})`, edits: [insert(step.bodySpan.end, `\n${bodyIndent(text, step)}self.next(self.${target})`)], preferred: true }];
}

/** The unknown target's name as written at the finding (`self.join_stat` or `join_stat`). */
function unknownTargetName(text: string, diagnostic: Diagnostic): string | undefined {
  const written = text.slice(diagnostic.span.start, diagnostic.span.end);
  return /(?:self\s*\.\s*)?([A-Za-z_]\w*)\s*$/.exec(written)?.[1];
}

/** FL010 on a typo: point the transition at the step it most likely meant (the one a reader wants first). */
function changeToClosest({ text, flow, step, diagnostic }: FixInput): Fix[] {
  const name = unknownTargetName(text, diagnostic);
  const target = step?.transition?.targets.find((t) => t.nameSpan.start === diagnostic.span.start && t.name === name);
  if (!target || name === undefined) return [];
  const close = closestName(flow.steps.map((s) => s.name), name);
  if (close === undefined) return [];
  return [{ title: `Change to ${close}`, edits: [{ start: target.nameSpan.start, end: target.nameSpan.end, newText: close }], preferred: true }];
}

function createMissingStep(input: FixInput): Fix[] {
  const { text, flow, step, diagnostic } = input;
  if (!step) return [];
  const name = unknownTargetName(text, diagnostic);
  if (name === undefined || flow.steps.some((s) => s.name === name)) return [];
  const next = name === "end" ? undefined : flow.steps.some((s) => s.name === "end") ? "end" : undefined;
  // A new step is the auto fix only when the name is no typo of an existing one.
  const preferred = changeToClosest(input).length === 0;
  return [{ title: `Create step '${name}'`, edits: [insert(step.span.end, newStepText(text, step, name, next, "TODO: describe this step."))], preferred }];
}

/** FL015 / FL019: put a step between a split and the join it goes straight into. */
function insertIntermediate({ text, flow, step, diagnostic }: FixInput): Fix[] {
  const t = step?.transition;
  if (!step || !t) return [];
  const out: Fix[] = [];
  const at = t.targets.filter((x) => x.nameSpan.start === diagnostic.span.start);
  for (const target of at.length > 0 ? at : t.targets) {
    const to = stepByName(flow, target.name);
    if (!to || !isJoin(to)) continue;
    const name = freshStepName(flow, `${step.name}_${target.name}`);
    const edits = [
      { start: target.nameSpan.start, end: target.nameSpan.end, newText: name },
      insert(step.span.end, newStepText(text, step, name, target.name, `Runs once per branch before ${target.name}.`)),
    ];
    out.push({ title: `Insert step '${name}' between '${step.name}' and '${target.name}'`, edits, preferred: true });
  }
  return out;
}

/** Branches of a switch meet in an ordinary step (only one of them runs): that is no join. */
function isSwitchMerge(flow: FlowModel, step: StepModel): boolean {
  const incoming = predecessors(flow).get(step.name) ?? [];
  return incoming.length > 0 && incoming.every((p) => [...ancestors(flow, p), p].some((a) => stepByName(flow, a)?.type === "split-switch"));
}

/**
 * A join that lacks `inputs`: the step itself when branches meet there, else (for an FL013 reported
 * further down, e.g. at end) every one-argument step upstream where two or more branches meet.
 */
function addInputs({ step, flow, diagnostic }: FixInput): Fix[] {
  if (!step) return [];
  const preds = predecessors(flow);
  const needsInputs = (s: StepModel): boolean => s.args.length === 1 && s.inheritedFrom === undefined && ((preds.get(s.name)?.length ?? 0) >= 2 || flow.steps.some((o) => o.matchingJoin === s.name));
  const upstream = () => ownSteps(flow).filter((s) => needsInputs(s) && ancestors(flow, step.name).has(s.name) && !isSwitchMerge(flow, s));
  const candidates = needsInputs(step) ? [step] : diagnostic.code === "FL013" ? upstream() : [];
  return candidates.flatMap((s) => {
    const self = s.args[0];
    return self ? [{ title: `Make '${s.name}' a join: add the 'inputs' argument`, edits: [insert(self.span.end, ", inputs")], preferred: false }] : [];
  });
}

function fixCase({ text, flow, step }: FixInput): Fix[] {
  if (!step) return [];
  // The same suggestion as the finding's message: camelCase becomes snake_case.
  const name = freshStepName(flow, step.name.replace(/([a-z0-9])([A-Z])/g, "$1_$2"));
  if (name === step.name) return [];
  const edits = stepOccurrences(flow, text, step.name).map((o) => ({ start: o.span.start, end: o.span.end, newText: name }));
  return [{ title: `Rename step to '${name}'`, edits, preferred: true }];
}

function moveDecoratorAbove({ text, step, diagnostic }: FixInput): Fix[] {
  if (!step) return [];
  const stepIndex = step.decorators.findIndex((d) => d.name === "step");
  const stepDeco = step.decorators[stepIndex];
  if (!stepDeco) return [];
  const below = step.decorators.filter((d, i) => i > stepIndex && d.span.start <= diagnostic.span.end && d.span.end >= diagnostic.span.start);
  const misplaced = below.length > 0 ? below : step.decorators.slice(stepIndex + 1);
  if (misplaced.length === 0) return [];
  const indent = indentAt(text, stepDeco.span.start);
  const moved = misplaced.map((d) => indent + text.slice(d.span.start, d.span.end) + "\n").join("");
  const edits: FixEdit[] = [insert(lineStart(text, stepDeco.span.start), moved)];
  for (const d of misplaced) edits.push({ start: lineStart(text, d.span.start), end: Math.min(text.length, lineEnd(text, d.span.end) + 1), newText: "" });
  return [{ title: `Move ${misplaced.map((d) => "@" + d.written).join(", ")} above @step`, edits, preferred: true }];
}

const fixers: Record<string, ((input: FixInput) => Fix[])[]> = {
  FL006: [fixCase],
  FL007: [addInputs],
  FL008: [addMissingNext],
  FL010: [changeToClosest, createMissingStep],
  FL013: [addInputs],
  FL015: [insertIntermediate],
  FL019: [insertIntermediate],
  FL101: [moveDecoratorAbove],
};

/** The fixes for a finding of `result` (matched by identity or by code and span). */
export function fixesFor(result: AnalysisResult, text: string, diagnostic: Diagnostic): Fix[] {
  const start = diagnostic.span.start;
  const flow = result.flows.find((f) => f.name === diagnostic.flow) ?? result.flows.find((f) => f.span.start <= start && start <= f.span.end);
  if (!flow) return [];
  const own = ownSteps(flow);
  const step = diagnostic.step !== undefined ? own.find((s) => s.name === diagnostic.step) : own.find((s) => s.span.start <= start && start <= s.span.end);
  return (fixers[diagnostic.code] ?? []).flatMap((fix) => fix({ text, diagnostic, flow, step }));
}
