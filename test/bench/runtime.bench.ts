// Runtime benchmarks: prints figures, never asserts times.
//   100-way foreach of trivial tasks (target: at most 4 s wall), a 4-step linear flow
//   (target: at most 0.5 s), and saving + loading a 1 GB numpy array against raw disk speed
//   (target: at least 50 %). FLOWLENS_BENCH_GB changes the array size.
// The runs happen in this process (prepare + runFlow), as the CLI does after it has started.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunEvent } from "../../server/src/protocol/runEvents";
import { prepare } from "../../runtime/src/run/prepare";
import { runFlow } from "../../runtime/src/run/runFlow";

const header = "from metaflow import FlowSpec, step\nimport time\n\n";

const foreachFlow = `${header}class WideFlow(FlowSpec):
    @step
    def start(self):
        self.items = list(range(100))
        self.next(self.work, foreach="items")

    @step
    def work(self):
        self.out = self.input * 2
        self.next(self.join)

    @step
    def join(self, inputs):
        self.total = sum(i.out for i in inputs)
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    WideFlow()
`;

const linearFlow = `${header}class LinearFlow(FlowSpec):
    @step
    def start(self):
        self.x = 1
        self.next(self.a)

    @step
    def a(self):
        self.x += 1
        self.next(self.b)

    @step
    def b(self):
        self.x += 1
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    LinearFlow()
`;

const gb = Number(process.env.FLOWLENS_BENCH_GB ?? "1");
const bigFlow = `${header}import numpy as np


class BigFlow(FlowSpec):
    @step
    def start(self):
        self.arr = np.random.default_rng(0).random(int(${gb} * 2**30 / 8))
        print("BENCH created %.6f" % time.time())
        self.next(self.end)

    @step
    def end(self):
        t0 = time.time()
        total = float(self.arr.sum())
        print("BENCH load_and_sum %.6f" % (time.time() - t0))
        t1 = time.time()
        float(self.arr.sum())
        print("BENCH sum_only %.6f" % (time.time() - t1))
        print("BENCH checksum %f" % total)


if __name__ == "__main__":
    BigFlow()
`;

interface Timed {
  wallMs: number;
  prepareMs: number;
  events: RunEvent[];
}

async function runOnce(source: string, name: string): Promise<Timed> {
  const dir = mkdtempSync(join(tmpdir(), `flowlens-bench-${name}-`));
  mkdirSync(join(dir, ".metaflow"));
  writeFileSync(join(dir, "flow.py"), source);
  const events: RunEvent[] = [];
  const t0 = performance.now();
  try {
    const p = await prepare({ file: "flow.py", cwd: dir, env: process.env, datastore: "local" });
    const t1 = performance.now();
    const end = await runFlow(p, { mode: "run", parameters: { given: {}, json: {} }, maxWorkers: Math.max(2, (await import("node:os")).availableParallelism()), maxNumSplits: 100, tags: [], env: process.env, cwd: dir, emit: (e) => events.push(e) });
    const t2 = performance.now();
    if (end.status !== "succeeded") throw new Error(`${name}: run failed: ${JSON.stringify(events.find((e) => e.type === "run-finished"))}`);
    return { wallMs: t2 - t0, prepareMs: t1 - t0, events };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function taskSpans(events: RunEvent[], step: string): number[] {
  const started = new Map<string, number>();
  const spans: number[] = [];
  for (const e of events) {
    if (e.type !== "task-state" || e.task.step !== step) continue;
    if (e.state === "running") started.set(e.task.taskId, e.ts);
    if (e.state === "succeeded") spans.push(e.ts - (started.get(e.task.taskId) ?? e.ts));
  }
  return spans;
}

function logValue(events: RunEvent[], key: string): number | undefined {
  for (const e of events) {
    if (e.type === "log" && e.line.startsWith(`BENCH ${key} `)) return Number(e.line.split(" ")[2]);
  }
  return undefined;
}

function schedulerMs(events: RunEvent[]): number {
  const start = events.find((e) => e.type === "run-started")?.ts ?? 0;
  const end = events.find((e) => e.type === "run-finished")?.ts ?? 0;
  return end - start;
}

const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  // Warm-up: the first run pays for loading tree-sitter and starting Python.
  await runOnce(linearFlow, "warmup");

  const linears: Timed[] = [];
  for (let i = 0; i < 3; i++) linears.push(await runOnce(linearFlow, "linear"));
  const linearRuns = linears.map((l) => l.wallMs - l.prepareMs).sort((a, b) => a - b);
  const linearSched = linears.map((l) => schedulerMs(l.events)).sort((a, b) => a - b);
  const linearWalls = linears.map((l) => l.wallMs).sort((a, b) => a - b);
  console.log(`4-step linear flow (3 runs): wall ${linearWalls.map(fmt).join(" / ")} = check + Python start ${linears.map((l) => fmt(l.prepareMs)).join(" / ")} (overlapped) + run ${linearRuns.map(fmt).join(" / ")} (scheduler ${linearSched.map(fmt).join(" / ")}) (target <= 0.5 s)`);

  const wides: Timed[] = [];
  for (let i = 0; i < 2; i++) wides.push(await runOnce(foreachFlow, "foreach"));
  for (const wide of wides) {
    const wideRun = wide.wallMs - wide.prepareMs;
    const spans = taskSpans(wide.events, "work").sort((a, b) => a - b);
    const median = spans[Math.floor(spans.length / 2)] ?? 0;
    console.log(`100-way foreach (104 tasks): run ${fmt(wideRun)} + check/probe ${fmt(wide.prepareMs)} = ${fmt(wide.wallMs)} (target <= 4 s); ${(wideRun / 104).toFixed(1)} ms wall per task, median task ${median} ms`);
  }

  // Raw disk speed: numpy writes and reads the same amount of bytes with no pickling.
  const raw = execFileSync("python3", ["-c", `
import numpy as np, os, tempfile, time
a = np.random.default_rng(0).random(int(${gb} * 2**30 / 8))
d = tempfile.mkdtemp()
p = os.path.join(d, "raw.bin")
t = time.time(); a.tofile(p); os.sync(); w = time.time() - t
t = time.time(); b = np.fromfile(p); r = time.time() - t
os.remove(p)
print("%f %f" % (w, r))
`]).toString().trim().split(" ").map(Number);
  const [rawWrite = 0, rawRead = 0] = raw;
  const big = await runOnce(bigFlow, "big");
  const created = logValue(big.events, "created");
  const startDone = big.events.find((e) => e.type === "task-state" && e.task.step === "start" && e.state === "succeeded")?.ts;
  const save = created !== undefined && startDone !== undefined ? startDone / 1000 - created : NaN;
  const loadAndSum = logValue(big.events, "load_and_sum") ?? NaN;
  const sumOnly = logValue(big.events, "sum_only") ?? 0;
  const endSpan = taskSpans(big.events, "end")[0] ?? NaN;
  const load = loadAndSum - sumOnly;
  const mb = gb * 1024;
  console.log(`${gb} GB numpy array: raw disk write ${(mb / rawWrite).toFixed(0)} MB/s, read ${(mb / rawRead).toFixed(0)} MB/s`);
  console.log(`  artifact save ${save.toFixed(2)} s (${(mb / save).toFixed(0)} MB/s, ${((100 * rawWrite) / save).toFixed(0)} % of raw write); lazy load on first access ${load.toFixed(2)} s (${(mb / load).toFixed(0)} MB/s); whole end task ${fmt(endSpan)}`);
  console.log(`  save+load ${(save + load).toFixed(2)} s vs raw write+read ${(rawWrite + rawRead).toFixed(2)} s = ${((100 * (rawWrite + rawRead)) / (save + load)).toFixed(0)} % of raw speed (target >= 50 %)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
