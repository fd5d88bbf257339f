// One warm Python worker process: it imports the harness and the flow module once and forks a
// child per task. This class owns the process and routes its JSON-lines messages to the tasks
// that are running in it.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { pythonMissingMessage } from "./probe";
import { launchArgs } from "./pythonDir";
import { parseWorkerMessage, type FromWorker, type ToWorker } from "./protocol";
import type { TaskFailure, TaskOutput, TaskResult, TaskSpec } from "../types";

export interface WorkerLaunch {
  python: string;
  /** The bundled Python side the worker runs from. */
  pythonDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Beyond @timeout, how long Node waits for the worker's own timeout handling before it kills the task itself. */
  timeoutGraceMs: number;
}

interface Running {
  sink: (output: TaskOutput) => void;
  resolve: (result: TaskResult) => void;
  started: number;
  /** The forked child's pid (also its process group), once the worker reports it. */
  childPid?: number;
}

const stderrKeep = 8192;

export class WorkerProcess {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly running = new Map<number, Running>();
  private buffer = "";
  private stderrTail = "";
  private nextId = 1;
  private exited = false;
  /** Resolves when the worker said "ready"; rejects when it could not start. */
  readonly ready: Promise<{ pid: number; python: string; fork: boolean }>;

  private readonly timeoutGraceMs: number;

  constructor(launch: WorkerLaunch) {
    this.timeoutGraceMs = launch.timeoutGraceMs;
    this.proc = spawn(launch.python, ["-u", ...launchArgs(launch.pythonDir, "worker")], {
      cwd: launch.cwd,
      env: launch.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let onReady: (info: { pid: number; python: string; fork: boolean }) => void = () => undefined;
    let onFail: (error: Error) => void = () => undefined;
    this.ready = new Promise((resolve, reject) => {
      onReady = resolve;
      onFail = reject;
    });
    // A worker that never becomes ready is reported through runTask; this keeps Node from flagging it unhandled.
    this.ready.catch(() => undefined);
    this.proc.stdout.setEncoding("utf8");
    this.proc.stdout.on("data", (chunk: string) => this.onData(chunk, onReady));
    this.proc.stderr.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-stderrKeep);
    });
    this.proc.stdin.on("error", () => undefined); // EPIPE after the worker died: handled by "exit".
    this.proc.on("error", (error: NodeJS.ErrnoException) => {
      this.exited = true;
      const detail = error.code === "ENOENT" ? "was not found" : `cannot be started (${error.message})`;
      const message = pythonMissingMessage(launch.python, detail);
      onFail(new Error(message));
      this.failAll({ headline: message, kind: "infrastructure" });
    });
    this.proc.on("exit", (code, signal) => {
      this.exited = true;
      const how = signal ? `was killed by ${signal}` : `exited with code ${String(code)}`;
      const tail = this.stderrTail.trim();
      onFail(new Error(`the Python worker ${how} before it was ready${tail ? `:\n${tail}` : ""}`));
      this.failAll({ headline: `The Python worker (pid ${String(this.proc.pid)}) ${how} while the task ran`, kind: "infrastructure", ...(tail ? { traceback: tail } : {}) });
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  get load(): number {
    return this.running.size;
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  run(spec: TaskSpec, sink: (output: TaskOutput) => void, signal: AbortSignal): Promise<TaskResult> {
    const id = this.nextId++;
    return new Promise<TaskResult>((resolve) => {
      const started = Date.now();
      const onAbort = (): void => this.send({ type: "cancel", id });
      // The worker enforces @timeout; this backstop only matters if the worker itself is stuck.
      const backstop =
        spec.timeoutSeconds !== undefined
          ? setTimeout(() => {
              const entry = this.running.get(id);
              if (entry?.childPid !== undefined) killGroup(entry.childPid);
              this.finish(id, { ok: false, durationMs: Date.now() - started, failure: { headline: `Step ${spec.ref.step} timed out after ${spec.timeoutSeconds} s (@timeout) and the worker did not stop it; the task was killed`, kind: "timeout" } });
            }, spec.timeoutSeconds * 1000 + this.timeoutGraceMs)
          : undefined;
      const entry: Running = {
        sink,
        started,
        resolve: (result) => {
          signal.removeEventListener("abort", onAbort);
          if (backstop !== undefined) clearTimeout(backstop);
          resolve(result);
        },
      };
      this.running.set(id, entry);
      if (this.exited) {
        this.finish(id, { ok: false, durationMs: 0, failure: { headline: "The Python worker is not running", kind: "infrastructure" } });
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
      this.send({ type: "task", id, spec });
      if (signal.aborted) onAbort();
    });
  }

  /** Asks the worker to stop (it kills running tasks); kills it if it has not exited after `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.proc.once("exit", () => resolve()));
    this.send({ type: "shutdown" });
    this.proc.stdin.end();
    const timer = setTimeout(() => this.kill(), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** SIGKILL the worker and every task process it started (they also die with it on Linux). */
  kill(): void {
    for (const entry of this.running.values()) if (entry.childPid !== undefined) killGroup(entry.childPid);
    if (!this.exited) this.proc.kill("SIGKILL");
  }

  private send(message: ToWorker): void {
    if (this.exited || !this.proc.stdin.writable) return;
    this.proc.stdin.write(JSON.stringify(message) + "\n");
  }

  private onData(chunk: string, onReady: (info: { pid: number; python: string; fork: boolean }) => void): void {
    this.buffer += chunk;
    let cut = this.buffer.indexOf("\n");
    while (cut >= 0) {
      const line = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 1);
      const message = parseWorkerMessage(line);
      if (message?.type === "ready") onReady(message);
      else if (message) this.route(message);
      cut = this.buffer.indexOf("\n");
    }
  }

  private route(message: Exclude<FromWorker, { type: "ready" }>): void {
    const entry = this.running.get(message.id);
    if (!entry) return;
    switch (message.type) {
      case "started":
        entry.childPid = message.pid;
        break;
      case "log":
        entry.sink({ kind: "log", stream: message.stream, line: message.line, ts: message.ts });
        break;
      case "artifact":
        entry.sink({ kind: "artifact", name: message.name, sha: message.sha, size: message.size, typeName: message.typeName, ts: Date.now() });
        break;
      case "result": {
        const result: TaskResult = { ok: message.ok, durationMs: Date.now() - entry.started };
        if (message.transition) result.transition = message.transition;
        if (message.failure) result.failure = message.failure;
        if (message.caught) result.caught = message.caught;
        if (message.peakRssBytes !== undefined) result.peakRssBytes = message.peakRssBytes;
        this.finish(message.id, result);
        break;
      }
    }
  }

  private finish(id: number, result: TaskResult): void {
    const entry = this.running.get(id);
    if (!entry) return;
    this.running.delete(id);
    entry.resolve(result);
  }

  private failAll(failure: TaskFailure): void {
    for (const [id, entry] of [...this.running]) {
      // pdeathsig kills a forked task with its worker on Linux; elsewhere this does.
      if (entry.childPid !== undefined) killGroup(entry.childPid);
      this.finish(id, { ok: false, durationMs: Date.now() - entry.started, failure });
    }
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
