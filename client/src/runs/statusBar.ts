// The status bar item of runs: the running flow and its progress (click: stop), then how the
// last run ended (click: its logs).
import * as vscode from "vscode";
import { contributedCommands as ids } from "../../../server/src/protocol/commands";
import type { RunSession } from "./runSession";
import { stateTone } from "../../../server/src/protocol/runStates";

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("flowlens.run", vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = "Flowlens run";
  }

  update(session: RunSession): void {
    if (!session.done) {
      this.item.text = `$(sync~spin) ${session.progressText()}`;
      this.item.tooltip = `Flowlens: ${session.request.mode} of ${session.request.file} — click to stop`;
      this.item.command = ids.stopRun;
      this.item.backgroundColor = undefined;
    } else {
      const ended = session.status === "refused" || session.status === "starting" ? "error" : stateTone(session.status);
      // A run that succeeded with retried or caught tasks is not a plain green success.
      const tone = ended === "ok" && session.hasMarks() ? "warn" : ended;
      const icon = tone === "ok" ? "$(check)" : tone === "warn" ? "$(warning)" : tone === "stopped" ? "$(circle-slash)" : "$(error)";
      this.item.text = `${icon} ${session.progressText()}`;
      this.item.tooltip = `${session.outcome()}\nClick to show the logs.`;
      this.item.command = ids.showRunLogs;
      this.item.backgroundColor = tone === "error" ? new vscode.ThemeColor("statusBarItem.errorBackground") : tone === "warn" ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
