// Spawns the bundled runtime CLI (dist/cli.js) as a child process in its own process group and
// hands its stdout to the caller line by line. No `vscode` import: the benchmark and unit tests
// use it directly. Stop kills the whole group: the CLI's Python workers are its children.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

export interface RunProcessOptions {
  cliPath: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** The Node binary; in VS Code's extension host process.execPath is Electron, run as Node. */
  node?: string;
  onLine(line: string): void;
  onStderr?(text: string): void;
  onExit(code: number | null, signal: string | null, stderrTail: string): void;
  onSpawnError?(message: string): void;
}

export interface RunProcess {
  readonly pid: number | undefined;
  /** SIGTERM to the process group, SIGKILL after `graceMs` if it is still there. */
  stop(graceMs?: number): void;
  readonly exited: Promise<void>;
}

export function startRunProcess(o: RunProcessOptions): RunProcess {
  const child: ChildProcess = spawn(o.node ?? process.execPath, [o.cliPath, ...o.args], {
    cwd: o.cwd,
    env: { ...process.env, ...o.env, ELECTRON_RUN_AS_NODE: "1" },
    detached: process.platform !== "win32",
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderrTail = "";
  let done = false;
  let resolveExited: () => void = () => undefined;
  const exited = new Promise<void>((resolve) => (resolveExited = resolve));
  const lines = lineFeeder((line) => o.onLine(line), (paused) => (paused ? child.stdout?.pause() : child.stdout?.resume()));
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => lines.push(chunk));
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000);
    o.onStderr?.(chunk);
  });
  child.on("error", (err) => {
    if (done) return;
    done = true;
    o.onSpawnError?.(`could not start ${o.node ?? process.execPath} ${o.cliPath}: ${err.message}`);
    resolveExited();
  });
  child.on("close", (code, signal) => {
    if (done) return;
    done = true;
    // Every line is handed over before the exit is.
    lines.end(() => {
      o.onExit(code, signal, stderrTail);
      resolveExited();
    });
  });
  let killTimer: NodeJS.Timeout | undefined;
  void exited.then(() => clearTimeout(killTimer));
  return {
    pid: child.pid,
    exited,
    stop(graceMs = 3000) {
      if (done || child.pid === undefined) return;
      signalGroup(child, "SIGTERM");
      killTimer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (process.platform === "win32" || child.pid === undefined) child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** How long lines are handed over before the event loop gets a turn. */
const sliceMs = 8;

/**
 * Splits a stream's text into lines and hands them over in slices of about `sliceMs`: a runtime
 * printing at full rate (a 10,000-task foreach prints some 30,000 events) reaches the reader in
 * chunks of up to megabytes within one turn of the event loop, and handling them all at once would
 * hold the extension host. While lines wait, the stream is paused (`pause(true)`).
 */
export function lineFeeder(onLine: (line: string) => void, pause: (paused: boolean) => void): { push(text: string): void; end(then: () => void): void } {
  let partial = "";
  let queue: string[] = [];
  let head = 0;
  let scheduled = false;
  let onEnd: (() => void) | undefined;
  // The budget is per turn of the event loop, not per call: one turn can deliver dozens of
  // chunks (libuv reads a pipe up to 32 times in a row), each handed over here.
  let turnStart: number | undefined;
  const drain = (): void => {
    scheduled = false;
    if (turnStart === undefined) {
      turnStart = performance.now();
      setImmediate(() => (turnStart = undefined));
    }
    const t0 = turnStart;
    while (head < queue.length) {
      if (performance.now() - t0 > sliceMs) {
        scheduled = true;
        pause(true);
        setImmediate(drain);
        return;
      }
      onLine(queue[head++] ?? "");
    }
    queue = [];
    head = 0;
    pause(false);
    const then = onEnd;
    onEnd = undefined;
    then?.();
  };
  return {
    push(text) {
      const last = text.lastIndexOf("\n");
      if (last < 0) {
        partial += text;
        return;
      }
      const complete = partial + text.slice(0, last);
      partial = text.slice(last + 1);
      for (const line of complete.split("\n")) queue.push(line.endsWith("\r") ? line.slice(0, -1) : line);
      if (!scheduled) drain();
    },
    end(then) {
      if (partial.length > 0) queue.push(partial);
      partial = "";
      onEnd = then;
      if (!scheduled) drain();
    },
  };
}
