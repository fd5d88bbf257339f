// Retried and caught tasks: the marks every surface shows for a success that was not plain, their
// words and tone (never the calm `ok` of a plain success) and how run summaries count them.

import assert from "node:assert/strict";
import { test } from "node:test";
import { describeMark, describeMarkCounts, describeState, describeTaskCounts, isSuccessMark, stateTone, successMark, successMarks } from "../../../server/src/protocol/runStates";

void test("a task that succeeded after a retry, or with a caught exception, is marked; a plain success is not", () => {
  assert.equal(successMark(0, false), undefined);
  assert.equal(successMark(1, false), "retried");
  assert.equal(successMark(0, true), "caught");
  // Both: the swallowed exception is what the user must see.
  assert.equal(successMark(2, true), "caught");
});

void test("each mark has its own word and a warning tone, never the plain success's", () => {
  for (const m of successMarks) {
    assert.notEqual(describeState(m), describeState("succeeded"));
    assert.equal(stateTone(m), "warn");
  }
  assert.equal(describeState("retried"), "succeeded after retry");
  assert.equal(describeState("caught"), "caught an exception");
  assert.equal(isSuccessMark("caught"), true);
  assert.equal(isSuccessMark("succeeded"), false);
});

void test("a mark's detail names the attempt or the exception", () => {
  assert.equal(describeMark("retried", { attempt: 2 }), "succeeded on attempt 3");
  assert.equal(describeMark("caught", { attempt: 0, caught: "ValueError: bad row 7" }), "@catch caught ValueError: bad row 7");
});

void test("run summaries count marked successes inside the succeeded figure", () => {
  const c = { succeeded: 4, failed: 0, cloned: 0, skipped: 0, cancelled: 0 };
  assert.equal(describeTaskCounts(c, { retried: 1, caught: 1 }), "4 succeeded (1 after retry, 1 caught an exception)");
  assert.equal(describeTaskCounts(c, { retried: 0, caught: 0 }), "4 succeeded");
  assert.equal(describeMarkCounts({ retried: 2, caught: 0 }), "2 after retry");
});
