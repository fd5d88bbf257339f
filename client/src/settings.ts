// Typed access to the `flowlens.*` settings declared in package.json's `contributes.configuration`.
// To add a setting: declare it there (description, scope, default), read it here, document it in docs/extension.md.
import * as vscode from "vscode";
import type { GraphViewOptions } from "../../server/src/protocol/webview";
import { kubernetesEnvFromSettings } from "./runs/kubernetesSettings";

export function graphViewOptions(scope?: vscode.Uri): GraphViewOptions {
  const c = vscode.workspace.getConfiguration("flowlens.graph", scope);
  return {
    showDecorators: c.get<boolean>("showDecorators", true),
    nodeSpacing: clamp(c.get<number>("nodeSpacing", 24), 8, 200),
  };
}

export function followActiveEditor(): boolean {
  return vscode.workspace.getConfiguration("flowlens.graph").get<boolean>("followActiveEditor", true);
}

/** The `flowlens.pythonPath` setting for a file; empty when unset. Ignored in untrusted workspaces. */
export function pythonPathSetting(scope?: vscode.Uri): string {
  if (!vscode.workspace.isTrusted) return "";
  return vscode.workspace.getConfiguration("flowlens", scope).get<string>("pythonPath", "").trim();
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
}

/** The `flowlens.kubernetes.*` settings of a run's file, as the run's environment (runs/kubernetesSettings.ts); runs start only in a trusted workspace. */
export function kubernetesRunEnv(scope?: vscode.Uri): Record<string, string> {
  const c = vscode.workspace.getConfiguration("flowlens.kubernetes", scope);
  return kubernetesEnvFromSettings((key) => c.get(key));
}
