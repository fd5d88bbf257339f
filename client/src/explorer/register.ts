// The Flowlens view container's "Runs" tree and its commands: refresh, reveal a run, open the
// code of a run, compare it with the working copy, resume it, show a task's logs, copy a load
// snippet. Refreshes on run events as well as on file-system changes.
import * as path from "node:path";
import * as vscode from "vscode";
import type { RunManager } from "../runs/runManager";
import type { TrustGate } from "../trust/gate";
import { datastoreConfig } from "../runs/datastoreConfig";
import { runCodeFile } from "./codeSnapshot";
import { loadSnippet } from "./loadSnippet";
import { logEvidence } from "./taskOutcome";
import { RunsTree } from "./runsTree";
import type { ArtifactItem, RunItem, TaskItem, TreeItemData } from "./treeModel";

export const codeScheme = "flowlens-run";

/** Read-only documents for run code and stored logs, by URI. */
class MemoryDocuments implements vscode.TextDocumentContentProvider {
  readonly docs = new Map<string, string>();
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? `This document is no longer available (${uri.toString()}).`;
  }
}

function isItem<K extends TreeItemData["kind"]>(x: unknown, kind: K): x is Extract<TreeItemData, { kind: K }> {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === kind;
}

export function registerExplorer(context: vscode.ExtensionContext, manager: RunManager, log: vscode.LogOutputChannel, trust: TrustGate): vscode.Disposable[] {
  const tree = new RunsTree(() => datastoreConfig(vscode.workspace.workspaceFolders?.[0]?.uri), log, trust);
  const view = vscode.window.createTreeView("flowlens.runs", { treeDataProvider: tree, showCollapseAll: true });
  const docs = new MemoryDocuments();

  async function codeOf(run: RunItem): Promise<{ uri: vscode.Uri; file: string } | undefined> {
    if (!run.record) {
      void vscode.window.showInformationMessage(`Run ${run.flow}/${run.runId} has no Flowlens run record, so its code snapshot is unknown.`);
      return undefined;
    }
    try {
      const model = await tree.current();
      const code = await runCodeFile(model.ds(run.flow), run.record);
      if (!code) {
        void vscode.window.showInformationMessage(`Run ${run.flow}/${run.runId} has no code package.`);
        return undefined;
      }
      const uri = vscode.Uri.from({ scheme: codeScheme, path: `/${run.flow}/run-${run.runId}/${code.relPath}` });
      docs.docs.set(uri.toString(), code.text);
      return { uri, file: run.record.file };
    } catch (err) {
      void vscode.window.showErrorMessage(`Cannot open the code of run ${run.flow}/${run.runId}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  async function revealRun(flow: unknown, runId: unknown): Promise<boolean> {
    await vscode.commands.executeCommand("workbench.view.extension.flowlens");
    if (typeof flow !== "string" || typeof runId !== "string") return false;
    tree.refresh();
    const run = await tree.findRun(flow, runId);
    if (!run) return false;
    await view.reveal(run, { select: true, focus: true, expand: true });
    return true;
  }

  return [
    tree,
    view,
    vscode.workspace.registerTextDocumentContentProvider(codeScheme, docs),
    manager.onDidChange(({ run, event }) => {
      if (run.session.done || event?.type === "run-finished") tree.refreshNow();
      else if (!event || event.type === "run-started" || event.type === "task-state") tree.refreshSoon();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("flowlens.datastore")) tree.refresh();
    }),
    // Trusted now: the workspace's datastore settings count and values load, without a reload.
    trust.onDidGrant(() => tree.refresh()),
    vscode.commands.registerCommand("flowlens.explorer.refresh", () => tree.refresh()),
    // The datastore model, for the previews (same extension host: the object itself is returned).
    vscode.commands.registerCommand("flowlens.explorer.model", () => tree.current()),
    vscode.commands.registerCommand("flowlens.explorer.revealRun", revealRun),
    vscode.commands.registerCommand("flowlens.run.openCode", async (run: unknown) => {
      if (!isItem(run, "run")) return;
      const code = await codeOf(run);
      if (code) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(code.uri), { preview: true });
      return code?.uri.toString();
    }),
    vscode.commands.registerCommand("flowlens.run.compareWithWorkingCopy", async (run: unknown) => {
      if (!isItem(run, "run")) return;
      const code = await codeOf(run);
      if (!code) return;
      await vscode.commands.executeCommand("vscode.diff", code.uri, vscode.Uri.file(code.file), `${path.basename(code.file)}: run ${run.runId} ↔ working copy`);
      return code.uri.toString();
    }),
    vscode.commands.registerCommand("flowlens.run.resume", (run: unknown) => {
      if (!isItem(run, "run") || !run.record) return;
      return vscode.commands.executeCommand("flowlens.resumeRun", { file: run.record.file, flow: run.flow, runId: run.runId });
    }),
    vscode.commands.registerCommand("flowlens.task.showLogs", async (task: unknown) => {
      if (!isItem(task, "task")) return;
      const model = await tree.current();
      const ds = model.ds(task.flow);
      const [out, err] = await Promise.all([ds.readLog(task.runId, task.step, task.taskId, task.attempt, "stdout"), ds.readLog(task.runId, task.step, task.taskId, task.attempt, "stderr")]);
      const uri = vscode.Uri.from({ scheme: codeScheme, path: `/${task.flow}/run-${task.runId}/${task.step}/${task.taskId}/attempt-${task.attempt}.log` });
      const text = `# stdout\n${out || "(empty)\n"}\n# stderr\n${err || "(empty)\n"}`;
      docs.docs.set(uri.toString(), text);
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
      // The lines that show why the task failed (or what @catch caught) are selected and scrolled to.
      const lines = logEvidence(task, text);
      if (lines.length > 0) {
        editor.selections = lines.map((l) => new vscode.Selection(l, 0, l, text.split("\n")[l]?.length ?? 0));
        editor.revealRange(new vscode.Range(lines[0] ?? 0, 0, lines[0] ?? 0, 0), vscode.TextEditorRevealType.InCenter);
      }
      return lines;
    }),
    vscode.commands.registerCommand("flowlens.artifact.copySnippet", async (artifact: unknown) => {
      if (!isItem(artifact, "artifact")) return;
      const model = await tree.current();
      const tasks = await model.ds(artifact.flow).listTasks(artifact.runId, artifact.step);
      const snippet = loadSnippet(artifact, tasks.length);
      await vscode.env.clipboard.writeText(snippet);
      void vscode.window.showInformationMessage(`Copied: ${snippet.split("\n").filter(Boolean).at(-1) ?? ""}`);
      return snippet;
    }),
    // For tests: what the tree shows for one run (steps → tasks → artifacts), as the user would expand it.
    vscode.commands.registerCommand("flowlens.explorer.snapshot", async (flow: string, runId: string) => {
      const top = await tree.getChildren();
      const flowItem = top.find((f) => f.kind === "flow" && f.flow === flow);
      if (!flowItem) return { flows: top.map((t) => (t.kind === "flow" ? t.flow : t.kind)) };
      const runs = await tree.getChildren(flowItem);
      const run = runs.find((r): r is RunItem => r.kind === "run" && r.runId === runId);
      if (!run) return { runs: runs.map((r) => (r.kind === "run" ? r.runId : r.kind)) };
      const steps: Record<string, { tasks: { taskId: string; status: string; description?: string; artifacts: { name: string; type: string; size: number; shape?: number[] }[] }[] }> = {};
      for (const step of await tree.getChildren(run)) {
        if (step.kind !== "step") continue;
        const tasks = (await tree.getChildren(step)).filter((t): t is TaskItem => t.kind === "task");
        steps[step.step] = {
          tasks: await Promise.all(
            tasks.map(async (t) => ({
              taskId: t.taskId,
              status: t.status,
              description: String(tree.getTreeItem(t).description ?? ""),
              artifacts: (await tree.getChildren(t)).filter((a): a is ArtifactItem => a.kind === "artifact").map((a) => ({ name: a.name, type: a.type, size: a.size, ...(a.preview?.shape ? { shape: a.preview.shape } : {}) })),
            })),
          ),
        };
      }
      return { run: { runId: run.runId, status: run.status, description: tree.getTreeItem(run).description }, steps };
    }),
    vscode.commands.registerCommand("flowlens.explorer.find", async (flow: string, runId: string, step: string, name: string) => {
      const model = await tree.current();
      const tasks = await model.tasks(flow, runId, step);
      const task = tasks.find((t): t is TaskItem => t.kind === "task");
      if (!task) return undefined;
      return (await model.artifacts(task)).find((a): a is ArtifactItem => a.kind === "artifact" && a.name === name);
    }),
  ];
}


