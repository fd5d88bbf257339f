// Rename: the IDE layer's targets (analysis/ide/rename.ts) as LSP ranges and edits; a refusal
// becomes an error the client shows.
import type { Range, TextEdit, WorkspaceEdit } from "vscode-languageserver";
import { renameTargets } from "../analysis/ide";
import type { FeatureContext } from "./context";
import { toRange } from "./positions";
import { UserFacingError } from "./safe";

export class RenameRefused extends UserFacingError {}

/** The range and current name of what can be renamed at the offset, or null. */
export function prepareRename(ctx: FeatureContext, offset: number): { range: Range; placeholder: string } | null {
  const t = renameTargets(ctx.result, ctx.text, offset);
  if (!t) return null;
  if (t.kind === "refused") throw new RenameRefused(t.reason);
  return { range: toRange(ctx.map, t.span), placeholder: t.name };
}

export function renameEdits(ctx: FeatureContext, offset: number, newName: string): WorkspaceEdit | null {
  const t = renameTargets(ctx.result, ctx.text, offset, newName);
  if (!t) return null;
  if (t.kind === "refused") throw new RenameRefused(t.reason);
  const edits: TextEdit[] = t.spans.map((span) => ({ range: toRange(ctx.map, span), newText: newName }));
  return { changes: { [ctx.uri]: edits } };
}
