// The language server: wires the LSP connection to the document store and the feature modules.
// Handlers stay one-liners through `request`: find the analysed document, run the feature under
// the guard (empty answer and one log line on failure), return.
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type Position,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { ArtifactAtRequest, type ArtifactAtParams } from "../protocol/artifactAt";
import { FlowInfoRequest, type FlowInfoParams } from "../protocol/flowInfo";
import { GraphChangedNotification, GraphRequest, type GraphParams, type GraphResult } from "../protocol/graph";
import { artifactAt } from "./artifactAt";
import { codeActions } from "./codeActions";
import { codeLenses } from "./codeLens";
import { completion } from "./completion";
import type { FeatureContext } from "./context";
import type { CoreEngine } from "./coreTypes";
import { definition } from "./definition";
import { toLspDiagnostics } from "./diagnostics";
import { Documents, type Refused } from "./documents";
import { flowInfo } from "./flowInfo";
import { graphFingerprint, graphResult } from "./graph";
import { hover } from "./hover";
import { fileToUri, uriToFile } from "./paths";
import type { PositionMap } from "./positions";
import { references } from "./references";
import { prepareRename, RenameRefused, renameEdits } from "./rename";
import { Guard } from "./safe";
import { AnalysisScheduler } from "./scheduler";
import { documentSymbols } from "./symbols";
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
  const guard = new Guard({ error: (m) => connection.console.error(m), info: (m) => connection.console.info(m) });
  let docs = new Documents(emptyEngine, (f, e) => guard.report(f, e));
  const lastGraph = new Map<string, string>();
  let watchRegistration = false;
  const scheduler = new AnalysisScheduler({
    publish: (uri) => publish(uri),
    notifyGraph: (uri) => notifyGraph(uri),
    isOpen: (uri) => docs.get(uri) !== undefined,
    costOf: (uri) => docs.get(uri)?.costMs ?? 0,
  });
  const schedule = (uri: string): void => scheduler.schedule(uri);

  process.on("uncaughtException", (error) => guard.report("uncaught exception", error));
  process.on("unhandledRejection", (error) => guard.report("unhandled rejection", error));

  const mapCache = (): ((file: string) => PositionMap | undefined) => {
    const cache = new Map<string, PositionMap | undefined>();
    return (file) => {
      if (!cache.has(file)) {
        const text = docs.readText(file);
        cache.set(file, text === undefined ? undefined : TextDocument.create(fileToUri(file), "python", 0, text));
      }
      return cache.get(file);
    };
  };

  const contextFor = (uri: string): FeatureContext | undefined => {
    const analysed = docs.analysis(uri);
    if (!analysed) return undefined;
    return { uri, file: analysed.file, text: analysed.doc.getText(), map: analysed.doc, result: analysed.result, mapOf: mapCache() };
  };

  /** Runs a position-based feature on an open document under the guard. */
  function request<T>(feature: string, uri: string, fallback: T, body: (ctx: FeatureContext) => T): T {
    return guard.run(feature, fallback, () => {
      const ctx = contextFor(uri);
      return ctx ? body(ctx) : fallback;
    });
  }
  const offsetOf = (ctx: FeatureContext, p: Position): number => ctx.map.offsetAt(p);

  function publish(uri: string): void {
    guard.run("diagnostics", undefined, () => {
      const entry = docs.get(uri);
      const analysed = docs.analysis(uri);
      if (!entry || !analysed) return;
      const diagnostics = toLspDiagnostics(analysed.result, analysed.doc, uri, (f) => docs.readText(f));
      void connection.sendDiagnostics({ uri, version: entry.doc.version, diagnostics });
    });
  }

  function notifyGraph(uri: string): void {
    guard.run("graph notification", undefined, () => {
      const graph = graphOf(uri);
      if (!graph || "refused" in graph) return;
      const print = graphFingerprint(graph);
      if (lastGraph.get(uri) === print) return;
      lastGraph.set(uri, print);
      void connection.sendNotification(GraphChangedNotification, graph);
    });
  }

  function graphOf(uri: string): GraphResult | Refused | undefined {
    const analysed = docs.analysisOfFile(uri);
    if (!analysed || "refused" in analysed) return analysed;
    const version = docs.get(uri)?.doc.version ?? null;
    return graphResult(uri, version, analysed.result, analysed.doc, mapCache());
  }

  function recheckDependents(file: string): void {
    for (const dependent of docs.dependents(file)) {
      docs.invalidate(dependent);
      schedule(dependent.uri);
    }
  }

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    let engine = emptyEngine;
    try {
      engine = await (options.engine ?? loadEngine)();
    } catch (error) {
      connection.console.error(`flowlens: the analysis core failed to load; the server answers with empty results. ${error instanceof Error ? error.message : String(error)}`);
    }
    docs = new Documents(engine, (f, e) => guard.report(f, e));
    const roots = (params.workspaceFolders ?? []).map((f) => uriToFile(f.uri));
    if (roots.length === 0 && params.rootUri) roots.push(uriToFile(params.rootUri));
    docs.roots = roots;
    watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        documentSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [".", "(", "@", '"', "'", ",", " "] },
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: "flowlens" },
    };
  });

  connection.onInitialized(() => {
    if (!watchRegistration) return;
    connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*.py" }] }).catch((e: unknown) => guard.report("file watching", e));
  });

  connection.onDidOpenTextDocument((p) => {
    guard.run("open", undefined, () => {
      docs.didOpen(p.textDocument.uri, p.textDocument.version, p.textDocument.text);
      schedule(p.textDocument.uri);
      recheckDependents(uriToFile(p.textDocument.uri));
    });
  });
  connection.onDidChangeTextDocument((p) => {
    guard.run("change", undefined, () => {
      const entry = docs.didChange(p.textDocument.uri, p.textDocument.version, p.contentChanges);
      if (!entry) return;
      schedule(entry.uri);
      recheckDependents(entry.file);
    });
  });
  connection.onDidCloseTextDocument((p) => {
    guard.run("close", undefined, () => {
      docs.close(p.textDocument.uri);
      lastGraph.delete(p.textDocument.uri);
      scheduler.forget(p.textDocument.uri);
      void connection.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
      recheckDependents(uriToFile(p.textDocument.uri));
    });
  });
  connection.onDidChangeWatchedFiles((p) => {
    guard.run("watched files", undefined, () => {
      for (const change of p.changes) recheckDependents(uriToFile(change.uri));
    });
  });

  connection.onDocumentSymbol((p) => request("document symbols", p.textDocument.uri, [], (ctx) => documentSymbols(ctx.result, ctx.map)));
  connection.onDefinition((p) => request("definition", p.textDocument.uri, [], (ctx) => definition(ctx, offsetOf(ctx, p.position))));
  connection.onReferences((p) => request("references", p.textDocument.uri, [], (ctx) => references(ctx, offsetOf(ctx, p.position), p.context.includeDeclaration)));
  connection.onHover((p) => request("hover", p.textDocument.uri, null, (ctx) => hover(ctx, offsetOf(ctx, p.position))));
  connection.onRequest(ArtifactAtRequest, (p: ArtifactAtParams) => request("artifact at", p.uri, null, (ctx) => artifactAt(ctx, offsetOf(ctx, p.position))));
  connection.onCompletion((p) => request("completion", p.textDocument.uri, [], (ctx) => completion(ctx, offsetOf(ctx, p.position))));
  connection.onCodeAction((p) => request("code actions", p.textDocument.uri, [], (ctx) => codeActions(ctx, p.context.diagnostics)));
  connection.onCodeLens((p) => request("code lens", p.textDocument.uri, [], (ctx) => codeLenses(ctx.result, ctx.map, ctx.uri, ctx.file)));
  connection.onPrepareRename((p) => {
    try {
      return request("prepare rename", p.textDocument.uri, null, (ctx) => prepareRename(ctx, offsetOf(ctx, p.position)));
    } catch (error) {
      return refusal(error);
    }
  });
  connection.onRenameRequest((p) => {
    try {
      return request("rename", p.textDocument.uri, null, (ctx) => renameEdits(ctx, offsetOf(ctx, p.position), p.newName));
    } catch (error) {
      return refusal(error);
    }
  });
  connection.onRequest(GraphRequest, (p: GraphParams) => {
    const graph = guard.run("graph", null, () => graphOf(p.uri) ?? null);
    // A file that is not read as source (a device, a directory, an oversized file): the reason, as an error.
    return graph && "refused" in graph ? new ResponseError(LSPErrorCodes.RequestFailed, graph.refused) : graph;
  });
  connection.onRequest(FlowInfoRequest, (p: FlowInfoParams) => {
    const info = guard.run("flow info", null, () => {
      const analysed = docs.analysisOfFile(p.uri);
      return analysed === undefined || "refused" in analysed ? (analysed ?? null) : flowInfo(p.uri, analysed.result);
    });
    return info && "refused" in info ? new ResponseError(LSPErrorCodes.RequestFailed, info.refused) : info;
  });
  connection.onShutdown(() => {
    for (const d of docs.all()) docs.close(d.uri);
  });
  connection.listen();
}

/** A refused rename reaches the user as an error message; anything else was already logged by the guard. */
function refusal(error: unknown): ResponseError<void> | null {
  if (error instanceof RenameRefused) return new ResponseError(LSPErrorCodes.RequestFailed, error.message);
  return null;
}
