// Retried, caught and out-of-memory steps in a real VS Code (loaded by test/e2e/marks.test.ts,
// bundled to out/e2e-marks-tests/index.js). The cases run real flows with the real commands and
// check what the run summary, the status bar text and the Runs view say; at each checkpoint the
// outer test reads the graph webview's DOM and takes light and dark screenshots.
import * as assert from "node:assert/strict";
import { join } from "node:path";
import * as vscode from "vscode";
import { checkpoint, hooks, runCases, setColorTheme, type Case } from "../support/payloadCases";
import type { RunSummary } from "../../../client/src/runs/summary";

const file = (name: string): string => join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, name);
const lens = (name: string, flow: string): Record<string, unknown> => ({ uri: vscode.Uri.file(file(name)).toString(), file: file(name), flow, parameters: {} });

async function theme(kind: "light" | "dark"): Promise<void> {
  await setColorTheme(kind === "light" ? "Default Light Modern" : "Default Dark Modern");
}

/**
 * The outer test checks `data` in the light theme, then takes the same screenshot in the dark one,
 * where it checks `darkData` again (what the theme switch could change).
 */
async function themedCheckpoint(name: string, data: object, darkData: object = {}): Promise<{ ok: boolean; detail?: string }> {
  await theme("light");
  const light = await checkpoint(name, { ...data, theme: "light" }, 90_000);
  await theme("dark");
  const dark = await checkpoint(`${name}-dark`, { ...darkData, theme: "dark" }, 90_000);
  await theme("light");
  return { ok: light.ok && dark.ok, detail: [light.detail, dark.detail].filter(Boolean).join("; ") };
}

type Snapshot = { steps?: Record<string, { tasks: { status: string; description?: string }[] }> };

async function runsView(flow: string, runId: string): Promise<Snapshot> {
  return hooks().runSnapshot(flow, runId);
}

async function show(name: string): Promise<void> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file(name)), vscode.ViewColumn.One);
  await vscode.commands.executeCommand("flowlens.showGraph", vscode.Uri.file(file(name)));
}

const cases: Case[] = [
  [
    "a retried step and a caught step are marked in the summary, the status bar, the Runs view and the graph",
    async () => {
      await show("marks_flow.py");
      const r = await vscode.commands.executeCommand<RunSummary>("flowlens.runFlow", lens("marks_flow.py", "MarksFlow"));
      assert.equal(r.status, "succeeded", r.outcome + "\n" + r.logText);
      assert.equal(r.steps.flaky?.mark, "retried");
      assert.equal(r.steps.flaky?.markDetail, "succeeded on attempt 2");
      assert.equal(r.steps.risky?.mark, "caught");
      assert.equal(r.steps.risky?.markDetail, "@catch caught ValueError: bad row 7");
      assert.equal(r.steps.end?.mark, undefined);
      assert.match(r.progress, /4\/4 tasks \(1 after retry, 1 caught an exception\)$/);
      assert.ok(!r.logText.split("\n")[0]?.includes("--json"), `the log pane's first line is the command a user would type: ${r.logText.split("\n")[0] ?? ""}`);
      const snap = await runsView("MarksFlow", r.runId!);
      assert.match(snap.steps?.flaky?.tasks[0]?.description ?? "", /^succeeded after retry/);
      assert.match(snap.steps?.risky?.tasks[0]?.description ?? "", /^caught an exception · ValueError: bad row 7/);
      assert.deepEqual(Object.keys(snap.steps ?? {}), ["_parameters", "start", "flaky", "risky", "end"], "flow order");
      const ack = await themedCheckpoint("marks", { flow: "MarksFlow", marks: { flaky: "run-mark-retried", risky: "run-mark-caught" }, pills: { flaky: "↻ attempt 2", risky: "⚠ caught ValueError" }, status: "1 after retry, 1 caught an exception" });
      assert.ok(ack.ok, ack.detail);
    },
  ],
  [
    "a step killed out of memory fails with its cause and the memory it reached; the logs that show it are one click away",
    async () => {
      await show("oom_flow.py");
      const r = await vscode.commands.executeCommand<RunSummary>("flowlens.runFlow", lens("oom_flow.py", "OomFlow"));
      assert.equal(r.status, "failed", r.outcome);
      assert.equal(r.steps.grow?.state, "failed");
      assert.equal(r.steps.grow?.cause, "out-of-memory");
      assert.match(r.steps.grow?.reason ?? "", /^Out of memory: killed by SIGKILL after reaching \d+ MB$/);
      assert.match(r.outcome, /step grow failed: Out of memory/);
      const snap = await runsView("OomFlow", r.runId!);
      assert.match(snap.steps?.grow?.tasks[0]?.description ?? "", /^failed · Out of memory: killed by SIGKILL after reaching \d+ MB/);
      const model = await hooks().explorerModel();
      const [task] = await model.tasks("OomFlow", r.runId!, "grow");
      const lines = await vscode.commands.executeCommand<number[]>("flowlens.task.showLogs", task);
      const editor = vscode.window.activeTextEditor;
      assert.ok(lines.length > 0 && editor, "the task's log opens with the lines that show the failure selected");
      assert.match(editor.document.lineAt(lines[0]!).text, /SIGKILL/);
      await show("oom_flow.py");
      const ack = await themedCheckpoint("oom", { flow: "OomFlow", marks: { grow: "run-failed" }, pills: { grow: "✖ Out of memory ·" } });
      assert.ok(ack.ok, ack.detail);
    },
  ],
  [
    "the walkthrough is on the Welcome page and behind Flowlens: Get Started",
    async () => {
      await vscode.commands.executeCommand("workbench.action.closeAllEditors");
      await vscode.commands.executeCommand("workbench.action.closePanel");
      // Without an id: the Welcome page itself, whose walkthrough list must name ours. The Welcome
      // page comes first: "openWalkthrough" resolves before its editor is open, so an earlier
      // walkthrough still opening could take the Welcome page over.
      await vscode.commands.executeCommand("workbench.action.openWalkthrough");
      const welcome = { welcome: "Get started with Flowlens" };
      const index = await themedCheckpoint("welcome", welcome, welcome);
      assert.ok(index.ok, index.detail);
      assert.equal(await vscode.commands.executeCommand<string>("flowlens.gettingStarted"), "flowlens.flowlens#flowlens.gettingStarted");
      const walkthrough = { walkthrough: "Get started with Flowlens" };
      const opened = await themedCheckpoint("walkthrough", walkthrough, walkthrough);
      assert.ok(opened.ok, opened.detail);
    },
  ],
];

export function run(): Promise<void> {
  return runCases(cases, "marks");
}
