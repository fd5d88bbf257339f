// The part of the analysis core's API the language server uses, named once so that the rest of
// server/src/lsp depends on this shape rather than on the core's internals.
import type { AnalysisResult } from "../analysis/model";

/** One text change, as offsets into the text before the change. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface ResolvedModule {
  file: string;
  text: string;
}

/** Finds a module of the workspace by dotted name, relative to the importing file. */
export type ModuleResolver = (module: string, fromFile?: string) => ResolvedModule | undefined;

/** An open document the core analyses incrementally. */
export interface CoreDocument {
  update(text: string, edits?: TextEdit[]): void;
  result(): AnalysisResult;
  dispose(): void;
}

export interface CoreEngine {
  analyze(text: string, file: string, resolveModule: ModuleResolver): AnalysisResult;
  open(file: string, text: string, resolveModule: ModuleResolver): CoreDocument;
}
