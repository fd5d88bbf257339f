// The scheduler's RunStore over the datastore layout, and the clone source `resume` and
// `step` build from an origin run: its finished tasks (those with DONE.lock), by key.

import type { FlowDatastore } from "../datastore/layout";
import type { CloneSource, RunStore, TaskRecord } from "./types";

export function datastoreRunStore(ds: FlowDatastore, runId: string, originRunId?: string): RunStore {
  return {
    recordTask: (record) => ds.writeTaskRecord(runId, record.step, record.taskId, record),
    cloneTask: async (record) => {
      if (originRunId === undefined) throw new Error("no origin run to clone from");
      await ds.cloneTask(originRunId, runId, record.step, record.taskId, record.attempt);
    },
  };
}

/** Finished tasks of the origin run, keyed for replay; a task without DONE.lock is not reused. */
export async function loadCloneSource(ds: FlowDatastore, originRunId: string, allowed: (step: string) => boolean): Promise<CloneSource & { maxTaskId: number }> {
  const records = new Map<string, TaskRecord>();
  let maxTaskId = 0;
  for (const record of await ds.readTaskRecords<TaskRecord>(originRunId)) {
    maxTaskId = Math.max(maxTaskId, Number(record.taskId) || 0);
    const done = await ds.store.exists(`${ds.taskPrefix(originRunId, record.step, record.taskId)}${record.attempt}.DONE.lock`);
    if (done) records.set(record.key, record);
  }
  // Tasks that started but left no record still hold ids in the origin run's folders.
  for (const step of await ds.listSteps(originRunId)) {
    for (const task of await ds.listTasks(originRunId, step)) maxTaskId = Math.max(maxTaskId, Number(task) || 0);
  }
  return { originRunId, records, allowed, maxTaskId };
}
