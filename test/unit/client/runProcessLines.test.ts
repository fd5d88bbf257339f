// The run process's line feeder: a burst of output is handed over in slices, with the event loop
// given a turn between them, and the exit only after every line.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lineFeeder } from "../../../client/src/runs/runProcess";

/** Spins for `ms` of wall time: a line whose handling costs something. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

void test("a burst of lines is handed over in slices, the event loop runs between them, the end comes last", async () => {
  const seen: string[] = [];
  const pauses: boolean[] = [];
  let linesWhenLoopRan: number | undefined;
  const ended = new Promise<number>((resolve) => {
    const feeder = lineFeeder(
      (line) => {
        seen.push(line);
        busy(1);
      },
      (paused) => pauses.push(paused),
    );
    // Scheduled before the burst: with one synchronous pass it could only run after every line.
    setImmediate(() => (linesWhenLoopRan = seen.length));
    const burst = Array.from({ length: 200 }, (_, i) => `line ${i}\r\n`).join("");
    feeder.push(burst.slice(0, 1234));
    feeder.push(burst.slice(1234));
    feeder.push("no newline at the end");
    feeder.end(() => resolve(seen.length));
  });
  assert.equal(await ended, 201, "the exit comes after every line");
  assert.deepEqual(seen.slice(0, 3), ["line 0", "line 1", "line 2"], "lines are split and their \\r removed");
  assert.equal(seen.at(-1), "no newline at the end", "a last line without a newline is handed over at the end");
  assert.ok(linesWhenLoopRan !== undefined && linesWhenLoopRan < 200, `the event loop ran between slices (after ${linesWhenLoopRan} lines)`);
  assert.equal(pauses[0], true, "the stream is paused while lines wait");
  assert.equal(pauses.at(-1), false, "and resumed once they are handed over");
});
