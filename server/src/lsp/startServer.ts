// The language server: wires the LSP connection to the document store and the feature modules.
// The document features are one table (features.ts), registered in one loop through `request`:
// find the analysed document, run the feature under the guard (empty answer and one log line on
// failure), return.
import {
  DidChangeWatchedFilesNotification,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { GraphResult } from "../protocol/graph";
import { flowInfoRequest, graphChangedNotification, graphRequest } from "../protocol/requests";
import type { FeatureContext } from "./context";
import type { CoreEngine } from "./coreTypes";
import { toLspDiagnostics } from "./diagnostics";
import { Documents, type Refused } from "./documents";
import { capabilitiesOf } from "./feature";
import { documentFeatures } from "./features";
import { flowInfo } from "./flowInfo";
import { graphFingerprint, graphResult } from "./graph";
import { fileToUri, uriToFile } from "./paths";
import type { PositionMap } from "./positions";
import { Guard } from "./safe";
import { AnalysisScheduler } from "./scheduler";
import { emptyEngine, loadEngine } from "./engine";

export interface ServerOptions {
  /** How to get the analysis core; tests may pass their own. */
  engine?: () => Promise<CoreEngine>;
}

/** Never let a stray console call write to stdout, which carries the protocol. */
function redirectConsole(connection: Connection): void {
  const send = (kind: "log" | "info" | "warn" | "error") => (...args: unknown[]) => connection.console[kind](args.map(String).join(" "));
  console.log = send("log");
  console.info = send("info");
  console.debug = send("log");
  console.warn = send("warn");
  console.error = send("error");
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  redirectConsole(connection);
  new FlowlensServer(connection, options).listen();
}

/** The server's state (the open documents, the analysis scheduler, the last graph sent per file) and its handlers. */
class FlowlensServer {
  private readonly guard: Guard;
  private docs: Documents;
  private readonly lastGraph = new Map<string, string>();
  private watchRegistration = false;
  private readonly scheduler: AnalysisScheduler;

  constructor(
    private readonly connection: Connection,
    private readonly options: ServerOptions,
  ) {
    this.guard = new Guard({ error: (m) => connection.console.error(m), info: (m) => connection.console.info(m) });
    this.docs = new Documents(emptyEngine, (f, e) => this.guard.report(f, e));
    this.scheduler = new AnalysisScheduler({
      publish: (uri) => this.publish(uri),
      notifyGraph: (uri) => this.notifyGraph(uri),
      isOpen: (uri) => this.docs.get(uri) !== undefined,
      costOf: (uri) => this.docs.get(uri)?.costMs ?? 0,
    });
    process.on("uncaughtException", (error) => this.guard.report("uncaught exception", error));
    process.on("unhandledRejection", (error) => this.guard.report("unhandled rejection", error));
  }

  listen(): void {
    const { connection } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => {
      if (!this.watchRegistration) return;
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*.py" }] }).catch((e: unknown) => this.guard.report("file watching", e));
    });
    this.registerDocumentSync();
    for (const feature of documentFeatures) feature.register(connection, (name, uri, fallback, body) => this.request(name, uri, fallback, body));
    this.registerFlowRequests();
    connection.onShutdown(() => {
      for (const d of this.docs.all()) this.docs.close(d.uri);
    });
    connection.listen();
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    let engine = emptyEngine;
    try {
      engine = await (this.options.engine ?? loadEngine)();
    } catch (error) {
      this.connection.console.error(`flowlens: the analysis core failed to load; the server answers with empty results. ${error instanceof Error ? error.message : String(error)}`);
    }
    this.docs = new Documents(engine, (f, e) => this.guard.report(f, e));
    const roots = (params.workspaceFolders ?? []).map((f) => uriToFile(f.uri));
    if (roots.length === 0 && params.rootUri) roots.push(uriToFile(params.rootUri));
    this.docs.roots = roots;
    this.watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false }, ...capabilitiesOf(documentFeatures) },
      serverInfo: { name: "flowlens" },
    };
  }

  /** Open, change and close of documents, and changes of other Python files on disk: each re-analyses what depends on it. */
  private registerDocumentSync(): void {
    const { connection, guard } = this;
    connection.onDidOpenTextDocument((p) => {
      guard.run("open", undefined, () => {
        this.docs.didOpen(p.textDocument.uri, p.textDocument.version, p.textDocument.text);
        this.scheduler.schedule(p.textDocument.uri);
        this.recheckDependents(uriToFile(p.textDocument.uri));
      });
    });
    connection.onDidChangeTextDocument((p) => {
      guard.run("change", undefined, () => {
        const entry = this.docs.didChange(p.textDocument.uri, p.textDocument.version, p.contentChanges);
        if (!entry) return;
        this.scheduler.schedule(entry.uri);
        this.recheckDependents(entry.file);
      });
    });
    connection.onDidCloseTextDocument((p) => {
      guard.run("close", undefined, () => {
        this.docs.close(p.textDocument.uri);
        this.lastGraph.delete(p.textDocument.uri);
        this.scheduler.forget(p.textDocument.uri);
        void connection.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
        this.recheckDependents(uriToFile(p.textDocument.uri));
      });
    });
    connection.onDidChangeWatchedFiles((p) => {
      guard.run("watched files", undefined, () => {
        for (const change of p.changes) this.recheckDependents(uriToFile(change.uri));
      });
    });
  }

  /** `flowlens/graph` and `flowlens/flowInfo`: a file that is not read as source (a device, a directory, an oversized file) answers the reason, as an error. */
  private registerFlowRequests(): void {
    const { connection, guard } = this;
    connection.onRequest(graphRequest, (p) => {
      const graph = guard.run("graph", null, () => this.graphOf(p.uri) ?? null);
      return graph && "refused" in graph ? new ResponseError(LSPErrorCodes.RequestFailed, graph.refused) : graph;
    });
    connection.onRequest(flowInfoRequest, (p) => {
      const info = guard.run("flow info", null, () => {
        const analysed = this.docs.analysisOfFile(p.uri);
        return analysed === undefined || "refused" in analysed ? (analysed ?? null) : flowInfo(p.uri, analysed.result);
      });
      return info && "refused" in info ? new ResponseError(LSPErrorCodes.RequestFailed, info.refused) : info;
    });
  }

  private mapCache(): (file: string) => PositionMap | undefined {
    const cache = new Map<string, PositionMap | undefined>();
    return (file) => {
      if (!cache.has(file)) {
        const text = this.docs.readText(file);
        cache.set(file, text === undefined ? undefined : TextDocument.create(fileToUri(file), "python", 0, text));
      }
      return cache.get(file);
    };
  }

  /** Runs a document feature on an open document under the guard. */
  private request<T>(feature: string, uri: string, fallback: T, body: (ctx: FeatureContext) => T): T {
    return this.guard.run(feature, fallback, () => {
      const analysed = this.docs.analysis(uri);
      if (!analysed) return fallback;
      return body({ uri, file: analysed.file, text: analysed.doc.getText(), map: analysed.doc, result: analysed.result, mapOf: this.mapCache() });
    });
  }

  private publish(uri: string): void {
    this.guard.run("diagnostics", undefined, () => {
      const entry = this.docs.get(uri);
      const analysed = this.docs.analysis(uri);
      if (!entry || !analysed) return;
      const diagnostics = toLspDiagnostics(analysed.result, analysed.doc, uri, (f) => this.docs.readText(f));
      void this.connection.sendDiagnostics({ uri, version: entry.doc.version, diagnostics });
    });
  }

  private notifyGraph(uri: string): void {
    this.guard.run("graph notification", undefined, () => {
      const graph = this.graphOf(uri);
      if (!graph || "refused" in graph) return;
      const print = graphFingerprint(graph);
      if (this.lastGraph.get(uri) === print) return;
      this.lastGraph.set(uri, print);
      void this.connection.sendNotification(graphChangedNotification, graph);
    });
  }

  private graphOf(uri: string): GraphResult | Refused | undefined {
    const analysed = this.docs.analysisOfFile(uri);
    if (!analysed || "refused" in analysed) return analysed;
    const version = this.docs.get(uri)?.doc.version ?? null;
    return graphResult(uri, version, analysed.result, analysed.doc, this.mapCache());
  }

  private recheckDependents(file: string): void {
    for (const dependent of this.docs.dependents(file)) {
      this.docs.invalidate(dependent);
      this.scheduler.schedule(dependent.uri);
    }
  }
}
