// Wires the editor-runs feature into VS Code: the run commands, the log pane commands, the
// artifact explorer and the previews. Called once from registerRunCommands (client/src/runCommands.ts).
import * as vscode from "vscode";
import type { InterpreterService } from "../interpreter";
import { parseLensArguments } from "../lensArguments";
import { registerLogCommands } from "../logs/logCommands";
import { registerTracebackLinks } from "../logs/tracebackLinks";
import { registerExplorer } from "../explorer/register";
import { registerPreviews } from "../previews/register";
import { registerCards } from "../cards/register";
import { registerGraphActions } from "./graphActions";
import { registerTimeline } from "../timeline/register";
import { askToInstallDebugger, debuggerInstalled, startDebugStep } from "./debugStep";
import { parameterSpecs } from "./parameters";
import { askParameters } from "./paramsForm";
import type { FlowInfoSource } from "../languageClient";
import { noMainFlowReason } from "../../../server/src/analysis/mainFlow";
import type { FlowInfoFlow } from "../../../server/src/protocol/flowInfo";
import { RunManager } from "./runManager";
import type { SessionMode, SessionRequest } from "./runSession";
import type { RunSummary } from "./summary";
import { summarize } from "./summary";
import type { TrustGate } from "../trust/gate";
import { offerTrust } from "../trust/vscodeTrust";

interface Target {
  file: string;
  flow?: string;
  step?: string;
  /** Tests and other extensions may pass parameter values to skip the form. */
  parameters?: Record<string, string>;
  originRunId?: string;
}

function target(raw: unknown): Target | undefined {
  const lens = parseLensArguments(raw);
  const extra = (typeof raw === "object" && raw !== null ? raw : {}) as { parameters?: unknown; originRunId?: unknown; runId?: unknown };
  const parameters = typeof extra.parameters === "object" && extra.parameters !== null ? (extra.parameters as Record<string, string>) : undefined;
  const origin = typeof extra.originRunId === "string" ? extra.originRunId : undefined;
  if (lens) return { file: lens.file, ...(lens.flow ? { flow: lens.flow } : {}), ...(lens.step ? { step: lens.step } : {}), ...(parameters ? { parameters } : {}), ...(origin ? { originRunId: origin } : {}) };
  if (raw instanceof vscode.Uri) return { file: raw.fsPath };
  const doc = vscode.window.activeTextEditor?.document;
  return doc && doc.languageId === "python" && doc.uri.scheme === "file" ? { file: doc.uri.fsPath } : undefined;
}

export function registerEditorRuns(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, interpreter: InterpreterService, trust: TrustGate, flows: FlowInfoSource): vscode.Disposable[] {
  const manager = new RunManager(context.extensionUri, interpreter, log);

  /** The flow a run of the file runs, as the language server's analysis says (the same rule as `flowlens run`). */
  async function runnableFlow(t: Target): Promise<FlowInfoFlow> {
    const info = await flows.flowInfo(vscode.Uri.file(t.file));
    const main = info.flows.find((f) => f.name === info.mainFlow);
    if (!main) throw new Error(noMainFlowReason(info.flows.map((f) => f.name), info.mainFlow) ?? "it has no flow to run");
    if (t.flow !== undefined && t.flow !== main.name) throw new Error(`${t.flow} is not the flow this file runs (it runs ${main.name}, the one started under if __name__ == "__main__")`);
    return main;
  }

  async function pickStep(t: Target, title: string): Promise<string | undefined> {
    if (t.step) return t.step;
    const steps = (await runnableFlow(t)).steps;
    return vscode.window.showQuickPick(steps, { title, placeHolder: "the step" });
  }

  /** Every run, resume, step and debug session starts here, and only in a trusted workspace. */
  async function launch(mode: SessionMode, raw: unknown): Promise<RunSummary | string> {
    const gated = await trust.run(mode === "debug" ? "debug" : "run", () => launchTrusted(mode, raw));
    if (gated.allowed) return gated.value;
    offerTrust(gated.message);
    return gated.message;
  }

  async function launchTrusted(mode: SessionMode, raw: unknown): Promise<RunSummary | string> {
    const t = target(raw);
    if (!t) {
      const message = "Flowlens: open a flow file (a Python file with a FlowSpec class) to run it.";
      void vscode.window.showInformationMessage(message);
      return message;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === t.file);
    if (doc?.isDirty) await doc.save();
    const request: SessionRequest = { mode, file: t.file, ...(t.flow ? { flow: t.flow } : {}), ...(t.originRunId ? { originRunId: t.originRunId } : {}) };
    let parameterArgs: string[] = [];
    try {
      if (mode === "run") {
        const specs = parameterSpecs(await runnableFlow(t));
        if (t.parameters) parameterArgs = Object.entries(t.parameters).flatMap(([k, v]) => [`--${k}`, v]);
        else {
          const asked = await askParameters(context.workspaceState, t.file, t.flow ?? "", specs);
          if (asked === undefined) return "cancelled";
          parameterArgs = asked;
        }
      } else if (mode !== "resume" || t.step) {
        const step = await pickStep(t, mode === "resume" ? "Run from step" : "Run step");
        if (!step) return "cancelled";
        request.step = step;
      }
    } catch (err) {
      const message = `Flowlens could not read the flow in ${vscode.workspace.asRelativePath(t.file)}: ${err instanceof Error ? err.message : String(err)}`;
      void vscode.window.showErrorMessage(message);
      return message;
    }
    if (mode === "debug") {
      if (!debuggerInstalled()) return askToInstallDebugger();
      return startDebugStep(manager, request, log, (await interpreter.resolve(vscode.Uri.file(t.file))).path);
    }
    const run = await manager.start(request, parameterArgs);
    const session = await run.finished;
    return summarize(session, run.pane.text(), Date.now());
  }

  return [
    manager,
    registerTracebackLinks(),
    ...registerLogCommands(manager),
    ...registerGraphActions(manager),
    ...registerExplorer(context, manager, log, trust),
    ...registerPreviews(context, interpreter, log, trust),
    ...registerCards(context, log),
    ...registerTimeline(context, manager, log),
    vscode.commands.registerCommand("flowlens.runFlow", (raw: unknown) => launch("run", raw)),
    vscode.commands.registerCommand("flowlens.runStep", (raw: unknown) => launch("step", raw)),
    vscode.commands.registerCommand("flowlens.runFromHere", (raw: unknown) => launch("resume", raw)),
    vscode.commands.registerCommand("flowlens.debugStep", (raw: unknown) => launch("debug", raw)),
    vscode.commands.registerCommand("flowlens.resumeRun", (raw: unknown) => launch("resume", resumeArgs(raw))),
    vscode.commands.registerCommand("flowlens.stopRun", () => {
      if (manager.stop()) return "stopping";
      const message = "No Flowlens run is in progress.";
      void vscode.window.showInformationMessage(message);
      return message;
    }),
    // For tests: resolves once the latest run has a running task (or has ended), on run events, not by polling.
    vscode.commands.registerCommand("flowlens.runs.whenTaskRunning", (afterRuns?: number) => waitForRunningTask(manager, typeof afterRuns === "number" ? afterRuns : 0)),
    vscode.commands.registerCommand("flowlens.runs.count", () => manager.runs.length),
    // For tests and scripts: the latest run, as plain JSON.
    vscode.commands.registerCommand("flowlens.runs.latest", () => {
      const run = manager.latest();
      return run ? summarize(run.session, run.pane.text()) : undefined;
    }),
  ];
}

/** Waits for run number `afterRuns + 1` (counting from the extension's start) to have a running task. */
function waitForRunningTask(manager: RunManager, afterRuns: number): Promise<string> {
  const check = (): string | undefined => {
    const run = manager.runs[afterRuns];
    if (!run) return undefined;
    if (run.session.done) return run.session.status;
    return [...run.session.tasks.values()].some((t) => t.state === "running" && t.ref.step !== "_parameters") ? "running" : undefined;
  };
  const now = check();
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const sub = manager.onDidChange(() => {
      const state = check();
      if (state) {
        sub.dispose();
        resolve(state);
      }
    });
  });
}

/** "Resume" from a notification or the explorer: {file, flow, runId} → resume that run. */
function resumeArgs(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null) return raw;
  const o = raw as { file?: unknown; flow?: unknown; runId?: unknown; step?: unknown };
  if (typeof o.file !== "string") return raw;
  return { uri: vscode.Uri.file(o.file).toString(), file: o.file, flow: typeof o.flow === "string" ? o.flow : "", ...(typeof o.step === "string" ? { step: o.step } : {}), ...(typeof o.runId === "string" ? { originRunId: o.runId } : {}) };
}
