// Benchmarks of the analysis core and `flowlens check`. Prints figures; asserts nothing about time.
//   node --import tsx test/bench/analysis.bench.ts        (or node test/bench/run.mjs)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Parser } from "web-tree-sitter";
import { Analyzer } from "../../server/src/analysis/index";
import { loadPython } from "../../server/src/parser/loadPython";
import { serverNodeFlags } from "../../server/src/protocol/serverProcess";
import { benchEdits } from "./analysisEdits";
import { benchCheckProcess } from "./checkProcess";
import { generateFlow } from "./flowGenerator";
import { stats, timed } from "./stats";

/** The argument that makes this file run only the edit benchmark (in a child with the server's flags). */
const editsOnly = "--edits-only";

async function editsMain(): Promise<void> {
  const { language } = await loadPython();
  benchEdits(new Analyzer(language), generateFlow(5000), `language server's Node flags (${serverNodeFlags.join(" ")})`);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const { language } = await loadPython();
  console.log(`analysis: grammar load ${(performance.now() - t0).toFixed(1)} ms`);
  const analyzer = new Analyzer(language);
  const text = generateFlow(5000);
  const lineCount = text.split("\n").length;

  const warm = analyzer.analyze(text);
  const errors = warm.diagnostics.filter((d) => d.severity === "error");
  console.log(`analysis: generated flow ${lineCount} lines, ${warm.flows[0]?.steps.length ?? 0} steps, ${errors.length} errors`);
  if (errors.length > 0) console.log(`  first error: ${errors[0]?.code} ${errors[0]?.message}`);

  const full: number[] = [];
  const fullCpu: number[] = [];
  // Steady state, as in a language server that has been running: the JIT and V8's wasm tiers
  // settle over the first analyses, which are not counted.
  for (let i = 0; i < 10; i++) analyzer.analyze(text);
  for (let i = 0; i < 30; i++) {
    const [w, c] = timed(() => analyzer.analyze(text));
    full.push(w);
    fullCpu.push(c);
  }
  console.log(`analysis: full analyze() of ${lineCount} lines: wall ${stats(full)}; cpu ${stats(fullCpu)}`);
  // The tree-sitter parse alone, for scale: the full analysis cannot take less.
  const parser = new Parser();
  parser.setLanguage(language);
  const parse: number[] = [];
  for (let i = 0; i < 30; i++) parse.push(timed(() => parser.parse(text)?.delete())[0]);
  parser.delete();
  console.log(`analysis: of which the tree-sitter parse alone: wall ${stats(parse)}`);

  const session = analyzer.openDocument("big.py", text);
  const t = performance.now();
  session.result();
  console.log(`analysis: session first result(): ${(performance.now() - t).toFixed(2)} ms`);
  session.dispose();

  // Edits twice: with this process's default V8 heap, then in a Node started as the language
  // server is (the server does this work on every keystroke, and its young generation is larger).
  benchEdits(analyzer, text, "default Node heap");
  const flags = serverNodeFlags.join(" ");
  const child = spawnSync(process.execPath, [...serverNodeFlags, "--import", "tsx", __filename, editsOnly], { stdio: "inherit" });
  if (child.status !== 0) console.log(`analysis: the edit benchmark under ${flags} failed (exit ${child.status ?? child.signal})`);

}

/** `flowlens check` as a whole process. Measured first, from a small parent: spawning from a
 * process whose heap grew with the analyses above costs it ~20-30 ms more per child (fork copies
 * the parent's page tables), which would be charged to check and to bare Node alike. */
function checkProcessMain(): void {
  const root = join(__dirname, "..", "..");
  if (!existsSync(join(root, "dist", "cli.js"))) {
    console.log("analysis: `flowlens check` not measured: run `npm run build` first");
    return;
  }
  benchCheckProcess(root);
}

(process.argv.includes(editsOnly) ? editsMain() : Promise.resolve().then(checkProcessMain).then(main)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
