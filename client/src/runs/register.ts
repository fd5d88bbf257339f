// The run commands (Run flow, Run step, Run from here, Debug step, Resume, Stop run) and the
// graph panel's run actions. Runs start through the launcher service (launcher.ts); in an
// untrusted workspace each command refuses with the reason (client/src/trust/gate.ts).
import * as vscode from "vscode";
import { contributedCommands as ids } from "../../../server/src/protocol/commands";
import type { Services } from "../services";
import { registerGraphActions } from "./graphActions";
import { parseResumeTarget } from "./launcher";

export function registerRuns(services: Services): vscode.Disposable[] {
  const { launcher, runs } = services;
  return [
    ...registerGraphActions(services),
    vscode.commands.registerCommand(ids.runFlow, (raw: unknown) => launcher.launch("run", raw)),
    vscode.commands.registerCommand(ids.runStep, (raw: unknown) => launcher.launch("step", raw)),
    vscode.commands.registerCommand(ids.runFromHere, (raw: unknown) => launcher.launch("resume", raw)),
    vscode.commands.registerCommand(ids.debugStep, (raw: unknown) => launcher.launch("debug", raw)),
    vscode.commands.registerCommand(ids.resumeRun, (raw: unknown) => {
      const run = parseResumeTarget(raw);
      return run ? launcher.resume(run) : launcher.launch("resume", raw);
    }),
    vscode.commands.registerCommand(ids.stopRun, () => {
      if (runs.stop()) return "stopping";
      const message = "No Flowlens run is in progress.";
      void vscode.window.showInformationMessage(message);
      return message;
    }),
  ];
}
