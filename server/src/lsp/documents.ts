// Open documents, their text (kept in sync incrementally), the core's session for each, and the
// cross-file bookkeeping: which open files depend on which other files through base flows.
// Analysis is lazy: a change marks the document stale; `analysis()` brings it up to date.
import { TextDocument } from "vscode-languageserver-textdocument";
import type { TextDocumentContentChangeEvent } from "vscode-languageserver";
import { isAbsolute, resolve } from "node:path";
import type { AnalysisResult } from "../analysis/model";
import { maxSourceFileBytes, mebibytes, readSourceFileGuarded } from "../parser/sourceFileGuard";
import { createModuleResolver } from "../parser/moduleResolver";
import type { CoreDocument, CoreEngine, ModuleResolver, TextEdit } from "./coreTypes";
import { fileToUri, uriToFile } from "./paths";

export interface OpenDocument {
  uri: string;
  file: string;
  doc: TextDocument;
  session: CoreDocument | undefined;
  result: AnalysisResult | undefined;
  stale: boolean;
  /** Files (absolute paths) this document's flows were resolved against. */
  dependsOn: Set<string>;
  /** Edits since the last analysis, for the core's incremental update; undefined after a full-text change. */
  pendingEdits?: TextEdit[];
  fullChange?: boolean;
  /** Files resolved during the analysis in progress. */
  collecting?: Set<string>;
  /** How long the last analysis took (ms): the scheduler makes slow documents wait for a pause. */
  costMs?: number;
}

export interface Analysed {
  doc: TextDocument;
  result: AnalysisResult;
  file: string;
}

const emptyResult: AnalysisResult = { flows: [], diagnostics: [], dependencies: [] };

/** A file that is not read as source (a device, a directory, over the size limit), and why. */
export interface Refused {
  refused: string;
}

/** Bytes of a document's text, counted only when the character count allows it to be over the limit. */
function overLimit(text: string): number | undefined {
  if (text.length > maxSourceFileBytes) return Buffer.byteLength(text, "utf8");
  if (text.length * 3 <= maxSourceFileBytes) return undefined;
  const bytes = Buffer.byteLength(text, "utf8");
  return bytes > maxSourceFileBytes ? bytes : undefined;
}

/** An open document too large to analyse says so, on its first line, instead of showing nothing. */
function tooLargeResult(bytes: number): AnalysisResult {
  const message = `This file is ${mebibytes(bytes)}: Flowlens analyses files of up to ${mebibytes(maxSourceFileBytes)}, so it is not checked.`;
  return { flows: [], diagnostics: [{ code: "FL000", severity: "warning", span: { start: 0, end: 0 }, message }], dependencies: [] };
}

export class Documents {
  private readonly open = new Map<string, OpenDocument>();
  roots: string[] = [];

  constructor(private readonly core: CoreEngine, private readonly onError: (feature: string, error: unknown) => void) {}

  get(uri: string): OpenDocument | undefined {
    return this.open.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.open.values()];
  }

  didOpen(uri: string, version: number, text: string): OpenDocument {
    this.close(uri);
    const entry: OpenDocument = {
      uri,
      file: uriToFile(uri),
      doc: TextDocument.create(uri, "python", version, text),
      session: undefined,
      result: undefined,
      stale: true,
      dependsOn: new Set(),
    };
    this.open.set(uri, entry);
    return entry;
  }

  didChange(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const entry = this.open.get(uri);
    if (!entry) return undefined;
    const edits: TextEdit[] = [];
    let doc = entry.doc;
    let full = false;
    for (const change of changes) {
      if ("range" in change) {
        const start = doc.offsetAt(change.range.start);
        const end = doc.offsetAt(change.range.end);
        edits.push({ start, end, text: change.text });
      } else {
        full = true;
      }
      // Each change applies to the text after the previous one, so the edits are sequential too.
      doc = TextDocument.update(doc, [change], version);
    }
    entry.doc = doc;
    entry.stale = true;
    entry.pendingEdits = full ? undefined : [...(entry.pendingEdits ?? []), ...edits];
    entry.fullChange = (entry.fullChange ?? false) || full;
    return entry;
  }

  close(uri: string): void {
    const entry = this.open.get(uri);
    if (!entry) return;
    this.open.delete(uri);
    try {
      entry.session?.dispose();
    } catch (error) {
      this.onError("close", error);
    }
  }

  /** Forces a document to be analysed from scratch next time (a file it depends on changed). */
  invalidate(entry: OpenDocument): void {
    try {
      entry.session?.dispose();
    } catch (error) {
      this.onError("invalidate", error);
    }
    entry.session = undefined;
    entry.stale = true;
  }

  /** The up-to-date analysis of an open document. */
  analysis(uri: string): Analysed | undefined {
    const entry = this.open.get(uri);
    if (!entry) return undefined;
    if (entry.stale || !entry.result) this.refresh(entry);
    return { doc: entry.doc, result: entry.result ?? emptyResult, file: entry.file };
  }

  /** The analysis of any file: open documents first, else the file on disk (undefined when there
   * is no such file; refused when it is not read as source). */
  analysisOfFile(uri: string): Analysed | Refused | undefined {
    const open = this.analysis(uri);
    if (open) return open;
    const file = uriToFile(uri);
    const read = readSourceFileGuarded(file);
    if (!read.ok) return read.missing ? undefined : { refused: read.reason };
    const text = read.text;
    const resolver = this.resolver(file, new Set());
    try {
      return { doc: TextDocument.create(uri, "python", 0, text), result: this.core.analyze(text, file, resolver), file };
    } catch (error) {
      this.onError("analysis", error);
      return { doc: TextDocument.create(uri, "python", 0, text), result: emptyResult, file };
    }
  }

  private refresh(entry: OpenDocument): void {
    const started = performance.now();
    const text = entry.doc.getText();
    entry.collecting = new Set();
    try {
      const bytes = overLimit(text);
      if (bytes !== undefined) {
        entry.session?.dispose();
        entry.session = undefined;
        entry.result = tooLargeResult(bytes);
      } else if (!entry.session || entry.fullChange === true || entry.pendingEdits === undefined) {
        entry.session?.dispose();
        entry.session = this.core.open(entry.file, text, this.resolverFor(entry));
        entry.result = entry.session.result();
      } else {
        entry.session.update(text, entry.pendingEdits);
        entry.result = entry.session.result();
      }
      entry.dependsOn = entry.collecting;
    } catch (error) {
      this.onError("analysis", error);
      // A failed incremental update may leave the session inconsistent: start afresh next time.
      entry.session = undefined;
      entry.result = emptyResult;
    }
    entry.collecting = undefined;
    entry.pendingEdits = [];
    entry.fullChange = false;
    entry.stale = false;
    entry.costMs = performance.now() - started;
  }

  /** A resolver for an open document's session: it records what the analysis in progress reads. */
  private resolverFor(entry: OpenDocument): ModuleResolver {
    const resolveModule = this.resolver(entry.file, new Set());
    return (module, fromFile) => {
      const r = resolveModule(module, fromFile);
      if (r) entry.collecting?.add(r.file);
      return r;
    };
  }

  /**
   * Open documents whose flows depend on `file`: those that read it during their last analysis,
   * and those that import a module of that name which could not be found then (a new file).
   */
  dependents(file: string): OpenDocument[] {
    const path = resolve(file);
    return this.all().filter((e) => e.file !== path && (e.dependsOn.has(path) || (e.result?.dependencies ?? []).some((m) => moduleMayBe(m, path))));
  }

  /** Text of a file: an open document's (unsaved) text first, then the disk. */
  readText(file: string): string | undefined {
    const open = this.open.get(fileToUri(file)) ?? this.all().find((e) => e.file === file);
    if (open) return open.doc.getText();
    return this.readDisk(file);
  }

  /** A file on disk, through the source guard: a device or an oversized file is not read (a base
   * flow there stays unresolved, FL109). */
  private readDisk(file: string): string | undefined {
    const read = readSourceFileGuarded(file);
    return read.ok ? read.text : undefined;
  }

  /** A resolver for `file`'s imports (moduleResolver.ts: the CLI's rule, over open buffers
   * first), recording every file it resolves into `deps`. */
  resolver(file: string, deps: Set<string>): ModuleResolver {
    // An unsaved buffer's "file" is its URI: it has no folder, so only the workspace roots are searched.
    const pathOf = (f: string | undefined) => (f !== undefined && isAbsolute(f) ? f : undefined);
    const resolveModule = createModuleResolver({ mainFile: pathOf(file), roots: this.roots, read: (f) => this.readText(resolve(f)) });
    return (module, fromFile) => {
      const found = resolveModule(module, pathOf(fromFile));
      if (found) deps.add(found.file);
      return found;
    };
  }
}

/** Whether a dotted module name (possibly relative) could name this file. */
function moduleMayBe(module: string, file: string): boolean {
  const parts = module.replace(/^\.+/, "").split(".").filter((p) => p.length > 0);
  if (parts.length === 0) return false;
  const tail = parts.join("/");
  const normal = file.replace(/\\/g, "/");
  return normal.endsWith(`/${tail}.py`) || normal.endsWith(`/${tail}/__init__.py`);
}
