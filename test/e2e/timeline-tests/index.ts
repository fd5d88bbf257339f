// The run timeline and the graph's step durations end to end, inside code-server's extension host
// (loaded through the `payload` route by test/e2e/timeline.test.ts). A small foreach flow (one task
// slower than the rest, one retried once) is run from the editor; at checkpoints the outer test
// reads the graph's duration labels, clicks the graph's Timeline button, hovers a bar of the
// timeline and takes screenshots in light and dark themes.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync, renameSync, watch, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import type { FlowlensApi } from "../../../client/src/api";
import type { RunSummary } from "../../../client/src/runs/summary";

const resultsFile = process.env.FLOWLENS_E2E_RESULTS ?? "";
const dir = dirname(resultsFile);
const flowFile = (): string => join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, "timeline_flow.py");
const lens = (): Record<string, unknown> => ({ uri: vscode.Uri.file(flowFile()).toString(), file: flowFile(), flow: "TimelineE2EFlow", parameters: {} });

interface Drawn {
  rows: number;
  bars: number;
  drawnBars: number;
}

type Ack = { ok: boolean; detail?: string };

/** Hands control to the outer test (DOM checks, screenshots) and waits for its answer. */
function checkpoint(name: string, data: unknown): Promise<Ack> {
  const ack = join(dir, `ack-${name}`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`the outer test did not acknowledge checkpoint ${name} within 60 s`));
    }, 60_000);
    const done = (): void => {
      clearTimeout(timer);
      watcher.close();
      resolve(JSON.parse(readFileSync(ack, "utf8")) as Ack);
    };
    const watcher = watch(dir, (_event, file) => {
      if (file === `ack-${name}` && existsSync(ack)) done();
    });
    writeFileSync(join(dir, `.tmp-checkpoint-${name}`), JSON.stringify(data));
    renameSync(join(dir, `.tmp-checkpoint-${name}`), join(dir, `checkpoint-${name}`));
    if (existsSync(ack)) done();
  });
}

/** The extension's test hooks (its exported API); set by run() once the extension is active. */
let api: FlowlensApi | undefined;
function hooks(): FlowlensApi["test"] {
  assert.ok(api, "the extension is active");
  return api.test;
}

function whenDrawn(ref: { flow: string; runId: string }, bars: number): Promise<Drawn | undefined> {
  return withTimeout(Promise.resolve(hooks().whenTimelineDrawn(ref, bars)), 30_000, `a drawing of ${bars} bars`);
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/** start, four foreach tasks (one of them twice: a retry), join, end. */
const bars = 8;

type Case = [name: string, body: () => Promise<void>];

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
      await vscode.workspace.getConfiguration("workbench").update("colorTheme", "Default Dark Modern", vscode.ConfigurationTarget.Global);
      const dark = await checkpoint("timeline-dark", { runId: r.runId });
      assert.ok(dark.ok, dark.detail);
      await vscode.workspace.getConfiguration("workbench").update("colorTheme", undefined, vscode.ConfigurationTarget.Global);
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

export async function run(): Promise<void> {
  api = await vscode.extensions.getExtension<FlowlensApi>("flowlens.flowlens")?.activate();
  const results: { name: string; ok: boolean; error?: string; ms: number }[] = [];
  for (const [name, body] of cases) {
    const t0 = Date.now();
    try {
      await body();
      results.push({ name, ok: true, ms: Date.now() - t0 });
    } catch (err) {
      results.push({ name, ok: false, ms: Date.now() - t0, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }
  writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  if (results.some((r) => !r.ok)) throw new Error(`${results.filter((r) => !r.ok).length} timeline case(s) failed`);
}
