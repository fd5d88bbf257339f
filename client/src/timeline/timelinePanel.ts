// A run timeline tab: one webview panel per run (flow and run id), showing what the host posts
// (server/src/protocol/timeline.ts). The data comes from a loader the register function gives it
// (the live recorder of an editor run, or the datastore), and is posted again on `refresh`.
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import type { TimelineMessage, TimelineWebviewToHost } from "../../../server/src/protocol/timeline";
import { isTimelineWebviewToHost } from "../../../server/src/protocol/timeline";
import { timelineHtmlText } from "./timelineHtmlTemplate";

export const timelineViewType = "flowlens.timeline";

/** What a load gives: the message to draw now, and maybe a reader of a fuller one (foreach inputs) to post after it. */
export interface TimelineLoad {
  message: TimelineMessage;
  more?: () => Promise<TimelineMessage>;
}

export interface TimelineHandlers {
  load(): Promise<TimelineLoad>;
  openLogs(step: string, taskId: string, attempt: number): Promise<void>;
  showGraph(): Promise<void>;
  log: vscode.LogOutputChannel;
}

export type TimelineDrawn = Extract<TimelineWebviewToHost, { type: "drawn" }>;
type Drawn = TimelineDrawn;

export class TimelinePanel implements vscode.Disposable {
  private static readonly open = new Map<string, TimelinePanel>();
  private ready = false;
  private pending: TimelineMessage | undefined;
  private loading: Promise<void> | undefined;
  private again = false;
  /** The newest drawing the webview reported (tests read it through a command). */
  lastDrawn: Drawn | undefined;
  private readonly drawnEmitter = new vscode.EventEmitter<Drawn>();
  readonly onDidDraw = this.drawnEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];

  static get(flow: string, runId: string): TimelinePanel | undefined {
    return TimelinePanel.open.get(`${flow}/${runId}`);
  }

  static createOrShow(extensionUri: vscode.Uri, flow: string, runId: string, handlers: TimelineHandlers, column: vscode.ViewColumn = vscode.ViewColumn.Active): TimelinePanel {
    const existing = TimelinePanel.get(flow, runId);
    if (existing) {
      existing.panel.reveal(column);
      existing.refresh();
      return existing;
    }
    const options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist")], retainContextWhenHidden: false };
    const panel = vscode.window.createWebviewPanel(timelineViewType, `Timeline: ${flow} ${runId}`, column, options);
    return TimelinePanel.adopt(panel, extensionUri, flow, runId, handlers);
  }

  /** A tab the workbench brought back after a window reload, showing its run again (a tab of the same run already open wins). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, flow: string, runId: string, handlers: TimelineHandlers): TimelinePanel {
    const existing = TimelinePanel.get(flow, runId);
    if (existing) {
      panel.dispose();
      return existing;
    }
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist")] };
    return TimelinePanel.adopt(panel, extensionUri, flow, runId, handlers);
  }

  private static adopt(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, flow: string, runId: string, handlers: TimelineHandlers): TimelinePanel {
    const dist = vscode.Uri.joinPath(extensionUri, "dist");
    const title = `Timeline: ${flow} ${runId}`;
    panel.title = title;
    const uri = (...parts: string[]): string => panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, ...parts)).toString();
    panel.webview.html = timelineHtmlText({ nonce: randomBytes(16).toString("base64"), cspSource: panel.webview.cspSource, scriptUri: uri("timeline.js"), cssUri: uri("media", "timeline.css"), title });
    const created = new TimelinePanel(panel, `${flow}/${runId}`, handlers);
    TimelinePanel.open.set(`${flow}/${runId}`, created);
    created.refresh();
    return created;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly key: string,
    private readonly handlers: TimelineHandlers,
  ) {
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // A hidden webview's page is discarded; it says `ready` again when shown.
        if (!panel.visible) this.ready = false;
      }),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      this.drawnEmitter,
    );
  }

  /** Loads the data again and posts it; calls while a load runs coalesce into one more load. */
  refresh(): void {
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = this.handlers
      .load()
      .then(async ({ message, more }) => {
        this.post(message);
        // The bars first; what only the hover shows follows (a later refresh waits for it).
        if (more) this.post(await more());
      })
      .catch((err: unknown) => {
        const text = err instanceof Error ? err.message : String(err);
        this.handlers.log.error(`timeline ${this.key}: ${text}`);
        void vscode.window.showErrorMessage(`Flowlens could not read the timeline of ${this.key}: ${text}`);
      })
      .finally(() => {
        this.loading = undefined;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  private post(message: TimelineMessage): void {
    this.pending = message;
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    if (!isTimelineWebviewToHost(raw)) {
      this.handlers.log.warn(`timeline: ignored a malformed message: ${JSON.stringify(raw).slice(0, 200)}`);
      return;
    }
    switch (raw.type) {
      case "ready":
        this.ready = true;
        if (this.pending) void this.panel.webview.postMessage(this.pending);
        break;
      case "openLogs":
        void this.handlers.openLogs(raw.step, raw.taskId, raw.attempt);
        break;
      case "showGraph":
        void this.handlers.showGraph();
        break;
      case "drawn":
        if (this.lastDrawn?.bars !== raw.bars) this.handlers.log.debug(`timeline ${this.key}: ${raw.rows} rows, ${raw.bars} bars, ${raw.drawnBars} drawn in ${raw.ms} ms`);
        this.lastDrawn = raw;
        this.drawnEmitter.fire(raw);
        break;
      case "error":
        this.handlers.log.error(`timeline: ${raw.message}`);
        break;
    }
  }

  dispose(): void {
    if (TimelinePanel.open.get(this.key) === this) TimelinePanel.open.delete(this.key);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
