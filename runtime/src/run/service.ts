// The run service: one request in (request.ts), run events out through a callback, one result
// back. It validates the request, prepares the run (the flow checked, Python, the datastore and
// the executors ready), converts the parameters, then plans, schedules and finishes the run
// (runFlow.ts). It parses no command line and prints nothing: the `flowlens` command and
// `python flow.py` (through that command) both call it, and each says the events its own way.

import type { RunEvent } from "../../../server/src/protocol/runEvents";
import { resolveParameters } from "./params";
import { prepare, type Prepared } from "./prepare";
import { RunRefused } from "./refuse";
import type { RunRequest } from "./request";
import { runFlow, type RunJob } from "./runFlow";
import { validateRequest, type RunContext, type RunSettings } from "./settings";

export type { RunContext } from "./settings";

/** How a request ended: a run that started and how it ended, or a refusal before any task. */
export type RunResult =
  | { status: "succeeded" | "failed" | "cancelled"; flow: string; runId: string }
  /** `usage`: the caller asked wrongly (a bad parameter) rather than the flow or its inputs being wrong. */
  | { status: "refused"; headline: string; usage: boolean };

/**
 * Runs what the request asks. A request with a bad option throws InvalidRequest before anything
 * is opened; a problem with the flow, its parameters, Python, the datastore or an executor is
 * one `run-refused` event and a `refused` result; every other event comes from the run itself,
 * ending with `run-finished`.
 */
export async function runService(request: RunRequest, context: RunContext, emit: (event: RunEvent) => void): Promise<RunResult> {
  const settings = validateRequest(request, context);
  try {
    const prepared = await prepare({
      file: request.file,
      cwd: context.cwd,
      env: settings.env,
      datastore: settings.datastore,
      executors: settings.executors,
      ...(request.flow !== undefined ? { flow: request.flow } : {}),
      ...(request.python ? { python: request.python } : {}),
      ...(request.datastoreRoot ? { datastoreRoot: request.datastoreRoot } : {}),
    });
    let job: RunJob;
    try {
      job = buildJob(prepared, request, settings, context, emit);
    } catch (error) {
      await prepared.executor.close();
      throw error;
    }
    const end = await runFlow(prepared, job);
    return { status: end.status, flow: prepared.plan.flow, runId: end.runId };
  } catch (error) {
    if (!(error instanceof RunRefused)) throw error;
    emit(error.toEvent());
    return { status: "refused", headline: error.headline, usage: error.usage };
  }
}

function buildJob(p: Prepared, request: RunRequest, settings: RunSettings, context: RunContext, emit: (event: RunEvent) => void): RunJob {
  const job: RunJob = { mode: request.mode, maxWorkers: settings.maxWorkers, maxNumSplits: settings.maxNumSplits, tags: settings.tags, env: settings.env, cwd: context.cwd, emit };
  if (request.mode === "run") job.parameters = runParameters(p, request, context);
  if (request.step !== undefined) job.step = request.step;
  if (request.originRunId !== undefined) job.originRunId = request.originRunId;
  if (request.runIdFile) job.runIdFile = request.runIdFile;
  if (context.signal) job.signal = context.signal;
  return job;
}

/** The request's parameters converted to the flow's types; every problem at once, as one refusal. */
function runParameters(p: Prepared, request: RunRequest, context: RunContext): RunJob["parameters"] {
  const given = new Map(Object.entries(request.parameters ?? {}));
  const params = resolveParameters(p.flow.parameters, given, context.cwd, (param) => p.where(param.span.start), context.env);
  if (params.problems.length > 0) {
    const headline = params.problems.length === 1 ? (params.problems[0]?.message ?? "bad parameter") : `${params.problems.length} problems with the parameters of ${p.flow.name}`;
    throw new RunRefused(headline, params.problems, true);
  }
  return { given: params.given, json: params.json };
}
