// Step durations: the spread of a step's task durations, its wall time (growing with `now` while a
// task runs), the slowest step, and how a duration is written.
import assert from "node:assert/strict";
import { test } from "node:test";
import { durationStats, formatMs, slowestStep, stepDurations } from "../../../server/src/protocol/durations";

void test("min, median and max: odd and even counts, order does not matter, none for no values", () => {
  assert.deepEqual(durationStats([30, 10, 20]), { count: 3, minMs: 10, medianMs: 20, maxMs: 30 });
  assert.deepEqual(durationStats([40, 10, 30, 20]), { count: 4, minMs: 10, medianMs: 25, maxMs: 40 });
  assert.deepEqual(durationStats([7]), { count: 1, minMs: 7, medianMs: 7, maxMs: 7 });
  assert.equal(durationStats([]), undefined);
});

void test("a step's wall time runs from its first start to its last end; an unfinished task counts to now and leaves the spread", () => {
  const done = stepDurations([{ start: 1000, end: 1500 }, { start: 1100, end: 2000 }, { start: 1200, end: 1300 }], 9999);
  assert.deepEqual(done, { wallMs: 1000, open: false, tasks: { count: 3, minMs: 100, medianMs: 500, maxMs: 900 } });
  const running = stepDurations([{ start: 1000, end: 1500 }, { start: 1100 }], 3000);
  assert.deepEqual(running, { wallMs: 2000, open: true, tasks: { count: 1, minMs: 500, medianMs: 500, maxMs: 500 } });
  assert.deepEqual(stepDurations([{ start: 5 }], 5), { wallMs: 0, open: true });
  assert.equal(stepDurations([], 0), undefined);
});

void test("the slowest step has the longest wall time; the first wins a tie; none when nothing took time", () => {
  const d = (wallMs: number) => ({ wallMs, open: false });
  assert.equal(slowestStep({ start: d(10), train: d(900), end: d(5) }), "train");
  assert.equal(slowestStep({ a: d(50), b: d(50) }), "a");
  assert.equal(slowestStep({ a: d(0), b: undefined }), undefined);
});

void test("durations read as ms, s or min", () => {
  assert.equal(formatMs(12.4), "12 ms");
  assert.equal(formatMs(2450), "2.5 s");
  assert.equal(formatMs(125_000), "2 min 5 s");
});
