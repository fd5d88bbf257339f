// The graph panel's HTML for a real webview: resource URIs through asWebviewUri, a fresh nonce.
import * as vscode from "vscode";
import { randomBytes } from "node:crypto";
import { graphHtmlText } from "./graphHtmlTemplate";

export function graphHtml(webview: vscode.Webview, dist: vscode.Uri): string {
  const uri = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(dist, ...parts)).toString();
  return graphHtmlText({
    nonce: randomBytes(16).toString("base64"),
    cspSource: webview.cspSource,
    scriptUri: uri("webview.js"),
    workerUri: uri("layoutWorker.js"),
    cssUri: uri("media", "graph.css"),
  });
}
