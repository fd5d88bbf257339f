// Benchmarks of the analysis core and `flowlens check`. Prints figures; asserts nothing about time.
//   node --import tsx test/bench/analysis.bench.ts        (or node test/bench/run.mjs)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { Analyzer } from "../../server/src/analysis/index";
import { loadPython } from "../../server/src/parser/loadPython";
import { generateFlow } from "./flowGenerator";

/** Runs fn and returns [wall ms, CPU ms of this process]: the CPU figure is less disturbed by other load on the machine. */
function timed(fn: () => void): [number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const c = process.cpuUsage(c0);
  return [performance.now() - t0, (c.user + c.system) / 1000];
}

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${(s[s.length - 1] ?? NaN).toFixed(2)} ms (n=${s.length})`;
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
  for (let i = 0; i < 20; i++) {
    const [w, c] = timed(() => analyzer.analyze(text));
    full.push(w);
    fullCpu.push(c);
  }
  console.log(`analysis: full analyze() of ${lineCount} lines: wall ${stats(full)}; cpu ${stats(fullCpu)}`);

  const session = analyzer.openDocument("big.py", text);
  let t = performance.now();
  session.result();
  console.log(`analysis: session first result(): ${(performance.now() - t).toFixed(2)} ms`);

  // One-character edits in step bodies: insert a space after "total = 0", then remove it.
  const positions: number[] = [];
  for (let i = text.indexOf("total = 0"); i !== -1; i = text.indexOf("total = 0", i + 1)) positions.push(i + "total =".length);
  let current = text;
  const incremental: number[] = [];
  const incrementalCpu: number[] = [];
  for (let n = 0; n < 200; n++) {
    const at = positions[(Math.floor(n / 2) * 7919) % positions.length] ?? 0;
    const insert = n % 2 === 0;
    const edit = insert ? { start: at, end: at, newText: " " } : { start: at, end: at + 1, newText: "" };
    const next = current.slice(0, edit.start) + edit.newText + current.slice(edit.end);
    const [w, c] = timed(() => {
      session.update(next, [edit]);
      session.result();
    });
    incremental.push(w);
    incrementalCpu.push(c);
    // Inserts and removals alternate at the same place, so the positions stay valid.
    current = next;
  }
  console.log(`analysis: re-analysis after a one-character edit (${lineCount} lines): wall ${stats(incremental)}; cpu ${stats(incrementalCpu)}`);

  // An edit at the very top shifts every step: the worst case for the method cache.
  const top: number[] = [];
  const topCpu: number[] = [];
  // Inside the class docstring, above every step. (A new comment line at the very top of the
  // file is worse: tree-sitter then re-parses the whole file, ~40 ms here.) Found once: after
  // the first insert the phrase no longer matches, and searching again would edit offset 0.
  const at = current.indexOf("A generated flow") + 1;
  for (let n = 0; n < 50; n++) {
    const insert = n % 2 === 0;
    const edit = insert ? { start: at, end: at, newText: "x" } : { start: at, end: at + 1, newText: "" };
    const next = current.slice(0, edit.start) + edit.newText + current.slice(edit.end);
    const [w, c] = timed(() => {
      session.update(next, [edit]);
      session.result();
    });
    top.push(w);
    topCpu.push(c);
    current = next;
  }
  console.log(`analysis: re-analysis after a one-character edit above every step (every step shifts): wall ${stats(top)}; cpu ${stats(topCpu)}`);
  session.dispose();

  const root = join(__dirname, "..", "..");
  const cli = join(root, "bin", "flowlens.js");
  if (!existsSync(join(root, "dist", "cli.js"))) {
    console.log("analysis: `flowlens check` not measured: run `npm run build` first");
    return;
  }
  const example = join(root, "examples", "hello", "flow.py");
  console.log(`analysis: load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores (figures above and below are wall-clock on a shared machine)`);
  const runs: number[] = [];
  for (let i = 0; i < 10; i++) {
    t = performance.now();
    const r = spawnSync(process.execPath, [cli, "check", example], { encoding: "utf8" });
    runs.push(performance.now() - t);
    if (r.status !== 0) {
      console.log(`analysis: flowlens check exited ${r.status}: ${r.stdout}${r.stderr}`);
      break;
    }
  }
  console.log(`analysis: whole-process \`flowlens check examples/hello/flow.py\`: ${stats(runs)}`);
  const bare: number[] = [];
  for (let i = 0; i < 10; i++) {
    t = performance.now();
    spawnSync(process.execPath, ["-e", "0"], { encoding: "utf8" });
    bare.push(performance.now() - t);
  }
  console.log(`analysis: (for comparison) bare \`node -e 0\`: ${stats(bare)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
