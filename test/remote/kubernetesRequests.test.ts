// What following a task costs the launcher, counted at the loopback Kubernetes API server: while
// the run's pod watch streams, a task's Job is not read again and again (its pod's events tell
// its end), Metaflow's records come as one object a task (no folder is listed), and a pod
// deleted while the watch was down is still reported (the pods listed again lack it).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Outputs } from "./batchEnv";
import { podSpec, startKubernetesEnv, token, type KubernetesEnv } from "./kubernetesEnv";

let env: KubernetesEnv;
before(async () => {
  env = await startKubernetesEnv("kube-requests", { secondScaleMs: 200 });
});
after(async () => {
  await env.stop();
});

const signal = new AbortController().signal;
const work = (runId: string, attempt: number, sleep: string) => podSpec("work", "2", [`${runId}/start/1`], { splitIndex: 0, ref: { flow: "PodFlow", runId, step: "work", taskId: "2", attempt }, env: { FLOWLENS_TEST_SLEEP: sleep } }, runId);

/** The key prefixes of the S3 listings the launcher makes while `body` runs. */
async function listings(body: () => Promise<void>): Promise<string[]> {
  const prefixes: string[] = [];
  env.store.client.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === "ListObjectsV2Command") prefixes.push(String((args.input as { Prefix?: unknown }).Prefix));
      return next(args);
    },
    { step: "initialize", name: "countListings" },
  );
  try {
    await body();
  } finally {
    env.store.client.middlewareStack.remove("countListings");
  }
  return prefixes;
}

async function fewRequests(): Promise<void> {
  const calls0 = env.k8s.calls.length;
  // A Job read every 200 ms before this change: a task of a few seconds read its Job ten times or more.
  const executor = env.executor({}, { jobCheckMs: 200 });
  const o = new Outputs();
  const prefixes = await listings(async () => {
    const p = await executor.runTask(podSpec("_parameters", "0", [], { parameters: { n: "3" } }, "70"), () => undefined, signal);
    assert.equal(p.ok, true, JSON.stringify(p));
    const s = await executor.runTask(podSpec("start", "1", ["70/_parameters/0"], {}, "70"), () => undefined, signal);
    assert.equal(s.ok, true, JSON.stringify(s));
    const w = await executor.runTask(work("70", 0, "1.5"), o.sink, signal);
    assert.equal(w.ok, true, JSON.stringify(w));
  });
  assert.deepEqual(o.statuses().at(-1), "Succeeded");
  await executor.close();
  // Metaflow's records of a task are one object of its attempt: no records folder is listed.
  assert.deepEqual(prefixes.filter((p) => p.endsWith("_meta/")), [], prefixes.join("\n"));

  const calls = env.k8s.calls.slice(calls0);
  const jobReads = calls.filter((c) => c.method === "GET" && /\/jobs\/fl-/.test(c.path));
  // At most one read a task, before its pod appeared (the watch then shows it).
  assert.ok(jobReads.length <= 3, `${jobReads.length} Job reads for 3 tasks:\n${jobReads.map((c) => c.path).join("\n")}`);
  assert.equal(calls.filter((c) => c.method === "POST" && c.path.endsWith("/jobs")).length, 3);
}

async function deletedWhileNotWatching(): Promise<void> {
  // Reads of the Job only every 10 minutes: only the watch listed again can end this task.
  const executor = env.executor({}, { jobCheckMs: 600_000 });
  const o = new Outputs();
  const running = o.waitFor((x) => x.kind === "state" && x.state === "running");
  const task = executor.runTask(work("70", 1, "60"), o.sink, signal);
  await running;
  const name = executor.created.at(-1) ?? "";
  env.k8s.expireWatches();
  // The watch is gone (410) and is listed again after a short pause: the job and its pod go meanwhile.
  const res = await fetch(`${env.k8s.endpoint}/apis/batch/v1/namespaces/flows/jobs/${name}?propagationPolicy=Background`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  const r = await task;
  await executor.close();
  assert.equal(r.ok, false);
  assert.equal(r.failure?.kind, "infrastructure");
  assert.match(r.failure?.headline ?? "", /the pod was deleted before it finished/);
}

void describe("KubernetesExecutor's requests", () => {
  void test("a task is followed through the run's pod watch: no Job read while it streams; no records folder is listed", fewRequests);
  void test("a pod deleted while the watch was down (410 Gone, listed again) ends its task with the reason", { timeout: 60_000 }, deletedWhileNotWatching);
});
