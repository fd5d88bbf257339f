// Steps on Kubernetes from the editor, end to end: code-server + headless Chromium, the loopback
// Kubernetes API server (pods are local python3 processes) and moto for the S3 datastore. The
// cases in test/e2e/kubernetes-tests/index.ts start a run of a flow whose 20-way foreach step has
// @kubernetes; at each checkpoint this side checks the graph node's run class and its tooltip
// (the pod's reason), writes a screenshot into test-output/ (kubernetes-<checkpoint>.png), and
// moves the cluster on: the namespace's quota first refuses every pod, then allows them, and the
// pods finish once this side writes the file they wait for. Waits on events, no sleeps.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { Frame, Page } from "playwright-core";
import { startKubernetesServer } from "../remote/servers/kubernetesServer";
import { startMoto } from "../remote/servers/moto";
import { missing, outputDir, skipIfMissing } from "./support/environment";
import { assertAllPassed, runPayloadSuite } from "./support/payloadSuite";
import { findFrame } from "./support/webviewFrames";

const reason = missing({ chromium: true, codeServer: true, dist: ["dist/client.js", "dist/server.js", "dist/cli.js", "dist/webview.js", "dist/kubernetes.js", "dist/aws.js"] });

function podFlow(release: string): string {
  return `import os
import time

from metaflow import FlowSpec, kubernetes, step


class EditorPodFlow(FlowSpec):
    @step
    def start(self):
        self.items = list(range(20))
        self.next(self.work, foreach="items")

    @kubernetes(cpu=1, memory=512)
    @step
    def work(self):
        # The pods wait here until the test has seen them running.
        while not os.path.exists(${JSON.stringify(release)}):
            time.sleep(0.2)
        self.square = self.input * self.input
        self.next(self.join)

    @step
    def join(self, inputs):
        self.total = sum(i.square for i in inputs)
        self.next(self.end)

    @step
    def end(self):
        print("total is", self.total)


if __name__ == "__main__":
    EditorPodFlow()
`;
}

interface Checkpoint {
  marks?: Record<string, string>;
  title?: Record<string, string>;
  progress?: Record<string, string>;
  then?: "raise-quota" | "release";
}

function graphFrame(page: Page, ms = 30_000): Promise<Frame | undefined> {
  return findFrame(page, { selector: "svg#graph" }, ms);
}

/** The node's run class, its tooltip's words (what a hover shows) and its progress label, each waited for. */
async function checkGraph(page: Page, data: Checkpoint): Promise<string[]> {
  const frame = await graphFrame(page);
  if (!frame) return ["no graph panel"];
  const problems: string[] = [];
  const node = (step: string): string => `svg#graph .node[data-step="${step}"]`;
  for (const [step, cls] of Object.entries(data.marks ?? {})) {
    if (!(await frame.locator(`${node(step)}.${cls}`).waitFor({ state: "attached", timeout: 60_000 }).then(() => true, () => false))) {
      problems.push(`node ${step} has no class ${cls} (it has "${(await frame.locator(node(step)).getAttribute("class").catch(() => "")) ?? ""}")`);
    }
  }
  for (const [step, words] of Object.entries(data.title ?? {})) {
    const title = frame.locator(`${node(step)} > title`).filter({ hasText: words });
    if (!(await title.waitFor({ state: "attached", timeout: 30_000 }).then(() => true, () => false))) {
      problems.push(`node ${step}'s tooltip does not say "${words}": ${(await frame.locator(`${node(step)} > title`).textContent().catch(() => "")) ?? ""}`);
    }
  }
  for (const [step, text] of Object.entries(data.progress ?? {})) {
    const label = (await frame.locator(`${node(step)} .run-progress`).textContent().catch(() => null)) ?? "";
    if (label !== text) problems.push(`node ${step}'s progress reads "${label}", expected "${text}"`);
  }
  return problems;
}

void test("a @kubernetes foreach run from the editor: pending with the quota's reason, running on the node, succeeded", { timeout: 600_000 }, async (t) => {
  if (skipIfMissing(t, reason)) return;
  const moto = await startMoto();
  const hostEnv = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith("AWS_") && k !== "KUBECONFIG")) as Record<string, string>;
  // Every pod is refused by the namespace's quota until the first checkpoint raises it.
  const k8s = await startKubernetesServer({ token: "e2e-token", namespaces: ["default", "flows"], nodeEnv: { ...hostEnv, ...moto.env }, quotas: { flows: { name: "team", cpu: 0 } } });
  const s3 = new S3Client({ region: "us-east-1", endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: moto.env.AWS_ACCESS_KEY_ID ?? "", secretAccessKey: moto.env.AWS_SECRET_ACCESS_KEY ?? "" } });
  await s3.send(new CreateBucketCommand({ Bucket: "editor-kube" }));
  const kubeconfig = await k8s.kubeconfig(mkdtempSync(join(tmpdir(), "flowlens-e2e-kube-")));
  try {
    let release = "";
    const run = await runPayloadSuite({
      cases: "kubernetes-tests",
      bundle: "e2e-kubernetes-tests",
      label: "kubernetes",
      what: "the Kubernetes cases",
      timeoutMs: 560_000,
      viewport: { width: 1500, height: 950 },
      env: { KUBECONFIG: kubeconfig, ...moto.env },
      prepare: (dirs) => {
        release = join(dirs.workspace, "RELEASE_PODS");
        writeFileSync(join(dirs.workspace, "pod_flow.py"), podFlow(release));
        const settingsFile = join(dirs.userData, "User", "settings.json");
        const settings = {
          ...(JSON.parse(readFileSync(settingsFile, "utf8")) as object),
          "flowlens.datastore.type": "s3",
          "flowlens.datastore.s3Root": "s3://editor-kube/root",
          "flowlens.datastore.s3EndpointUrl": moto.endpoint,
          // The editor's Kubernetes settings: the run's jobs go where they say.
          "flowlens.kubernetes.namespace": "flows",
          "flowlens.kubernetes.image": "python:3.11",
        };
        writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
      },
      answer: async (page, name, raw, report) => {
        const data = raw as Checkpoint;
        const problems = await checkGraph(page, data);
        // Hover the step, so the screenshot shows the tooltip a user sees.
        const frame = await graphFrame(page);
        await frame?.locator('svg#graph .node[data-step="work"]').hover().catch(() => undefined);
        await page.screenshot({ path: join(outputDir, `kubernetes-${name}.png`) });
        if (data.then === "raise-quota") k8s.setQuota("flows", { name: "team", cpu: 100 });
        if (data.then === "release") writeFileSync(release, "go");
        report(`${name}: ${problems.length === 0 ? "ok" : problems.join("; ")}`);
        return { ok: problems.length === 0, detail: problems.join("; ") };
      },
    });
    assertAllPassed(run, 1);
    const jobs = k8s.calls.filter((c) => c.method === "POST" && c.path === "/apis/batch/v1/namespaces/flows/jobs").length;
    assert.equal(jobs, 20, "one job per foreach task, in the namespace the setting names");
  } finally {
    await k8s.stop();
    await moto.stop();
  }
});
