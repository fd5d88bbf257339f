// The state vocabulary: the words every surface shows, how counts read, and how events from an
// earlier version (a stopped task written as failed with reason "cancelled") are read.

import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRunEvent } from "../../../server/src/protocol/runEvents";
import { describeState, describeTaskCounts, isFinishedTaskState, isTaskState, readTaskState, stateTone, taskStates, totalTasks } from "../../../server/src/protocol/runStates";

void test("every state has one word; a cancelled task or run reads as stopped", () => {
  assert.equal(describeState("cancelled"), "stopped");
  assert.equal(describeState("failed"), "failed");
  assert.equal(describeState("crashed"), "crashed");
  for (const s of taskStates) assert.ok(describeState(s).length > 0, s);
  assert.equal(stateTone("cancelled"), "stopped");
  assert.equal(stateTone("failed"), "error");
  assert.equal(stateTone("crashed"), "error");
  assert.equal(stateTone("cloned"), "ok");
});

void test("finished states and the state checker", () => {
  assert.deepEqual(taskStates.filter(isFinishedTaskState), ["succeeded", "failed", "cancelled", "skipped", "cloned"]);
  assert.equal(isTaskState("cancelled"), true);
  assert.equal(isTaskState("stopped"), false);
  assert.equal(isTaskState(3), false);
});

void test("counts read with succeeded always and the others when not 0", () => {
  const c = { succeeded: 3, failed: 1, cloned: 1, skipped: 0, cancelled: 2 };
  assert.equal(describeTaskCounts(c), "3 succeeded, 1 cloned, 1 failed, 2 stopped");
  assert.equal(totalTasks(c), 7);
  assert.equal(describeTaskCounts({ succeeded: 0, failed: 0, cloned: 0, skipped: 0, cancelled: 0 }), "0 succeeded");
});

void test("an earlier version's stopped task (failed + reason cancelled) reads as cancelled; a real failure does not", () => {
  assert.equal(readTaskState("failed", "cancelled"), "cancelled");
  assert.equal(readTaskState("failed", "ValueError: cancelled order"), "failed");
  const task = { flow: "F", runId: "1", step: "a", taskId: "2", attempt: 0 };
  const old = parseRunEvent(JSON.stringify({ type: "task-state", ts: 1, task, state: "failed", reason: "cancelled" }));
  assert.equal(old?.type === "task-state" ? old.state : undefined, "cancelled");
  const real = parseRunEvent(JSON.stringify({ type: "task-state", ts: 1, task, state: "failed", reason: "KeyError: 'x'" }));
  assert.equal(real?.type === "task-state" ? real.state : undefined, "failed");
});
