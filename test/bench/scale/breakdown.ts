// Where a trivial task's time goes: the measured pieces (breakdown.py, in a process set up as a
// warm worker) set beside the CPU split of a wide run (wide.ts).
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { resolvePythonDir } from "../../../runtime/src/executors/local/pythonDir";
import { flowFolder, load, ms } from "./common";
import { wideFlow, type WideRun } from "./wide";

interface Pieces {
  fork_wall_ms: number;
  fork_parent_cpu_ms: number;
  fork_child_cpu_ms: number;
  gc_child_cpu_ms: number;
  write_ms: number;
  write_cpu_ms: number;
  fsync_ms: number;
  worker_rss_mb: number;
  root: string;
}

export function printBreakdown(run: WideRun): void {
  const dir = flowFolder("breakdown", wideFlow);
  const pythonDir = resolvePythonDir(process.env);
  try {
    const out = execFileSync("python3", [join(import.meta.dirname, "breakdown.py"), join(dir, "flow.py"), "400"], { env: { ...process.env, PYTHONPATH: pythonDir }, encoding: "utf8" });
    const p = JSON.parse(out) as Pieces;
    rmSync(p.root, { recursive: true, force: true });
    const perTask = (s: number): number => (s * 1000) / run.tasks;
    const filesPerTask = run.store.files / run.tasks;
    const taskCpu = perTask(run.taskCpuS);
    console.log(`Where a task's time goes (${run.n}-way run above; pieces measured alone in a warm worker process of ${p.worker_rss_mb.toFixed(0)} MB); ${load()}`);
    console.log(`  process start: fork + exit + wait ${ms(p.fork_wall_ms)} wall (worker ${ms(p.fork_parent_cpu_ms)} + task ${ms(p.fork_child_cpu_ms)} CPU); a child that touches the worker's objects (one full GC) ${ms(p.gc_child_cpu_ms)} CPU (copy-on-write)`);
    console.log(`  metadata files: ${filesPerTask.toFixed(1)} files a task x ${ms(p.write_ms)} wall (${ms(p.write_cpu_ms)} CPU) a small atomic write = ${ms(filesPerTask * p.write_ms)} wall (${ms(filesPerTask * p.write_cpu_ms)} CPU) a task`);
    console.log(`  fsync: none (files are made whole by rename, not synced); one fsync here costs ${ms(p.fsync_ms)}, ${ms(filesPerTask * p.fsync_ms)} a task if every file were synced`);
    console.log(`  scheduling and events (the CLI's CPU): ${ms(perTask(run.cliCpuS))} a task; the worker's own CPU (protocol, pipes, fork, logs, DONE.lock): ${ms(perTask(run.workerCpuS))} a task`);
    console.log(`  the task process: ${ms(taskCpu)} CPU a task, of which fork/exit ${ms(p.fork_child_cpu_ms)}; the rest is the harness (inputs, step, pickling, blobs, data.json, previews) and copy-on-write`);
    console.log(`  the join's input loading: join task ${ms(run.joinMs)} for ${run.n} inputs (${ms(run.joinMs / run.n)} an input); reading one artifact of each inside the step ${ms(run.joinReadMs)}`);
    const cpu = perTask(run.cliCpuS + run.workerCpuS + run.taskCpuS);
    console.log(`  total CPU ${ms(cpu)} a task on 2 cores: at best ${ms(cpu / 2)} a task of wall time (measured ${ms(run.wallMs / run.tasks)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
