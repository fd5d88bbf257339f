// Go to definition and find references, as spans (with the file when a span is in another
// file): a transition target or `inputs.a` -> the step; an artifact read -> the assignments the
// data-flow engine says reach it; a parameter use -> its `Parameter(...)`.
import type { AnalysisResult, Span } from "../model";
import { reachingWrites } from "./artifacts";
import { artifactOccurrences, stepOccurrences, symbolAt } from "./symbols";
import { stepByName } from "./walks";

export interface Target {
  span: Span;
  /** The file the span is in, when it is not the analysed file (an inherited step or parameter). */
  file?: string;
}

export interface Reference {
  span: Span;
  /** The step's def or the parameter's attribute. */
  isDeclaration: boolean;
  isWrite: boolean;
}

function target(span: Span, file: string | undefined): Target {
  return file === undefined ? { span } : { span, file };
}

export function definitions(result: AnalysisResult, text: string, offset: number): Target[] {
  const sym = symbolAt(result, text, offset);
  if (!sym) return [];
  switch (sym.kind) {
    case "step": {
      const step = stepByName(sym.flow, sym.step);
      return step ? [target(step.nameSpan, step.inheritedFrom?.file)] : [];
    }
    case "parameter":
      return [target(sym.parameter.span, sym.parameter.inheritedFrom?.file)];
    case "artifact": {
      // A write is its own definition: nothing is listed for it.
      if (!sym.step || sym.access?.writeKind !== undefined) return [];
      const at = sym.access?.span.start ?? sym.span.start;
      const fromStep = sym.access?.via === "inputs-step" ? sym.access.fromStep : undefined;
      return reachingWrites(sym.flow, sym.step, sym.name, at, fromStep, sym.access?.via ?? "self").map((w) => target(w.write.span, w.step.inheritedFrom?.file));
    }
    case "flow":
    case "decorator":
      return [];
  }
}

/** Every occurrence in this file of the step, artifact or parameter at the offset. */
export function references(result: AnalysisResult, text: string, offset: number): Reference[] {
  const sym = symbolAt(result, text, offset);
  if (!sym) return [];
  if (sym.kind === "step") return stepOccurrences(sym.flow, text, sym.step).map((o) => ({ span: o.span, isDeclaration: o.isDefinition, isWrite: false }));
  if (sym.kind === "artifact") return artifactOccurrences(sym.flow, text, sym.name).map((o) => ({ span: o.span, isDeclaration: false, isWrite: o.isWrite }));
  if (sym.kind === "parameter") {
    const decl = sym.parameter.span.start;
    return artifactOccurrences(sym.flow, text, sym.parameter.attribute).map((o) => ({ span: o.span, isDeclaration: o.span.start === decl, isWrite: o.isWrite }));
  }
  return [];
}
