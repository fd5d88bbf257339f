// Rename as plain data: what can be renamed at an offset, and every span to rewrite, or the
// reason a rename is refused (an invalid or taken name, a symbol defined in another file).
import type { AnalysisResult, FlowModel, Span } from "../model";
import { artifactOccurrences, stepOccurrences, symbolAt } from "./symbols";

const reservedSteps = new Set(["name", "next", "input", "index", "cmd"]);
/** FlowSpec attributes an artifact must not shadow. */
const reservedAttributes = new Set(["next", "input", "index", "name", "foreach_stack", "merge_artifacts", "script_name", "cmd"]);
const pythonKeywords = new Set("False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" "));

export type RenameTargets =
  /** `span` is the name under the cursor, `spans` every occurrence to rewrite (this file only). */
  | { kind: "step" | "artifact" | "parameter"; name: string; span: Span; spans: Span[] }
  | { kind: "refused"; reason: string };

function stepNameProblem(flow: FlowModel, oldName: string, newName: string): string | undefined {
  if (!/^[a-z0-9_]+$/.test(newName) || newName.startsWith("_") || /^[0-9]/.test(newName))
    return `"${newName}" is not a valid step name: use lowercase letters, digits and "_", not starting with "_" or a digit.`;
  if (reservedSteps.has(newName)) return `"${newName}" is reserved by Metaflow and cannot name a step.`;
  if (pythonKeywords.has(newName)) return `"${newName}" is a Python keyword.`;
  if (newName !== oldName && flow.steps.some((s) => s.name === newName)) return `Flow ${flow.name} already has a step named "${newName}".`;
  if (newName !== oldName && flow.parameters.some((p) => p.attribute === newName)) return `Flow ${flow.name} already has a parameter named "${newName}".`;
  return undefined;
}

function artifactNameProblem(flow: FlowModel, oldName: string, newName: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName) || pythonKeywords.has(newName)) return `"${newName}" is not a valid Python attribute name.`;
  if (newName.startsWith("_")) return `"${newName}": names starting with "_" are Metaflow's internal artifacts.`;
  if (reservedAttributes.has(newName)) return `"${newName}" is an attribute of FlowSpec and cannot name an artifact.`;
  if (newName === oldName) return undefined;
  if (flow.steps.some((s) => s.name === newName)) return `"${newName}" is the name of a step of ${flow.name}.`;
  if (flow.parameters.some((p) => p.attribute === newName)) return `"${newName}" is already a parameter of ${flow.name}.`;
  if (flow.steps.some((s) => s.writes.some((w) => w.name === newName) || s.reads.some((r) => r.name === newName)))
    return `"${newName}" is already an artifact of ${flow.name}; renaming would merge two artifacts.`;
  return undefined;
}

/**
 * What renaming the symbol at `offset` rewrites; undefined when nothing renamable is there. With
 * `newName`, the name is checked too. Never throws: a refusal is an answer.
 */
export function renameTargets(result: AnalysisResult, text: string, offset: number, newName?: string): RenameTargets | undefined {
  const sym = symbolAt(result, text, offset);
  if (!sym) return undefined;
  const refused = (reason: string | undefined) => (reason !== undefined ? ({ kind: "refused", reason } as const) : undefined);
  if (sym.kind === "step") {
    const target = sym.flow.steps.find((s) => s.name === sym.step);
    if (!target) return { kind: "refused", reason: `There is no step "${sym.step}" to rename.` };
    if (target.inheritedFrom) return { kind: "refused", reason: `Step "${sym.step}" is defined in ${target.inheritedFrom.flow}; rename it there.` };
    const problem = newName !== undefined ? refused(stepNameProblem(sym.flow, sym.step, newName)) : undefined;
    return problem ?? { kind: "step", name: sym.step, span: sym.span, spans: stepOccurrences(sym.flow, text, sym.step).map((o) => o.span) };
  }
  if (sym.kind === "artifact") {
    const problem = newName !== undefined ? refused(artifactNameProblem(sym.flow, sym.name, newName)) : undefined;
    return problem ?? { kind: "artifact", name: sym.name, span: sym.span, spans: artifactOccurrences(sym.flow, text, sym.name).map((o) => o.span) };
  }
  if (sym.kind === "parameter") {
    const p = sym.parameter;
    if (p.inheritedFrom) return { kind: "refused", reason: `Parameter "${p.attribute}" is defined in ${p.inheritedFrom.flow}; rename it there.` };
    if (/^["']/.test(text.charAt(sym.span.start)))
      return { kind: "refused", reason: `This string is the command-line name (--${p.name}); edit it directly. Rename the attribute "${p.attribute}" to change what steps read.` };
    const problem = newName !== undefined ? refused(artifactNameProblem(sym.flow, p.attribute, newName)) : undefined;
    return problem ?? { kind: "parameter", name: p.attribute, span: sym.span, spans: artifactOccurrences(sym.flow, text, p.attribute).map((o) => o.span) };
  }
  return undefined;
}
