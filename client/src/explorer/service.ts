// The Runs view as a service: the tree over the configured datastore, its view, and the
// read-only documents it opens (run code, stored logs). Other features ask it for the datastore
// model (previews, cards) and to reveal a run (the graph's step actions, the end of a run).
import * as vscode from "vscode";
import { datastoreConfig } from "../runs/datastoreConfig";
import type { TrustGate } from "../trust/gate";
import { runCodeFile } from "./codeSnapshot";
import { RunsTree } from "./runsTree";
import { logEvidence } from "./taskOutcome";
import { logText } from "../../../runtime/src/datastore/logLines";
import type { ExplorerModel, RunItem, TaskItem, TreeItemData } from "./treeModel";

/** A task attempt whose logs to show: a Runs view task (its failure or mark selects the lines that show it), or just where it is. */
export type TaskLogsRef = TaskItem | { flow: string; runId: string; step: string; taskId: string; attempt: number };

export const codeScheme = "flowlens-run";

/** Read-only documents for run code and stored logs, by URI. */
class MemoryDocuments implements vscode.TextDocumentContentProvider {
  readonly docs = new Map<string, string>();
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? `This document is no longer available (${uri.toString()}).`;
  }
}

export class ExplorerService implements vscode.Disposable {
  readonly tree: RunsTree;
  readonly view: vscode.TreeView<TreeItemData>;
  private readonly docs = new MemoryDocuments();
  private readonly disposables: vscode.Disposable[];

  constructor(log: vscode.LogOutputChannel, trust: TrustGate) {
    this.tree = new RunsTree(() => datastoreConfig(vscode.workspace.workspaceFolders?.[0]?.uri), log, trust);
    this.view = vscode.window.createTreeView("flowlens.runs", { treeDataProvider: this.tree, showCollapseAll: true });
    this.disposables = [this.tree, this.view, vscode.workspace.registerTextDocumentContentProvider(codeScheme, this.docs)];
  }

  /** The datastore model for the current settings (re-opened when they change). */
  model(): Promise<ExplorerModel> {
    return this.tree.current();
  }

  refresh(): void {
    this.tree.refresh();
  }

  /** Shows the Runs view with the run selected and expanded; false when the datastore has no such run. */
  async revealRun(flow: string, runId: string | undefined): Promise<boolean> {
    await vscode.commands.executeCommand("workbench.view.extension.flowlens");
    if (runId === undefined) return false;
    this.tree.refresh();
    const run = await this.tree.findRun(flow, runId);
    if (!run) return false;
    await this.view.reveal(run, { select: true, focus: true, expand: true });
    return true;
  }

  /** One attempt's stored stdout and stderr, as a read-only document. */
  async showTaskLogs(task: TaskLogsRef): Promise<number[]> {
    const ds = (await this.model()).ds(task.flow);
    const [out, err] = await Promise.all((["stdout", "stderr"] as const).map(async (stream) => logText(await ds.readLogLines(task.runId, task.step, task.taskId, task.attempt, stream))));
    const text = `# stdout\n${out || "(empty)\n"}\n# stderr\n${err || "(empty)\n"}`;
    const uri = this.document(`/${task.flow}/run-${task.runId}/${task.step}/${task.taskId}/attempt-${task.attempt}.log`, text);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    // The lines that show why the task failed (or what @catch caught) are selected and scrolled to.
    const lines = "status" in task ? logEvidence(task, text) : [];
    if (lines.length > 0) {
      editor.selections = lines.map((l) => new vscode.Selection(l, 0, l, text.split("\n")[l]?.length ?? 0));
      editor.revealRange(new vscode.Range(lines[0] ?? 0, 0, lines[0] ?? 0, 0), vscode.TextEditorRevealType.InCenter);
    }
    return lines;
  }

  /** A read-only document of the view's scheme, with `text`. */
  document(path: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: codeScheme, path });
    this.docs.docs.set(uri.toString(), text);
    return uri;
  }

  /** The flow file a run ran, as a read-only document, and the file it came from; the user is told when there is none. */
  async codeOf(run: RunItem): Promise<{ uri: vscode.Uri; file: string } | undefined> {
    if (!run.record) {
      void vscode.window.showInformationMessage(`Run ${run.flow}/${run.runId} has no Flowlens run record, so its code snapshot is unknown.`);
      return undefined;
    }
    try {
      const model = await this.model();
      const code = await runCodeFile(model.ds(run.flow), run.record);
      if (!code) {
        void vscode.window.showInformationMessage(`Run ${run.flow}/${run.runId} has no code package.`);
        return undefined;
      }
      return { uri: this.document(`/${run.flow}/run-${run.runId}/${code.relPath}`, code.text), file: run.record.file };
    } catch (err) {
      void vscode.window.showErrorMessage(`Cannot open the code of run ${run.flow}/${run.runId}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
