// Find references: a step's def, transitions to it and `inputs.<step>`; an artifact's writes and reads.
import type { Location } from "vscode-languageserver";
import { locationOf, type FeatureContext } from "./context";
import { artifactOccurrences, stepOccurrences, symbolAt } from "./query";

export function references(ctx: FeatureContext, offset: number, includeDeclaration: boolean): Location[] {
  const sym = symbolAt(ctx.result, ctx.text, offset);
  if (!sym) return [];
  let spans: { span: { start: number; end: number }; decl: boolean }[] = [];
  if (sym.kind === "step") spans = stepOccurrences(sym.flow, ctx.text, sym.step).map((o) => ({ span: o.span, decl: o.isDefinition }));
  else if (sym.kind === "artifact") spans = artifactOccurrences(sym.flow, ctx.text, sym.name).map((o) => ({ span: o.span, decl: false }));
  else if (sym.kind === "parameter")
    spans = artifactOccurrences(sym.flow, ctx.text, sym.parameter.attribute).map((o) => ({ span: o.span, decl: o.span.start === sym.parameter.span.start }));
  return spans
    .filter((s) => includeDeclaration || !s.decl)
    .map((s) => locationOf(ctx, s.span))
    .filter((l): l is Location => l !== undefined);
}
