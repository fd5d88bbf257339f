// The scheduler's task queue: first in, first out across the points where it drops the taken part.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Fifo } from "../../../runtime/src/scheduler/fifo";

void test("items come out in the order they went in, with pushes and shifts interleaved", () => {
  const q = new Fifo<number>();
  const out: number[] = [];
  let next = 0;
  // Three in, two out, many times: the taken part is dropped again and again on the way.
  for (let round = 0; round < 1000; round++) {
    for (let i = 0; i < 3; i++) q.push(next++);
    for (let i = 0; i < 2; i++) {
      const head = q.peek();
      out.push(q.shift() ?? -1);
      assert.equal(out.at(-1), head, "peek shows the item shift takes next");
    }
  }
  assert.equal(q.length, 1000);
  while (q.length > 0) out.push(q.shift() ?? -1);
  assert.deepEqual(out, Array.from({ length: 3000 }, (_, i) => i));
  assert.equal(q.shift(), undefined);
  assert.equal(q.peek(), undefined);
  assert.equal(q.length, 0);
});

void test("drain gives what is still queued, oldest first, and leaves the queue empty and usable", () => {
  const q = new Fifo<string>();
  for (const s of ["a", "b", "c", "d", "e"]) q.push(s);
  assert.equal(q.shift(), "a");
  assert.equal(q.shift(), "b");
  assert.deepEqual(q.drain(), ["c", "d", "e"]);
  assert.equal(q.length, 0);
  q.push("f");
  assert.equal(q.shift(), "f");
});
