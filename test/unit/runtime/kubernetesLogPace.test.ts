// The run-wide budget of log reads of the Kubernetes executor: a burst up to the budget, then one
// read per 1/perSecond of a second, however many tasks ask.
import { mock, test } from "node:test";
import assert from "node:assert/strict";
import { LogPace, QuietBackoff } from "../../../runtime/src/executors/kubernetes/logPace";

void test("a hundred running tasks asking at once get the budget's reads, then more as time passes", () => {
  mock.timers.enable({ apis: ["Date"], now: 1_000_000 });
  try {
    const pace = new LogPace(10, 100);
    // Each read ends at once: this is about the rate.
    const granted = (asks: number): number => Array.from({ length: asks }, () => pace.take()).filter((end) => {
        end?.();
        return end !== undefined;
      }).length;
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

void test("no more reads are begun while the datastore still answers the last ones", () => {
  const pace = new LogPace(10, 2);
  const first = pace.take();
  const second = pace.take();
  assert.ok(first && second);
  assert.equal(pace.take(), undefined, "two in flight: a third waits although the budget has eight left");
  first();
  first();
  const third = pace.take();
  assert.ok(third, "one ended (ending it twice counts once)");
  assert.equal(pace.take(), undefined);
});

void test("a quiet task's log reads thin out to one in four ticks; a new line brings them back to every tick", () => {
  const interval = 1000;
  const backoff = new QuietBackoff(interval);
  const reads: number[] = [];
  // The follow loop's ticks, each a little late (the loop was busy); the task prints one line at tick 9.
  let unread = false;
  for (let tick = 1; tick <= 16; tick += 1) {
    const now = tick * interval + 30;
    unread ||= tick === 9;
    if (!backoff.due(now)) continue;
    reads.push(tick);
    backoff.read(now, unread);
    unread = false;
  }
  assert.deepEqual(reads, [1, 3, 7, 11, 12, 14], "every tick at first, then every 2nd, then every 4th; the read that finds the line is followed at the next tick");
});
