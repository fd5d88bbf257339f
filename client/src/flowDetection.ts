// A cheap check whether a document is a flow file, so the language server starts only when one
// is open and the editor-title button shows only on flow files. A regex over the first 256 KB
// costs well under a millisecond; the server does the real analysis.
import type * as vscode from "vscode";

const flowHint = /\bFlowSpec\b|^\s*(?:from\s+metaflow\b|import\s+metaflow\b)/m;
const scanLimit = 256 * 1024;

export function looksLikeFlowText(text: string): boolean {
  return flowHint.test(text.length > scanLimit ? text.slice(0, scanLimit) : text);
}

export function isFlowDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === "python" && (doc.uri.scheme === "file" || doc.uri.scheme === "untitled" || doc.uri.scheme === "vscode-remote") && looksLikeFlowText(doc.getText());
}
