// Runs a prepared flow in one of three modes: `run` (everything), `resume` (reuse the origin
// run's finished tasks before STEP), `step` (reuse everything before STEP, run only STEP).
// It writes the run's own records (latest_run, run.json, the code package, `_parameters`),
// drives the scheduler, turns Ctrl-C / SIGTERM into a cancelled run, and prints the events.

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { userInfo } from "node:os";
import type { RunEvent } from "../../../server/src/protocol/runEvents";
import { packageSuffixes, writeCodePackage } from "../datastore/codePackage";
import { resolvePythonDir } from "../executors/local/pythonDir";
import type { RunRecord } from "../datastore/layout";
import { reachableFrom } from "../plan/plan";
import { loadCloneSource, datastoreRunStore } from "../scheduler/runStore";
import { parametersStep, Scheduler } from "../scheduler/scheduler";
import type { CloneSource } from "../scheduler/types";
import { flowOptionsVar } from "./flowOptions";
import type { Prepared } from "./prepare";
import { RunRefused } from "./refuse";

export interface RunRequest {
  mode: "run" | "resume" | "step";
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


export async function runFlow(p: Prepared, r: RunRequest): Promise<number> {
  try {
    return await runPrepared(p, r);
  } finally {
    await p.executor.close();
  }
}

async function runPrepared(p: Prepared, r: RunRequest): Promise<number> {
  const { ds, plan } = p;
  let origin: string | undefined;
  let clone: (CloneSource & { maxTaskId: number }) | undefined;
  let parameters = r.parameters?.json ?? {};
  let originParamsAttempt = 0;
  if (r.mode !== "run") {
    if (r.step !== undefined && !plan.steps[r.step]) {
      throw new RunRefused(`${plan.flow} has no step named ${r.step}`, [{ message: `steps: ${Object.keys(plan.steps).join(", ")}` }]);
    }
    origin = r.originRunId ?? (await ds.latestRun());
    if (origin === undefined) throw new RunRefused(`${plan.flow} has no earlier run to ${r.mode === "step" ? "take inputs from" : "resume"}: run the flow first`, []);
    const runs = await ds.listRuns();
    if (!runs.includes(origin)) throw new RunRefused(`${plan.flow} has no run ${origin} in ${ds.describe()}`, [{ message: `runs: ${runs.slice(-10).join(", ") || "none"}` }]);
    const originRecord = await ds.readRunRecord(origin);
    const finished = await ds.finishedAttempt(origin, parametersStep, "0");
    if (finished === undefined) throw new RunRefused(`run ${plan.flow}/${origin} cannot be reused: its parameters were never stored`, []);
    originParamsAttempt = finished;
    parameters = originRecord?.parameters ?? {};
    const after = r.step !== undefined ? reachableFrom(plan, r.step) : undefined;
    const only = r.mode === "step" ? r.step : undefined;
    clone = await loadCloneSource(ds, origin, (step) => (only !== undefined ? step !== only : after === undefined || !after.has(step)));
  }

  const runId = await ds.newRunId();
  await ds.setLatestRun(runId);
  if (r.runIdFile) writeFileSync(resolve(r.cwd, r.runIdFile), runId);
  const { sha, key } = await writeCodePackage(ds.store, plan.flow, p.file, packageSuffixes(r.env), resolvePythonDir(r.env));
  const codePackage = { sha, key };
  const user = runUser(r.env);
  const record: RunRecord = {
    flow: plan.flow,
    run_id: runId,
    file: p.file,
    started_at: Date.now() / 1000,
    status: "running",
    parameters,
    mode: r.mode,
    code_package: codePackage,
    python: p.python,
    user,
    tags: r.tags,
  };
  if (origin !== undefined) record.origin_run_id = origin;
  if (r.step !== undefined) record.step = r.step;
  await ds.writeRunRecord(record);
  if (origin !== undefined) await ds.cloneTask(origin, runId, parametersStep, "0", originParamsAttempt);

  r.emit({ type: "run-started", ts: Date.now(), flow: plan.flow, runId, file: p.file, datastore: ds.describe(), parameters, mode: r.mode, ...(origin !== undefined ? { originRunId: origin } : {}) });

  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  r.signal?.addEventListener("abort", onSignal, { once: true });
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const executor = p.executor;
  let outcome;
  try {
    const scheduler = new Scheduler({
      plan,
      executor,
      runId,
      flowFile: p.file,
      maxWorkers: r.maxWorkers,
      maxNumSplits: r.maxNumSplits,
      user,
      tags: r.tags,
      // Tasks that import the flow elsewhere (AWS Batch) need the run's configs and branch too.
      env: { ...ds.store.pythonEnvironment(), ...(r.env[flowOptionsVar] !== undefined ? { [flowOptionsVar]: r.env[flowOptionsVar] } : {}) },
      emit: r.emit,
      store: datastoreRunStore(ds, runId, origin),
      ...(origin !== undefined ? { startInputs: [`${runId}/${parametersStep}/0`] } : { parameters: r.parameters?.given ?? {} }),
      signal: controller.signal,
      codePackage,
      ...(clone ? { clone, firstTaskId: clone.maxTaskId + 1 } : {}),
      ...(r.mode === "step" && r.step !== undefined ? { only: r.step } : {}),
    });
    outcome = await scheduler.run();
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
  // The run's user tags may have changed while it ran (Run.add_tag in a step, `python flow.py tag
  // add`), and they live in this record: keep the stored ones.
  const latest = await ds.readRunRecord(runId).catch(() => undefined);
  await ds.writeRunRecord({ ...record, tags: Array.isArray(latest?.tags) ? latest.tags : record.tags, status: outcome.status, finished_at: Date.now() / 1000 });
  r.emit({ type: "run-finished", ts: Date.now(), flow: plan.flow, runId, status: outcome.status, durationMs: outcome.durationMs, tasks: outcome.tasks, ...(outcome.error ? { error: outcome.error } : {}) });
  return outcome.status === "succeeded" ? 0 : outcome.status === "cancelled" ? 130 : 1;
}

/** Metaflow's user: METAFLOW_USER first, then the login the environment names, then the OS's. */
export function runUser(env: NodeJS.ProcessEnv): string {
  return env.METAFLOW_USER || env.USERNAME || env.USER || env.LOGNAME || safeUser();
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}
