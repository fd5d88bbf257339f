// BatchExecutor end to end against loopback S3 (moto) and the Batch fixture server, which runs
// each job's container command as a local process: code package upload, job definition reuse,
// SubmitJob, the container bootstrap, the real task harness writing artifacts to S3, logs tailed
// from S3, every status reported, failures with reasons, retry, timeout and cancellation.
// The scheduler/CLI path (`flowlens run --with batch`) is not exercised here: runTask is called
// directly, task by task, the way the scheduler calls it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { buildCodePackage, storeCodePackage } from "../../runtime/src/datastore/codePackage";
import { testCredentials } from "./servers/moto";
import { flowFile, Outputs, snapshotRuntime, spec, startBatchEnv, type BatchEnv } from "./batchEnv";

let env: BatchEnv;
before(async () => {
  env = await startBatchEnv("batch-e2e");
});
after(async () => {
  await env.stop();
});

const startDecorators = [
  { name: "batch", attributes: { cpu: 2, memory: 2048 } },
  { name: "resources", attributes: { memory: 3000 } },
  { name: "environment", attributes: { vars: { FROM_DECORATOR: "yes" } } },
];

void describe("BatchExecutor.runTask: a run of every step", () => {
  void test("runs parameters, start, middle, end as Batch jobs with artifacts and logs in S3", async () => {
    const executor = env.executor();
    const signal = new AbortController().signal;
    const p = new Outputs();
    const params = await executor.runTask(spec("_parameters", "0", []), p.sink, signal);
    assert.equal(params.ok, true, JSON.stringify(params));
    assert.deepEqual(params.transition?.next, ["start"]);

    const s = new Outputs();
    // Even if a caller hands credentials in the task's env, they are never sent with the job.
    const leaky = { AWS_SECRET_ACCESS_KEY: testCredentials.AWS_SECRET_ACCESS_KEY, AWS_ACCESS_KEY_ID: testCredentials.AWS_ACCESS_KEY_ID };
    const start = await executor.runTask(spec("start", "1", ["1/_parameters/0"], { decorators: startDecorators, env: leaky }), s.sink, signal);
    assert.equal(start.ok, true, JSON.stringify(start));
    assert.deepEqual(start.transition?.next, ["middle"]);
    assert.deepEqual(s.statuses(), ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED"]);
    assert.ok(s.lines().includes("hello from a helper module in the code package"), s.lines().join("\n"));
    assert.ok(s.lines().some((l) => /^on batch: [0-9a-f-]{36}$/.test(l)), "ran inside the (fixture) Batch job");
    assert.ok(s.lines().includes("env var: yes"), "@environment vars reach the container");
    assert.ok(s.all.some((o) => o.kind === "artifact" && o.name === "x"), "artifact x reported");

    const m = await executor.runTask(spec("middle", "2", ["1/start/1"]), new Outputs().sink, signal);
    assert.equal(m.ok, true, JSON.stringify(m));
    const e = new Outputs();
    const end = await executor.runTask(spec("end", "3", ["1/middle/2"]), e.sink, signal);
    assert.equal(end.ok, true, JSON.stringify(end));
    assert.ok(e.lines().includes("y is 42"), "the end step read middle's artifact from S3");

    // The layout in S3: logs, data.json and DONE.lock for every attempt.
    for (const t of ["start/1", "middle/2", "end/3"]) {
      assert.ok(await env.store.exists(`BatchFlow/1/${t}/0.DONE.lock`), `${t} DONE.lock`);
      assert.ok(await env.store.exists(`BatchFlow/1/${t}/0.data.json`), `${t} data.json`);
    }
    // Metaflow's metadata records, written in the container, copied into the local folder.
    const records = await env.records.listChildren("BatchFlow/1/start/1/_meta/");
    assert.ok(records.some((k) => /\/sysmeta_attempt-done_\d+\.json$/.test(k)), records.join("\n"));
    const x = JSON.parse((await env.records.get("BatchFlow/1/start/1/_meta/0_artifact_x.json"))?.toString() ?? "{}") as { location?: string; ds_type?: string };
    assert.deepEqual([x.location, x.ds_type], [":root:s3://batch-e2e/root", "s3"]);
    assert.ok(await env.records.exists("BatchFlow/1/_meta/_self.json"), "the run's record");
    const log = (await env.store.get("BatchFlow/1/start/1/0.runtime_stdout.log"))?.toString() ?? "";
    assert.match(log, /^\[MFLOG\|0\|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\|task\|[^|\]]+\]hello from a helper module in the code package$/m);

    // One code package and one job definition for all four jobs.
    assert.equal(executor.uploads.length, 1);
    assert.equal(env.batch.calls.filter((c) => c.operation === "registerjobdefinition").length, 1);
    const submits = env.batch.calls.filter((c) => c.operation === "submitjob").map((c) => c.body);
    assert.equal(submits.length, 4);
    const startSubmit = submits[1] as { jobName: string; containerOverrides: { resourceRequirements: unknown; environment: { name: string; value: string }[] } };
    assert.equal(startSubmit.jobName, "tester-BatchFlow-1-start-1-0");
    assert.deepEqual(startSubmit.containerOverrides.resourceRequirements, [
      { type: "VCPU", value: "2" },
      { type: "MEMORY", value: "3000" },
    ]);
    const names = startSubmit.containerOverrides.environment.map((v) => v.name);
    for (const n of ["FLOWLENS_CODE_PACKAGE_URL", "FLOWLENS_CODE_PACKAGE_SHA", "FLOWLENS_DATASTORE_ROOT", "FROM_DECORATOR", "FLOWLENS_RUN_ID"]) assert.ok(names.includes(n), n);
    const wire = JSON.stringify(env.batch.calls);
    assert.ok(!wire.includes(testCredentials.AWS_SECRET_ACCESS_KEY) && !wire.includes(testCredentials.AWS_ACCESS_KEY_ID), "no credential is sent in a job");
    const events = JSON.stringify([...s.all, ...e.all]);
    assert.ok(!events.includes(testCredentials.AWS_SECRET_ACCESS_KEY) && !events.includes(testCredentials.AWS_ACCESS_KEY_ID), "no credential in any event");
    const pkgUrl = startSubmit.containerOverrides.environment.find((v) => v.name === "FLOWLENS_CODE_PACKAGE_URL")?.value ?? "";
    assert.match(pkgUrl, /^s3:\/\/batch-e2e\/root\/BatchFlow\/data\/[0-9a-f]{2}\/[0-9a-f]{40}$/);

    // A second executor (a new `flowlens run`) finds the same package and definition: nothing re-uploaded.
    const again = env.executor();
    // Many tags make a TaskSpec too big for SubmitJob's 30 KiB: it travels through S3 instead.
    const tags = Array.from({ length: 3000 }, (_, i) => `tag-number-${i}`);
    const r = await again.runTask(spec("middle", "2", ["1/start/1"], { tags }, "2"), new Outputs().sink, signal);
    assert.equal(r.ok, true);
    assert.equal(again.uploads.length, 0, "unchanged code package is not uploaded again");
    assert.ok(await env.store.exists("BatchFlow/2/middle/2/0.flowlens_task.json"), "the big spec went to S3");
    assert.equal(env.batch.calls.filter((c) => c.operation === "registerjobdefinition").length, 1, "active job definition reused");
  });

});

void describe("BatchExecutor.runTask: failures, retries and code packages", () => {
  void test("a failing step: FAILED with Batch's reason and the Python exception; the retry attempt succeeds", async () => {
    const executor = env.executor();
    const signal = new AbortController().signal;
    await executor.runTask(spec("_parameters", "0", [], {}, "10"), () => undefined, signal);
    await executor.runTask(spec("start", "1", ["10/_parameters/0"], {}, "10"), () => undefined, signal);
    const o = new Outputs();
    const failed = await executor.runTask(spec("middle", "2", ["10/start/1"], { env: { FLOWLENS_TEST_FAIL: "1" } }, "10"), o.sink, signal);
    assert.equal(failed.ok, false);
    assert.equal(failed.failure?.kind, "user");
    assert.match(failed.failure?.headline ?? "", /ValueError: middle failed on purpose/);
    const last = o.all.filter((x) => x.kind === "state").at(-1);
    assert.equal(last?.kind === "state" ? last.remote?.status : "", "FAILED");
    assert.equal(last?.kind === "state" ? last.reason : "", "Essential container in task exited");
    assert.ok(o.all.some((x) => x.kind === "log" && x.stream === "stderr" && /ValueError/.test(x.line)), "traceback tailed from S3");
    // As in Metaflow, a failed attempt that persisted its artifacts is complete (with _task_ok False); its logs come first.
    assert.match((await env.store.get("BatchFlow/10/middle/2/0.runtime_stderr.log"))?.toString() ?? "", /ValueError: middle failed on purpose/);

    const retry = await executor.runTask(spec("middle", "2", ["10/start/1"], { ref: { flow: "BatchFlow", runId: "10", step: "middle", taskId: "2", attempt: 1 } }, "10"), () => undefined, signal);
    assert.equal(retry.ok, true, JSON.stringify(retry));
    const names = env.batch.calls.filter((c) => c.operation === "submitjob").map((c) => (c.body as { jobName: string }).jobName);
    assert.ok(names.includes("tester-BatchFlow-10-middle-2-0") && names.includes("tester-BatchFlow-10-middle-2-1"));
    assert.ok(await env.store.exists("BatchFlow/10/middle/2/1.DONE.lock"));
  });

  void test("past the log cap the container stores one marker line, and the tail shows it", async () => {
    const executor = env.executor();
    const signal = new AbortController().signal;
    await executor.runTask(spec("_parameters", "0", [], {}, "11"), () => undefined, signal);
    const o = new Outputs();
    const start = await executor.runTask(spec("start", "1", ["11/_parameters/0"], { env: { FLOWLENS_MAX_LOG_BYTES: "150" } }, "11"), o.sink, signal);
    assert.equal(start.ok, true, JSON.stringify(start));
    const marker = "[flowlens] stdout truncated: the task printed more than 150 bytes";
    const stored = ((await env.store.get("BatchFlow/11/start/1/0.runtime_stdout.log"))?.toString() ?? "").split("\n");
    assert.deepEqual(stored.map((l) => l.replace(/^\[MFLOG\|0\|[^|]+Z\|task\|[^|\]]+\]/, "")), ["hello from a helper module in the code package", marker, ""]);
    assert.ok(o.lines().includes(marker), o.lines().join("\n"));
  });

  void test("a task given the run's stored code package runs it and builds none of its own", async () => {
    const built = await buildCodePackage(flowFile, [".py"], snapshotRuntime());
    // The same files compressed differently: another sha, which only the run's record can name.
    const archive = gzipSync(gunzipSync(built.archive), { level: 1 });
    const sha = createHash("sha1").update(archive).digest("hex");
    assert.notEqual(sha, built.sha);
    const { key } = await storeCodePackage(env.store, "BatchFlow", archive, sha);
    const executor = env.executor();
    const r = await executor.runTask(spec("_parameters", "0", [], { codePackage: { sha, key } }, "7"), new Outputs().sink, new AbortController().signal);
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(executor.uploads.length, 0, "the executor built and uploaded no package of its own");
    const submitted = [...env.batch.jobs.values()].at(-1);
    assert.equal(submitted?.environment.FLOWLENS_CODE_PACKAGE_SHA, sha);
  });
});
