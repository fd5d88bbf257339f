// Resume and single-step replay: a second run reuses the first run's finished tasks by key
// (same step, same place in the foreach) and runs only what it must.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { TaskResult } from "../../../runtime/src/executors/types";
import { reachableFrom } from "../../../runtime/src/plan/plan";
import type { CloneSource, RunStore, TaskRecord } from "../../../runtime/src/scheduler/types";
import { FakeExecutor, linearBehaviour, ok, plan, runScheduler, states } from "./fakes";

const p = plan({
  start: { type: "split-foreach", next: ["train"], foreach: "items", join: "join" },
  train: { type: "linear", next: ["join"] },
  join: { type: "join", next: ["end"] },
  end: { type: "end" },
});

function memoryStore(): RunStore & { records: TaskRecord[]; cloned: string[] } {
  const records: TaskRecord[] = [];
  const cloned: string[] = [];
  return {
    records,
    cloned,
    recordTask: (r) => {
      records.push(r);
      return Promise.resolve();
    },
    cloneTask: (r) => {
      cloned.push(`${r.step}/${r.taskId}`);
      return Promise.resolve();
    },
  };
}

function source(records: TaskRecord[], allowed: (s: string) => boolean): CloneSource {
  return { originRunId: "1", records: new Map(records.map((r) => [r.key, r])), allowed };
}

void test("resume after a failed foreach child reuses the finished tasks and re-runs the rest", async () => {
  const first = memoryStore();
  const failing = new FakeExecutor((spec): TaskResult => {
    if (spec.ref.step === "train" && spec.splitIndex === 2) return { ok: false, durationMs: 1, failure: { headline: "boom", kind: "user" } };
    return linearBehaviour(p, { start: 4 })(spec, new AbortController().signal) as TaskResult;
  });
  const r1 = await runScheduler(p, failing, { store: first, maxWorkers: 1 });
  assert.equal(r1.outcome.status, "failed");

  const second = memoryStore();
  const ex = new FakeExecutor(linearBehaviour(p, { start: 4 }));
  const maxId = Math.max(...failing.calls.map((c) => Number(c.ref.taskId)));
  const r2 = await runScheduler(p, ex, { runId: "2", store: second, clone: source(first.records, () => true), firstTaskId: maxId + 1 });
  assert.equal(r2.outcome.status, "succeeded");
  // start and the train tasks that finished are cloned; train[2] (and those never started) run again.
  assert.ok(second.cloned.includes("start/1"));
  const rerun = ex.calls.filter((c) => c.ref.step === "train").map((c) => c.splitIndex);
  assert.ok(rerun.includes(2));
  assert.ok(!rerun.includes(0) && !rerun.includes(1), "finished splits are not re-run");
  assert.ok(ex.calls.every((c) => c.originRunId === "1"));
  const newIds = ex.calls.map((c) => Number(c.ref.taskId));
  assert.ok(newIds.every((id) => id > maxId), "new task ids do not collide with cloned ones");
  const join = ex.calls.find((c) => c.ref.step === "join");
  assert.equal(join?.inputPaths.length, 4);
  assert.ok(join?.inputPaths.every((x) => x.startsWith("2/train/")), "inputs name the new run");
  assert.equal(states(r2.events, "cloned").length, 1 + 2);
  // The record of a reused task names the task it was copied from (the client's origin-task-id).
  assert.deepEqual(second.records.find((r) => r.step === "start")?.cloned, { runId: "1", taskId: "1" });
  assert.equal(second.records.find((r) => r.step === "join")?.cloned, undefined, "a task that ran names no origin");
});

void test("resume STEP re-runs STEP and everything after it, reusing what comes before", async () => {
  const first = memoryStore();
  await runScheduler(p, new FakeExecutor(linearBehaviour(p, { start: 3 })), { store: first });
  const after = reachableFrom(p, "join");
  const ex = new FakeExecutor(linearBehaviour(p, { start: 3 }));
  const second = memoryStore();
  const r = await runScheduler(p, ex, { runId: "2", store: second, clone: source(first.records, (s) => !after.has(s)), firstTaskId: 100 });
  assert.equal(r.outcome.status, "succeeded");
  assert.deepEqual(ex.stepsRun(), ["join:0", "end:0"]);
  assert.equal(second.cloned.length, 4);
});

void test("single-step mode runs only that step's tasks on the reused inputs", async () => {
  const first = memoryStore();
  await runScheduler(p, new FakeExecutor(linearBehaviour(p, { start: 3 })), { store: first });
  const ex = new FakeExecutor(linearBehaviour(p, { start: 3 }));
  const r = await runScheduler(p, ex, { runId: "2", store: memoryStore(), clone: source(first.records, (s) => s !== "train"), only: "train", firstTaskId: 100 });
  assert.equal(r.outcome.status, "succeeded");
  assert.deepEqual(ex.stepsRun(), ["train:0", "train:0", "train:0"]);
  assert.deepEqual(ex.calls.map((c) => c.splitIndex), [0, 1, 2]);
});

void test("single-step mode refuses when the step's inputs were never made", async () => {
  const ex = new FakeExecutor(() => ok());
  const r = await runScheduler(p, ex, { runId: "2", clone: source([], (s) => s !== "train"), only: "train" });
  assert.equal(r.outcome.status, "failed");
  assert.match(r.outcome.error?.headline ?? "", /step start has no finished task in run 1 to reuse/);
  assert.equal(ex.calls.length, 0);
});
