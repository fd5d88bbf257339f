// Analyses a flow file from disk, with base flows resolved from the workspace around it.
// The one place the CLI (`check`, `show`) and the runtime (`run`, `resume`, `step`) read a
// flow file for the analysis core, so both always see the same model.
import { promises as fs } from "node:fs";
import { Analyzer } from "../analysis/index";
import { LineIndex } from "../analysis/lineIndex";
import type { AnalysisResult } from "../analysis/model";
import { loadPython } from "./loadPython";
import { resolveWorkspaceModule } from "./workspaceModules";

export interface AnalyzedFile {
  text: string;
  result: AnalysisResult;
  lines: LineIndex;
}

export async function analyzeFile(path: string): Promise<AnalyzedFile> {
  const [text, grammar] = await Promise.all([fs.readFile(path, "utf8"), loadPython()]);
  const analyzer = new Analyzer(grammar.language);
  const result = analyzer.analyze(text, { file: path, resolveModule: (m, from) => resolveWorkspaceModule(m, from ?? path) });
  return { text, result, lines: new LineIndex(text) };
}
