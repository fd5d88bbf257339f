// Starting a run from the editor: which file and flow (a CodeLens, a file URI or the active
// editor), which flow the file runs (the language server's answer, the same rule as `flowlens
// run`), the parameters (the run form) or the step (a quick pick), and only in a trusted
// workspace. The run commands, "Resume" in the Runs view and the end-of-run notification all
// start runs through this one service.
import * as vscode from "vscode";
import { noMainFlowReason } from "../../../server/src/analysis/mainFlow";
import { parseLensArguments } from "../../../server/src/protocol/commands";
import type { FlowInfoFlow } from "../../../server/src/protocol/flowInfo";
import type { InterpreterService } from "../interpreter";
import type { FlowInfoSource } from "../languageClient";
import type { TrustGate } from "../trust/gate";
import { offerTrust } from "../trust/vscodeTrust";
import { askToInstallDebugger, debuggerInstalled, startDebugStep } from "./debugStep";
import { parameterSpecs } from "./parameters";
import { askParameters } from "./paramsForm";
import type { RunManager } from "./runManager";
import type { SessionMode, SessionRequest } from "./runSession";
import type { RunSummary } from "./summary";
import { summarize } from "./summary";

interface Target {
  file: string;
  flow?: string;
  step?: string;
  /** Tests and other extensions may pass parameter values to skip the form. */
  parameters?: Record<string, string>;
  originRunId?: string;
}

/** A run of an earlier run's file, resumed (the Runs view, the notification at a run's end). */
export interface ResumeTarget {
  file: string;
  flow: string;
  runId?: string | undefined;
  step?: string;
}

function target(raw: unknown): Target | undefined {
  const lens = parseLensArguments(raw);
  const extra = (typeof raw === "object" && raw !== null ? raw : {}) as { parameters?: unknown; originRunId?: unknown };
  const parameters = typeof extra.parameters === "object" && extra.parameters !== null ? (extra.parameters as Record<string, string>) : undefined;
  const origin = typeof extra.originRunId === "string" ? extra.originRunId : undefined;
  if (lens) return { file: lens.file, ...(lens.flow ? { flow: lens.flow } : {}), ...(lens.step ? { step: lens.step } : {}), ...(parameters ? { parameters } : {}), ...(origin ? { originRunId: origin } : {}) };
  if (raw instanceof vscode.Uri) return { file: raw.fsPath };
  const doc = vscode.window.activeTextEditor?.document;
  return doc && doc.languageId === "python" && doc.uri.scheme === "file" ? { file: doc.uri.fsPath } : undefined;
}

/** `{file, flow, runId, step?}` (the Resume command's argument) when it is one. */
export function parseResumeTarget(raw: unknown): ResumeTarget | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const o = raw as { file?: unknown; flow?: unknown; runId?: unknown; step?: unknown };
  if (typeof o.file !== "string") return undefined;
  return { file: o.file, flow: typeof o.flow === "string" ? o.flow : "", ...(typeof o.runId === "string" ? { runId: o.runId } : {}), ...(typeof o.step === "string" ? { step: o.step } : {}) };
}

export interface RunLauncherDeps {
  workspaceState: vscode.Memento;
  manager: RunManager;
  interpreter: InterpreterService;
  trust: TrustGate;
  flows: FlowInfoSource;
  log: vscode.LogOutputChannel;
}

export class RunLauncher {
  constructor(private readonly deps: RunLauncherDeps) {}

  /** Every run, resume, step and debug session starts here, and only in a trusted workspace. `raw`: a command's argument. */
  async launch(mode: SessionMode, raw: unknown): Promise<RunSummary | string> {
    const gated = await this.deps.trust.run(mode === "debug" ? "debug" : "run", () => this.launchTrusted(mode, raw));
    if (gated.allowed) return gated.value;
    offerTrust(gated.message);
    return gated.message;
  }

  /** Resumes an earlier run of a file (from its failed step, or from `step`). */
  resume(run: ResumeTarget): Promise<RunSummary | string> {
    const lens = { uri: vscode.Uri.file(run.file).toString(), file: run.file, flow: run.flow, ...(run.step ? { step: run.step } : {}), ...(run.runId ? { originRunId: run.runId } : {}) };
    return this.launch("resume", lens);
  }

  private async launchTrusted(mode: SessionMode, raw: unknown): Promise<RunSummary | string> {
    const t = target(raw);
    if (!t) {
      const message = "Flowlens: open a flow file (a Python file with a FlowSpec class) to run it.";
      void vscode.window.showInformationMessage(message);
      return message;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === t.file);
    if (doc?.isDirty) await doc.save();
    const request: SessionRequest = { mode, file: t.file, ...(t.flow ? { flow: t.flow } : {}), ...(t.originRunId ? { originRunId: t.originRunId } : {}) };
    let asked: boolean;
    try {
      asked = await this.ask(mode, t, request);
    } catch (err) {
      const message = `Flowlens could not read the flow in ${vscode.workspace.asRelativePath(t.file)}: ${err instanceof Error ? err.message : String(err)}`;
      void vscode.window.showErrorMessage(message);
      return message;
    }
    if (!asked) return "cancelled";
    if (mode === "debug") {
      if (!debuggerInstalled()) return askToInstallDebugger();
      return startDebugStep(this.deps.manager, request, this.deps.log, (await this.deps.interpreter.resolve(vscode.Uri.file(t.file))).path);
    }
    const run = await this.deps.manager.start(request);
    const session = await run.finished;
    return summarize(session, run.pane.text(), Date.now());
  }

  /** Sets the run's parameters (`run`) or its step (the other modes) on `request`; false when the user cancelled. */
  private async ask(mode: SessionMode, t: Target, request: SessionRequest): Promise<boolean> {
    if (mode === "run") {
      const specs = parameterSpecs(await this.runnableFlow(t));
      const parameters = t.parameters ?? (await askParameters(this.deps.workspaceState, t.file, t.flow ?? "", specs));
      if (parameters === undefined) return false;
      request.parameters = parameters;
      return true;
    }
    if (mode !== "resume" || t.step) {
      const step = t.step ?? (await vscode.window.showQuickPick((await this.runnableFlow(t)).steps, { title: mode === "resume" ? "Run from step" : "Run step", placeHolder: "the step" }));
      if (!step) return false;
      request.step = step;
    }
    return true;
  }

  /** The flow a run of the file runs, as the language server's analysis says (the same rule as `flowlens run`). */
  private async runnableFlow(t: Target): Promise<FlowInfoFlow> {
    const info = await this.deps.flows.flowInfo(vscode.Uri.file(t.file));
    const main = info.flows.find((f) => f.name === info.mainFlow);
    if (!main) throw new Error(noMainFlowReason(info.flows.map((f) => f.name), info.mainFlow) ?? "it has no flow to run");
    if (t.flow !== undefined && t.flow !== main.name) throw new Error(`${t.flow} is not the flow this file runs (it runs ${main.name}, the one started under if __name__ == "__main__")`);
    return main;
  }
}
