// The graph panel service: keeps the one graph panel (graphPanel.ts says why there is one) and is
// how every feature reaches it: show a file's graph, send run marks, a view command. It lives on
// the services object (services.ts) instead of a static field, so a feature names what it needs
// and a test can build the extension twice without a panel leaking between them.
import * as vscode from "vscode";
import type { RunStatusMessage, ViewCommand } from "../../server/src/protocol/webview";
import { isWebviewPersistedState } from "../../server/src/protocol/webview";
import { isFlowDocument } from "./flowDetection";
import { GraphPanel, graphViewType } from "./graphPanel";
import type { GraphPanelDeps, RenderedMessage } from "./graphPanel";

export class GraphPanels implements vscode.Disposable {
  private panel: GraphPanel | undefined;
  private readonly rendered = new vscode.EventEmitter<RenderedMessage>();
  /** Fires after each drawing of the panel (flow, node and edge counts, time). */
  readonly onDidRender = this.rendered.event;
  private readonly deps: GraphPanelDeps;

  constructor(deps: Omit<GraphPanelDeps, "rendered">) {
    this.deps = { ...deps, rendered: this.rendered };
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Shows the panel beside the editor (creating it once) and makes it follow `uri`. */
  show(uri: vscode.Uri | undefined, flow?: string): void {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    if (this.panel) this.panel.bringForward(column);
    else {
      const webviewPanel = vscode.window.createWebviewPanel(graphViewType, "Flow graph", { viewColumn: column, preserveFocus: true }, GraphPanel.options(this.deps.extensionUri));
      this.adopt(new GraphPanel(webviewPanel, this.deps));
    }
    if (uri) this.panel?.follow(uri, flow);
  }

  /** Called by the serializer after a reload: the webview's saved state says which file it showed. */
  revive(webviewPanel: vscode.WebviewPanel, state: unknown): void {
    webviewPanel.webview.options = GraphPanel.options(this.deps.extensionUri);
    const panel = new GraphPanel(webviewPanel, this.deps);
    this.adopt(panel);
    const savedUri = isWebviewPersistedState(state) && state.uri ? vscode.Uri.parse(state.uri) : undefined;
    const active = vscode.window.activeTextEditor?.document;
    const uri = savedUri ?? (active && isFlowDocument(active) ? active.uri : undefined);
    if (uri) panel.follow(uri);
  }

  viewCommand(command: ViewCommand): void {
    this.panel?.viewCommand(command);
  }

  /** Run marks for the nodes of a flow; the panel keeps them and sends them again after a reload. */
  postRunStatus(message: RunStatusMessage): void {
    this.panel?.postRunStatus(message);
  }

  private adopt(panel: GraphPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
  }

  dispose(): void {
    this.panel?.dispose();
    this.rendered.dispose();
  }
}
