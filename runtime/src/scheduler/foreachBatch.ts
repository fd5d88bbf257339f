// A foreach's children waiting for a worker, as one entry of the scheduler's queue. A 20,000-way
// foreach creates all its children at once, and most wait for a long time: as objects (the task,
// its key, its frame stack) they held some 500 bytes each until they ran, the largest part of the
// CLI's memory in a wide run. Here they are one entry, and each child is built from it, exactly as
// it would have been created, only when it is taken to run (or skipped). Only children that all
// run fresh are batched: a foreach whose children `resume` may reuse is created task by task.

import { childKey } from "./keys";
import type { Frame, SchedTask } from "./types";

export interface ForeachBatch {
  target: string;
  /** The split task: its key (the children's keys derive from it), id, step and frame stack. */
  parent: { key: string; id: string; step: string; stack: Frame[] };
  inputPaths: string[];
  inputAttempts: (number | null)[];
  /** The children's ids are firstId, firstId + 1, ... in order of index. */
  firstId: number;
  count: number;
  /** The next child to hand out. */
  next: number;
}

export function isForeachBatch(item: SchedTask | ForeachBatch): item is ForeachBatch {
  return "firstId" in item;
}

/** The batch's child at `index`, as the scheduler would have created it. */
export function batchChild(b: ForeachBatch, index: number): SchedTask {
  const frame: Frame = { split: b.parent.step, splitTask: b.parent.id, splitKey: b.parent.key, index, count: b.count, foreach: true };
  return {
    id: String(b.firstId + index),
    step: b.target,
    key: childKey(b.parent.key, b.target, index),
    attempt: 0,
    inputPaths: b.inputPaths,
    inputAttempts: b.inputAttempts,
    stack: [...b.parent.stack, frame],
    splitIndex: index,
  };
}

/** The children not handed out yet, in order. */
export function* remainingChildren(b: ForeachBatch): Generator<SchedTask> {
  for (let i = b.next; i < b.count; i++) yield batchChild(b, i);
}
