// The run commands (flowlens.runFlow, runStep, runFromHere, debugStep, stopRun), backed by the
// editor-runs feature in client/src/runs, client/src/logs, client/src/explorer and
// client/src/previews. In an untrusted workspace each refuses with the reason: running a flow
// executes the workspace's code.
import * as vscode from "vscode";
import type { InterpreterService } from "./interpreter";
import type { LensArguments } from "./lensArguments";
import { registerEditorRuns } from "./runs/register";

export const runCommandIds = ["flowlens.runFlow", "flowlens.runStep", "flowlens.runFromHere", "flowlens.debugStep", "flowlens.stopRun"] as const;

export const untrustedMessage =
  "Flowlens runs nothing in Restricted Mode: running a flow executes this workspace's code. Trust the folder (Manage Workspace Trust) to enable running; analysis and the graph work without it.";

export function registerRunCommands(log: vscode.LogOutputChannel, context?: vscode.ExtensionContext, interpreter?: InterpreterService): vscode.Disposable[] {
  if (!context || !interpreter) {
    log.error("run commands: registered without the extension context; running from the editor is unavailable");
    return runCommandIds.map((id) => vscode.commands.registerCommand(id, () => explain(id, undefined)));
  }
  return registerEditorRuns(context, log, interpreter);
}

/** Why a command cannot run (kept for callers that only need the message). */
export function explain(id: string, args: LensArguments | undefined): string {
  if (!vscode.workspace.isTrusted) return untrustedMessage;
  if (id === "flowlens.stopRun") return "No run is in progress.";
  return `Flowlens could not start ${args ? vscode.workspace.asRelativePath(args.file) : "the run"}: the extension was activated without its context (see the Flowlens output).`;
}
