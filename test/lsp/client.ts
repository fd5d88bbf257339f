// A real JSON-RPC client for the language server over stdio, for the LSP tests and the bench.
// It records every diagnostics push and notification so that tests wait for events, not time.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import type { InitializeResult, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from "vscode-languageserver-protocol";

export const repoRoot = join(__dirname, "..", "..");

export type ServerKind = "source" | "dist" | "cli";

/** How to start the server: from source under tsx (default), the bundle, or `flowlens lsp --stdio`. */
function command(kind: ServerKind): string[] {
  if (kind === "dist") return [join(repoRoot, "dist", "server.js"), "--stdio"];
  if (kind === "cli") return [join(repoRoot, "bin", "flowlens.js"), "lsp", "--stdio"];
  return ["--import", "tsx", join(repoRoot, "server", "src", "server.ts"), "--stdio"];
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

interface Waiter {
  method: string;
  accept: (params: unknown) => boolean;
  resolve: (params: unknown) => void;
}

export class LspClient {
  readonly logs: string[] = [];
  readonly stderr: string[] = [];
  readonly received: { method: string; params: unknown }[] = [];
  private waiters: Waiter[] = [];
  exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    connection.onNotification((method, params: unknown) => {
      if (method === "window/logMessage") this.logs.push((params as { message: string }).message);
      this.received.push({ method, params });
      const ready = this.waiters.filter((w) => w.method === method && w.accept(params));
      this.waiters = this.waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve(params);
    });
    connection.onRequest("client/registerCapability", () => null);
    connection.onRequest("workspace/configuration", () => []);
    connection.listen();
  }

  static async start(options: { kind?: ServerKind; rootDir?: string; watch?: boolean } = {}): Promise<LspClient> {
    // FLOWLENS_SERVER_NODE_ARGS (e.g. "--cpu-prof") profiles the server under a test or the bench.
    const nodeArgs = (process.env.FLOWLENS_SERVER_NODE_ARGS ?? "").split(" ").filter((a) => a.length > 0);
    const child = spawn(process.execPath, [...nodeArgs, ...command(options.kind ?? "source")], { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] });
    if (!child.stdout || !child.stdin || !child.stderr) throw new Error("LspClient: the server has no stdio pipes");
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection);
    child.stderr.on("data", (d: Buffer) => client.stderr.push(d.toString()));
    const root = options.rootDir ?? repoRoot;
    await client.request<InitializeResult>("initialize", {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: "ws" }],
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: options.watch ?? false } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      },
    });
    client.notify("initialized", {});
    return client;
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  notify(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  /** Resolves with the first notification (already received or future) that satisfies `accept`. */
  waitFor<T>(method: string, accept: (params: T) => boolean = () => true, timeoutMs = 20000, since = 0): Promise<T> {
    const seen = this.received.slice(since).find((r) => r.method === method && accept(r.params as T));
    if (seen) return Promise.resolve(seen.params as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${method}; logs: ${this.logs.join(" | ")}`)), timeoutMs);
      this.waiters.push({
        method,
        accept: (p) => accept(p as T),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p as T);
        },
      });
    });
  }

  /** The diagnostics pushed for `uri` at `version` (waits until they arrive). */
  diagnostics(uri: string, version: number, timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    return this.waitFor<PublishDiagnosticsParams>("textDocument/publishDiagnostics", (p) => p.uri === uri && p.version === version, timeoutMs);
  }

  open(uri: string, text: string, version = 1): void {
    this.notify("textDocument/didOpen", { textDocument: { uri, languageId: "python", version, text } });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): void {
    this.notify("textDocument/didChange", { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): void {
    this.notify("textDocument/didClose", { textDocument: { uri } });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      try {
        await this.request("shutdown", null);
        this.notify("exit", null);
      } catch {
        this.child.kill();
      }
    }
    await this.exited;
    this.connection.dispose();
  }
}
