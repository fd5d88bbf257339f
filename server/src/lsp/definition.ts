// Go to definition: the IDE layer's targets (analysis/ide/navigation.ts) as LSP locations.
import type { Location } from "vscode-languageserver";
import { definitions } from "../analysis/ide";
import { locationOf, type FeatureContext } from "./context";

export function definition(ctx: FeatureContext, offset: number): Location[] {
  return definitions(ctx.result, ctx.text, offset)
    .map((t) => locationOf(ctx, t.span, t.file))
    .filter((l): l is Location => l !== undefined);
}
