// Where a task sits in its run's foreach splits, as `split:index,split:index` (outermost first;
// Metaflow's `foreach-execution-path`): two runs' tasks of one step are paired by it, since task ids
// follow the order in which tasks were created, and a task after a foreach is created when its
// parent finishes. A Flowlens run says it in its task records (`_flowlens/tasks/`, the scheduler's
// frames); a run made by Metaflow in each task's local metadata (`_meta/sysmeta_foreach-execution-path_*.json`).
import type { FlowDatastore } from "../datastore/layout";
import { checkTaskRecord } from "../datastore/shapes";
import type { TaskRecord } from "../scheduler/types";

/** `step/taskId` -> foreach path, for every task of a Flowlens run that has a record. */
export async function recordedForeachPaths(ds: FlowDatastore, run: string): Promise<Map<string, string>> {
  const { records } = await ds.readTaskRecords<TaskRecord>(run, checkTaskRecord);
  const out = new Map<string, string>();
  for (const r of records) {
    if (!Array.isArray(r.stack)) continue;
    out.set(`${r.step}/${r.taskId}`, r.stack.filter((f) => f.foreach).map((f) => `${f.split}:${f.index}`).join(","));
  }
  return out;
}

/** A task's foreach path from Metaflow's metadata: "" outside any foreach, undefined when the metadata is not there. */
export async function metaflowForeachPath(ds: FlowDatastore, run: string, step: string, task: string): Promise<string | undefined> {
  const folder = `${ds.taskPrefix(run, step, task)}_meta/`;
  const files = await ds.store.listChildren(folder);
  // Metaflow writes the field only inside a foreach; a task with metadata but without it is outside.
  if (!files.some((f) => /\/sysmeta_attempt_\d+\.json$/.test(f))) return undefined;
  const key = files.filter((f) => /\/sysmeta_foreach-execution-path_\d+\.json$/.test(f)).sort().at(-1);
  if (key === undefined) return "";
  const meta = await ds.readJson<{ value?: unknown }>(key).catch(() => undefined);
  return typeof meta?.value === "string" ? meta.value : undefined;
}
