// Document symbols: each flow, with its parameters and steps (the step's node type as detail).
import { SymbolKind, type DocumentSymbol } from "vscode-languageserver";
import type { AnalysisResult } from "../analysis/model";
import { ownSteps } from "../analysis/ide";
import { toRange, type PositionMap } from "./positions";

export function documentSymbols(result: AnalysisResult, map: PositionMap): DocumentSymbol[] {
  return result.flows.map((flow) => {
    const children: DocumentSymbol[] = [];
    for (const p of flow.parameters) {
      if (p.inheritedFrom !== undefined) continue;
      children.push({
        name: p.attribute,
        detail: `${p.kind} --${p.name}: ${p.type}`,
        kind: SymbolKind.Field,
        range: toRange(map, p.span),
        selectionRange: toRange(map, p.nameSpan),
      });
    }
    for (const s of ownSteps(flow)) {
      children.push({
        name: s.name,
        detail: s.isStep ? s.type : "not a step (no @step)",
        kind: SymbolKind.Method,
        range: toRange(map, s.span),
        selectionRange: toRange(map, s.nameSpan),
      });
    }
    return {
      name: flow.name,
      detail: flow.bases.length > 0 ? `flow (${flow.bases.join(", ")})` : "flow",
      kind: SymbolKind.Class,
      range: toRange(map, flow.span),
      selectionRange: toRange(map, flow.nameSpan),
      children,
    };
  });
}
