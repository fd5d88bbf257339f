// The Runs view's commands: refresh, open the code of a run, compare it with the working copy,
// resume it, show a task's logs, copy a load snippet; and its refresh on run events, settings
// and a grant of trust. The tree itself is the explorer service (service.ts).
import * as path from "node:path";
import * as vscode from "vscode";
import { contributedCommands as ids } from "../../../server/src/protocol/commands";
import type { Services } from "../services";
import { loadSnippet } from "./loadSnippet";
import type { TreeItemData } from "./treeModel";

function isItem<K extends TreeItemData["kind"]>(x: unknown, kind: K): x is Extract<TreeItemData, { kind: K }> {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === kind;
}

export function registerExplorer({ explorer, runs, trust, launcher }: Services): vscode.Disposable[] {
  const { tree } = explorer;
  return [
    runs.onDidChange(({ run, event }) => {
      if (run.session.done || event?.type === "run-finished") tree.refreshNow();
      else if (!event || event.type === "run-started" || event.type === "task-state") tree.refreshSoon();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("flowlens.datastore")) tree.refresh();
    }),
    // Trusted now: the workspace's datastore settings count and values load, without a reload.
    trust.onDidGrant(() => tree.refresh()),
    vscode.commands.registerCommand(ids.refreshRuns, () => tree.refresh()),
    vscode.commands.registerCommand(ids.openRunCode, async (run: unknown) => {
      if (!isItem(run, "run")) return;
      const code = await explorer.codeOf(run);
      if (code) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(code.uri), { preview: true });
      return code?.uri.toString();
    }),
    vscode.commands.registerCommand(ids.compareRunWithWorkingCopy, async (run: unknown) => {
      if (!isItem(run, "run")) return;
      const code = await explorer.codeOf(run);
      if (!code) return;
      await vscode.commands.executeCommand("vscode.diff", code.uri, vscode.Uri.file(code.file), `${path.basename(code.file)}: run ${run.runId} ↔ working copy`);
      return code.uri.toString();
    }),
    vscode.commands.registerCommand(ids.resumeFromRunsView, (run: unknown) => {
      if (!isItem(run, "run") || !run.record) return;
      return launcher.resume({ file: run.record.file, flow: run.flow, runId: run.runId });
    }),
    vscode.commands.registerCommand(ids.showTaskLogs, async (task: unknown) => {
      return isItem(task, "task") ? explorer.showTaskLogs(task) : undefined;
    }),
    vscode.commands.registerCommand(ids.copyArtifactSnippet, async (artifact: unknown) => {
      if (!isItem(artifact, "artifact")) return;
      const tasks = await (await explorer.model()).ds(artifact.flow).listTasks(artifact.runId, artifact.step);
      const snippet = loadSnippet(artifact, tasks.length);
      await vscode.env.clipboard.writeText(snippet);
      void vscode.window.showInformationMessage(`Copied: ${snippet.split("\n").filter(Boolean).at(-1) ?? ""}`);
      return snippet;
    }),
  ];
}
