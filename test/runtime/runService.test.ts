// The run service (runtime/src/run/service.ts) on its own, in this process and without the CLI:
// a request in, run events and a result out, with real Python and a local datastore.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { RunEvent } from "../../server/src/protocol/runEvents";
import { InvalidRequest, type RunRequest } from "../../runtime/src/run/request";
import { runService } from "../../runtime/src/run/service";
import { artifact, datastore, workspace } from "./cli";

const slow = { timeout: 120_000 };

async function serve(request: RunRequest, cwd: string): Promise<{ result: Awaited<ReturnType<typeof runService>>; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const result = await runService(request, { cwd, env: process.env }, (e) => events.push(e));
  return { result, events };
}

void test("a run request gives run events and a result; a resume request reuses that run", slow, async () => {
  const { dir } = workspace("test/runtime/fixtures/fragile/flow.py");
  const first = await serve({ mode: "run", file: "f0/flow.py", parameters: { count: "2" }, maxWorkers: "2", tags: ["svc"] }, dir);
  assert.equal(first.result.status, "succeeded", JSON.stringify(first.events.filter((e) => e.type !== "log")));
  assert.equal(first.result.status === "succeeded" ? first.result.flow : "", "FragileFlow");
  const runId = first.result.status === "succeeded" ? first.result.runId : "";
  const started = first.events[0];
  assert.equal(started?.type, "run-started");
  assert.deepEqual(started?.type === "run-started" ? [started.runId, started.mode, started.parameters] : [], [runId, "run", { count: 2 }]);
  const last = first.events.at(-1);
  assert.deepEqual(last?.type === "run-finished" ? [last.runId, last.status] : [], [runId, "succeeded"]);
  const ran = first.events.flatMap((e) => (e.type === "task-state" && e.state === "succeeded" ? [e.task.step] : []));
  assert.deepEqual(ran.filter((s) => s !== "_parameters").sort(), ["end", "join", "start", "work", "work"]);
  const ds = datastore(dir, "FragileFlow");
  assert.equal(await artifact(ds, runId, "join", "total"), 0 + 1);
  assert.deepEqual((await ds.readRunRecord(runId))?.tags, ["svc"]);

  const again = await serve({ mode: "resume", file: "f0/flow.py", step: "join", originRunId: runId }, dir);
  assert.equal(again.result.status, "succeeded");
  const resumed = again.events[0];
  assert.equal(resumed?.type === "run-started" ? resumed.originRunId : undefined, runId);
  const cloned = again.events.flatMap((e) => (e.type === "task-state" && e.state === "cloned" ? [e.task.step] : []));
  assert.deepEqual(cloned.sort(), ["start", "work", "work"]);
});

void test("a bad parameter is one run-refused event and a refused result, before any run exists", slow, async () => {
  const { dir } = workspace("test/runtime/fixtures/fragile/flow.py");
  const { result, events } = await serve({ mode: "run", file: "f0/flow.py", parameters: { count: "many", colour: "red" } }, dir);
  assert.deepEqual(result, { status: "refused", headline: "2 problems with the parameters of FragileFlow", usage: true });
  assert.equal(events.length, 1);
  const refused = events[0];
  assert.equal(refused?.type, "run-refused");
  const messages = refused?.type === "run-refused" ? refused.problems.map((p) => p.message) : [];
  assert.equal(messages.length, 2);
  assert.match(messages.join("\n"), /unknown option --colour \(this flow's parameters: --count\)/);
  assert.match(messages.join("\n"), /--count: /);
  assert.deepEqual(await datastore(dir, "FragileFlow").listRuns(), []);
});

void test("a flow the file does not define is refused, naming the flows it has", slow, async () => {
  const { dir } = workspace("test/runtime/fixtures/fragile/flow.py");
  const { result, events } = await serve({ mode: "run", file: "f0/flow.py", flow: "OtherFlow" }, dir);
  assert.equal(result.status, "refused");
  const refused = events[0];
  assert.deepEqual(refused?.type === "run-refused" ? [refused.headline, refused.problems[0]?.message] : [], ["f0/flow.py has no flow named OtherFlow", "flows: FragileFlow"]);
});

void test("a bad option value throws InvalidRequest before anything is opened, with the option's command-line name", async () => {
  const cases: [Partial<RunRequest>, RegExp][] = [
    [{ maxWorkers: "0" }, /^--max-workers needs a whole number of at least 1, got '0'$/],
    [{ maxNumSplits: 2.5 }, /^--max-num-splits needs a whole number of at least 1, got '2.5'$/],
    [{ datastore: "gcs" }, /^--datastore must be local or s3, got 'gcs'$/],
    [{ with: ["conda"] }, /^--with conda is not supported \(Flowlens supports --with batch/],
    [{ mode: "resume", config: [["c", "c.json"]] }, /cannot be used with resume/],
    [{ mode: "resume", parameters: { count: "2" } }, /^unknown option --count \(resume takes the parameters of its origin run\)$/],
    [{ mode: "step" }, /^missing the step to run$/],
    [{ executorOptions: { "batch-colour": "red" } }, /^unknown option --batch-colour$/],
  ];
  for (const [fields, message] of cases) {
    const events: RunEvent[] = [];
    // The file does not exist: reaching preparation would be a refusal event, not a throw.
    const request: RunRequest = { mode: "run", file: "missing.py", ...fields };
    await assert.rejects(runService(request, { cwd: "/", env: {} }, (e) => events.push(e)), (error: unknown) => error instanceof InvalidRequest && message.test(error.message), JSON.stringify(fields));
    assert.deepEqual(events, []);
  }
});
