// The editor's integrated terminals get Flowlens's Python package first on PYTHONPATH, so that
// `python flow.py run` (and `from metaflow import Runner` in a script) runs flows with Flowlens,
// as the editor's own Run commands do. Only in trusted workspaces; the setting
// `flowlens.terminal.pythonPath` turns it off where Metaflow itself should answer `python flow.py`.
import { delimiter } from "node:path";
import * as vscode from "vscode";
import { resolvePythonDir } from "../../runtime/src/executors/local/pythonDir";
import type { Services } from "./services";

export function registerTerminalEnvironment({ context, log }: Services): vscode.Disposable[] {
  const apply = (): void => {
    const env = context.environmentVariableCollection;
    env.clear();
    const wanted = vscode.workspace.getConfiguration("flowlens.terminal").get<boolean>("pythonPath", true);
    if (!vscode.workspace.isTrusted || !wanted) return;
    let dir: string;
    try {
      dir = resolvePythonDir({});
    } catch (error) {
      log.warn(`terminals: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    env.description = "Flowlens: `python flow.py run` runs flows with Flowlens (its `metaflow` module is first on PYTHONPATH)";
    env.prepend("PYTHONPATH", dir + delimiter);
  };
  apply();
  return [
    vscode.workspace.onDidGrantWorkspaceTrust(apply),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("flowlens.terminal.pythonPath")) apply();
    }),
  ];
}
