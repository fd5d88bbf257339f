// Analyses a flow file from disk, with base flows resolved from the workspace around it.
// The one place the CLI (`check`, `show`) and the runtime (`run`, `resume`, `step`) read a
// flow file for the analysis core, so both always see the same model.
import { Analyzer } from "../analysis/index";
import { LineIndex } from "../analysis/lineIndex";
import type { AnalysisResult } from "../analysis/model";
import { loadPython } from "./loadPython";
import { readSourceFile, type SourceProblem } from "./sourceFile";
import { timingMark } from "./timing";
import { diskModuleResolver } from "./workspaceModules";

export interface AnalyzedFile {
  text: string;
  result: AnalysisResult;
  lines: LineIndex;
}

/** A file that is not read as source (sourceFile.ts): too large, not a regular file, not decodable, unreadable. */
export class SourceRefused extends Error {
  override name = "SourceRefused";
  constructor(
    readonly path: string,
    readonly problem: SourceProblem,
  ) {
    super(problem.message);
  }
}

/** Analyses `path`; its imports are searched up to the root among `roots` that holds it
 * (the CLI's current directory by default: the terminal's analogue of a workspace folder). */
export async function analyzeFile(path: string, roots: readonly string[] = [process.cwd()]): Promise<AnalyzedFile> {
  // Read synchronously: a flow file is small, and fs/promises would cost more to load (~1 ms,
  // it brings in streams and readline) and in thread-pool round trips than the read itself.
  const read = readSourceFile(path);
  if (!read.ok) throw new SourceRefused(path, read.problem);
  const text = read.text;
  const grammar = await loadPython();
  const analyzer = new Analyzer(grammar.language);
  const result = analyzer.analyze(text, { file: path, resolveModule: diskModuleResolver(path, roots) });
  timingMark(`analysed ${path}`);
  return { text, result, lines: new LineIndex(text) };
}
