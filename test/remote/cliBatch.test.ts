// `flowlens run FLOW --with batch --datastore s3` end to end: the CLI (scheduler, plan, local
// and Batch executors wired by the orchestration code) against moto and the Batch fixture server.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseRunEvent, type RunEvent } from "../../server/src/protocol/runEvents";
import { flowFile, startBatchEnv, type BatchEnv } from "./batchEnv";

let env: BatchEnv;
before(async () => {
  env = await startBatchEnv("cli-batch");
});
after(async () => {
  await env.stop();
});

const cli = join(__dirname, "..", "..", "runtime", "src", "cli", "main.ts");

async function flowlens(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; events: RunEvent[]; stderr: string }> {
  const childEnv = { ...process.env, ...env.env, FLOWLENS_BATCH_QUEUE: "flowlens-q", ...extraEnv } as NodeJS.ProcessEnv;
  const res = await promisify(execFile)(process.execPath, ["--import", "tsx", cli, ...args], { env: childEnv, cwd: join(flowFile, ".."), maxBuffer: 16 << 20, timeout: 240_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" }),
  );
  const events = res.stdout.split("\n").flatMap((l) => {
    const ev = parseRunEvent(l);
    return ev ? [ev] : [];
  });
  return { code: res.code, events, stderr: res.stderr };
}

void test("flowlens run --with batch runs every step as a Batch job and finishes the run", async () => {
  const r = await flowlens(["run", "flow.py", "--with", "batch", "--datastore", "s3", "--datastore-root", "s3://cli-batch/root", "--json"]);
  const finished = r.events.find((e) => e.type === "run-finished");
  assert.ok(finished && finished.type === "run-finished", `no run-finished event; exit ${r.code}\n${r.stderr}\n${JSON.stringify(r.events.slice(-5))}`);
  assert.equal(finished.status, "succeeded", JSON.stringify(finished));
  const remote = r.events.flatMap((e) => (e.type === "task-state" && e.remote ? [`${e.task.step}:${e.remote.status}`] : []));
  for (const s of ["start", "middle", "end"]) assert.ok(remote.includes(`${s}:RUNNING`) && remote.includes(`${s}:SUCCEEDED`), `${s} went through Batch: ${remote.join(" ")}`);
  assert.ok(r.events.some((e) => e.type === "log" && e.line === "y is 42"), "logs tailed from S3 reach the event stream");
  assert.equal(r.code, 0);
  // Every job runs the code package the run recorded: the run builds it once, the executor reuses it.
  const started = r.events.find((e) => e.type === "run-started");
  assert.ok(started && started.type === "run-started");
  const record = JSON.parse((await env.store.get(`${started.flow}/${started.runId}/_flowlens/run.json`))?.toString() ?? "{}") as { code_package?: { sha?: string } };
  const shas = new Set([...env.batch.jobs.values()].map((job) => job.environment.FLOWLENS_CODE_PACKAGE_SHA));
  assert.ok(record.code_package?.sha, "the run recorded its code package");
  assert.deepEqual([...shas], [record.code_package.sha]);
});

void test("flowlens run --with batch without a queue is refused before any task, naming the setting; nothing is submitted", async () => {
  const before = env.batch.calls.filter((c) => c.operation === "submitjob").length;
  const r = await flowlens(["run", "flow.py", "--with", "batch", "--datastore", "s3", "--datastore-root", "s3://cli-batch/root", "--json"], { FLOWLENS_BATCH_QUEUE: "" });
  assert.notEqual(r.code, 0);
  const refused = r.events.find((e) => e.type === "run-refused");
  assert.ok(refused && refused.type === "run-refused", `expected run-refused, got ${JSON.stringify(r.events)}\n${r.stderr}`);
  assert.match(refused.headline, /No AWS Batch job queue configured.*--batch-queue/);
  assert.ok(!r.events.some((e) => e.type === "task-state"), "no task started");
  assert.equal(env.batch.calls.filter((c) => c.operation === "submitjob").length, before);
});

void test("--batch-queue names an unknown queue: refused before any task", async () => {
  const r = await flowlens(["run", "flow.py", "--with", "batch", "--batch-queue", "no-such-queue", "--datastore", "s3", "--datastore-root", "s3://cli-batch/root", "--json"]);
  const refused = r.events.find((e) => e.type === "run-refused");
  assert.ok(refused && refused.type === "run-refused", `expected run-refused, got ${JSON.stringify(r.events)}\n${r.stderr}`);
  assert.match(refused.headline, /no-such-queue/);
  assert.ok(!r.events.some((e) => e.type === "task-state"), "no task started");
});
