// "Debug step". With the Python Debugger extension (ms-python.debugpy) installed, the step is run
// again (`flowlens step`) with breakpoint() wired to debugpy: PYTHONBREAKPOINT=debugpy.breakpoint
// is not enough on its own (debugpy must listen first), so the run gets a sitecustomize-free hook:
// FLOWLENS_DEBUGPY=host:port, and an "attach" debug session is started to that port. Whether the
// task process listens depends on the runtime honouring FLOWLENS_DEBUGPY (see docs/editor-runs.md);
// without the Python Debugger the command says what to install.
import * as vscode from "vscode";

export const debugpyExtensionId = "ms-python.debugpy";

export function debuggerInstalled(): boolean {
  return vscode.extensions.getExtension(debugpyExtensionId) !== undefined;
}

/** Explains what to install; offers to open the extension in the Extensions view. */
export async function askToInstallDebugger(): Promise<string> {
  const message = "Debug step needs the Python Debugger extension (ms-python.debugpy) and the debugpy package in the flow's interpreter. Install the extension, then run Debug step again. Run step works without it.";
  void vscode.window.showWarningMessage(message, "Show Python Debugger").then(async (choice) => {
    if (choice) await vscode.commands.executeCommand("workbench.extensions.search", `@id:${debugpyExtensionId}`);
  });
  return Promise.resolve(message);
}
