// The Flowlens extension's entry point (bundled to dist/client.js).
// Activation stays cheap (target ≤ 100 ms): it registers commands, the graph panel serializer and
// the status bar, and starts the language server only once a flow file is open (a regex check of
// the text, see flowDetection.ts) or a Flowlens command needs it.
import * as vscode from "vscode";
import { isFlowDocument } from "./flowDetection";
import { GraphPanel, graphViewType } from "./graphPanel";
import type { GraphPanelDeps, RenderedMessage } from "./graphPanel";
import { InterpreterService } from "./interpreter";
import { parseLensArguments } from "./lensArguments";
import { FlowlensLanguageClient } from "./languageClient";
import { registerCompare } from "./compare/register";
import { registerRunCommands } from "./runCommands";
import { registerTerminalEnvironment } from "./terminalEnvironment";
import { vscodeTrustGate } from "./trust/vscodeTrust";
import type { ViewCommand } from "../../server/src/protocol/webview";

/** What the extension exports: used by the integration tests and the activation benchmark. */
export interface FlowlensApi {
  activationMs: number;
  serverRunning(): boolean;
  graphPanelVisible(): boolean;
  /** Fires when the graph panel finished a drawing (flow, node and edge counts, time). */
  onDidRenderGraph: vscode.Event<RenderedMessage>;
}

let languageClient: FlowlensLanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): FlowlensApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel("Flowlens", { log: true });
  const client = new FlowlensLanguageClient(vscode.Uri.joinPath(context.extensionUri, "dist", "server.js").fsPath, log);
  languageClient = client;
  const trust = vscodeTrustGate();
  const interpreter = new InterpreterService(log, trust);
  const rendered = new vscode.EventEmitter<RenderedMessage>();
  const deps: GraphPanelDeps = { extensionUri: context.extensionUri, source: client, log, rendered };
  const startIfFlow = (doc: vscode.TextDocument | undefined): void => {
    if (doc && isFlowDocument(doc)) void client.start();
  };
  const updateContext = (editor: vscode.TextEditor | undefined): void => {
    void vscode.commands.executeCommand("setContext", "flowlens.isFlowFile", editor ? isFlowDocument(editor.document) : false);
  };

  context.subscriptions.push(
    log,
    rendered,
    interpreter,
    ...registerRunCommands(log, { context, interpreter, trust, flows: client }),
    registerTerminalEnvironment(context, log),
    ...registerCompare(context, log, trust, interpreter),
    vscode.commands.registerCommand("flowlens.showGraph", (raw: unknown) => showGraph(deps, raw)),
    ...(["fit", "zoomIn", "zoomOut", "exportSvg", "exportPng"] as ViewCommand[]).map((c) =>
      vscode.commands.registerCommand(`flowlens.graph.${c}`, () => GraphPanel.current?.viewCommand(c)),
    ),
    vscode.commands.registerCommand("flowlens.restartServer", () => client.restart()),
    vscode.commands.registerCommand("flowlens.showLog", () => log.show()),
    vscode.window.registerWebviewPanelSerializer(graphViewType, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        void client.start();
        GraphPanel.revive(panel, deps, state);
        return Promise.resolve();
      },
    }),
    vscode.workspace.onDidOpenTextDocument(startIfFlow),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      updateContext(editor);
      startIfFlow(editor?.document);
    }),
    trust.onDidGrant(() => log.info("workspace trusted: running flows and loading artifact values is allowed")),
  );
  for (const doc of vscode.workspace.textDocuments) startIfFlow(doc);
  updateContext(vscode.window.activeTextEditor);

  const activationMs = Math.round((performance.now() - t0) * 10) / 10;
  log.info(`Flowlens activated in ${activationMs} ms${vscode.workspace.isTrusted ? "" : " (Restricted Mode: analysis only, no Python is started)"}`);
  return {
    activationMs,
    serverRunning: () => client.running,
    graphPanelVisible: () => GraphPanel.current?.visible ?? false,
    onDidRenderGraph: rendered.event,
  };
}

/** Opens the graph for a CodeLens' flow, a file URI (explorer, editor title) or the active editor. */
function showGraph(deps: GraphPanelDeps, raw: unknown): void {
  const lens = parseLensArguments(raw);
  let uri: vscode.Uri | undefined;
  if (lens) uri = vscode.Uri.parse(lens.uri);
  else if (raw instanceof vscode.Uri) uri = raw;
  else uri = vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage("Flowlens: open a flow file (a Python file with a FlowSpec class) to show its graph.");
    return;
  }
  GraphPanel.createOrShow(deps, uri, lens?.flow);
}

export async function deactivate(): Promise<void> {
  await languageClient?.dispose();
}
