// LocalExecutor: runs tasks in warm Python worker processes on this machine.

import { PythonUnavailableError } from "./probe";
import { resolvePythonDir } from "./pythonDir";
import { WorkerProcess } from "./worker";
import type { Executor, TaskOutput, TaskResult, TaskSpec } from "../types";
import { delimiter } from "node:path";

export interface LocalExecutorOptions {
  /** The interpreter (`--python`, the flowlens.pythonPath setting); default "python3". */
  python?: string;
  /** Environment that opens the run's datastore from Python: `store.pythonEnvironment()`. */
  datastoreEnv: Record<string, string>;
  /**
   * Warm worker processes to keep; default 1. Each worker forks one process per task and runs
   * any number at once, so `--max-workers` (enforced by the scheduler) needs no more workers.
   */
  processes?: number;
  /** Working directory of the tasks; default process.cwd(). */
  cwd?: string;
  /** Base environment; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The bundled Python side; default: found next to the bundle or in the source tree. */
  pythonDir?: string;
  /**
   * A task with a timeout that the worker has not ended this long after it (a stuck or stopped
   * worker) is killed from Node; default 15 s. The worker itself stops it at the timeout.
   */
  timeoutGraceMs?: number;
}

export class LocalExecutor implements Executor {
  readonly name = "local";
  private readonly python: string;
  private readonly processes: number;
  private workers: WorkerProcess[] = [];
  private closed = false;
  private readonly launchEnv: NodeJS.ProcessEnv;
  private readonly cwd: string;
  private readonly pythonDir: string;

  constructor(private readonly options: LocalExecutorOptions) {
    this.python = options.python ?? "python3";
    this.processes = Math.max(1, options.processes ?? 1);
    this.cwd = options.cwd ?? process.cwd();
    const base = options.env ?? process.env;
    const pythonDir = options.pythonDir ?? resolvePythonDir(base);
    this.pythonDir = pythonDir;
    this.launchEnv = {
      ...base,
      ...options.datastoreEnv,
      // The workers pin the bundle first themselves (the launcher script); on PYTHONPATH too, so
      // that a subprocess a task starts with `sys.executable` also finds Flowlens's `metaflow`.
      PYTHONPATH: [pythonDir, base.PYTHONPATH].filter((p) => p !== undefined && p !== "").join(delimiter),
      PYTHONUNBUFFERED: "1",
      FLOWLENS_EXECUTOR: "local",
    };
  }

  async runTask(spec: TaskSpec, sink: (output: TaskOutput) => void, signal: AbortSignal): Promise<TaskResult> {
    if (signal.aborted) return { ok: false, durationMs: 0, failure: { headline: "Task cancelled before it started", kind: "cancelled" } };
    if (this.closed) return { ok: false, durationMs: 0, failure: { headline: "The local executor is closed", kind: "infrastructure" } };
    const worker = this.pick();
    try {
      await worker.ready;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return stoppedOr(signal, { ok: false, durationMs: 0, failure: { headline: message, kind: "infrastructure" } });
    }
    return stoppedOr(signal, await worker.run(spec, sink, signal));
  }

  /** Starts the worker processes now (else on the first task), so the first task does not pay for it. Throws when Python cannot start. */
  async warmUp(): Promise<void> {
    while (this.workers.filter((w) => w.alive).length < this.processes) this.spawn();
    try {
      await Promise.all(this.workers.map((w) => w.ready));
    } catch (error) {
      throw new PythonUnavailableError(error instanceof Error ? error.message : String(error));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.stop()));
  }

  /** The pids of the worker processes (tests kill them to check recovery). */
  workerPids(): number[] {
    return this.workers.filter((w) => w.alive && w.pid !== undefined).map((w) => w.pid as number);
  }

  private pick(): WorkerProcess {
    this.workers = this.workers.filter((w) => w.alive);
    if (this.workers.length < this.processes) return this.spawn();
    return this.workers.reduce((best, w) => (w.load < best.load ? w : best));
  }

  private spawn(): WorkerProcess {
    // The configured command exactly, never the binary it resolves to: a wrapper script's
    // environment and limits (ulimit) must reach the tasks.
    const worker = new WorkerProcess({ python: this.python, pythonDir: this.pythonDir, cwd: this.cwd, env: this.launchEnv, timeoutGraceMs: this.options.timeoutGraceMs ?? 15_000 });
    this.workers.push(worker);
    return worker;
  }
}

/**
 * A stop signals the runtime's whole process group, so the worker may die of it (SIGTERM while
 * Python is still starting) before it hears the cancel: that death is the stop, not a failure of
 * the task. A failure of the task's own (its exception) stays a failure.
 */
function stoppedOr(signal: AbortSignal, result: TaskResult): TaskResult {
  if (result.ok || !signal.aborted || result.failure?.kind !== "infrastructure") return result;
  return { ...result, failure: { headline: `Task stopped (${result.failure.headline.split("\n")[0] ?? ""})`, kind: "cancelled" } };
}
