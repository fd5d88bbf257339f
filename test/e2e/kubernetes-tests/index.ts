// A flow with a @kubernetes foreach step, run from the editor in a real VS Code (loaded by
// test/e2e/kubernetes.test.ts, bundled to out/e2e-kubernetes-tests/index.js) against the
// loopback Kubernetes API server and moto. At each checkpoint the outer test reads the graph
// webview (the step's run class and its tooltip), takes a screenshot, and then moves the cluster
// on: it raises the namespace's quota (the pods are created), then lets the pods finish.
import * as assert from "node:assert/strict";
import { join } from "node:path";
import * as vscode from "vscode";
import type { RunSummary } from "../../../client/src/runs/summary";
import type { Case } from "../support/payloadCases";
import { checkpoint, runCases } from "../support/payloadCases";

const file = (name: string): string => join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, name);
const lens = (name: string, flow: string): Record<string, unknown> => ({ uri: vscode.Uri.file(file(name)).toString(), file: file(name), flow, parameters: {} });
/** A checkpoint waits while the cluster's pods are created and run: up to 150 s. */
const ask = (name: string, data: unknown): ReturnType<typeof checkpoint> => checkpoint(name, data, 150_000);

const cases: Case[] = [
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
  await runCases(cases, "Kubernetes");
}
