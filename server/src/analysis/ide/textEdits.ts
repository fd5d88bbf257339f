// Small pure helpers for building source edits: line starts, indentation, fresh step names and
// the text of a new step. Shared by the quick fixes.
import type { FlowModel, StepModel } from "../model";

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

export function lineEnd(text: string, offset: number): number {
  const i = text.indexOf("\n", offset);
  return i < 0 ? text.length : i;
}

export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset + 1))?.[0] ?? "";
}

/** The indentation of a step's body: its first statement's, else the def's plus four spaces. */
export function bodyIndent(text: string, step: StepModel): string {
  const body = text.slice(step.bodySpan.start, step.bodySpan.end);
  const first = /^[ \t]*\S/.exec(body) ? indentAt(text, step.bodySpan.start + (/\S/.exec(body)?.index ?? 0)) : "";
  const defIndent = indentAt(text, step.defSpan.start);
  return first.length > defIndent.length ? first : defIndent + "    ";
}

export function freshStepName(flow: FlowModel, wanted: string): string {
  const base = wanted.toLowerCase().replace(/[^a-z0-9_]/g, "_").replace(/^_+/, "") || "step";
  let name = base;
  for (let i = 2; flow.steps.some((s) => s.name === name) || flow.parameters.some((p) => p.attribute === name); i++) name = `${base}_${i}`;
  return name;
}

/** Source of a new step placed after `after`, at the same indentation. */
export function newStepText(text: string, after: StepModel, name: string, next: string | undefined, doc: string): string {
  const indent = indentAt(text, after.span.start);
  const body = bodyIndent(text, after);
  const tail = next === undefined ? "pass" : `self.next(self.${next})`;
  return `\n\n${indent}@step\n${indent}def ${name}(self):\n${body}"""${doc}"""\n${body}${tail}`;
}
