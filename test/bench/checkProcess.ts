// The whole-process part of analysis.bench.ts: `node bin/flowlens.js check examples/hello/flow.py`
// spawned many times, with a warm and with a cold (first-ever run) V8 code cache, next to a bare
// `node -e 0`, plus the median time of each startup stage (FLOWLENS_TIMING=1, see
// docs/analysis.md "Startup of flowlens check"). Runs are interleaved so that load from other
// work on the machine falls on every variant alike.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { median, stats } from "./stats";

interface Variant {
  label: string;
  args: string[];
  /** A fresh cache folder for every run (a first run), else this one folder. */
  cache: "fresh" | "warm" | "none";
  timing: boolean;
}

/** Stage lines of FLOWLENS_TIMING=1: "  84.3 ms  +   0.6  check loaded". */
function stages(stderr: string): [string, number][] {
  const out: [string, number][] = [];
  for (const line of stderr.split("\n")) {
    const m = /^\s*[\d.]+ ms\s+\+\s*([\d.]+)\s+(.*)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) out.push([m[2].replace(/ \/\S+\//, " "), Number(m[1])]);
  }
  return out;
}

export function benchCheckProcess(root: string, rounds = 30): void {
  const cli = join(root, "bin", "flowlens.js");
  const example = join(root, "examples", "hello", "flow.py");
  const scratch = mkdtempSync(join(os.tmpdir(), "flowlens-bench-"));
  const warmHome = join(scratch, "warm");
  const check = ["check", example];
  const variants: Variant[] = [
    { label: "warm", args: [cli, ...check], cache: "warm", timing: false },
    { label: "cold", args: [cli, ...check], cache: "fresh", timing: false },
    { label: "bare", args: ["-e", "0"], cache: "none", timing: false },
    { label: "warm-timed", args: [cli, ...check], cache: "warm", timing: true },
    { label: "cold-timed", args: [cli, ...check], cache: "fresh", timing: true },
  ];
  const walls = new Map<string, number[]>(variants.map((v) => [v.label, []]));
  const stageSamples = new Map<string, Map<string, number[]>>(variants.map((v) => [v.label, new Map()]));
  let failure: string | undefined;
  const runOnce = (v: Variant, round: number) => {
    const cacheHome = v.cache === "warm" ? warmHome : join(scratch, `fresh-${v.label}-${round}`);
    const env = { ...process.env, XDG_CACHE_HOME: cacheHome, FLOWLENS_TIMING: v.timing ? "1" : "" };
    const t = performance.now();
    const r = spawnSync(process.execPath, v.args, { encoding: "utf8", env });
    const ms = performance.now() - t;
    if (r.status !== 0) failure ??= `${v.label}: exit ${r.status}: ${r.stdout}${r.stderr}`;
    if (round < 0) return;
    walls.get(v.label)?.push(ms);
    const byStage = stageSamples.get(v.label);
    for (const [stage, delta] of stages(r.stderr)) byStage?.set(stage, [...(byStage.get(stage) ?? []), delta]);
  };
  runOnce(variants[0] as Variant, -1); // fills the warm cache
  for (let round = 0; round < rounds; round++) {
    // A different order each round, so that no variant always follows the same one.
    for (let i = 0; i < variants.length; i++) runOnce(variants[(i + round) % variants.length] as Variant, round);
  }
  rmSync(scratch, { recursive: true, force: true });
  if (failure) console.log(`analysis: flowlens check failed: ${failure}`);
  console.log(`analysis: load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores (figures below are wall-clock on a shared machine)`);
  console.log(`analysis: whole-process \`flowlens check examples/hello/flow.py\` (warm code cache): ${stats(walls.get("warm") ?? [])}`);
  console.log(`analysis: whole-process \`flowlens check examples/hello/flow.py\`, first run (cold code cache): ${stats(walls.get("cold") ?? [])}`);
  console.log(`analysis: (for comparison) bare \`node -e 0\`: ${stats(walls.get("bare") ?? [])}`);
  for (const label of ["warm-timed", "cold-timed"]) {
    const byStage = stageSamples.get(label) ?? new Map<string, number[]>();
    console.log(`analysis: check stages, ${label === "warm-timed" ? "warm" : "cold"} code cache (FLOWLENS_TIMING=1; median ms since the previous stage, n=${rounds}; whole process ${median(walls.get(label) ?? []).toFixed(1)} ms):`);
    for (const [stage, samples] of byStage) console.log(`    ${median(samples).toFixed(1).padStart(6)}  ${stage}`);
  }
}
