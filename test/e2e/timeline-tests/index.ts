// The run timeline and the graph's step durations end to end, inside code-server's extension host
// (loaded through the `payload` route by test/e2e/timeline.test.ts). A small foreach flow (one task
// slower than the rest, one retried once) is run from the editor; at checkpoints the outer test
// reads the graph's duration labels, clicks the graph's Timeline button, hovers a bar of the
// timeline and takes screenshots in light and dark themes.
import * as assert from "node:assert/strict";
import { join } from "node:path";
import * as vscode from "vscode";
import { checkpoint, hooks, runCases, setColorTheme, withTimeout, type Case } from "../support/payloadCases";
import type { RunSummary } from "../../../client/src/runs/summary";

const flowFile = (): string => join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, "timeline_flow.py");
const lens = (): Record<string, unknown> => ({ uri: vscode.Uri.file(flowFile()).toString(), file: flowFile(), flow: "TimelineE2EFlow", parameters: {} });

interface Drawn {
  rows: number;
  bars: number;
  drawnBars: number;
}

function whenDrawn(ref: { flow: string; runId: string }, bars: number): Promise<Drawn | undefined> {
  return withTimeout(Promise.resolve(hooks().whenTimelineDrawn(ref, bars)), 30_000, `a drawing of ${bars} bars`);
}

/** start, four foreach tasks (one of them twice: a retry), join, end. */
const bars = 8;

const cases: Case[] = [
  [
    "a finished run: the graph shows each step's duration and the slowest step; its Timeline button opens the run's timeline; hover and themes",
    async () => {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(flowFile()), vscode.ViewColumn.One);
      await vscode.commands.executeCommand("flowlens.showGraph", vscode.Uri.file(flowFile()));
      const r = await vscode.commands.executeCommand<RunSummary>("flowlens.runFlow", lens());
      assert.equal(r.status, "succeeded", `${r.outcome}\n${r.logText}`);
      const graph = await checkpoint("graph-durations", { steps: ["start", "work", "join", "end"], spread: "work" });
      assert.ok(graph.ok, graph.detail);
      // The outer test clicked the graph's Timeline button: the tab of this run is open and drew every attempt.
      const drawn = await whenDrawn({ flow: "TimelineE2EFlow", runId: r.runId! }, bars);
      assert.ok(drawn, "the Timeline button opened the run's timeline");
      assert.equal(drawn.bars, bars);
      assert.equal(drawn.rows, bars - 1 + 4, "a header per step, a row per task (the retried task has one row)");
      const light = await checkpoint("timeline-light", { runId: r.runId });
      assert.ok(light.ok, light.detail);
      await setColorTheme("Default Dark Modern");
      const dark = await checkpoint("timeline-dark", { runId: r.runId });
      assert.ok(dark.ok, dark.detail);
      await setColorTheme(undefined);
    },
  ],
  [
    "a run in progress: Show Run Timeline draws it live, then every attempt once it ended",
    async () => {
      const before = hooks().runCount();
      const pending = vscode.commands.executeCommand<RunSummary>("flowlens.runFlow", lens());
      assert.equal(await hooks().whenTaskRunning(before), "running");
      const ref = await vscode.commands.executeCommand<{ flow: string; runId: string } | string>("flowlens.showRunTimeline");
      assert.ok(typeof ref === "object", `the latest run's timeline opened: ${JSON.stringify(ref)}`);
      const live = await whenDrawn(ref, 1);
      assert.ok(live && live.bars >= 1, "a live drawing while the run goes on");
      const r = await pending;
      assert.equal(r.status, "succeeded", r.outcome);
      assert.equal(ref.runId, r.runId);
      const final = await whenDrawn(ref, bars);
      assert.equal(final?.bars, bars);
    },
  ],
];

export function run(): Promise<void> {
  return runCases(cases, "timeline");
}
