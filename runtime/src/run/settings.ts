// The one validation of a run request: every option value checked, defaults filled in, before
// anything is opened or started. A bad value is an InvalidRequest naming the option as the user
// spelled it on the command line (`--max-workers`), since both callers take options that way.

import { availableParallelism } from "node:os";
import { executorOptionNames, parseWithExecutor, withNames, type ExecutorChoice } from "./executor";
import { flowOptionsEnv, flowOptionsVar, isCardSpec } from "./flowOptions";
import { InvalidRequest, type RunRequest } from "./request";

/** Where and how the caller runs: its folder and environment (not part of the request, which says what to run). */
export interface RunContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Cancels the run as Ctrl-C does (the service also listens for SIGINT and SIGTERM). */
  signal?: AbortSignal;
}

/** A request after validation: every value typed and defaulted. */
export interface RunSettings {
  datastore: "local" | "s3";
  maxWorkers: number;
  maxNumSplits: number;
  executors: ExecutorChoice;
  /** The caller's environment plus the flow options for Python (flowOptions.ts). */
  env: NodeJS.ProcessEnv;
  tags: string[];
}

export function validateRequest(request: RunRequest, context: RunContext): RunSettings {
  if (request.file === "") throw new InvalidRequest("missing the flow file");
  if (request.mode === "step" && request.step === undefined) throw new InvalidRequest("missing the step to run");
  const parameters = Object.keys(request.parameters ?? {});
  if (request.mode !== "run" && parameters.length > 0) throw new InvalidRequest(`unknown option --${parameters[0] ?? ""} (${request.mode} takes the parameters of its origin run)`);
  const datastore = request.datastore ?? context.env.FLOWLENS_DATASTORE ?? "local";
  if (datastore !== "local" && datastore !== "s3") throw new InvalidRequest(`--datastore must be local or s3, got '${datastore}'`);
  const maxWorkers = count(request.maxWorkers, "max-workers", availableParallelism(), 1);
  const maxNumSplits = count(request.maxNumSplits, "max-num-splits", 100, 1);
  const extensions = request.with ?? [];
  const badArguments = extensions.map((w) => parseWithExecutor(w)).find((w) => typeof w === "string");
  if (badArguments !== undefined) throw new InvalidRequest(badArguments);
  const unsupported = extensions.filter((w) => parseWithExecutor(w) === undefined && !isCardSpec(w));
  if (unsupported.length > 0) throw new InvalidRequest(`--with ${unsupported[0] ?? ""} is not supported (Flowlens supports ${[...withNames.map((n) => `--with ${n}`), "--with card[:ATTR=VALUE,...]"].join(", ")})`);
  const options = Object.entries(request.executorOptions ?? {});
  const unknown = options.find(([name]) => !executorOptionNames.includes(name));
  if (unknown !== undefined) throw new InvalidRequest(`unknown option --${unknown[0]}`);
  const env = { ...context.env, [flowOptionsVar]: flowOptionsEnv(request, context.cwd) };
  return { datastore, maxWorkers, maxNumSplits, executors: { with: extensions, options: new Map(options.filter(([, v]) => v !== "")) }, env, tags: request.tags ?? [] };
}

/** A whole number of at least `min`, given as typed or as a number. */
function count(value: string | number | undefined, option: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) < min) throw new InvalidRequest(`--${option} needs a whole number of at least ${min}, got '${text}'`);
  return Number(text);
}
