// "Debug step": runs `flowlens step FILE STEP` with its task under the Python debugger.
//
// How, with the runtime as it is: VS Code's Python Debugger (ms-python.debugpy) starts an
// "attach" session that *listens* on a free loopback port; the run is started with
// `--python <wrapper>`, a small shell script that runs the runtime's worker under
// `python -m debugpy --connect 127.0.0.1:PORT` and every other Python call (the interpreter probe)
// unchanged. FLOWLENS_NO_FORK=1 makes the worker start each task as a subprocess of the same
// interpreter instead of forking, and debugpy follows subprocesses (subProcess: true), so
// breakpoints in the step's code are hit in the task process. `--max-workers 1` keeps one worker.
// The interpreter needs the `debugpy` package. Without the extension the command says what to install.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { debugWrapperScript } from "./debugWrapper";
import type { RunManager } from "./runManager";
import type { SessionRequest } from "./runSession";
import type { RunSummary } from "./summary";
import { summarize } from "./summary";

export const debugpyExtensionId = "ms-python.debugpy";

export function debuggerInstalled(): boolean {
  return vscode.extensions.getExtension(debugpyExtensionId) !== undefined;
}

/** Explains what to install; offers to open the extension in the Extensions view. */
export function askToInstallDebugger(): Promise<string> {
  const message =
    "Debug step needs the Python Debugger extension (ms-python.debugpy) and the debugpy package in the flow's interpreter (pip install debugpy). Install them, then run Debug step again; Run step works without them.";
  void vscode.window.showWarningMessage(message, "Show Python Debugger").then(async (choice) => {
    if (choice) await vscode.commands.executeCommand("workbench.extensions.search", `@id:${debugpyExtensionId}`);
  });
  return Promise.resolve(message);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startDebugStep(manager: RunManager, request: SessionRequest, log: vscode.LogOutputChannel, python: string): Promise<RunSummary | string> {
  if (process.platform === "win32") return "Debug step is not available on Windows yet: run the step with Run step and use breakpoint() with pdb.";
  const port = await freePort();
  const dir = path.join(os.tmpdir(), "flowlens-debug");
  mkdirSync(dir, { recursive: true });
  const wrapper = path.join(dir, `python-${port}.sh`);
  writeFileSync(wrapper, debugWrapperScript(python, port));
  chmodSync(wrapper, 0o755);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(request.file));
  const started = await vscode.debug.startDebugging(folder, {
    type: "debugpy",
    request: "attach",
    name: `Flowlens: debug step ${request.step ?? ""}`,
    listen: { host: "127.0.0.1", port },
    justMyCode: true,
    subProcess: true,
  });
  if (!started) return "The Python Debugger did not start an attach session (see the Debug Console).";
  log.info(`debug step: debugpy listens on 127.0.0.1:${port}; running ${request.step ?? ""} with ${wrapper}`);
  const run = await manager.start({ ...request, mode: "debug" }, { python: wrapper, env: { FLOWLENS_NO_FORK: "1" }, maxWorkers: "1" });
  const session = await run.finished;
  return summarize(session, run.pane.text(), Date.now());
}
