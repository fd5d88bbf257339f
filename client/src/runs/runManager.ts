// Starts runs from the editor and follows them: spawns the bundled CLI with the run request
// (editorRequest.ts) and --json, feeds its
// events into a RunSession, and fans the session out to the log pane, the status bar, the graph
// panel's node marks, the explorer (through onDidChange) and a notification when it ends.
import * as path from "node:path";
import * as vscode from "vscode";
import { describeState, describeTaskCounts, type RunEvent } from "../../../server/src/protocol/runEvents";
import type { GraphPanels } from "../graphPanels";
import type { InterpreterService } from "../interpreter";
import { LogPane } from "../logs/logPane";
import { cliArgs, commandLine, userCommandLine } from "./cliArgs";
import { editorRunRequest } from "./editorRequest";
import { datastoreConfig } from "./datastoreConfig";
import { kubernetesRunEnv } from "../settings";
import { startRunProcess } from "./runProcess";
import type { RunProcess } from "./runProcess";
import type { SessionRequest } from "./runSession";
import { RunSession } from "./runSession";
import { RunStatusBar } from "./statusBar";

export interface ActiveRun {
  session: RunSession;
  pane: LogPane;
  process?: RunProcess;
  /** Resolves when the process has exited and the session is final. */
  finished: Promise<RunSession>;
}

/** Debug step runs the CLI with a wrapper interpreter, extra environment and one task at a time. */
export interface RunOverride {
  python?: string;
  env?: Record<string, string>;
  maxWorkers?: string;
}

/** What the notification at the end of a run offers besides its logs (other features do them). */
export interface RunEndActions {
  openArtifacts(flow: string, runId: string | undefined): Promise<unknown>;
  resume(run: { file: string; flow: string; runId: string | undefined }): Promise<unknown>;
}

export interface RunManagerDeps {
  extensionUri: vscode.Uri;
  interpreter: InterpreterService;
  log: vscode.LogOutputChannel;
  /** Where the run marks go. */
  graph: Pick<GraphPanels, "postRunStatus">;
  endActions: RunEndActions;
}

export class RunManager implements vscode.Disposable {
  readonly runs: ActiveRun[] = [];
  private readonly statusBar = new RunStatusBar();
  private readonly changed = new vscode.EventEmitter<{ run: ActiveRun; event?: RunEvent }>();
  /** Fires on every event of every run, and when a run ends. */
  readonly onDidChange = this.changed.event;
  private uiTimer: NodeJS.Timeout | undefined;
  /** The session whose event came last: the one the next tick shows. */
  private uiSession: RunSession | undefined;

  private readonly interpreter: InterpreterService;
  private readonly log: vscode.LogOutputChannel;

  constructor(private readonly deps: RunManagerDeps) {
    this.interpreter = deps.interpreter;
    this.log = deps.log;
  }

  get cliPath(): string {
    return vscode.Uri.joinPath(this.deps.extensionUri, "dist", "cli.js").fsPath;
  }

  latest(): ActiveRun | undefined {
    return this.runs.at(-1);
  }

  running(): ActiveRun[] {
    return this.runs.filter((r) => !r.session.done);
  }

  /** Starts a run; the caller has checked trust and asked for parameters. */
  async start(request: SessionRequest, override: RunOverride = {}): Promise<ActiveRun> {
    const fileUri = vscode.Uri.file(request.file);
    const interp = await this.interpreter.resolve(fileUri);
    const store = datastoreConfig(fileUri);
    const { maxWorkers } = override;
    const runRequest = editorRunRequest(request, { python: override.python ?? interp.path, datastore: { kind: store.kind, root: store.root }, ...(maxWorkers !== undefined ? { maxWorkers } : {}) });
    const args = cliArgs(runRequest);
    const session = new RunSession(request);
    const title = `Flowlens: ${request.flow || path.basename(request.file)}${request.step ? ` ${request.mode === "resume" ? "from" : "step"} ${request.step}` : ` ${request.mode}`}`;
    // Ctrl+C in the pane stops this run, as it would in a terminal.
    const pane = new LogPane(title, path.dirname(request.file), () => this.stop(run));
    pane.note(`$ ${userCommandLine(runRequest)}`);
    pane.show(true);
    let resolveFinished: (s: RunSession) => void = () => undefined;
    const finished = new Promise<RunSession>((resolve) => (resolveFinished = resolve));
    const run: ActiveRun = { session, pane, finished };
    this.runs.push(run);
    this.statusBar.update(session);
    this.setActiveContext();
    this.log.info(`run: ${commandLine(args)} (python from ${interp.source})`);
    run.process = startRunProcess({
      cliPath: this.cliPath,
      args,
      cwd: path.dirname(request.file),
      env: { ...store.env, ...kubernetesRunEnv(fileUri), ...override.env },
      onLine: (line) => this.onLine(run, line),
      onStderr: (text) => {
        for (const l of text.split("\n")) if (l.trim()) pane.error(l);
      },
      onExit: (code, signal, tail) => {
        session.processExited(code, signal, tail);
        this.ended(run);
        resolveFinished(session);
      },
      onSpawnError: (message) => {
        session.spawnFailed(message);
        this.ended(run);
        resolveFinished(session);
      },
    });
    this.changed.fire({ run });
    return run;
  }

  stop(run: ActiveRun | undefined = this.running().at(-1)): boolean {
    if (!run || run.session.done) return false;
    run.session.stopRequested = true;
    run.pane.note("— stopping the run (SIGTERM to the runtime's process group) —");
    run.process?.stop();
    return true;
  }

  private onLine(run: ActiveRun, line: string): void {
    const { session, pane } = run;
    const event = session.acceptLine(line);
    if (!event) {
      if (line.trim()) pane.note(line);
      return;
    }
    switch (event.type) {
      case "log":
        pane.log(event);
        break;
      case "run-started":
        pane.note(`run ${event.runId} of ${event.flow} started (${event.mode}${event.originRunId ? ` from run ${event.originRunId}` : ""}); datastore ${event.datastore}`);
        break;
      case "task-state":
        if (event.state === "cancelled") pane.note(`[${event.task.step}/${event.task.taskId}] ${describeState(event.state)}`);
        else if (event.state === "failed" || event.state === "retrying") {
          // The traceback itself arrives as the task's stderr log lines (the harness writes it there).
          pane.error(`[${event.task.step}/${event.task.taskId}] ${describeState(event.state)}${event.reason ? `: ${event.reason}` : ""}`);
        } else if (event.state === "cloned") pane.note(`[${event.task.step}/${event.task.taskId}] ${event.reason ?? "cloned"}`);
        break;
      case "run-refused":
        pane.error(`${event.headline}`);
        for (const p of event.problems) pane.error(`  ${p.location ? `${p.location}: ` : ""}${p.message}`);
        break;
      case "run-finished":
        pane.note(`run ${event.runId} ${describeState(event.status)} in ${event.durationMs} ms (${describeTaskCounts(event.tasks, event.marks)})`);
        break;
      case "artifact":
        break;
    }
    if (event.type !== "log" && event.type !== "artifact") this.scheduleUi(session);
    this.changed.fire({ run, event });
  }

  /** Graph marks and the status bar at most every 50 ms: a 10,000-task foreach must neither flood
   * the webview nor recount every task on each of its events. */
  private scheduleUi(session: RunSession): void {
    this.uiSession = session;
    if (this.uiTimer) return;
    this.uiTimer = setTimeout(() => {
      this.uiTimer = undefined;
      const latest = this.uiSession ?? session;
      this.statusBar.update(latest);
      this.postGraph(latest);
    }, 50);
  }

  postGraph(session: RunSession): void {
    if (session.flow) this.deps.graph.postRunStatus(session.runStatusMessage());
  }

  private ended(run: ActiveRun): void {
    const { session, pane } = run;
    clearTimeout(this.uiTimer);
    this.uiTimer = undefined;
    this.postGraph(session);
    this.statusBar.update(session);
    this.setActiveContext();
    if (session.status === "crashed") pane.error(session.outcome());
    else if (session.status === "cancelled") pane.note(session.outcome());
    this.log.info(`run: ${session.outcome()}`);
    this.changed.fire({ run });
    void this.notify(run);
  }

  /** `flowlens.runActive` shows Stop in the Runs view's title while a run is in progress. */
  private setActiveContext(): void {
    void vscode.commands.executeCommand("setContext", "flowlens.runActive", this.running().length > 0);
  }

  private async notify(run: ActiveRun): Promise<void> {
    const { session } = run;
    const ok = session.status === "succeeded" || session.status === "cancelled";
    const actions = session.status === "refused" ? ["Show logs"] : ok ? ["Show logs", "Open artifacts"] : ["Show logs", "Open artifacts", "Resume"];
    const show = ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
    const choice = await show(session.outcome(), ...actions);
    if (choice === "Show logs") run.pane.show(false);
    else if (choice === "Open artifacts") await this.deps.endActions.openArtifacts(session.flow, session.runId);
    else if (choice === "Resume") await this.deps.endActions.resume({ file: session.request.file, flow: session.flow, runId: session.runId });
  }

  dispose(): void {
    for (const r of this.running()) this.stop(r);
    clearTimeout(this.uiTimer);
    this.statusBar.dispose();
    this.changed.dispose();
    for (const r of this.runs) r.pane.dispose();
  }
}
