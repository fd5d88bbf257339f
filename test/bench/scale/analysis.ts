// Analysis of a 5,000-line file: the tree-sitter parse against the work beyond it (full analyze()
// minus the parse, medians of CPU time), and the edit path's figures (analysisEdits.ts, p95 included).
import { Parser } from "web-tree-sitter";
import { Analyzer } from "../../../server/src/analysis/index";
import { loadPython } from "../../../server/src/parser/loadPython";
import { benchEdits } from "../analysisEdits";
import { generateFlow } from "../flowGenerator";
import { median, timed } from "../stats";
import { load, ms } from "./common";

export async function analysisScale(): Promise<void> {
  const { language } = await loadPython();
  const analyzer = new Analyzer(language);
  const text = generateFlow(5000);
  const parser = new Parser();
  parser.setLanguage(language);
  // Warm-up: the JIT and wasm tiers settle over the first runs.
  for (let i = 0; i < 10; i++) {
    analyzer.analyze(text);
    parser.parse(text)?.delete();
  }
  const full: number[] = [];
  const parse: number[] = [];
  // Interleaved, so both see the same load.
  for (let i = 0; i < 30; i++) {
    full.push(timed(() => analyzer.analyze(text))[1]);
    parse.push(timed(() => parser.parse(text)?.delete())[1]);
  }
  parser.delete();
  const f = median(full);
  const p = median(parse);
  const lines = text.split("\n").length;
  console.log(`analysis of ${lines} lines (CPU medians of 30): full ${ms(f)} = parse ${ms(p)} + beyond the parse ${ms(f - p)} (${((100 * (f - p)) / p).toFixed(0)} % of the parse; target < 50 %); ${load()}`);
  benchEdits(analyzer, text, `edit path (target p95 < 5 ms); ${load()}`);
}
