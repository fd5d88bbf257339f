// Wide runs: an N-way foreach of trivial tasks run by the real CLI (`flowlens run --json`), the
// whole run timed from outside. Beside the wall time: the CLI's peak memory and CPU, the Python
// workers' CPU and their forked tasks' CPU (from /proc), the join task's own time (loading its N
// inputs), the datastore's size per task, and the heap the CLI still holds when the join starts
// (after a full GC, through heapProbe.cjs): what the run keeps a task, apart from its garbage.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { cli, flowFolder, kb, load, mb, ms, secs, usage, type Usage } from "./common";
import { pollTree } from "./procStats";

export const wideFlow = `import time

from metaflow import FlowSpec, Parameter, step


class WideFlow(FlowSpec):
    n = Parameter("n", default=100, type=int)

    @step
    def start(self):
        self.items = list(range(self.n))
        self.next(self.work, foreach="items")

    @step
    def work(self):
        self.out = self.input * 2
        self.next(self.join)

    @step
    def join(self, inputs):
        t0 = time.perf_counter()
        self.total = sum(i.out for i in inputs)
        print("BENCH join_read %.6f" % (time.perf_counter() - t0))
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    WideFlow()
`;

export interface WideRun {
  n: number;
  tasks: number;
  wallMs: number;
  /** run-started to run-finished, as the scheduler saw it. */
  runMs: number;
  joinMs: number;
  /** Inside the join step: reading `out` of every input. */
  joinReadMs: number;
  /** Wall time of the first and the last tenth of the `work` tasks (by finish order). */
  firstTenthMs: number;
  lastTenthMs: number;
  cliPeakRss: number;
  /** The CLI's heap in use (typed arrays' memory included) after a full GC as the join started; NaN when not read. */
  cliHeapAtJoin: number;
  /** The CLI's memory when its resident size was highest (sampled every 100 ms inside it); undefined when not read. */
  cliPeak?: { rss: number; heapTotal: number; heapUsed: number; arrayBuffers: number };
  cliCpuS: number;
  workerCpuS: number;
  taskCpuS: number;
  store: Usage;
  load: string;
  /** The run's folder, left in place: the caller removes it once every size is measured (removeRuns). */
  dir: string;
}

/**
 * Removes the wide runs' folders, after all of them are measured. On this machine's ext4 (no
 * journal) the inode allocator steps over every inode freed in the last minute, one by one, so
 * creating a file right after 30,000 were deleted costs about 13 times its usual CPU (0.58 ms
 * instead of 0.04): removing a run's tree before the next size ran made that run pay for it.
 */
export function removeRuns(runs: WideRun[]): void {
  for (const r of runs) rmSync(r.dir, { recursive: true, force: true });
}

/** What heapProbe.cjs says on the CLI's stderr, and the rest of stderr's last 4,000 characters. */
function readProbe(stderr: Readable): { heapAtJoin: number; peak?: WideRun["cliPeak"]; stderr: string } {
  const out: { heapAtJoin: number; peak?: WideRun["cliPeak"]; stderr: string } = { heapAtJoin: NaN, stderr: "" };
  createInterface({ input: stderr }).on("line", (line) => {
    if (line.startsWith("FLOWLENS_HEAP ")) {
      const heap = JSON.parse(line.slice("FLOWLENS_HEAP ".length)) as { heapUsed: number; arrayBuffers: number; gc: boolean };
      if (heap.gc) out.heapAtJoin = heap.heapUsed + heap.arrayBuffers;
    } else if (line.startsWith("FLOWLENS_PEAK ")) out.peak = JSON.parse(line.slice("FLOWLENS_PEAK ".length)) as WideRun["cliPeak"];
    else out.stderr = (out.stderr + line + "\n").slice(-4000);
  });
  return out;
}

export async function wideRun(n: number, extraEnv: Record<string, string> = {}): Promise<WideRun> {
  const dir = flowFolder(`wide${n}`, wideFlow);
  let kept = false;
  try {
    const t0 = performance.now();
    const probe = ["--expose-gc", "--require", join(import.meta.dirname, "heapProbe.cjs")];
    const child = spawn(process.execPath, [...probe, cli, "run", "flow.py", "--n", String(n), "--max-num-splits", String(n), "--json"], { cwd: dir, env: { ...process.env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    const poll = pollTree(child.pid ?? 0);
    let started = 0;
    let finished = 0;
    let tasks = 0;
    let joinStart = 0;
    let joinEnd = 0;
    let joinReadMs = NaN;
    const workDone: number[] = [];
    let status = "";
    const probed = readProbe(child.stderr);
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      if (!line.startsWith("{")) return;
      const e = JSON.parse(line) as { type: string; ts: number; state?: string; status?: string; line?: string; task?: { step: string } };
      if (e.type === "log" && e.line?.startsWith("BENCH join_read ")) joinReadMs = Number(e.line.split(" ")[2]) * 1000;
      if (e.type === "run-started") started = e.ts;
      if (e.type === "run-finished") {
        finished = e.ts;
        status = e.status ?? "";
      }
      if (e.type !== "task-state" || !e.task) return;
      if (e.state === "succeeded") tasks += 1;
      if (e.task.step === "work" && e.state === "succeeded") workDone.push(e.ts);
      if (e.task.step === "join" && e.state === "running") {
        joinStart = e.ts;
        child.kill("SIGUSR2");
      }
      if (e.task.step === "join" && e.state === "succeeded") joinEnd = e.ts;
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    const wallMs = performance.now() - t0;
    const sample = poll.stop();
    if (code !== 0 || status !== "succeeded") throw new Error(`the ${n}-way run failed (exit ${String(code)}, ${status}): ${probed.stderr}`);
    let workerCpuS = 0;
    let taskCpuS = 0;
    for (const t of sample.workers.values()) {
      workerCpuS += t.own;
      taskCpuS += t.children;
    }
    const tenth = Math.max(1, Math.floor(workDone.length / 10));
    const run: WideRun = {
      n,
      tasks,
      wallMs,
      runMs: finished - started,
      joinMs: joinEnd - joinStart,
      joinReadMs,
      firstTenthMs: (workDone[tenth - 1] ?? 0) - (workDone[0] ?? 0),
      lastTenthMs: (workDone.at(-1) ?? 0) - (workDone[workDone.length - tenth] ?? 0),
      cliPeakRss: sample.cliPeakRss,
      cliHeapAtJoin: probed.heapAtJoin,
      ...(probed.peak ? { cliPeak: probed.peak } : {}),
      cliCpuS: sample.cliCpu,
      workerCpuS,
      taskCpuS,
      store: usage(`${dir}/.metaflow`),
      load: load(),
      dir,
    };
    kept = true;
    return run;
  } finally {
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the CLI keeps a task: the heap after a full GC at the join's start, and the slope from the
 * previous (smaller) run, so that what does not grow with the run (code, buffers) cancels out.
 */
export function printMemory(r: WideRun, previous: WideRun | undefined): void {
  if (Number.isNaN(r.cliHeapAtJoin)) {
    console.log("  CLI heap at the join's start: not read (the CLI did not answer the probe)");
    return;
  }
  let slope = "";
  if (previous && !Number.isNaN(previous.cliHeapAtJoin)) {
    const perTask = (r.cliHeapAtJoin - previous.cliHeapAtJoin) / (r.tasks - previous.tasks);
    slope = ` (${perTask.toFixed(0)} B a task more than the ${previous.n}-way run's)`;
  }
  const p = r.cliPeak;
  const parts = p ? ` (at the highest sample, RSS ${mb(p.rss)}: V8 heap ${mb(p.heapTotal)} of which ${mb(p.heapUsed)} used, live or garbage; array buffers ${mb(p.arrayBuffers)})` : "";
  console.log(`  CLI memory: peak RSS ${mb(r.cliPeakRss)}${parts}; heap in use after a full GC at the join's start ${mb(r.cliHeapAtJoin)}${slope}; ${r.load}`);
}

export function printWide(r: WideRun): void {
  const perTask = r.wallMs / r.tasks;
  console.log(`${r.n}-way foreach (${r.tasks} tasks): wall ${secs(r.wallMs)} (run ${secs(r.runMs)}), ${ms(perTask)} a task; ${r.load}`);
  console.log(`  per task in the first tenth of the work step ${ms(r.firstTenthMs / Math.max(1, r.n / 10))}, in the last tenth ${ms(r.lastTenthMs / Math.max(1, r.n / 10))} (flat if equal)`);
  console.log(`  CPU: CLI ${r.cliCpuS.toFixed(1)} s (${ms((r.cliCpuS * 1000) / r.tasks)}/task), Python workers ${r.workerCpuS.toFixed(1)} s (${ms((r.workerCpuS * 1000) / r.tasks)}/task), forked tasks ${r.taskCpuS.toFixed(1)} s (${ms((r.taskCpuS * 1000) / r.tasks)}/task)`);
  console.log(`  CLI peak memory ${mb(r.cliPeakRss)}; join over ${r.n} inputs: task ${secs(r.joinMs)}, reading one small artifact of each inside the step ${secs(r.joinReadMs)} (target < 2 s at 10,000)`);
  console.log(`  datastore ${r.store.files} files, ${mb(r.store.bytes)} (${kb(r.store.bytes / r.tasks)} a task; ${(r.store.files / r.tasks).toFixed(1)} files a task), ${mb(r.store.allocated)} allocated on disk (${kb(r.store.allocated / r.tasks)} a task) (target < 10 KB a task)`);
}
