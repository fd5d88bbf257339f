// Editor-run figures, printed, never asserted:
//  1. "Run step" latency as the extension sees it: spawn dist/cli.js `step FILE STEP --json` with the
//     extension's own runProcess + RunSession, then time to the first log line and to the task's
//     "succeeded" event, for a trivial step (target <= 0.5 s). Median and max of several runs.
//  2. Explorer expansion for a run with 1,000 tasks: the step's children (1,000 task rows with
//     status, foreach index and input) built by the explorer model from a real datastore written by
//     `flowlens run` (target <= 200 ms), cold (fresh model) and warm (the OS file cache).
// Run: npm run build && node --import tsx test/bench/editorRuns.bench.ts [--repeat 7] [--tasks 1000]
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExplorerModel } from "../../client/src/explorer/treeModel";
import { startRunProcess } from "../../client/src/runs/runProcess";
import { RunSession } from "../../client/src/runs/runSession";
import { LocalObjectStore } from "../../runtime/src/datastore/local";

const repoRoot = join(__dirname, "..", "..");
const cli = join(repoRoot, "dist", "cli.js");

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const stats = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]?.toFixed(0)} ms, min ${s[0]?.toFixed(0)} ms, max ${s.at(-1)?.toFixed(0)} ms (n=${s.length})`;
};

const trivial = `from metaflow import FlowSpec, step


class TrivialFlow(FlowSpec):
    @step
    def start(self):
        self.x = 1
        self.next(self.hello)

    @step
    def hello(self):
        print("hello from the step")
        self.next(self.end)

    @step
    def end(self):
        pass
`;

function runStepOnce(dir: string): Promise<{ firstLog: number; succeeded: number; total: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const session = new RunSession({ mode: "step", file: join(dir, "flow.py"), step: "hello" });
    let firstLog = 0;
    let succeeded = 0;
    startRunProcess({
      cliPath: cli,
      node: process.execPath,
      args: ["step", join(dir, "flow.py"), "hello", "--json"],
      cwd: dir,
      onLine: (line) => {
        const e = session.acceptLine(line);
        if (e?.type === "log" && !firstLog) firstLog = performance.now() - t0;
        if (e?.type === "task-state" && e.task.step === "hello" && e.state === "succeeded") succeeded = performance.now() - t0;
      },
      onExit: () => {
        if (session.status !== "succeeded") reject(new Error(`step run ${session.status}: ${session.outcome()}`));
        else resolve({ firstLog, succeeded, total: performance.now() - t0 });
      },
    });
  });
}

async function benchRunStep(repeat: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-bench-step-"));
  writeFileSync(join(dir, "flow.py"), trivial);
  const first = spawnSync(process.execPath, [cli, "run", join(dir, "flow.py"), "--json"], { cwd: dir, encoding: "utf8" });
  if (first.status !== 0) throw new Error(`the first run failed: ${first.stderr}`);
  await runStepOnce(dir); // warm the OS caches once
  const logs: number[] = [];
  const done: number[] = [];
  const totals: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const r = await runStepOnce(dir);
    logs.push(r.firstLog);
    done.push(r.succeeded);
    totals.push(r.total);
  }
  console.log(`Run step (spawn CLI → first log line):      ${stats(logs)}   target ≤ 500 ms`);
  console.log(`Run step (spawn CLI → task succeeded):      ${stats(done)}   target ≤ 500 ms`);
  console.log(`Run step (spawn CLI → process exited):      ${stats(totals)}`);
}

async function benchExplorer(tasks: number, repeat: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-bench-tree-"));
  writeFileSync(
    join(dir, "flow.py"),
    `from metaflow import FlowSpec, step


class WideFlow(FlowSpec):
    @step
    def start(self):
        self.items = list(range(${tasks}))
        self.next(self.work, foreach="items")

    @step
    def work(self):
        self.y = self.input * 2
        self.next(self.join)

    @step
    def join(self, inputs):
        self.total = sum(i.y for i in inputs)
        self.next(self.end)

    @step
    def end(self):
        pass
`,
  );
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, "run", join(dir, "flow.py"), "--max-num-splits", String(tasks + 10), "--json"], { cwd: dir, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`the ${tasks}-task run failed: ${r.stderr.slice(-2000)}`);
  console.log(`(a real ${tasks}-task foreach run written by flowlens run in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const root = join(dir, ".metaflow");
  const cold: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const model = new ExplorerModel(new LocalObjectStore(root));
    const s = performance.now();
    const runs = await model.runs("WideFlow");
    const steps = await model.steps("WideFlow", "1");
    const rows = await model.tasks("WideFlow", "1", "work", runs[0]?.kind === "run" ? runs[0].status : undefined);
    cold.push(performance.now() - s);
    if (rows.length !== tasks || steps.length < 4) throw new Error(`expected ${tasks} task rows, got ${rows.length}`);
    if (i === 0) {
      const sample = rows[7];
      console.log(`(row 7: ${JSON.stringify(sample)})`);
    }
  }
  console.log(`Explorer: run → steps → ${tasks} task rows:   ${stats(cold)}   target ≤ 200 ms`);
}

async function main(): Promise<void> {
  await benchRunStep(option("repeat", 7));
  await benchExplorer(option("tasks", 1000), 5);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
