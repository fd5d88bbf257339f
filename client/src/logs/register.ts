// The log panes' feature: show the latest run's pane, filter a pane to one step or task, and
// clickable tracebacks in the panes.
import * as vscode from "vscode";
import { contributedCommands as ids } from "../../../server/src/protocol/commands";
import type { Services } from "../services";
import type { LogFilter } from "./logFormat";
import { LogPane } from "./logPane";
import { registerTracebackLinks } from "./tracebackLinks";

export function registerLogs({ runs: manager }: Services): vscode.Disposable[] {
  return [
    registerTracebackLinks(),
    vscode.commands.registerCommand(ids.showRunLogs, () => {
      const run = manager.latest();
      if (!run) return void vscode.window.showInformationMessage("No Flowlens run yet: use Run flow or Run step.");
      run.pane.show(false);
    }),
    vscode.commands.registerCommand(ids.filterLogs, async (filter?: LogFilter) => {
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
