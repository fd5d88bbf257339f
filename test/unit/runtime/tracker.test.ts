// The run-state tracker on its own: no scheduler, no processes. It is told each task's state
// and answers what is unfinished, how the tasks ended, whether tasks may still start and retry,
// and how the run ended.

import assert from "node:assert/strict";
import { test } from "node:test";
import { RunTracker } from "../../../runtime/src/scheduler/tracker";

void test("a run is running while a task is unfinished, and succeeded when all succeeded", () => {
  const t = new RunTracker();
  t.observe("_parameters", "0", "pending");
  t.observe("_parameters", "0", "succeeded");
  t.observe("start", "1", "pending");
  assert.equal(t.status(), "running");
  t.observe("start", "1", "running");
  assert.equal(t.unfinished(), 1);
  t.observe("start", "1", "succeeded");
  assert.equal(t.unfinished(), 0);
  assert.equal(t.status(), "succeeded");
  assert.deepEqual(t.counts(), { succeeded: 1, failed: 0, cloned: 0, skipped: 0, cancelled: 0 }, "the _parameters task is not counted");
});

void test("a stop halts the run once; tasks it ends are cancelled, real failures stay failures", () => {
  const t = new RunTracker();
  assert.equal(t.halting, false);
  assert.equal(t.requestStop(), true);
  assert.equal(t.requestStop(), false, "a second stop is not a new one");
  assert.equal(t.halting, true);
  assert.equal(t.endOf({ headline: "cancelled", kind: "cancelled" }), "cancelled");
  assert.equal(t.endOf({ headline: "the worker went away", kind: "infrastructure" }), "cancelled", "the executor gave way to the stop");
  assert.equal(t.endOf({ headline: "ValueError: x", kind: "user" }), "failed");
  assert.equal(t.endOf({ headline: "timed out after 5 s", kind: "timeout" }), "failed");
  assert.equal(t.mayRetry({ headline: "ValueError: x", kind: "user" }), false, "nothing is retried once the run halts");
});

void test("without a stop, an infrastructure failure is a failure and may be retried", () => {
  const t = new RunTracker();
  assert.equal(t.endOf({ headline: "worker died", kind: "infrastructure" }), "failed");
  assert.equal(t.mayRetry({ headline: "worker died", kind: "infrastructure" }), true);
  assert.equal(t.mayRetry({ headline: "cancelled", kind: "cancelled" }), false);
});

void test("how a run ends: a real failure wins over a stop; a stop alone is cancelled", () => {
  const stopped = new RunTracker();
  stopped.observe("a", "1", "running");
  stopped.requestStop();
  stopped.observe("a", "1", "cancelled");
  stopped.observe("b", "2", "skipped");
  assert.equal(stopped.endStatus(), "cancelled");
  assert.deepEqual(stopped.counts(), { succeeded: 0, failed: 0, cloned: 0, skipped: 1, cancelled: 1 });

  const both = new RunTracker();
  both.observe("a", "1", "running");
  both.observe("a", "2", "running");
  both.requestStop();
  both.observe("a", "1", "failed");
  both.recordFailure({ headline: "step a failed: ValueError", location: "flow.py:4" });
  both.observe("a", "2", "cancelled");
  assert.equal(both.endStatus(), "failed");
  assert.deepEqual(both.error, { headline: "step a failed: ValueError", location: "flow.py:4" });

  const failed = new RunTracker();
  failed.recordFailure({ headline: "first" });
  failed.recordFailure({ headline: "second" });
  assert.equal(failed.halting, true, "a failure halts the run");
  assert.equal(failed.stopping, false, "but is not a stop");
  assert.deepEqual(failed.error, { headline: "first" }, "the first failure is the run's error");
});

void test("stateOf answers what was last observed, and nothing for an unknown task", () => {
  const t = new RunTracker();
  t.observe("start", "1", "cloned");
  assert.equal(t.stateOf("start", "1"), "cloned");
  assert.equal(t.stateOf("start", "9"), undefined);
});

void test("each task's state is its own: ids beyond the first rows, ids that are not numbers, one id under two steps", () => {
  const t = new RunTracker();
  for (let id = 1; id <= 5000; id++) t.observe("work", String(id), "pending");
  t.observe("other", "7", "running");
  t.observe("other", "x-1", "failed");
  t.observe("other", "007", "skipped");
  for (let id = 1; id <= 5000; id++) t.observe("work", String(id), id % 2 === 0 ? "succeeded" : "cloned");
  assert.equal(t.stateOf("work", "4999"), "cloned");
  assert.equal(t.stateOf("work", "5000"), "succeeded");
  assert.equal(t.stateOf("other", "7"), "running");
  assert.equal(t.stateOf("work", "7"), "cloned");
  assert.equal(t.stateOf("other", "x-1"), "failed");
  assert.equal(t.stateOf("other", "007"), "skipped");
  assert.equal(t.stateOf("work", "5001"), undefined);
  assert.equal(t.stateOf("nowhere", "1"), undefined);
  assert.equal(t.unfinished(), 1);
  assert.deepEqual(t.counts(), { succeeded: 2500, failed: 1, cloned: 2500, skipped: 1, cancelled: 0 });
});
