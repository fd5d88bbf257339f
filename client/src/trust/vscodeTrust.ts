// The trust gate over VS Code's Workspace Trust, and the one way a refusal is shown: a warning
// with the action that opens the Workspace Trust editor.
import * as vscode from "vscode";
import { manageTrustCommand, trustActionLabel, TrustGate } from "./gate";

export function vscodeTrustGate(): TrustGate {
  return new TrustGate({
    get isTrusted() {
      return vscode.workspace.isTrusted;
    },
    onDidGrantTrust: (listener) => vscode.workspace.onDidGrantWorkspaceTrust(listener),
  });
}

/** Shows why something did not start, with "Trust this workspace to load values". */
export function offerTrust(message: string): void {
  void vscode.window.showWarningMessage(message, trustActionLabel).then((choice) => {
    if (choice) void vscode.commands.executeCommand(manageTrustCommand);
  });
}
