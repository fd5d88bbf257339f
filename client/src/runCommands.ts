// The run commands (flowlens.runFlow, runStep, runFromHere, debugStep, stopRun), backed by the
// editor-runs feature in client/src/runs, client/src/logs, client/src/explorer and
// client/src/previews. In an untrusted workspace each refuses with the reason: running a flow
// executes the workspace's code (client/src/trust/gate.ts).
import * as vscode from "vscode";
import type { InterpreterService } from "./interpreter";
import type { FlowInfoSource } from "./languageClient";
import type { LensArguments } from "./lensArguments";
import { registerEditorRuns } from "./runs/register";
import type { TrustGate } from "./trust/gate";
import { restrictedMessage } from "./trust/gate";

export const runCommandIds = ["flowlens.runFlow", "flowlens.runStep", "flowlens.runFromHere", "flowlens.debugStep", "flowlens.stopRun"] as const;

/** What the editor-runs feature is built from, all made in activate(). */
export interface RunCommandDeps {
  context: vscode.ExtensionContext;
  interpreter: InterpreterService;
  trust: TrustGate;
  /** The language server's answer to which flow a file runs and what it needs. */
  flows: FlowInfoSource;
}

export function registerRunCommands(log: vscode.LogOutputChannel, deps?: RunCommandDeps): vscode.Disposable[] {
  if (!deps) {
    log.error("run commands: registered without the extension context; running from the editor is unavailable");
    return runCommandIds.map((id) => vscode.commands.registerCommand(id, () => explain(id, undefined)));
  }
  return registerEditorRuns(deps.context, log, deps.interpreter, deps.trust, deps.flows);
}

/** Why a command cannot run (kept for callers that only need the message). */
export function explain(id: string, args: LensArguments | undefined): string {
  if (!vscode.workspace.isTrusted) return restrictedMessage("run");
  if (id === "flowlens.stopRun") return "No run is in progress.";
  return `Flowlens could not start ${args ? vscode.workspace.asRelativePath(args.file) : "the run"}: the extension was activated without its context (see the Flowlens output).`;
}
