// The benchmarks' one median: odd and even counts, unsorted input, no samples.
import assert from "node:assert/strict";
import { test } from "node:test";
import { median } from "../../bench/stats";

void test("the median is the middle sample, or the mean of the two middle ones", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.ok(Number.isNaN(median([])));
});
