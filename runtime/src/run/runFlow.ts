// Runs a prepared flow in one of three modes: `run` (everything), `resume` (reuse the origin
// run's finished tasks before STEP), `step` (reuse everything before STEP, run only STEP).
// It writes the run's own records (latest_run, run.json, the code package, `_parameters`),
// drives the scheduler, turns Ctrl-C / SIGTERM into a cancelled run, and emits the events.

import { renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { userInfo } from "node:os";
import type { RunEvent } from "../../../server/src/protocol/runEvents";
import { packageSuffixes, writeCodePackage } from "../datastore/codePackage";
import { resolvePythonDir } from "../executors/local/pythonDir";
import type { RunRecord } from "../datastore/layout";
import { isDamagedData, shortReason } from "../datastore/damaged";
import { startHeartbeat } from "../datastore/runState";
import { verifyAttempt } from "../datastore/verify";
import type { ParameterModel } from "../../../server/src/analysis/model";
import { reachableFrom } from "../plan/plan";
import { loadCloneSource, datastoreRunStore } from "../scheduler/runStore";
import { parametersStep, Scheduler, type RunOutcome, type SchedulerOptions } from "../scheduler/scheduler";
import type { CloneSource } from "../scheduler/types";
import { TaskIndexWriter } from "../timeline/taskIndex";
import { flowOptionsVar } from "./flowOptions";
import type { Prepared } from "./prepare";
import { RunRefused } from "./refuse";
import type { RunMode } from "./request";

/** One run to carry out, after the request was validated and the flow prepared (service.ts builds it). */
export interface RunJob {
  mode: RunMode;
  /** run: the parameters as given (for the `_parameters` task) and as JSON (for the record). */
  parameters?: { given: Record<string, string>; json: Record<string, unknown> };
  /** resume/step: the step to re-run (resume: optional). */
  step?: string;
  originRunId?: string;
  maxWorkers: number;
  maxNumSplits: number;
  runIdFile?: string;
  tags: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  emit: (event: RunEvent) => void;
  /** Tests cancel through this instead of signals. */
  signal?: AbortSignal;
}


/** How a run that started ended. */
export interface RunEnd {
  runId: string;
  status: RunOutcome["status"];
}

export async function runFlow(p: Prepared, r: RunJob): Promise<RunEnd> {
  try {
    return await runPrepared(p, r);
  } finally {
    await p.executor.close();
  }
}

/** Where a resume or a single step starts from: the origin run, what of it is reused, and its parameters. */
interface Origin {
  id: string;
  clone: CloneSource & { maxTaskId: number };
  parameters: Record<string, unknown>;
  given: Record<string, string>;
  /** The origin's `_parameters` attempt to clone; undefined when it never finished or is damaged, and the task runs again. */
  parametersAttempt?: number;
  /** Said in the `_parameters` task's log when it runs again. */
  parametersNote?: string;
}

async function loadOrigin(p: Prepared, r: RunJob): Promise<Origin> {
  const { ds, plan } = p;
  if (r.step !== undefined && !plan.steps[r.step]) {
    throw new RunRefused(`${plan.flow} has no step named ${r.step}`, [{ message: `steps: ${Object.keys(plan.steps).join(", ")}` }]);
  }
  const id = r.originRunId ?? (await ds.latestRun());
  if (id === undefined) throw new RunRefused(`${plan.flow} has no earlier run to ${r.mode === "step" ? "take inputs from" : "resume"}: run the flow first`, []);
  const runs = await ds.listRuns();
  if (!runs.includes(id)) throw new RunRefused(`${plan.flow} has no run ${id} in ${ds.describe()}`, [{ message: `runs: ${runs.slice(-10).join(", ") || "none"}` }]);
  let record: RunRecord | undefined;
  try {
    record = await ds.readRunRecord(id);
  } catch (error) {
    if (!isDamagedData(error)) throw error;
    throw new RunRefused(`run ${plan.flow}/${id} cannot be resumed: its run record is damaged`, [
      { message: error.message },
      { message: `its tasks can still be read (flowlens dump ${plan.flow}/${id}/STEP); resume another run with --origin-run-id` },
    ]);
  }
  const after = r.step !== undefined ? reachableFrom(plan, r.step) : undefined;
  const only = r.mode === "step" ? r.step : undefined;
  const clone = await loadCloneSource(ds, id, (step) => (only !== undefined ? step !== only : after === undefined || !after.has(step)));
  const origin: Origin = { id, clone, parameters: record?.parameters ?? {}, given: record?.parameters_given ?? givenFromJson(p.flow.parameters, record?.parameters ?? {}) };
  const attempt = await ds.finishedAttempt(id, parametersStep, "0");
  const damage = attempt === undefined ? undefined : await verifyAttempt(ds, id, parametersStep, "0", attempt, new Map());
  if (attempt !== undefined && !damage) origin.parametersAttempt = attempt;
  else if (!record) throw new RunRefused(`run ${plan.flow}/${id} cannot be reused: its parameters were never stored${damage ? ` (${damage.message})` : ""} and it has no run record`, []);
  else origin.parametersNote = damage ? `the origin's parameters task is damaged (${damage.message}); storing the parameters of its run record again` : `run ${id} stopped before its parameters were stored; storing them again from its run record`;
  return origin;
}

/** Command-line text for parameters known only as JSON values (run records written before `parameters_given`). */
function givenFromJson(params: ParameterModel[], json: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const param of params) {
    const value = json[param.attribute];
    if (value === undefined || value === null || (typeof value === "string" && value.startsWith("<") && param.defaultText !== undefined)) continue;
    out[param.name] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}

async function runPrepared(p: Prepared, r: RunJob): Promise<RunEnd> {
  const { ds, plan } = p;
  const origin = r.mode !== "run" ? await loadOrigin(p, r) : undefined;
  const parameters = origin?.parameters ?? r.parameters?.json ?? {};
  const given = origin?.given ?? r.parameters?.given ?? {};
  const runId = await ds.newRunId();
  const stopHeartbeat = await startHeartbeat(ds, runId);
  try {
    await ds.setLatestRun(runId);
    // Renamed into place: a reader that polls for the file (the Python Runner) never sees it empty.
    if (r.runIdFile) writeWhole(resolve(r.cwd, r.runIdFile), runId);
    const codePackage = await writeCodePackage(ds.store, plan.flow, p.file, packageSuffixes(r.env), resolvePythonDir(r.env));
    const user = runUser(r.env);
    const record: RunRecord = {
      flow: plan.flow,
      run_id: runId,
      file: p.file,
      started_at: Date.now() / 1000,
      status: "running",
      parameters,
      parameters_given: given,
      mode: r.mode,
      code_package: { sha: codePackage.sha, key: codePackage.key },
      python: p.python,
      user,
      tags: r.tags,
    };
    if (origin !== undefined) record.origin_run_id = origin.id;
    if (r.step !== undefined) record.step = r.step;
    await ds.writeRunRecord(record);
    const reuseParameters = origin?.parametersAttempt !== undefined;
    if (origin?.parametersAttempt !== undefined) await ds.cloneTask(origin.id, runId, parametersStep, "0", origin.parametersAttempt);
    r.emit({ type: "run-started", ts: Date.now(), flow: plan.flow, runId, file: p.file, datastore: ds.describe(), parameters, mode: r.mode, ...(origin !== undefined ? { originRunId: origin.id } : {}) });
    if (origin?.parametersNote) r.emit({ type: "log", ts: Date.now(), task: { flow: plan.flow, runId, step: parametersStep, taskId: "0", attempt: 0 }, stream: "stderr", line: `[flowlens] ${origin.parametersNote}` });
    // Every task's times in one file for readers (timeline/taskIndex.ts), final before the record says the run ended.
    const index = new TaskIndexWriter(ds, runId);
    const outcome = await schedule(p, { ...r, emit: index.wrap(r.emit) }, {
      runId,
      user,
      codePackage: record.code_package,
      store: datastoreRunStore(ds, runId, origin?.id),
      ...(reuseParameters ? { startInputs: [`${runId}/${parametersStep}/0`] } : { parameters: given }),
      ...(origin ? { clone: origin.clone, firstTaskId: origin.clone.maxTaskId + 1 } : {}),
    });
    await index.close();
    return await finish(p, r, record, outcome);
  } finally {
    stopHeartbeat();
  }
}

type SchedulerParts = Pick<SchedulerOptions, "runId" | "user" | "codePackage" | "store" | "startInputs" | "parameters" | "clone" | "firstTaskId">;

/** Drives the scheduler; Ctrl-C and SIGTERM cancel the run. */
async function schedule(p: Prepared, r: RunJob, parts: SchedulerParts): Promise<RunOutcome> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  r.signal?.addEventListener("abort", onSignal, { once: true });
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const scheduler = new Scheduler({
      ...parts,
      plan: p.plan,
      executor: p.executor,
      flowFile: p.file,
      maxWorkers: r.maxWorkers,
      maxNumSplits: r.maxNumSplits,
      tags: r.tags,
      // Tasks that import the flow elsewhere (AWS Batch) need the run's configs and branch too.
      env: { ...p.ds.store.pythonEnvironment(), ...(r.env[flowOptionsVar] !== undefined ? { [flowOptionsVar]: r.env[flowOptionsVar] } : {}) },
      emit: r.emit,
      signal: controller.signal,
      ...(r.mode === "step" && r.step !== undefined ? { only: r.step } : {}),
    });
    return await scheduler.run();
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

/**
 * Records the run's end and says it. When the record cannot be written (the datastore went away
 * mid-run), the run still ends with a `run-finished` event: failed, with the reason.
 */
async function finish(p: Prepared, r: RunJob, record: RunRecord, outcome: RunOutcome): Promise<RunEnd> {
  const ended = { ...outcome };
  try {
    // The run's user tags may have changed while it ran (Run.add_tag in a step, `python flow.py tag
    // add`), and they live in this record: keep the stored ones.
    const latest = await p.ds.readRunRecord(record.run_id).catch(() => undefined);
    await p.ds.writeRunRecord({ ...record, tags: Array.isArray(latest?.tags) ? latest.tags : record.tags, status: outcome.status, finished_at: Date.now() / 1000 });
  } catch (error) {
    ended.status = outcome.status === "succeeded" ? "failed" : outcome.status;
    ended.error = outcome.error ?? { headline: `could not record the end of the run in ${p.ds.describe()}: ${shortReason(error)}` };
  }
  r.emit({ type: "run-finished", ts: Date.now(), flow: p.plan.flow, runId: record.run_id, status: ended.status, durationMs: ended.durationMs, tasks: ended.tasks, ...(ended.marks ? { marks: ended.marks } : {}), ...(ended.error ? { error: ended.error } : {}) });
  return { runId: record.run_id, status: ended.status };
}

/** Metaflow's user: METAFLOW_USER, else SUDO_USER, USERNAME, USER (not "root"), else the login name (as flowlens/_flowopts.py). */
export function runUser(env: NodeJS.ProcessEnv): string {
  const named = [env.SUDO_USER, env.USERNAME, env.USER].find((u) => u && u !== "root");
  return env.METAFLOW_USER || named || env.LOGNAME || safeUser();
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

function writeWhole(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
