// Rename a step (its def, every `self.next` target, every `inputs.<step>`) or an artifact (every
// write and read, `foreach=`/`condition=` strings). Invalid or taken names are refused with a reason.
import type { Range, TextEdit, WorkspaceEdit } from "vscode-languageserver";
import type { FlowModel } from "../analysis/model";
import type { FeatureContext } from "./context";
import { toRange } from "./positions";
import { UserFacingError } from "./safe";
import { artifactOccurrences, stepOccurrences, symbolAt } from "./query";

const reservedSteps = new Set(["name", "next", "input", "index", "cmd"]);
/** FlowSpec attributes an artifact must not shadow. */
const reservedAttributes = new Set(["next", "input", "index", "name", "foreach_stack", "merge_artifacts", "script_name", "cmd"]);
const pythonKeywords = new Set("False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" "));

export class RenameRefused extends UserFacingError {}

function refuse(message: string): never {
  throw new RenameRefused(message);
}

function checkStepName(flow: FlowModel, oldName: string, newName: string): void {
  if (!/^[a-z0-9_]+$/.test(newName) || newName.startsWith("_") || /^[0-9]/.test(newName))
    refuse(`"${newName}" is not a valid step name: use lowercase letters, digits and "_", not starting with "_" or a digit.`);
  if (reservedSteps.has(newName)) refuse(`"${newName}" is reserved by Metaflow and cannot name a step.`);
  if (pythonKeywords.has(newName)) refuse(`"${newName}" is a Python keyword.`);
  if (newName !== oldName && flow.steps.some((s) => s.name === newName)) refuse(`Flow ${flow.name} already has a step named "${newName}".`);
  if (newName !== oldName && flow.parameters.some((p) => p.attribute === newName)) refuse(`Flow ${flow.name} already has a parameter named "${newName}".`);
}

function checkArtifactName(flow: FlowModel, oldName: string, newName: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName) || pythonKeywords.has(newName)) refuse(`"${newName}" is not a valid Python attribute name.`);
  if (newName.startsWith("_")) refuse(`"${newName}": names starting with "_" are Metaflow's internal artifacts.`);
  if (reservedAttributes.has(newName)) refuse(`"${newName}" is an attribute of FlowSpec and cannot name an artifact.`);
  if (newName === oldName) return;
  if (flow.steps.some((s) => s.name === newName)) refuse(`"${newName}" is the name of a step of ${flow.name}.`);
  if (flow.parameters.some((p) => p.attribute === newName)) refuse(`"${newName}" is already a parameter of ${flow.name}.`);
  if (flow.steps.some((s) => s.writes.some((w) => w.name === newName) || s.reads.some((r) => r.name === newName)))
    refuse(`"${newName}" is already an artifact of ${flow.name}; renaming would merge two artifacts.`);
}

/** The range and current name of what can be renamed at the offset, or null. */
export function prepareRename(ctx: FeatureContext, offset: number): { range: Range; placeholder: string } | null {
  const sym = symbolAt(ctx.result, ctx.text, offset);
  if (!sym) return null;
  if (sym.kind === "step") {
    const target = sym.flow.steps.find((s) => s.name === sym.step);
    if (!target) refuse(`There is no step "${sym.step}" to rename.`);
    if (target.inheritedFrom) refuse(`Step "${sym.step}" is defined in ${target.inheritedFrom.flow}; rename it there.`);
    return { range: toRange(ctx.map, sym.span), placeholder: sym.step };
  }
  if (sym.kind === "artifact") return { range: toRange(ctx.map, sym.span), placeholder: sym.name };
  if (sym.kind === "parameter") {
    if (sym.parameter.inheritedFrom) refuse(`Parameter "${sym.parameter.attribute}" is defined in ${sym.parameter.inheritedFrom.flow}; rename it there.`);
    if (/^["']/.test(ctx.text.charAt(sym.span.start)))
      refuse(`This string is the command-line name (--${sym.parameter.name}); edit it directly. Rename the attribute "${sym.parameter.attribute}" to change what steps read.`);
    return { range: toRange(ctx.map, sym.span), placeholder: sym.parameter.attribute };
  }
  return null;
}

export function renameEdits(ctx: FeatureContext, offset: number, newName: string): WorkspaceEdit | null {
  const sym = symbolAt(ctx.result, ctx.text, offset);
  if (!sym) return null;
  let spans: { start: number; end: number }[];
  if (sym.kind === "step") {
    prepareRename(ctx, offset);
    checkStepName(sym.flow, sym.step, newName);
    spans = stepOccurrences(sym.flow, ctx.text, sym.step).map((o) => o.span);
  } else if (sym.kind === "artifact") {
    checkArtifactName(sym.flow, sym.name, newName);
    spans = artifactOccurrences(sym.flow, ctx.text, sym.name).map((o) => o.span);
  } else if (sym.kind === "parameter") {
    prepareRename(ctx, offset);
    checkArtifactName(sym.flow, sym.parameter.attribute, newName);
    spans = artifactOccurrences(sym.flow, ctx.text, sym.parameter.attribute).map((o) => o.span);
  } else return null;
  const edits: TextEdit[] = spans.map((span) => ({ range: toRange(ctx.map, span), newText: newName }));
  return { changes: { [ctx.uri]: edits } };
}
