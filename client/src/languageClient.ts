// The language client for dist/server.js (Node IPC). Restarts the server after a crash with
// exponential backoff (1 s, 2 s, 4 s, ... up to 30 s) and tells the user once, not per crash;
// after five crashes within three minutes it stops and says how to restart.
import * as vscode from "vscode";
import { existsSync } from "node:fs";
import type { CloseHandlerResult, ErrorHandlerResult } from "vscode-languageclient/node";
import { CloseAction, ErrorAction, LanguageClient, TransportKind } from "vscode-languageclient/node";
import type { FlowInfoResult } from "../../server/src/protocol/flowInfo";
import type { GraphResult } from "../../server/src/protocol/graph";
import { flowInfoRequest, graphChangedNotification, graphRequest } from "../../server/src/protocol/requests";
import { serverNodeFlags } from "../../server/src/protocol/serverProcess";

/** Where the run commands learn which flow a file runs and what it needs (`flowlens/flowInfo`). */
export interface FlowInfoSource {
  /** Rejects with the reason when the server cannot answer (not started, the file is refused). */
  flowInfo(uri: vscode.Uri): Promise<FlowInfoResult>;
}

/** Where the graph panel gets graphs from; the panel does not know about LSP. */
export interface GraphSource {
  request(uri: vscode.Uri): Promise<GraphResult | undefined>;
  readonly onDidChangeGraph: vscode.Event<GraphResult>;
}

const crashWindowMs = 3 * 60 * 1000;
const maxCrashes = 5;

export class FlowlensLanguageClient implements GraphSource, FlowInfoSource, vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient | undefined> | undefined;
  private crashes: number[] = [];
  private crashShown = false;
  private readonly graphChanged = new vscode.EventEmitter<GraphResult>();
  readonly onDidChangeGraph = this.graphChanged.event;

  constructor(
    private readonly serverModule: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get running(): boolean {
    return this.client?.isRunning() ?? false;
  }

  /** True once something has started the server, even if it is still starting. */
  get requested(): boolean {
    return this.starting !== undefined;
  }

  /** Starts the server once; later calls return the same client. */
  start(): Promise<LanguageClient | undefined> {
    this.starting ??= this.create();
    return this.starting;
  }

  async request(uri: vscode.Uri): Promise<GraphResult | undefined> {
    const client = await this.start();
    if (!client) return undefined;
    try {
      return (await client.sendRequest(graphRequest, { uri: uri.toString() })) ?? undefined;
    } catch (err) {
      this.log.error(`flowlens/graph failed for ${uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  async flowInfo(uri: vscode.Uri): Promise<FlowInfoResult> {
    const client = await this.start();
    if (!client) throw new Error("the Flowlens language server is not running (see the Flowlens output)");
    const info = await client.sendRequest(flowInfoRequest, { uri: uri.toString() });
    if (!info) throw new Error(`the Flowlens language server has no analysis of ${uri.fsPath}`);
    return info;
  }

  private async create(): Promise<LanguageClient | undefined> {
    if (!existsSync(this.serverModule)) {
      const headline = `Flowlens: the language server is missing (${this.serverModule}). Reinstall the extension or run \`npm run build\`.`;
      this.log.error(headline);
      void vscode.window.showErrorMessage(headline);
      return undefined;
    }
    const t0 = Date.now();
    const client = new LanguageClient(
      "flowlens",
      "Flowlens",
      {
        run: { module: this.serverModule, transport: TransportKind.ipc, options: { execArgv: [...serverNodeFlags] } },
        debug: { module: this.serverModule, transport: TransportKind.ipc, options: { execArgv: [...serverNodeFlags, "--nolazy", "--inspect=6019"] } },
      },
      {
        documentSelector: [
          { scheme: "file", language: "python" },
          { scheme: "untitled", language: "python" },
          { scheme: "vscode-remote", language: "python" },
        ],
        outputChannel: this.log,
        synchronize: { configurationSection: "flowlens" },
        errorHandler: {
          error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue }),
          closed: () => this.onClosed(),
        },
      },
    );
    client.onNotification(graphChangedNotification, (result) => this.graphChanged.fire(result));
    this.client = client;
    try {
      await client.start();
      this.log.info(`language server started in ${Date.now() - t0} ms`);
      return client;
    } catch (err) {
      const headline = `Flowlens: the language server failed to start: ${err instanceof Error ? err.message : String(err)}`;
      this.log.error(headline);
      void vscode.window.showErrorMessage(headline, "Show Log").then((a) => a && this.log.show());
      return undefined;
    }
  }

  private async onClosed(): Promise<CloseHandlerResult> {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < crashWindowMs), now];
    if (this.crashes.length > maxCrashes) {
      const message = `Flowlens: the language server crashed ${maxCrashes} times in 3 minutes and was stopped. Run "Flowlens: Restart Language Server" after fixing the cause (see the Flowlens output).`;
      void vscode.window.showErrorMessage(message, "Show Log").then((a) => a && this.log.show());
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    const delay = Math.min(30_000, 1000 * 2 ** (this.crashes.length - 1));
    this.log.error(`language server stopped unexpectedly; restarting in ${delay} ms (crash ${this.crashes.length} in 3 minutes)`);
    if (!this.crashShown) {
      this.crashShown = true;
      void vscode.window.showWarningMessage("Flowlens: the language server crashed and is being restarted. Details are in the Flowlens output.", "Show Log").then((a) => a && this.log.show());
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    return { action: CloseAction.Restart, handled: true };
  }

  async restart(): Promise<void> {
    this.crashes = [];
    if (this.client) {
      await this.client.restart();
      this.log.info("language server restarted");
    } else {
      this.starting = undefined;
      await this.start();
    }
  }

  async dispose(): Promise<void> {
    this.graphChanged.dispose();
    await this.client?.stop();
  }
}
