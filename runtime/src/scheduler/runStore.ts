// The scheduler's RunStore over the datastore layout, and the clone source `resume` and
// `step` build from an origin run: its finished tasks (those with DONE.lock), by key, each
// checked to be whole before it may be reused.

import type { DamagedData } from "../datastore/damaged";
import type { FlowDatastore } from "../datastore/layout";
import { checkTaskRecord } from "../datastore/shapes";
import { setDamagedBlobsAside, verifyAttempt, type BlobChecks } from "../datastore/verify";
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

/**
 * Finished tasks of the origin run, keyed for replay. A task without DONE.lock is not reused; nor
 * is one whose record, attempt files or artifact blobs are damaged: it runs again, and the new
 * task says which file was damaged (CloneSource.damage).
 */
export async function loadCloneSource(ds: FlowDatastore, originRunId: string, allowed: (step: string) => boolean): Promise<CloneSource & { maxTaskId: number }> {
  const records = new Map<string, TaskRecord>();
  const byKey = new Map<string, string>();
  const byStep = new Map<string, string[]>();
  const note = (task: string, damage: DamagedData): string => `not reusing task ${originRunId}/${task}: ${damage.message}; running it again`;
  let maxTaskId = 0;
  const checks: BlobChecks = new Map();
  const read = await ds.readTaskRecords<TaskRecord>(originRunId, checkTaskRecord);
  for (const damage of read.damaged) {
    // The record's file is `<step>.<task>.json`; step names have no dots.
    const [step = "", task = ""] = (damage.file.split("/").at(-1) ?? "").split(".");
    if (!allowed(step)) continue;
    byStep.set(step, [...(byStep.get(step) ?? []), note(`${step}/${task}`, damage)]);
  }
  for (const record of read.records) {
    maxTaskId = Math.max(maxTaskId, Number(record.taskId) || 0);
    if (!allowed(record.step)) continue;
    const done = await ds.store.exists(`${ds.taskPrefix(originRunId, record.step, record.taskId)}${record.attempt}.DONE.lock`);
    if (!done) continue;
    const damage = await verifyAttempt(ds, originRunId, record.step, record.taskId, record.attempt, checks);
    if (damage) byKey.set(record.key, note(`${record.step}/${record.taskId}`, damage));
    else records.set(record.key, record);
  }
  await setDamagedBlobsAside(ds, checks);
  // Tasks that started but left no record still hold ids in the origin run's folders.
  for (const step of await ds.listSteps(originRunId)) {
    for (const task of await ds.listTasks(originRunId, step)) maxTaskId = Math.max(maxTaskId, Number(task) || 0);
  }
  const damage = (key: string, step: string): string | undefined => {
    const exact = byKey.get(key);
    if (exact !== undefined) return exact;
    // A record too damaged to give its key: said on the first task of its step that runs again.
    return byStep.get(step)?.shift();
  };
  return { originRunId, records, allowed, damage, maxTaskId };
}
