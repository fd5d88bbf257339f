// Quick fixes: the client's diagnostics are matched to the core's findings by code and start
// position, and the IDE layer's fixes for them (analysis/ide/fixes.ts) become code actions.
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic } from "vscode-languageserver";
import { fixesFor } from "../analysis/ide";
import type { FeatureContext } from "./context";
import { toOffset, toRange } from "./positions";

export function codeActions(ctx: FeatureContext, diagnostics: LspDiagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const lsp of diagnostics) {
    if (lsp.source !== "flowlens" || typeof lsp.code !== "string") continue;
    const start = toOffset(ctx.map, lsp.range.start);
    const diagnostic = ctx.result.diagnostics.find((d) => d.code === lsp.code && d.span.start === start);
    if (!diagnostic) continue;
    for (const fix of fixesFor(ctx.result, ctx.text, diagnostic)) {
      const edits = fix.edits.map((e) => ({ range: toRange(ctx.map, e), newText: e.newText }));
      out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [lsp], isPreferred: fix.preferred, edit: { changes: { [ctx.uri]: edits } } });
    }
  }
  return out;
}
