// Commands of the log panes: show the latest run's pane, and filter a pane to one step or task.
import * as vscode from "vscode";
import type { RunManager } from "../runs/runManager";
import type { LogFilter } from "./logFormat";
import { LogPane } from "./logPane";

export function registerLogCommands(manager: RunManager): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("flowlens.showRunLogs", () => {
      const run = manager.latest();
      if (!run) return void vscode.window.showInformationMessage("No Flowlens run yet: use Run flow or Run step.");
      run.pane.show(false);
    }),
    vscode.commands.registerCommand("flowlens.logs.filter", async (filter?: LogFilter) => {
      const pane = LogPane.active();
      if (!pane) return void vscode.window.showInformationMessage("No Flowlens log pane is open.");
      if (filter && typeof filter === "object") {
        pane.setFilter(filter);
        return pane.text();
      }
      type Item = vscode.QuickPickItem & { filter: LogFilter };
      const tasks = pane.tasks();
      const steps = [...new Set(tasks.map((t) => t.step))];
      const items: Item[] = [
        { label: "$(list-flat) All steps", filter: {} },
        ...steps.map((step) => ({ label: `$(symbol-method) ${step}`, description: "every task of the step", filter: { step } })),
        ...tasks.map((t) => ({ label: `$(symbol-event) ${t.step}/${t.taskId}`, description: "one task", filter: { step: t.step, taskId: t.taskId } })),
      ];
      const choice = await vscode.window.showQuickPick(items, { title: "Show the logs of", matchOnDescription: true });
      if (choice) {
        pane.setFilter(choice.filter);
        pane.show(false);
      }
      return pane.text();
    }),
  ];
}
