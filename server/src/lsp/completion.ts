// Completion: the IDE layer's completion facts (analysis/ide/completion.ts) as LSP items.
import { CompletionItemKind, type CompletionItem } from "vscode-languageserver";
import { completionsAt, type CompletionKind } from "../analysis/ide";
import type { FeatureContext } from "./context";

const kinds: Record<CompletionKind, CompletionItemKind> = {
  artifact: CompletionItemKind.Field,
  parameter: CompletionItemKind.Property,
  step: CompletionItemKind.Method,
  branch: CompletionItemKind.Method,
  method: CompletionItemKind.Method,
  decorator: CompletionItemKind.Function,
  argument: CompletionItemKind.Property,
};

export function completion(ctx: FeatureContext, offset: number): CompletionItem[] {
  return completionsAt(ctx.result, ctx.text, offset).map(({ kind, ...item }) => ({ ...item, kind: kinds[kind] }));
}
