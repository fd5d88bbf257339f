// The run timeline feature: "Flowlens: Show Run Timeline" (command palette, the Runs view's run
// node, the graph panel's Timeline button) opens a tab per run. A run started from the editor is
// drawn live from its events (recorder.ts, fed by the same RunManager events as the graph marks
// and the Runs view); any other run, and an editor run once it ended, is read from the datastore
// (fromDatastore.ts). Clicking a bar opens that task's logs: the run's log pane filtered to the
// task for an editor run, else the stored logs (the Runs view's "Show logs" command).
import * as vscode from "vscode";
import type { ExplorerModel } from "../explorer/treeModel";
import type { ActiveRun, RunManager } from "../runs/runManager";
import type { TimelineMessage } from "../../../server/src/protocol/timeline";
import { readTimeline } from "./fromDatastore";
import { TimelineRecorder } from "./recorder";
import { TimelinePanel } from "./timelinePanel";

/** Live updates of an open timeline at most every 250 ms: a 1,000-task foreach must not flood the webview. */
const liveInterval = 250;

interface RunRef {
  flow: string;
  runId: string;
}

/** A run from a Runs view node, `{flow, runId}` (the graph's button adds the column it is in), or nothing. */
function runRef(raw: unknown): RunRef | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const o = raw as { flow?: unknown; runId?: unknown };
  return typeof o.flow === "string" && typeof o.runId === "string" ? { flow: o.flow, runId: o.runId } : undefined;
}

function columnOf(raw: unknown): vscode.ViewColumn | undefined {
  const c = (raw as { viewColumn?: unknown } | undefined)?.viewColumn;
  return typeof c === "number" ? c : undefined;
}

export function registerTimeline(context: vscode.ExtensionContext, manager: RunManager, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const recorders = new WeakMap<ActiveRun, TimelineRecorder>();
  const timers = new Map<string, NodeJS.Timeout>();

  const editorRun = (ref: RunRef): ActiveRun | undefined => manager.runs.find((r) => r.session.flow === ref.flow && r.session.runId === ref.runId);
  const model = (): Thenable<ExplorerModel> => vscode.commands.executeCommand<ExplorerModel>("flowlens.explorer.model");

  async function load(ref: RunRef): Promise<TimelineMessage> {
    const run = editorRun(ref);
    const recorder = run ? recorders.get(run) : undefined;
    if (run && recorder && !run.session.done) {
      const tasks = recorder.snapshot();
      return { type: "timeline", flow: ref.flow, runId: ref.runId, status: run.session.status, steps: [...new Set(tasks.map((t) => t.step))], tasks, now: Date.now() };
    }
    return readTimeline(await model(), ref.flow, ref.runId);
  }

  async function openLogs(ref: RunRef, step: string, taskId: string, attempt: number): Promise<void> {
    const run = editorRun(ref);
    if (run) {
      run.pane.setFilter({ step, taskId });
      run.pane.show(false);
      return;
    }
    await vscode.commands.executeCommand("flowlens.task.showLogs", { kind: "task", flow: ref.flow, runId: ref.runId, step, taskId, attempt, attempts: attempt + 1, status: "succeeded" });
  }

  async function showGraph(ref: RunRef): Promise<void> {
    const file = editorRun(ref)?.session.request.file ?? (await model().then((m) => m.run(ref.flow, ref.runId))).record?.file;
    if (!file) {
      void vscode.window.showInformationMessage(`Run ${ref.flow}/${ref.runId} has no Flowlens run record, so the file of its flow is unknown.`);
      return;
    }
    await vscode.commands.executeCommand("flowlens.showGraph", vscode.Uri.file(file));
  }

  function show(raw: unknown): { flow: string; runId: string } | string {
    const latest = manager.latest()?.session;
    const ref = runRef(raw) ?? (latest?.runId ? { flow: latest.flow, runId: latest.runId } : undefined);
    if (!ref) {
      const message = "No run to show: start a run, or use Show Run Timeline on a run in the Flowlens Runs view.";
      void vscode.window.showInformationMessage(message);
      return message;
    }
    TimelinePanel.createOrShow(context.extensionUri, ref.flow, ref.runId, {
      load: () => load(ref),
      openLogs: (step, taskId, attempt) => openLogs(ref, step, taskId, attempt),
      showGraph: () => showGraph(ref),
      log,
    }, columnOf(raw));
    return ref;
  }

  /** Every run's events go to its recorder; an open timeline of the run is refreshed soon after. */
  function onRunEvent(run: ActiveRun, done: boolean): void {
    const { flow, runId } = run.session;
    if (!runId) return;
    const panel = TimelinePanel.get(flow, runId);
    if (!panel) return;
    const key = `${flow}/${runId}`;
    if (done) {
      clearTimeout(timers.get(key));
      timers.delete(key);
      panel.refresh();
    } else if (!timers.has(key)) {
      timers.set(
        key,
        setTimeout(() => {
          timers.delete(key);
          panel.refresh();
        }, liveInterval),
      );
    }
  }

  return [
    manager.onDidChange(({ run, event }) => {
      let recorder = recorders.get(run);
      if (!recorder) recorders.set(run, (recorder = new TimelineRecorder()));
      if (event) recorder.accept(event);
      if (!event || event.type === "task-state" || event.type === "run-finished") onRunEvent(run, run.session.done);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
    vscode.commands.registerCommand("flowlens.showRunTimeline", (raw: unknown) => show(raw)),
    // For tests: resolves with the open timeline's newest drawing once it shows at least `bars` bars.
    vscode.commands.registerCommand("flowlens.timeline.whenDrawn", (raw: unknown, bars: unknown) => {
      const ref = runRef(raw);
      const panel = ref ? TimelinePanel.get(ref.flow, ref.runId) : undefined;
      if (!panel) return Promise.resolve(undefined);
      const want = typeof bars === "number" ? bars : 1;
      if (panel.lastDrawn && panel.lastDrawn.bars >= want) return Promise.resolve(panel.lastDrawn);
      return new Promise((resolve) => {
        const sub = panel.onDidDraw((d) => {
          if (d.bars < want) return;
          sub.dispose();
          resolve(d);
        });
      });
    }),
  ];
}
