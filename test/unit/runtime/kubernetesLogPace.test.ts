// The run-wide budget of log reads of the Kubernetes executor: a burst up to the budget, then one
// read per 1/perSecond of a second, however many tasks ask.
import { mock, test } from "node:test";
import assert from "node:assert/strict";
import { LogPace } from "../../../runtime/src/executors/kubernetes/logPace";

void test("a hundred running tasks asking at once get the budget's reads, then more as time passes", () => {
  mock.timers.enable({ apis: ["Date"], now: 1_000_000 });
  try {
    const pace = new LogPace(10);
    const granted = (asks: number): number => Array.from({ length: asks }, () => pace.take()).filter(Boolean).length;
    assert.equal(granted(100), 10, "a burst of at most the budget");
    assert.equal(granted(100), 0);
    mock.timers.tick(500);
    assert.equal(granted(100), 5, "half a second buys half the budget");
    mock.timers.tick(60_000);
    assert.equal(granted(100), 10, "an idle minute does not save more than the budget");
  } finally {
    mock.timers.reset();
  }
});
