// Resume and single-step runs with real Python: a failed run is completed by `resume`
// without re-running what finished; `step` re-runs one step on the latest run's inputs.

import assert from "node:assert/strict";
import { test } from "node:test";
import { artifact, datastore, finished, flowlens, runIdOf, workspace } from "./cli";

const slow = { timeout: 120_000 };

void test("a run that fails in one foreach task is completed by resume, reusing the finished tasks", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const file = files[0] ?? "";
  const first = await flowlens(["run", file, "--json", "--count", "4", "--max-workers", "1"], dir, { FRAGILE_FAIL_AT: "2" });
  assert.equal(first.code, 1);
  const failed = finished(first.events);
  assert.equal(failed?.status, "failed");
  assert.match(failed?.error?.headline ?? "", /step work failed: ValueError: item 2 is broken/);
  assert.match(failed?.error?.location ?? "", /flow\.py:\d+/);
  const origin = runIdOf(first.events);

  const second = await flowlens(["resume", file, "--json"], dir);
  assert.equal(second.code, 0, second.stderr);
  const done = finished(second.events);
  assert.equal(done?.status, "succeeded");
  const started = second.events.find((e) => e.type === "run-started");
  assert.equal(started?.type === "run-started" ? started.originRunId : undefined, origin);
  const cloned = second.events.flatMap((e) => (e.type === "task-state" && e.state === "cloned" ? [e.task.step] : []));
  assert.deepEqual(cloned.sort(), ["start", "work", "work"], "start and the two finished work tasks are reused");
  const ran = second.events.flatMap((e) => (e.type === "task-state" && e.state === "running" ? [e.task.step] : []));
  assert.deepEqual(ran, ["work", "work", "join", "end"]);
  const ds = datastore(dir, "FragileFlow");
  const run = runIdOf(second.events);
  assert.equal(await artifact(ds, run, "end", "total"), 0 + 1 + 4 + 9);
  assert.equal((await ds.readRunRecord(run))?.parameters.count, 4, "parameters come from the origin run");
});

void test("resume STEP re-runs that step and everything after it", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const file = files[0] ?? "";
  assert.equal((await flowlens(["run", file, "--json"], dir)).code, 0);
  const r = await flowlens(["resume", file, "join", "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const ran = r.events.flatMap((e) => (e.type === "task-state" && e.state === "running" ? [e.task.step] : []));
  assert.deepEqual(ran, ["join", "end"]);
  assert.equal(finished(r.events)?.tasks.cloned, 4);
});

void test("step re-runs one step's tasks on the latest run's inputs and nothing after it", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const file = files[0] ?? "";
  const first = await flowlens(["run", file, "--json", "--count", "2"], dir);
  assert.equal(first.code, 0, first.stderr);
  const r = await flowlens(["step", file, "work", "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const ran = r.events.flatMap((e) => (e.type === "task-state" && e.state === "running" ? [e.task.step] : []));
  assert.deepEqual(ran, ["work", "work"]);
  const ds = datastore(dir, "FragileFlow");
  const run = runIdOf(r.events);
  assert.deepEqual(await ds.listSteps(run).then((s) => s.sort()), ["_parameters", "start", "work"]);
  const squares = await Promise.all((await ds.listTasks(run, "work")).map((t) => artifact(ds, run, "work", "square", t)));
  assert.deepEqual(squares.sort(), [0, 1]);
  const mode = r.events.find((e) => e.type === "run-started");
  assert.equal(mode?.type === "run-started" ? mode.mode : undefined, "step");
});

void test("step refuses a step the flow does not have, and a flow that never ran", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const file = files[0] ?? "";
  const none = await flowlens(["step", file, "work", "--json"], dir);
  assert.equal(none.code, 1);
  const refused = none.events.find((e) => e.type === "run-refused");
  assert.match(refused?.type === "run-refused" ? refused.headline : "", /no earlier run/);
  assert.equal((await flowlens(["run", file, "--json", "--count", "1"], dir)).code, 0);
  const bad = await flowlens(["step", file, "wrok"], dir);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /FragileFlow has no step named wrok/);
});
