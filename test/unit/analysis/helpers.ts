// Shared by the analysis tests: one Analyzer per test process, and fixture helpers.
import { readFileSync } from "node:fs";
import { Analyzer, type AnalysisResult, type LineIndex } from "../../../server/src/analysis/index";
import { loadPython } from "../../../server/src/parser/loadPython";
import { diskModuleResolver } from "../../../server/src/parser/workspaceModules";

let analyzer: Promise<Analyzer> | undefined;

export function getAnalyzer(): Promise<Analyzer> {
  analyzer ??= loadPython().then(({ language }) => new Analyzer(language));
  return analyzer;
}

export async function analyzeFixtureFile(path: string): Promise<{ text: string; result: AnalysisResult }> {
  const a = await getAnalyzer();
  const text = readFileSync(path, "utf8");
  return { text, result: a.analyze(text, { file: path, resolveModule: diskModuleResolver(path) }) };
}

/** "line:col-line:col", 1-based, for readable snapshots. */
export function rangeText(lines: LineIndex, span: { start: number; end: number }): string {
  const s = lines.position(span.start);
  const e = lines.position(span.end);
  return `${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1}`;
}

/** A small line diff for failure messages: lines only in `expected` get "-", only in `actual` get "+". */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    const nextInB = i < a.length ? b.indexOf(a[i] ?? "", j) : -1;
    const nextInA = j < b.length ? a.indexOf(b[j] ?? "", i) : -1;
    if (nextInB !== -1 && (nextInA === -1 || nextInB - j <= nextInA - i)) {
      while (j < nextInB) out.push(`+ ${b[j++] ?? ""}  (line ${j})`);
    } else if (nextInA !== -1) {
      while (i < nextInA) out.push(`- ${a[i++] ?? ""}  (line ${i})`);
    } else {
      if (i < a.length) out.push(`- ${a[i++] ?? ""}  (line ${i})`);
      if (j < b.length) out.push(`+ ${b[j++] ?? ""}  (line ${j})`);
    }
    if (out.length > 60) {
      out.push("...");
      break;
    }
  }
  return out.join("\n");
}
