// BatchExecutor when things go wrong: @timeout expiry, cancellation (TerminateJob), a job that
// stays RUNNABLE because no compute fits it, and setup problems reported before any submission.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BatchExecutor } from "../../runtime/src/executors/batch/executor";
import { LocalObjectStore } from "../../runtime/src/datastore/local";
import { testCredentials } from "./servers/moto";
import { Outputs, spec, startBatchEnv, type BatchEnv } from "./batchEnv";

let env: BatchEnv;
before(async () => {
  // 20 ms per Batch second: the 60 s minimum attempt duration expires in 1.2 s.
  env = await startBatchEnv("batch-control", { secondScaleMs: 20, capacity: { vcpus: 4, memoryMiB: 8192 } });
  const executor = env.executor();
  const signal = new AbortController().signal;
  const params = await executor.runTask(spec("_parameters", "0", []), () => undefined, signal);
  assert.equal(params.ok, true, JSON.stringify(params));
  const start = await executor.runTask(spec("start", "1", ["1/_parameters/0"]), () => undefined, signal);
  assert.equal(start.ok, true, JSON.stringify(start));
});
after(async () => {
  await env.stop();
});

void describe("BatchExecutor failure paths", () => {
  void test("@timeout: the job is stopped at attemptDurationSeconds and reported as a timeout", async () => {
    const o = new Outputs();
    const r = await env.executor().runTask(spec("middle", "2", ["1/start/1"], { env: { FLOWLENS_TEST_SLEEP: "60" }, timeoutSeconds: 30 }), o.sink, new AbortController().signal);
    assert.equal(r.ok, false);
    assert.equal(r.failure?.kind, "timeout", JSON.stringify(r));
    assert.match(r.failure?.headline ?? "", /Job attempt duration exceeded timeout/);
    const submit = env.batch.calls.filter((c) => c.operation === "submitjob").at(-1)?.body as { timeout?: { attemptDurationSeconds: number } };
    assert.equal(submit.timeout?.attemptDurationSeconds, 60, "Batch's 60 s minimum applies");
    assert.deepEqual(o.statuses().slice(-2), ["RUNNING", "FAILED"]);
  });

  void test("cancel: the AbortSignal terminates the job and the task ends as cancelled", async () => {
    const o = new Outputs();
    const abort = new AbortController();
    void o.waitFor((x) => x.kind === "log" && x.line === "sleeping").then(() => abort.abort());
    const r = await env.executor().runTask(spec("middle", "3", ["1/start/1"], { env: { FLOWLENS_TEST_SLEEP: "60" } }), o.sink, abort.signal);
    assert.equal(r.ok, false);
    assert.equal(r.failure?.kind, "cancelled");
    const term = env.batch.calls.filter((c) => c.operation === "terminatejob");
    assert.equal(term.length, 1);
    const job = [...env.batch.jobs.values()].find((j) => j.jobName === "tester-BatchFlow-1-middle-3-0");
    assert.equal(job?.status, "FAILED");
    assert.equal(job?.statusReason, "Cancelled by Flowlens");
  });

  void test("a job too big for the compute environment stays RUNNABLE, and the launcher says why", async () => {
    const o = new Outputs();
    const abort = new AbortController();
    void o.waitFor((x) => x.kind === "state" && /no capacity/.test(x.reason ?? "")).then(() => abort.abort());
    const decorators = [{ name: "batch", attributes: { cpu: 64, memory: 500000 } }];
    const r = await env.executor({ runnableWarningMs: 150 }).runTask(spec("middle", "4", ["1/start/1"], { decorators }), o.sink, abort.signal);
    const explanation = o.all.find((x) => x.kind === "state" && /no capacity/.test(x.reason ?? ""));
    assert.ok(explanation && explanation.kind === "state");
    assert.match(explanation.reason ?? "", /still RUNNABLE after \d+ s: the queue's compute environments have no capacity for VCPU 64, MEMORY 500000/);
    assert.equal(r.failure?.kind, "cancelled");
  });

  void test("missing queue, missing bucket, unknown queue, local datastore: one clear message each, nothing submitted", async () => {
    const before = env.batch.calls.filter((c) => c.operation === "submitjob").length;
    const cases: { executor: BatchExecutor; message: RegExp }[] = [
      { executor: new BatchExecutor({ store: env.store, env: env.env, settings: { queue: undefined } }), message: /No AWS Batch job queue configured\. Set --batch-queue/ },
      { executor: env.executor({ queue: "nope" }), message: /AWS Batch job queue "nope" not found.*--batch-queue/ },
      {
        executor: new BatchExecutor({ store: new (await import("../../runtime/src/datastore/s3/store")).S3ObjectStore({ root: "s3://missing-bucket/x", env: env.env }), env: env.env, settings: { queue: "flowlens-q" } }),
        message: /S3 bucket "missing-bucket" does not exist/,
      },
      { executor: new BatchExecutor({ store: new LocalObjectStore("/tmp/flowlens-local-x"), env: env.env, settings: { queue: "flowlens-q" } }), message: /AWS Batch needs an S3 datastore.*--datastore s3/ },
    ];
    for (const c of cases) {
      await assert.rejects(c.executor.preflight(c.executor.settings.queue), c.message);
      const r = await c.executor.runTask(spec("middle", "9", ["1/start/1"]), () => undefined, new AbortController().signal);
      assert.equal(r.ok, false);
      assert.equal(r.failure?.kind, "infrastructure");
      assert.match(r.failure?.headline ?? "", c.message);
      assert.ok(!(r.failure?.headline ?? "").includes(testCredentials.AWS_SECRET_ACCESS_KEY));
    }
    assert.equal(env.batch.calls.filter((c) => c.operation === "submitjob").length, before, "nothing was submitted");
  });
});
