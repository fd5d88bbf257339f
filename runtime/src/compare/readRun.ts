// Reads what a comparison needs of one run, from the datastore layout alone: each task's latest
// finished attempt (its artifacts' hashes, types and sizes from data.json, and the JSON value a
// Flowlens run stored as a preview), its start and end times, the run's tags and code package.
// Runs written by Metaflow have no Flowlens run record: their tags and start time come from
// Metaflow's local metadata (`_meta/_self.json`). Nothing is unpickled here.

import { isDamagedData } from "../datastore/damaged";
import type { ArtifactPreview, FlowDatastore, RunRecord } from "../datastore/layout";
import type { ArtifactSide, RunSide } from "../../../server/src/protocol/runComparison";
import { metaflowForeachPath, recordedForeachPaths } from "./foreachPath";

export interface TaskSnapshot {
  id: string;
  attempt: number;
  /** Epoch seconds. */
  start?: number;
  end?: number;
  /** Its place in the run's foreach splits (foreachPath.ts): "" outside any; undefined when the run does not say. */
  foreach?: string;
  artifacts: Map<string, ArtifactSide>;
}

export interface StepSnapshot {
  name: string;
  tasks: TaskSnapshot[];
}

export interface RunSnapshot {
  side: RunSide;
  /** Values of the `_parameters` task (parameters, configs, constants). */
  parameters: Map<string, ArtifactSide>;
  /** The names the run record lists as parameters (Flowlens runs); undefined when unknown. */
  parameterNames?: Set<string>;
  /** Steps in the order their first task started (flow order for a finished run). */
  steps: StepSnapshot[];
  codeKey?: string;
  problems: string[];
}

/** Reads one run; a run that is not in the datastore is a NotInStore error naming it. */
export async function readRunSnapshot(ds: FlowDatastore, run: string): Promise<RunSnapshot> {
  const problems: string[] = [];
  const record = await ds.readRunRecord(run).catch((error: unknown) => damaged(error, problems));
  const stepNames = (await ds.listSteps(run)).filter((s) => !s.startsWith("_"));
  const hasParameters = (await ds.listTasks(run, "_parameters")).length > 0;
  if (!record && stepNames.length === 0 && !hasParameters) throw new NotInStore(`${ds.flow} has no run ${run} in ${ds.describe()}`);
  const metaflow = record ? undefined : await metaflowRunMeta(ds, run);
  const recorded = record ? await recordedForeachPaths(ds, run) : undefined;
  const foreachOf = (step: string, id: string): Promise<string | undefined> => (recorded ? Promise.resolve(recorded.get(`${step}/${id}`)) : metaflowForeachPath(ds, run, step, id));
  const steps = await Promise.all(stepNames.map(async (name) => ({ name, tasks: await readTasks(ds, run, name, problems, foreachOf) })));
  steps.sort((x, y) => firstStart(x) - firstStart(y) || (x.name < y.name ? -1 : 1));
  const parameterTask = hasParameters ? (await readTasks(ds, run, "_parameters", problems))[0] : undefined;
  const parameters = new Map([...(parameterTask?.artifacts ?? new Map<string, ArtifactSide>())].filter(([name]) => !isInternal(name)));
  const side = runSide(ds.flow, run, record, metaflow, steps);
  if (!record) side.status = await metaflowStatus(ds, run, steps);
  return { side, parameters, ...(record ? { parameterNames: new Set(Object.keys(record.parameters)) } : {}), steps, ...(record?.code_package?.key ? { codeKey: record.code_package.key } : {}), problems };
}

/** Names a comparison leaves out: internal bookkeeping (`_task_ok`, `_graph_info`, ...) and the flow's name. */
export function isInternal(name: string): boolean {
  return name.startsWith("_") || name === "name";
}

function runSide(flow: string, run: string, record: RunRecord | undefined, metaflow: MetaflowRunMeta | undefined, steps: StepSnapshot[]): RunSide {
  const starts = steps.flatMap((s) => s.tasks.map((t) => t.start ?? Infinity)).filter(Number.isFinite);
  const ends = steps.flatMap((s) => s.tasks.map((t) => t.end ?? -Infinity)).filter(Number.isFinite);
  const started = record?.started_at ?? metaflow?.started ?? (starts.length > 0 ? Math.min(...starts) : undefined);
  const finished = record?.finished_at ?? (ends.length > 0 ? Math.max(...ends) : undefined);
  const side: RunSide = { flow, runId: run, madeBy: record ? "flowlens" : "metaflow", tags: record?.tags ?? metaflow?.tags ?? [] };
  if (record?.status) side.status = record.status;
  if (started !== undefined) side.started = started;
  if (started !== undefined && finished !== undefined) side.seconds = Math.max(0, finished - started);
  if (record?.file) side.file = record.file;
  if (record?.code_package?.sha) side.codeSha = record.code_package.sha;
  return side;
}

function firstStart(step: StepSnapshot): number {
  return Math.min(Infinity, ...step.tasks.map((t) => t.start ?? Infinity));
}

type ForeachOf = (step: string, id: string) => Promise<string | undefined>;

async function readTasks(ds: FlowDatastore, run: string, step: string, problems: string[], foreachOf?: ForeachOf): Promise<TaskSnapshot[]> {
  const ids = await ds.listTasks(run, step);
  const tasks = await Promise.all(
    ids.map(async (id) => {
      const task = await readTask(ds, run, step, id, problems);
      const foreach = task && foreachOf ? await foreachOf(step, id) : undefined;
      return task && foreach !== undefined ? { ...task, foreach } : task;
    }),
  );
  return tasks.filter((t): t is TaskSnapshot => t !== undefined);
}

async function readTask(ds: FlowDatastore, run: string, step: string, id: string, problems: string[]): Promise<TaskSnapshot | undefined> {
  const attempt = await ds.finishedAttempt(run, step, id);
  if (attempt === undefined) return undefined;
  try {
    const prefix = ds.taskPrefix(run, step, id);
    const [data, previews, start, end] = await Promise.all([
      ds.readDataJson(run, step, id, attempt),
      ds.readPreviews(run, step, id, attempt).catch((error: unknown): Record<string, ArtifactPreview> => damaged(error, problems) ?? {}),
      timeOf(ds, `${prefix}${attempt}.attempt.json`),
      timeOf(ds, `${prefix}${attempt}.DONE.lock`),
    ]);
    const artifacts = new Map<string, ArtifactSide>();
    for (const [name, sha] of Object.entries(data?.objects ?? {})) {
      const info = data?.info[name];
      const preview = previews[name] ?? (isInternal(name) ? undefined : await ds.previewBySha(run, sha));
      artifacts.set(name, artifactSide(sha, info?.type ?? preview?.type ?? "?", info?.size ?? preview?.size ?? 0, preview));
    }
    return { id, attempt, ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}), artifacts };
  } catch (error) {
    damaged(error, problems);
    return undefined;
  }
}

function artifactSide(sha: string, type: string, size: number, preview: ArtifactPreview | undefined): ArtifactSide {
  const side: ArtifactSide = { sha, type, size };
  if (preview && "json" in preview) side.json = preview.json;
  if (preview?.repr !== undefined) side.repr = preview.repr;
  if (preview?.shape) side.shape = preview.shape;
  if (preview?.dtype) side.dtype = preview.dtype;
  if (preview?.columns) side.columns = preview.columns;
  return side;
}

/**
 * When an attempt file was written: its `{"time"}` (Flowlens and Metaflow's attempt.json,
 * Flowlens's DONE.lock), else the file's modification time (Metaflow's DONE.lock has no time).
 */
async function timeOf(ds: FlowDatastore, key: string): Promise<number | undefined> {
  const body = await ds.store.get(key);
  if (!body) return undefined;
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    if (typeof value === "object" && value !== null && typeof (value as { time?: unknown }).time === "number") return (value as { time: number }).time;
  } catch {
    // Not JSON: fall back to the file's time below.
  }
  const folder = key.slice(0, key.lastIndexOf("/") + 1);
  const info = (await ds.store.list(folder)).find((i) => i.key === key);
  return info ? info.modified / 1000 : undefined;
}

interface MetaflowRunMeta {
  tags: string[];
  started?: number;
}

/**
 * A Metaflow run's outcome, from the metadata of its `end` task (`attempt_ok` of its latest
 * finished attempt): whether `_task_ok` was true, without loading the artifact.
 */
async function metaflowStatus(ds: FlowDatastore, run: string, steps: StepSnapshot[]): Promise<string> {
  const end = steps.find((s) => s.name === "end")?.tasks[0];
  if (!end) return "not finished";
  const prefix = `${ds.taskPrefix(run, "end", end.id)}_meta/`;
  const files = (await ds.store.listChildren(prefix)).filter((k) => /\/sysmeta_attempt_ok_\d+\.json$/.test(k)).sort();
  for (const key of files.reverse()) {
    const meta = await ds.readJson<{ value?: unknown; tags?: unknown }>(key).catch(() => undefined);
    const tags = Array.isArray(meta?.tags) ? meta.tags : [];
    if (!tags.includes(`attempt_id:${end.attempt}`)) continue;
    return meta?.value === "True" ? "succeeded" : "failed";
  }
  return "unknown";
}

/** Metaflow's `<Flow>/<run>/_meta/_self.json`: the user's tags and the run's creation time (ms). */
async function metaflowRunMeta(ds: FlowDatastore, run: string): Promise<MetaflowRunMeta | undefined> {
  const self = await ds.readJson<{ tags?: unknown; ts_epoch?: unknown }>(`${ds.flow}/${run}/_meta/_self.json`).catch(() => undefined);
  if (typeof self !== "object" || self === null) return undefined;
  const tags = Array.isArray(self.tags) ? self.tags.filter((t): t is string => typeof t === "string") : [];
  return { tags, ...(typeof self.ts_epoch === "number" ? { started: self.ts_epoch / 1000 } : {}) };
}

/** Keeps a damaged file's message among the problems (the rest is still compared); rethrows anything else. */
function damaged(error: unknown, problems: string[]): undefined {
  if (!isDamagedData(error)) throw error;
  problems.push(error.message);
  return undefined;
}

/** The run is not in the datastore. */
export class NotInStore extends Error {}
