// The run timeline as a service: a tab per run (timelinePanel.ts). A run started from the editor
// is drawn live from its events (runtime/src/timeline/recorder.ts, fed by the same RunManager events as the graph
// marks and the Runs view); any other run, and an editor run once it ended, is read from the
// datastore (fromDatastore.ts). Clicking a bar opens that task's logs: the run's log pane
// filtered to the task for an editor run, else the stored logs the Runs view opens.
import * as vscode from "vscode";
import type { ExplorerService } from "../explorer/service";
import type { GraphPanels } from "../graphPanels";
import type { ActiveRun, RunManager } from "../runs/runManager";
import { isTimelinePersistedState, type TimelineMessage } from "../../../server/src/protocol/timeline";
import { TimelineRecorder } from "../../../runtime/src/timeline/recorder";
import { readStoredTimeline } from "./fromDatastore";
import { TimelinePanel } from "./timelinePanel";
import type { TimelineDrawn, TimelineHandlers, TimelineLoad } from "./timelinePanel";

/** Live updates of an open timeline at most every 250 ms: a 1,000-task foreach must not flood the webview. */
const liveInterval = 250;

export interface RunRef {
  flow: string;
  runId: string;
}

/** A run from a Runs view node, `{flow, runId}` (the graph's button adds the column it is in), or nothing. */
export function runRef(raw: unknown): RunRef | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const o = raw as { flow?: unknown; runId?: unknown };
  return typeof o.flow === "string" && typeof o.runId === "string" ? { flow: o.flow, runId: o.runId } : undefined;
}

function columnOf(raw: unknown): vscode.ViewColumn | undefined {
  const c = (raw as { viewColumn?: unknown } | undefined)?.viewColumn;
  return typeof c === "number" ? c : undefined;
}

export interface TimelineDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  runs: RunManager;
  explorer: ExplorerService;
  graph: GraphPanels;
}

export class TimelineService implements vscode.Disposable {
  private readonly recorders = new WeakMap<ActiveRun, TimelineRecorder>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly deps: TimelineDeps) {
    this.subscription = deps.runs.onDidChange(({ run, event }) => {
      let recorder = this.recorders.get(run);
      if (!recorder) this.recorders.set(run, (recorder = new TimelineRecorder()));
      if (event) recorder.accept(event);
      if (!event || event.type === "task-state" || event.type === "run-finished") this.onRunEvent(run, run.session.done);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.timers.forEach((t) => clearTimeout(t));
  }

  /** Opens the timeline of a run (a Runs view node or `{flow, runId, viewColumn?}`), else of the editor's latest run. */
  show(raw: unknown): RunRef | string {
    const latest = this.deps.runs.latest()?.session;
    const ref = runRef(raw) ?? (latest?.runId ? { flow: latest.flow, runId: latest.runId } : undefined);
    if (!ref) {
      const message = "No run to show: start a run, or use Show Run Timeline on a run in the Flowlens Runs view.";
      void vscode.window.showInformationMessage(message);
      return message;
    }
    TimelinePanel.createOrShow(this.deps.extensionUri, ref.flow, ref.runId, this.handlers(ref), columnOf(raw));
    return ref;
  }

  /** A timeline tab restored after a window reload: its saved run (webview state), read from the datastore. */
  revive(panel: vscode.WebviewPanel, state: unknown): void {
    if (!isTimelinePersistedState(state)) {
      // The tab never showed a run (it was closed while loading): there is nothing to restore.
      this.deps.log.info("timeline: a restored tab had no saved run; closed it");
      panel.dispose();
      return;
    }
    const ref = { flow: state.flow, runId: state.runId };
    TimelinePanel.revive(panel, this.deps.extensionUri, ref.flow, ref.runId, this.handlers(ref));
  }

  private handlers(ref: RunRef): TimelineHandlers {
    return { load: () => this.load(ref), openLogs: (step, taskId, attempt) => this.openLogs(ref, step, taskId, attempt), showGraph: () => this.showGraph(ref), log: this.deps.log };
  }

  /** Resolves with the open timeline's newest drawing once it shows at least `bars` bars (undefined when it is not open). */
  whenDrawn(ref: RunRef, bars: number): Promise<TimelineDrawn | undefined> {
    const panel = TimelinePanel.get(ref.flow, ref.runId);
    if (!panel) return Promise.resolve(undefined);
    if (panel.lastDrawn && panel.lastDrawn.bars >= bars) return Promise.resolve(panel.lastDrawn);
    return new Promise((resolve) => {
      const sub = panel.onDidDraw((d) => {
        if (d.bars < bars) return;
        sub.dispose();
        resolve(d);
      });
    });
  }

  private editorRun(ref: RunRef): ActiveRun | undefined {
    return this.deps.runs.runs.find((r) => r.session.flow === ref.flow && r.session.runId === ref.runId);
  }

  private async load(ref: RunRef): Promise<TimelineLoad> {
    const run = this.editorRun(ref);
    const recorder = run ? this.recorders.get(run) : undefined;
    if (run && recorder && !run.session.done) {
      const tasks = recorder.snapshot();
      const message: TimelineMessage = { type: "timeline", flow: ref.flow, runId: ref.runId, status: run.session.status, steps: [...new Set(tasks.map((t) => t.step))], tasks, now: Date.now() };
      return { message };
    }
    const stored = await readStoredTimeline(await this.deps.explorer.model(), ref.flow, ref.runId);
    return stored.withInputs ? { message: stored.message, more: stored.withInputs } : { message: stored.message };
  }

  private async openLogs(ref: RunRef, step: string, taskId: string, attempt: number): Promise<void> {
    const run = this.editorRun(ref);
    if (run) {
      run.pane.setFilter({ step, taskId });
      run.pane.show(false);
      return;
    }
    await this.deps.explorer.showTaskLogs({ flow: ref.flow, runId: ref.runId, step, taskId, attempt });
  }

  private async showGraph(ref: RunRef): Promise<void> {
    const file = this.editorRun(ref)?.session.request.file ?? (await this.deps.explorer.model().then((m) => m.run(ref.flow, ref.runId))).record?.file;
    if (!file) {
      void vscode.window.showInformationMessage(`Run ${ref.flow}/${ref.runId} has no Flowlens run record, so the file of its flow is unknown.`);
      return;
    }
    this.deps.graph.show(vscode.Uri.file(file));
  }

  /** An open timeline of the run is refreshed soon after its events (at once when it ends). */
  private onRunEvent(run: ActiveRun, done: boolean): void {
    const { flow, runId } = run.session;
    if (!runId) return;
    const panel = TimelinePanel.get(flow, runId);
    if (!panel) return;
    const key = `${flow}/${runId}`;
    if (done) {
      clearTimeout(this.timers.get(key));
      this.timers.delete(key);
      panel.refresh();
    } else if (!this.timers.has(key)) {
      this.timers.set(
        key,
        setTimeout(() => {
          this.timers.delete(key);
          panel.refresh();
        }, liveInterval),
      );
    }
  }
}
