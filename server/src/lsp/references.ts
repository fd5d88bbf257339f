// Find references: the IDE layer's occurrences (analysis/ide/navigation.ts) as LSP locations.
import type { Location } from "vscode-languageserver";
import { references as occurrences } from "../analysis/ide";
import { locationOf, type FeatureContext } from "./context";

export function references(ctx: FeatureContext, offset: number, includeDeclaration: boolean): Location[] {
  return occurrences(ctx.result, ctx.text, offset)
    .filter((r) => includeDeclaration || !r.isDeclaration)
    .map((r) => locationOf(ctx, r.span))
    .filter((l): l is Location => l !== undefined);
}
