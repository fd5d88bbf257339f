// The graph panel host. There is one panel, and it follows the active flow file: the graph is a
// companion of the code being edited (like the Outline view), so one panel beside the editor that
// switches with it keeps the layout tidy and never shows a stale file; a panel per file would pile
// up tabs that each need their own server subscription. The registry that keeps the one panel
// (show, revive after a reload) is graphPanels.ts; this file is one panel's host: localResourceRoots
// = dist/, nonce CSP, the checked messages of protocol/webview.ts.
import * as vscode from "vscode";
import type { FlowGraph, GraphResult, WireRange } from "../../server/src/protocol/graph";
import type { GraphMessage, HostToWebview, RunStatusMessage, ViewCommand, WebviewToHost } from "../../server/src/protocol/webview";
import { isWebviewToHost } from "../../server/src/protocol/webview";
import { isFlowDocument } from "./flowDetection";
import { graphHtml } from "./graphHtml";
import type { GraphSource } from "./languageClient";
import { followActiveEditor, graphViewOptions } from "./settings";

export const graphViewType = "flowlens.graph";

export type RenderedMessage = Extract<WebviewToHost, { type: "rendered" }>;

export interface GraphPanelDeps {
  extensionUri: vscode.Uri;
  source: GraphSource;
  log: vscode.LogOutputChannel;
  /** Fires after each drawing of any panel (the extension's API exposes it to tests). */
  rendered: vscode.EventEmitter<RenderedMessage>;
  /** The card badge of a step was clicked: open the step's latest card (the cards service). */
  openStepCard(flow: string, step: string): void;
  /** A node's run pill: the latest run's logs of the step. */
  showStepLogs(step: string): void;
  /** The graph's Timeline button: the run's timeline tab, in the panel's group. */
  showTimeline(ref: { flow: string; runId: string; viewColumn?: vscode.ViewColumn }): void;
}

export class GraphPanel implements vscode.Disposable {
  private followed: vscode.Uri | undefined;
  private last: GraphResult | undefined;
  private ready = false;
  private queue: HostToWebview[] = [];
  private preferredFlow: string | undefined;
  /** When the newest graph message was posted: the log reports notification-to-drawing latency. */
  private graphPostedAt = 0;
  private lastRunStatus: RunStatusMessage | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private isDisposed = false;
  private readonly disposed = new vscode.EventEmitter<void>();
  /** Fires once, when the panel is closed or replaced: the registry forgets it. */
  readonly onDidDispose = this.disposed.event;

  static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist")], retainContextWhenHidden: false };
  }

  /** Made only by the registry (graphPanels.ts), which keeps the one panel. */
  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: GraphPanelDeps,
  ) {
    panel.webview.html = graphHtml(panel.webview, vscode.Uri.joinPath(deps.extensionUri, "dist"));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // A hidden webview's page is discarded (retainContextWhenHidden is off, to save memory).
        if (!panel.visible) this.ready = false;
      }),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      deps.source.onDidChangeGraph((result) => {
        if (this.followed?.toString() === result.uri) this.post(this.message(result));
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && followActiveEditor() && isFlowDocument(editor.document) && editor.document.uri.toString() !== this.followed?.toString()) {
          this.follow(editor.document.uri);
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() === this.followed?.toString()) this.postCursor(e.selections[0]?.active);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("flowlens.graph") && this.last) this.post(this.message(this.last));
      }),
    );
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  follow(uri: vscode.Uri, flow?: string): void {
    this.followed = uri;
    this.preferredFlow = flow;
    this.panel.title = `Flow graph: ${basename(uri)}`;
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const uri = this.followed;
    if (!uri) return;
    const result = await this.deps.source.request(uri);
    if (uri !== this.followed) return;
    if (!result) {
      this.post({ type: "noFlow", reason: `No graph for ${basename(uri)}: the language server is not available (see the Flowlens output).` });
      return;
    }
    this.post(this.message(result));
  }

  viewCommand(command: ViewCommand): void {
    this.post({ type: "viewCommand", command });
  }

  /** Run marks for the nodes of a flow (from the editor-runs feature); kept and re-sent after a reload. */
  postRunStatus(message: RunStatusMessage): void {
    this.lastRunStatus = message.runId === null ? undefined : message;
    this.post(message);
  }

  private message(result: GraphResult): GraphMessage {
    // A broken file's partial graph is not drawn (the panel keeps the last good one), so clicks
    // and the cursor keep using the last good graph's ranges too.
    if (!result.broken || !this.last || this.last.uri !== result.uri) this.last = result;
    const uri = vscode.Uri.parse(result.uri);
    const message: GraphMessage = {
      type: "graph",
      uri: result.uri,
      fileName: basename(uri),
      version: result.version,
      flows: result.flows,
      broken: result.broken,
      errorCount: result.errorCount,
      problem: result.broken ? firstError(uri) : undefined,
      options: graphViewOptions(uri),
      preferredFlow: this.preferredFlow,
    };
    this.preferredFlow = undefined;
    return message;
  }

  private post(message: HostToWebview): void {
    if (message.type === "graph") this.graphPostedAt = Date.now();
    if (!this.ready) {
      // Messages sent before the script listens would be lost; the newest graph is all that matters.
      this.queue = [...this.queue.filter((m) => m.type !== message.type), message];
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private postCursor(position: vscode.Position | undefined): void {
    if (!position || !this.last || !this.followed) return;
    const hit = stepAt(this.last.flows, position);
    this.post({ type: "cursor", uri: this.followed.toString(), flow: hit?.flow ?? null, step: hit?.step ?? null });
  }

  private receive(raw: unknown): void {
    if (!isWebviewToHost(raw)) {
      this.deps.log.warn(`graph panel: ignored a malformed message: ${JSON.stringify(raw).slice(0, 200)}`);
      return;
    }
    switch (raw.type) {
      case "ready": {
        // Also sent again when a hidden panel is shown (its page is reloaded): resend the graph.
        this.ready = true;
        const queued = this.queue.splice(0);
        if (!queued.some((m) => m.type === "graph") && this.last) queued.unshift(this.message(this.last));
        if (!queued.some((m) => m.type === "runStatus") && this.lastRunStatus) queued.push(this.lastRunStatus);
        for (const m of queued) this.post(m);
        break;
      }
      case "reveal":
        void this.reveal(raw.uri, raw.flow, raw.step);
        break;
      case "openCard":
        this.deps.openStepCard(raw.flow, raw.step);
        break;
      case "stepLogs":
        // What the node's context menu "Show Step Logs" does.
        this.deps.showStepLogs(raw.step);
        break;
      case "export":
        void this.save(raw.format, raw.data, raw.suggestedName);
        break;
      case "rendered":
        this.deps.log.info(
          `graph: ${raw.flow} drawn, ${raw.nodes} steps, ${raw.edges} edges; layout+render ${raw.ms} ms, ${Date.now() - this.graphPostedAt} ms after the graph was sent${raw.greyed ? " (greyed: file broken)" : ""}`,
        );
        this.deps.rendered.fire(raw);
        break;
      case "error":
        this.deps.log.error(`graph panel: ${raw.message}`);
        break;
      case "showTimeline":
        this.showTimeline(raw.flow);
        break;
      case "runStatusShown":
        this.deps.log.debug(`graph: run ${raw.runId ?? "(cleared)"} marks on ${raw.flow}: ${JSON.stringify(raw.marks)}`);
        break;
    }
  }

  /** The graph's Timeline button: the timeline of the run whose marks the panel shows, in the panel's own group. */
  private showTimeline(flow: string): void {
    const run = this.lastRunStatus?.flow === flow ? this.lastRunStatus.runId : null;
    if (run === null) {
      void vscode.window.showInformationMessage(`The graph shows no run of ${flow} yet: run the flow, or use Show Run Timeline on a run in the Flowlens Runs view.`);
      return;
    }
    this.deps.showTimeline({ flow, runId: run, ...(this.panel.viewColumn !== undefined ? { viewColumn: this.panel.viewColumn } : {}) });
  }

  private async reveal(uriText: string, flow: string, step: string): Promise<void> {
    const graph = this.last?.flows.find((f) => f.flow === flow);
    const source = graph?.sources[step];
    if (!source) return;
    const uri = vscode.Uri.parse(source.uri ?? uriText);
    const existing = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const doc = await vscode.workspace.openTextDocument(uri);
    const range = toRange(source.nameRange);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async save(format: "svg" | "png", data: string, suggestedName: string): Promise<void> {
    const folder = this.followed ? vscode.Uri.joinPath(this.followed, "..") : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined,
      filters: format === "svg" ? { SVG: ["svg"] } : { PNG: ["png"] },
    });
    if (!target) return;
    const bytes = format === "svg" ? new TextEncoder().encode(data) : Buffer.from(data, "base64");
    await vscode.workspace.fs.writeFile(target, bytes);
    this.deps.log.info(`graph exported to ${target.fsPath}`);
  }

  /** Brings the panel forward without taking the focus from the editor. */
  bringForward(column: vscode.ViewColumn): void {
    this.panel.reveal(column, true);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}

function basename(uri: vscode.Uri): string {
  return uri.path.split("/").pop() ?? uri.path;
}

function toRange(r: WireRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** The innermost step whose range contains the position. */
export function stepAt(flows: FlowGraph[], position: vscode.Position): { flow: string; step: string | null } | undefined {
  for (const flow of flows) {
    for (const [step, source] of Object.entries(flow.sources)) {
      if (!source.uri && toRange(source.range).contains(position)) return { flow: flow.flow, step };
    }
    if (toRange(flow.range).start.line <= position.line) {
      const inside = Object.values(flow.sources).some((s) => !s.uri && s.range.end.line >= position.line);
      if (inside) return { flow: flow.flow, step: null };
    }
  }
  return undefined;
}

/** The first error in the file as `file:line: message`, for the panel's "broken" banner. */
function firstError(uri: vscode.Uri): string | undefined {
  const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
  const code = (d: vscode.Diagnostic): string => String(typeof d.code === "object" ? d.code.value : (d.code ?? ""));
  // The syntax error (FL000) is what breaks the file; other errors are consequences of it.
  const syntax = errors.filter((d) => code(d) === "FL000").sort((a, b) => a.range.start.compareTo(b.range.start));
  const error = syntax[0] ?? errors[0];
  return error ? `${basename(uri)}:${error.range.start.line + 1}: ${error.message}` : undefined;
}
