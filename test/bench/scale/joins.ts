// Joins over many inputs: `merge_artifacts` in a join of an N-way foreach run by the CLI, timed
// inside the step and as a whole task; and a join task alone over N inputs (joinbench.py: the
// inputs' records written directly, the join run in a forked process as the worker runs it),
// reading one small artifact of each or merging. The wide runs' joins are in wide.ts.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolvePythonDir } from "../../../runtime/src/executors/local/pythonDir";
import { cli, flowFolder, load, ms, secs } from "./common";

interface JoinRun {
  task_s: number;
  task_cpu_s: number;
  step_s: number;
  max_rss_mb: number;
  attempts_known: boolean;
  load: number;
  /** Phase -> [wall seconds, CPU seconds or null]. */
  phases: Record<string, [number, number | null]>;
}

/** The join task alone over `n` inputs: whole task (fork to exit), its CPU, inside the step, and where the wall time went. */
export function joinTask(n: number, mode: "read" | "merge"): void {
  const dir = mkdtempSync(join(tmpdir(), `flowlens-scale-join${n}-`));
  try {
    const out = execFileSync("python3", [join(import.meta.dirname, "joinbench.py"), dir, String(n), mode], { env: { ...process.env, PYTHONPATH: resolvePythonDir(process.env) }, encoding: "utf8" });
    const what = mode === "read" ? "reading one small artifact of each" : "merge_artifacts";
    const target = mode === "read" ? "< 2 s at 10,000" : "< 1 s at 1,000";
    for (const r of JSON.parse(out) as JoinRun[]) {
      const how = r.attempts_known ? "attempts from the spec" : "attempts found by listing";
      console.log(`join task alone over ${n} inputs, ${what} (${how}): whole task ${secs(r.task_s * 1000)} (CPU ${secs(r.task_cpu_s * 1000)}, ${r.max_rss_mb.toFixed(0)} MB), inside the step ${secs(r.step_s * 1000)} (target ${target}); load ${r.load.toFixed(2)}`);
      const phases = Object.entries(r.phases).map(([name, [wall, cpu]]) => `${name} ${ms(wall * 1000)}${cpu === null ? "" : ` (CPU ${ms(cpu * 1000)})`}`);
      console.log(`  where the wall time went: ${phases.join(", ")}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mergeFlow = `import time

from metaflow import FlowSpec, Parameter, step


class MergeFlow(FlowSpec):
    n = Parameter("n", default=100, type=int)

    @step
    def start(self):
        self.items = list(range(self.n))
        self.next(self.work, foreach="items")

    @step
    def work(self):
        self.shared = "the same in every branch"
        self.mine = self.input
        self.next(self.join)

    @step
    def join(self, inputs):
        t0 = time.perf_counter()
        self.merge_artifacts(inputs, exclude=["mine"])
        merged = time.perf_counter() - t0
        assert self.shared == "the same in every branch"
        print("BENCH merge %.6f %.6f" % (merged, time.perf_counter() - t0))
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    MergeFlow()
`;

export function mergeArtifacts(n: number): void {
  const dir = flowFolder(`merge${n}`, mergeFlow);
  try {
    const r = spawnSync(process.execPath, [cli, "run", "flow.py", "--n", String(n), "--max-num-splits", String(n), "--json"], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 30 });
    const events = r.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { type: string; ts: number; line?: string; state?: string; task?: { step: string } });
    const line = events.find((e) => e.type === "log" && e.line?.startsWith("BENCH merge "))?.line;
    if (r.status !== 0 || line === undefined) throw new Error(`the merge run failed (exit ${String(r.status)}): ${r.stderr.slice(-2000)}`);
    const [merge = NaN, withRead = NaN] = line.split(" ").slice(2).map((v) => Number(v) * 1000);
    const joinStart = events.find((e) => e.type === "task-state" && e.task?.step === "join" && e.state === "running")?.ts ?? NaN;
    const joinEnd = events.find((e) => e.type === "task-state" && e.task?.step === "join" && e.state === "succeeded")?.ts ?? NaN;
    console.log(`merge_artifacts over ${n} inputs: ${ms(merge)} in the step (${ms(withRead)} with reading the merged value); the join task ${secs(joinEnd - joinStart)} (target < 1 s); ${load()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
