// A flow with a @kubernetes foreach step, run from the editor in a real VS Code (loaded by
// test/e2e/kubernetes.test.ts, bundled to out/e2e-kubernetes-tests/index.js) against the
// loopback Kubernetes API server and moto. At each checkpoint the outer test reads the graph
// webview (the step's run class and its tooltip), takes a screenshot, and then moves the cluster
// on: it raises the namespace's quota (the pods are created), then lets the pods finish.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync, renameSync, watch, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import type { RunSummary } from "../../../client/src/runs/summary";

const resultsFile = process.env.FLOWLENS_E2E_RESULTS ?? "";
const dir = dirname(resultsFile);
const file = (name: string): string => join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, name);
const lens = (name: string, flow: string): Record<string, unknown> => ({ uri: vscode.Uri.file(file(name)).toString(), file: file(name), flow, parameters: {} });

/** Hands control to the outer test (DOM checks, screenshot, the cluster's next move) and waits for its answer. */
function ask(name: string, data: unknown): Promise<{ ok: boolean; detail?: string }> {
  const ack = join(dir, `ack-${name}`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`the outer test did not acknowledge checkpoint ${name} within 150 s`));
    }, 150_000);
    const done = (): void => {
      clearTimeout(timer);
      watcher.close();
      resolve(JSON.parse(readFileSync(ack, "utf8")) as { ok: boolean; detail?: string });
    };
    const watcher = watch(dir, (_event, f) => {
      if (f === `ack-${name}` && existsSync(ack)) done();
    });
    writeFileSync(join(dir, `.tmp-checkpoint-${name}`), JSON.stringify(data));
    renameSync(join(dir, `.tmp-checkpoint-${name}`), join(dir, `checkpoint-${name}`));
    if (existsSync(ack)) done();
  });
}

const cases: [string, () => Promise<void>][] = [
  [
    "a @kubernetes foreach of 20 runs from the editor: the graph shows pending with the quota's reason, running on the node, then succeeded",
    async () => {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file("pod_flow.py")), vscode.ViewColumn.One);
      await vscode.commands.executeCommand("flowlens.showGraph", vscode.Uri.file(file("pod_flow.py")));
      const finished = vscode.commands.executeCommand<RunSummary>("flowlens.runFlow", lens("pod_flow.py", "EditorPodFlow"));
      const pending = await ask("pending", { marks: { work: "run-pending" }, title: { work: "quota exceeded: team, requested: cpu=1, used: cpu=0, limited: cpu=0" }, then: "raise-quota" });
      assert.ok(pending.ok, pending.detail);
      const running = await ask("running", { marks: { work: "run-running" }, title: { work: "on node loopback-node" }, then: "release" });
      assert.ok(running.ok, running.detail);
      const r = await finished;
      assert.equal(r.status, "succeeded", `${r.outcome}\n${r.logText.slice(-2000)}`);
      assert.equal(r.steps.work?.state, "succeeded");
      assert.match(r.logText, /total is 2470/);
      const done = await ask("succeeded", { marks: { start: "run-succeeded", work: "run-succeeded", join: "run-succeeded", end: "run-succeeded" }, progress: { work: "20/20" } });
      assert.ok(done.ok, done.detail);
    },
  ],
];

export async function run(): Promise<void> {
  await vscode.extensions.getExtension("flowlens.flowlens")?.activate();
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
  if (results.some((r) => !r.ok)) throw new Error(`${results.filter((r) => !r.ok).length} Kubernetes case(s) failed`);
}
