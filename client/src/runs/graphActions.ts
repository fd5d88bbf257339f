// Run actions from the graph panel's context menu (`webview/context`, webviewId flowlens.graph):
// "Show Step Logs" filters the latest run's log pane to the step; "Show Step Artifacts" reveals the
// run in the Runs view. The step comes from the right-clicked node's `data-vscode-context`
// ({"step": ...}); a right-click on the background asks with a quick pick of the run's steps.
import * as vscode from "vscode";
import { contributedCommands as ids } from "../../../server/src/protocol/commands";
import type { Services } from "../services";
import type { RunManager } from "./runManager";

function stepFromContext(ctx: unknown): string | undefined {
  const step = (ctx as { step?: unknown } | undefined)?.step;
  return typeof step === "string" ? step : undefined;
}

async function chooseStep(manager: RunManager, ctx: unknown): Promise<{ step: string; runIndex: number } | undefined> {
  const run = manager.latest();
  if (!run) {
    void vscode.window.showInformationMessage("No run from the editor yet: use Run flow or Run step, or browse earlier runs in the Flowlens Runs view.");
    return undefined;
  }
  const steps = Object.keys(run.session.stepStatuses());
  const step = stepFromContext(ctx) ?? (await vscode.window.showQuickPick(steps, { title: `Step of ${run.session.flow} run ${run.session.runId ?? ""}` }));
  return step ? { step, runIndex: manager.runs.indexOf(run) } : undefined;
}

/** The latest run's log pane, filtered to one step (a node's context menu, or its run pill in the graph). */
export function showStepLogs(manager: RunManager, step: string): string | undefined {
  const run = manager.latest();
  if (!run) return undefined;
  run.pane.setFilter({ step });
  run.pane.show(false);
  return run.pane.text();
}

export function registerGraphActions({ runs: manager, explorer }: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ids.graphStepLogs, async (ctx: unknown) => {
      const chosen = await chooseStep(manager, ctx);
      return chosen ? showStepLogs(manager, chosen.step) : undefined;
    }),
    vscode.commands.registerCommand(ids.graphStepArtifacts, async (ctx: unknown) => {
      const chosen = await chooseStep(manager, ctx);
      const run = chosen ? manager.runs[chosen.runIndex] : undefined;
      if (!run) return false;
      return explorer.revealRun(run.session.flow, run.session.runId);
    }),
  ];
}
