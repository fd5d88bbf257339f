// Editor-run integration tests inside code-server's extension host (loaded through the `payload`
// route by test/e2e/runs.test.ts, bundled to out/e2e-runs-tests/index.js). They drive the real
// commands on a real flow: Run flow, Run step, the explorer, an array preview, a failing step with
// its traceback, Resume, Stop, Debug step without the Python Debugger. At checkpoints they write
// `checkpoint-<name>` into the results folder and wait (fs.watch, no sleeps) for the outer test's
// `ack-<name>`: the outer test reads the graph webview's DOM and takes a screenshot meanwhile.
import * as assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { checkpoint, hooks, notes, runCases, type Case } from "../support/payloadCases";
import { tracebackLinks } from "../../../client/src/logs/logFormat";
import type { RunSummary } from "../../../client/src/runs/summary";

const folder = (): vscode.Uri => vscode.workspace.workspaceFolders![0]!.uri;
const flowFile = (): string => join(folder().fsPath, "lab_flow.py");
const failMarker = (): string => join(folder().fsPath, "FAIL_TRAIN");
const slowMarker = (): string => join(folder().fsPath, "SLOW_TRAIN");
const lens = (step?: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  uri: vscode.Uri.file(flowFile()).toString(),
  file: flowFile(),
  flow: "EditorLabFlow",
  ...(step ? { step } : {}),
  ...extra,
});

const runIds: Record<string, string> = {};

/** Resolves with `file:line` of the active editor once it shows `file` at `line` (selection events), or what it shows after 15 s. */
function editorAt(file: string, line: number): Promise<string> {
  const now = (): string => {
    const e = vscode.window.activeTextEditor;
    return e ? `${e.document.fileName}:${e.selection.active.line + 1}` : "no editor";
  };
  const want = `${file}:${line}`;
  if (now() === want) return Promise.resolve(want);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      for (const d of subs) d.dispose();
      resolve(now());
    }, 15_000);
    const check = (): void => {
      if (now() !== want) return;
      clearTimeout(timer);
      for (const d of subs) d.dispose();
      resolve(want);
    };
    const subs = [vscode.window.onDidChangeTextEditorSelection(check), vscode.window.onDidChangeActiveTextEditor(check)];
  });
}

const cases: Case[] = [
  [
    "Run flow with a parameter: every step succeeds and the graph panel is open",
    async () => {
      const doc = await vscode.workspace.openTextDocument(flowFile());
      await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
      await vscode.commands.executeCommand("flowlens.showGraph", vscode.Uri.file(flowFile()));
      const r = await vscode.commands.executeCommand<RunSummary>("flowlens.runFlow", lens(undefined, { parameters: { size: "7" } }));
      assert.equal(r.status, "succeeded", r.outcome + "\n" + r.logText);
      assert.equal(r.steps.end?.state, "succeeded");
      assert.ok(r.logText.includes("start made (7, 3)"), r.logText);
      runIds.flow = r.runId!;
    },
  ],
  [
    "Run flow asks for each parameter (prefilled, validated, with help) and remembers the last values",
    async () => {
      const pending = vscode.commands.executeCommand<RunSummary | string>("flowlens.runFlow", lens());
      const ack = await checkpoint("params-form", { help: "rows of the matrix", initial: "5", bad: "abc", good: "4" });
      assert.ok(ack.ok, ack.detail);
      const r = await pending;
      assert.ok(typeof r === "object" && r.status === "succeeded", JSON.stringify(r));
      assert.ok(r.logText.includes("start made (4, 3)"), r.logText);
      runIds.form = r.runId!;
      const again = vscode.commands.executeCommand<RunSummary | string>("flowlens.runFlow", lens());
      const ack2 = await checkpoint("params-remembered", { initial: "4" });
      assert.ok(ack2.ok, ack2.detail);
      assert.equal(await again, "cancelled", "Escape cancels the run");
    },
  ],
  [
    "Run step: the log pane shows the step's print and the graph marks the node succeeded",
    async () => {
      const r = await vscode.commands.executeCommand<RunSummary>("flowlens.runStep", lens("train"));
      assert.equal(r.status, "succeeded", r.outcome + "\n" + r.logText);
      assert.equal(r.mode, "step");
      assert.ok(r.logText.includes("[train/") && r.logText.includes("train score 66.0"), r.logText);
      assert.equal(r.steps.train?.state, "succeeded");
      assert.equal(r.steps.start?.state, "cloned");
      runIds.step = r.runId!;
      // The graph's context menu actions, with the step a node's data-vscode-context would give.
      const other = await vscode.commands.executeCommand<string>("flowlens.graph.stepLogs", { webview: "flowlens.graph", step: "start" });
      assert.ok(!other.includes("train score"), `filtered to step start: ${other}`);
      const filtered = await vscode.commands.executeCommand<string>("flowlens.graph.stepLogs", { webview: "flowlens.graph", step: "train" });
      assert.ok(filtered.includes("train score 66.0"), filtered);
      assert.equal(await vscode.commands.executeCommand<boolean>("flowlens.graph.stepArtifacts", { webview: "flowlens.graph", step: "train" }), true);
      notes.set("step", `spawn → first log ${r.firstLogMs ?? "?"} ms, → end ${r.totalMs ?? "?"} ms`);
      const ack = await checkpoint("step-succeeded", { flow: "EditorLabFlow", expect: { train: "succeeded" } });
      assert.ok(ack.ok, ack.detail);
    },
  ],
  [
    "the explorer lists the new runs, their steps, tasks and artifacts",
    async () => {
      const snap = await hooks().runSnapshot("EditorLabFlow", runIds.step!);
      assert.ok(snap.run, JSON.stringify(snap));
      assert.equal(snap.run.status, "succeeded");
      const train = snap.steps?.train?.tasks[0];
      assert.equal(train?.status, "succeeded");
      assert.ok(train?.artifacts.some((a) => a.name === "score" && a.type === "float"), JSON.stringify(train));
      const first = await hooks().runSnapshot("EditorLabFlow", runIds.flow!);
      const matrix = first.steps?.start?.tasks[0]?.artifacts.find((a) => a.name === "matrix");
      assert.deepEqual(matrix?.shape, [7, 3]);
      assert.ok(await hooks().revealRun("EditorLabFlow", runIds.step!), "the run is revealed in the Runs view");
      const ack = await checkpoint("explorer", { treeRow: `Run ${runIds.step}`, treeText: "succeeded" });
      assert.ok(ack.ok, ack.detail);
    },
  ],
  [
    "an array preview opens with the right shape",
    async () => {
      const artifact = await hooks().findArtifact("EditorLabFlow", runIds.flow!, "start", "matrix");
      assert.ok(artifact, "the matrix artifact is found");
      const result = await vscode.commands.executeCommand<{ kind: string; shape?: number[]; rows?: unknown[][] }>("flowlens.artifact.preview", artifact);
      assert.equal(result.kind, "table", JSON.stringify(result));
      assert.deepEqual(result.shape, [7, 3]);
      assert.deepEqual(result.rows?.[1], [3, 4, 5]);
      const ack = await checkpoint("preview", { shape: "7,3" });
      assert.ok(ack.ok, ack.detail);
    },
  ],
  [
    "a failing step: failed mark, a traceback that links to the raising line, then Resume succeeds",
    async () => {
      writeFileSync(failMarker(), "1");
      const r = await vscode.commands.executeCommand<RunSummary>("flowlens.runStep", lens("train")).then(
        (x) => x,
        (err: unknown) => {
          rmSync(failMarker(), { force: true });
          throw err;
        },
      );
      // Later cases must not fail because of the marker, whatever the assertions below say.
      rmSync(failMarker(), { force: true });
      assert.equal(r.status, "failed", r.outcome);
      assert.equal(r.steps.train?.state, "failed");
      assert.match(r.failure?.reason ?? "", /train was told to fail/);
      const source = (await vscode.workspace.openTextDocument(flowFile())).getText().split("\n");
      const raiseLine = source.findIndex((l) => l.includes("raise RuntimeError")) + 1;
      const links = r.logText.split("\n").flatMap((l) => tracebackLinks(l));
      const link = links.find((l) => l.file === flowFile() && l.line === raiseLine);
      assert.ok(link, `the pane has File "${flowFile()}", line ${raiseLine}: ${JSON.stringify(links)}\n${r.logText}`);
      const ack = await checkpoint("step-failed", { flow: "EditorLabFlow", expect: { train: "failed" }, file: flowFile(), line: raiseLine });
      assert.ok(ack.ok, ack.detail);
      // The outer test Ctrl+clicks the `File "...", line N` text in the terminal when it can find it.
      if (ack.clicked) {
        const where = await editorAt(flowFile(), raiseLine);
        notes.set("traceback", `clicked the link → ${where}`);
        assert.equal(where, `${flowFile()}:${raiseLine}`, "the traceback link opens the raising line");
        await checkpoint("traceback-opened", {});
      } else notes.set("traceback", `the link was not clicked (${ack.detail ?? ""})`);
      const resumed = await vscode.commands.executeCommand<RunSummary>("flowlens.resumeRun", { file: flowFile(), flow: "EditorLabFlow", runId: r.runId });
      assert.equal(resumed.status, "succeeded", resumed.outcome + "\n" + resumed.logText);
      assert.equal(resumed.mode, "resume");
      assert.equal(resumed.steps.train?.state, "succeeded");
      assert.equal(resumed.steps.start?.state, "cloned");
      const ack2 = await checkpoint("resumed", { flow: "EditorLabFlow", expect: { train: "succeeded", end: "succeeded" } });
      assert.ok(ack2.ok, ack2.detail);
    },
  ],
  [
    "Stop run ends a running step and marks it cancelled",
    async () => {
      writeFileSync(slowMarker(), "1");
      try {
        const test = hooks();
        const before = test.runCount();
        const pending = vscode.commands.executeCommand<RunSummary>("flowlens.runStep", lens("train"));
        const state = await test.whenTaskRunning(before);
        assert.equal(state, "running");
        const t0 = Date.now();
        assert.equal(await vscode.commands.executeCommand("flowlens.stopRun"), "stopping");
        const r = await pending;
        notes.set("stop", `stopped in ${Date.now() - t0} ms`);
        assert.equal(r.status, "cancelled", r.outcome);
        const snap = await test.runSnapshot("EditorLabFlow", r.runId!);
        assert.equal(snap.run?.status, "cancelled", "the explorer shows the stopped run as cancelled");
        // A task stopped before its attempt was recorded has no row; one that has a row shows as stopped.
        const rows = snap.steps?.train?.tasks ?? [];
        assert.ok(rows.every((t) => t.status === "cancelled"), `the stopped task's row: ${JSON.stringify(rows)}`);
        notes.set("stop", `${notes.get("stop") ?? ""}; train task rows: ${rows.map((t) => t.status).join(", ") || "none (stopped before its attempt was recorded)"}`);
        const ack = await checkpoint("stopped", { treeRow: `Run ${r.runId ?? "?"}`, treeText: "stopped" });
        assert.ok(ack.ok, ack.detail);
      } finally {
        rmSync(slowMarker(), { force: true });
      }
    },
  ],
  [
    "code of a run, compare with the working copy, load snippet, compare an artifact with another run",
    async () => {
      const model = await hooks().explorerModel();
      const run = await model.run("EditorLabFlow", runIds.flow!);
      const codeUri = await vscode.commands.executeCommand<string>("flowlens.run.compareWithWorkingCopy", run);
      const snapshot = await vscode.workspace.openTextDocument(vscode.Uri.parse(codeUri));
      assert.equal(snapshot.getText(), (await vscode.workspace.openTextDocument(flowFile())).getText(), "the code package holds the flow file as it ran");
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.ok(tab?.input instanceof vscode.TabInputTextDiff, `a diff editor is open (active tab: ${tab?.label ?? "none"})`);
      const matrix = await hooks().findArtifact("EditorLabFlow", runIds.flow!, "start", "matrix");
      const snippet = await vscode.commands.executeCommand<string>("flowlens.artifact.copySnippet", matrix);
      assert.equal(snippet, `from metaflow import Flow\n\nmatrix = Flow("EditorLabFlow")["${runIds.flow!}"]["start"].task.data.matrix\n`);
      assert.equal(await vscode.env.clipboard.readText(), snippet);
      const compared = await vscode.commands.executeCommand<string>("flowlens.artifact.compareWith", matrix, runIds.form);
      assert.match(compared, /shape: \(4, 3\)[\s\S]*---[\s\S]*shape: \(7, 3\)/, compared);
      const ack = await checkpoint("compare", {});
      assert.ok(ack.ok, ack.detail);
    },
  ],
  [
    "Debug step without the Python Debugger says what to install",
    async () => {
      const message = await vscode.commands.executeCommand<string>("flowlens.debugStep", lens("train"));
      assert.match(message, /ms-python\.debugpy/);
    },
  ],
];

export function run(): Promise<void> {
  // Not activated first: the first case opens the flow file, which activates the extension as for a user.
  return runCases(cases, "editor-run", { activate: false });
}
