// Every example flow, run for real (Python workers) into a temporary datastore; the
// artifacts are then read back from the datastore, as the explorer or Metaflow's client would.

import assert from "node:assert/strict";
import { test } from "node:test";
import { artifact, datastore, finished, flowlens, repo, runIdOf, workspace } from "./cli";

const slow = { timeout: 120_000 };

void test("params_foreach: parameters reach every task and the join keeps the best rate", slow, async () => {
  const { dir, files } = workspace("examples/params_foreach/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json", "--rates", "[0.05, 0.2]", "--epochs", "2", "--label", "cli"], dir);
  assert.equal(finished(r.events)?.status, "succeeded", r.stderr);
  const run = runIdOf(r.events);
  const ds = datastore(dir, "ParamsForeachFlow");
  assert.equal((await ds.listTasks(run, "train")).length, 2);
  assert.equal(await artifact(ds, run, "end", "best_rate"), 0.2);
  assert.equal(await artifact(ds, run, "end", "label"), "cli");
  assert.equal(await artifact(ds, run, "_parameters", "epochs", "0"), 2);
  assert.equal(await ds.latestRun(), run);
  const record = await ds.readRunRecord(run);
  assert.equal(record?.status, "succeeded");
  assert.deepEqual(record?.parameters.rates, [0.05, 0.2]);
  assert.match(record?.python.version ?? "", /^3\./);
  assert.ok(record?.code_package.sha && (await ds.store.exists(record.code_package.key)), "the code package is stored");
  assert.equal(r.code, 0);
});

void test("branches: both branches run and merge_artifacts carries the shared data", slow, async () => {
  const { dir, files } = workspace("examples/branches/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json"], dir);
  assert.equal(finished(r.events)?.status, "succeeded", r.stderr);
  const ds = datastore(dir, "BranchesFlow");
  const run = runIdOf(r.events);
  assert.equal(await artifact(ds, run, "end", "best_model"), "line (slope 1.99)");
  assert.equal(await artifact(ds, run, "end", "dataset"), "penguins");
});

void test("switch_loop: each round of the loop is its own task", slow, async () => {
  const { dir, files } = workspace("examples/switch_loop/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json", "--target", "2"], dir);
  assert.equal(finished(r.events)?.status, "succeeded", r.stderr);
  const ds = datastore(dir, "SwitchLoopFlow");
  const run = runIdOf(r.events);
  const rounds = await artifact(ds, run, "end", "rounds");
  assert.equal((await ds.listTasks(run, "refine")).length, rounds);
  assert.ok(Math.abs((await artifact(ds, run, "end", "estimate")) as number - Math.SQRT2) < 1e-6);
});

void test("retry_catch: the flaky step succeeds on its second attempt and @catch keeps the run going", slow, async () => {
  const { dir, files } = workspace("examples/retry_catch/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json"], dir);
  assert.equal(finished(r.events)?.status, "succeeded", r.stderr);
  const ds = datastore(dir, "RetryCatchFlow");
  const run = runIdOf(r.events);
  const flaky = (await ds.listTasks(run, "flaky"))[0] ?? "";
  assert.equal(await ds.finishedAttempt(run, "flaky", flaky), 1);
  assert.equal(await artifact(ds, run, "end", "fetched_on_attempt"), 1);
  const risky = (await ds.listTasks(run, "risky"))[0] ?? "";
  const previews = await ds.readPreviews(run, "risky", risky, (await ds.finishedAttempt(run, "risky", risky)) ?? 0);
  assert.ok("risky_error" in previews, "the caught exception is an artifact");
  assert.ok(r.events.some((e) => e.type === "task-state" && e.state === "retrying" && e.task.step === "flaky"));
});

void test("nested_foreach: 3 x 3 tasks, joined per region and then overall", slow, async () => {
  const { dir, files } = workspace("examples/nested_foreach/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json", "--max-workers", "4"], dir);
  assert.equal(finished(r.events)?.status, "succeeded", r.stderr);
  assert.equal(finished(r.events)?.tasks.succeeded, 18);
  const ds = datastore(dir, "NestedForeachFlow");
  const run = runIdOf(r.events);
  assert.equal((await ds.listTasks(run, "month")).length, 9);
  assert.deepEqual(await artifact(ds, run, "end", "totals"), { north: 1530, south: 1530, west: 1230 });
});

void test("every example passes the checks with no finding at all", async () => {
  const { readdirSync } = await import("node:fs");
  const { analyzeFile } = await import("../../server/src/parser/analyzeFromDisk");
  const dirs = readdirSync(`${repo}/examples`);
  assert.ok(dirs.length >= 6);
  for (const d of dirs) {
    const { result } = await analyzeFile(`${repo}/examples/${d}/flow.py`);
    assert.equal(result.flows.length, 1, d);
    assert.deepEqual(result.diagnostics.map((x) => `${x.code} ${x.message}`), [], d);
  }
});
