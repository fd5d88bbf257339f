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
  let buffer = "";
  let stderrTail = "";
  let done = false;
  let resolveExited: () => void = () => undefined;
  const exited = new Promise<void>((resolve) => (resolveExited = resolve));
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    buffer += chunk;
    let nl = buffer.indexOf("\n");
    while (nl >= 0) {
      o.onLine(buffer.slice(0, nl).replace(/\r$/, ""));
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf("\n");
    }
  });
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
    if (buffer.length > 0) o.onLine(buffer);
    buffer = "";
    o.onExit(code, signal, stderrTail);
    resolveExited();
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
