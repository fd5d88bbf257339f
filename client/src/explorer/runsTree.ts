// The "Runs" tree of the Flowlens view container: flow → run → step → task → artifacts, read
// from the configured datastore. Refreshes on file-system changes (local) and on run events
// (debounced), without a reload.
import * as vscode from "vscode";
import { openObjectStore } from "../../../runtime/src/datastore/open";
import type { DatastoreConfig } from "../runs/datastoreConfig";
import type { TrustGate } from "../trust/gate";
import { manageTrustCommand } from "../trust/gate";
import { itemText } from "./treeLabels";
import { cardItemId, cardItems, cardsNode } from "../cards/cardTreeItems";
import { contributedCommands as ids } from "../../../server/src/protocol/commands";
import { ExplorerModel } from "./treeModel";
import type { RunItem, TreeItemData } from "./treeModel";

export class RunsTree implements vscode.TreeDataProvider<TreeItemData>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeItemData | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private model: Promise<ExplorerModel> | undefined;
  private configKey = "";
  private timer: NodeJS.Timeout | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  /** Run items last returned, by `flow/run`, for reveal and for the task status of a running run. */
  private readonly runItems = new Map<string, RunItem>();
  private readonly flowItems = new Map<string, TreeItemData>();

  constructor(
    private readonly config: () => DatastoreConfig,
    private readonly log: vscode.LogOutputChannel,
    private readonly trust: TrustGate,
  ) {}

  /** The model for the current settings; re-opened when the datastore settings change. */
  current(): Promise<ExplorerModel> {
    const c = this.config();
    const key = `${c.kind}:${c.root}:${JSON.stringify(c.env)}`;
    if (!this.model || key !== this.configKey) {
      this.configKey = key;
      this.watch(c);
      this.model = openObjectStore({ kind: c.kind, root: c.root, env: { ...process.env, ...c.env } }).then((store) => new ExplorerModel(store));
      this.model.catch((err: unknown) => this.log.error(`explorer: cannot open the datastore ${c.root}: ${err instanceof Error ? err.message : String(err)}`));
    }
    return this.model;
  }

  private watch(c: DatastoreConfig): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    if (c.kind !== "local") return;
    // Only the files that change what the tree shows: run records, finished attempts, latest_run.
    const pattern = new vscode.RelativePattern(vscode.Uri.file(c.root), "**/{run.json,*.DONE.lock,*.attempt.json,latest_run}");
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const onChange = (): void => this.refreshSoon();
    this.watcher.onDidCreate(onChange);
    this.watcher.onDidChange(onChange);
    this.watcher.onDidDelete(onChange);
  }

  /** Coalesces bursts (a foreach of 1,000 tasks) into one refresh every 300 ms. */
  refreshSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, 300);
  }

  /** A run ended: show its final status at once rather than after the debounce. */
  refreshNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.fire(undefined);
  }

  refresh(): void {
    this.model = undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(item: TreeItemData): vscode.TreeItem {
    const text = itemText(item);
    const leaf = item.kind === "artifact" || item.kind === "problem" || item.kind === "trust" || item.kind === "card";
    const expanded = item.kind === "flow" ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const t = new vscode.TreeItem(text.label, leaf ? vscode.TreeItemCollapsibleState.None : expanded);
    if (text.description !== undefined) t.description = text.description;
    if (text.tooltip !== undefined) t.tooltip = text.tooltip;
    t.iconPath = new vscode.ThemeIcon(text.icon, text.color ? new vscode.ThemeColor(text.color) : undefined);
    t.contextValue = `flowlens.${item.kind}${item.kind === "run" && item.record ? ".recorded" : ""}`;
    // Problem messages may repeat; only real entries get stable ids (they keep expansion across refreshes).
    if (item.kind !== "problem") t.id = itemId(item);
    if (item.kind === "artifact") t.command = { command: ids.previewArtifact, title: "Preview", arguments: [item] };
    if (item.kind === "trust") t.command = { command: manageTrustCommand, title: itemText(item).label };
    if (item.kind === "card") t.command = { command: ids.openCard, title: "Open card", arguments: [item] };
    // A failure's cause or a mark is one click from the log lines that show it.
    if (item.kind === "task" && (item.failure || item.mark)) t.command = { command: ids.showTaskLogs, title: "Show logs", arguments: [item] };
    return t;
  }

  async getChildren(item?: TreeItemData): Promise<TreeItemData[]> {
    let model: ExplorerModel;
    try {
      model = await this.current();
    } catch (err) {
      return [{ kind: "problem", message: `Cannot open the datastore: ${err instanceof Error ? err.message : String(err)}` }];
    }
    if (!item) {
      const flows = await model.flows();
      for (const f of flows) if (f.kind === "flow") this.flowItems.set(f.flow, f);
      // Read on every refresh: a grant of trust refreshes the tree, and the item goes.
      return this.trust.trusted || flows.length === 0 ? flows : [{ kind: "trust" }, ...flows];
    }
    switch (item.kind) {
      case "flow": {
        const runs = await model.runs(item.flow);
        for (const r of runs) if (r.kind === "run") this.runItems.set(`${r.flow}/${r.runId}`, r);
        return runs;
      }
      case "run":
        return model.steps(item.flow, item.runId);
      case "step":
        return model.tasks(item.flow, item.runId, item.step, this.runItems.get(`${item.flow}/${item.runId}`)?.status);
      case "task": {
        const [cards, artifacts] = await Promise.all([cardsNode(model.store, item), model.artifacts(item)]);
        return [...cards, ...artifacts];
      }
      case "cards":
        return cardItems(model.store, item);
      default:
        return [];
    }
  }

  getParent(item: TreeItemData): TreeItemData | undefined {
    if (item.kind === "run") return this.flowItems.get(item.flow);
    return undefined;
  }

  /** The run item for `flow/run` after re-reading the flow's runs (for reveal). */
  async findRun(flow: string, runId: string): Promise<RunItem | undefined> {
    const model = await this.current();
    if (!this.flowItems.has(flow)) this.flowItems.set(flow, { kind: "flow", flow });
    const runs = await model.runs(flow);
    const run = runs.find((r): r is RunItem => r.kind === "run" && r.runId === runId);
    if (run) this.runItems.set(`${flow}/${runId}`, run);
    return run;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher?.dispose();
    this.changed.dispose();
  }
}

export function itemId(item: TreeItemData): string {
  switch (item.kind) {
    case "flow":
      return `flow:${item.flow}`;
    case "run":
      return `run:${item.flow}/${item.runId}`;
    case "step":
      return `step:${item.flow}/${item.runId}/${item.step}`;
    case "task":
      return `task:${item.flow}/${item.runId}/${item.step}/${item.taskId}`;
    case "artifact":
      return `artifact:${item.flow}/${item.runId}/${item.step}/${item.taskId}/${item.name}`;
    case "problem":
      return `problem:${item.message}`;
    case "trust":
      return "trust";
    case "cards":
    case "card":
      return cardItemId(item);
  }
}
