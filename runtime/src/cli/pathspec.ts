// `Flow/run/step[/task]` for `logs` and `dump`, and the datastore they read.

import { FlowDatastore } from "../datastore/layout";
import { openObjectStore } from "../datastore/open";
import { datastoreRoot } from "../datastore/root";
import { lastOption, type ParsedArgs } from "./args";
import { UsageError, type CliIo } from "./command";

export interface TaskTarget {
  ds: FlowDatastore;
  run: string;
  step: string;
  tasks: string[];
}

export const storeOptions = ["datastore", "datastore-root"];

export async function resolveTarget(parsed: ParsedArgs, io: CliIo): Promise<TaskTarget> {
  const spec = parsed.positional[0];
  if (spec === undefined) throw new UsageError("missing the pathspec Flow/run/step[/task]");
  const parts = spec.split("/");
  if (parts.length < 3 || parts.length > 4 || parts.some((p) => p === "")) throw new UsageError(`pathspec '${spec}' is not Flow/run/step or Flow/run/step/task`);
  const [flow, runPart, step, task] = parts as [string, string, string, string | undefined];
  const bad = badComponent(flow, runPart, step, task);
  if (bad !== undefined) throw new NotFound(`pathspec '${spec}': ${bad}`);
  const ds = await openFlowDatastore(parsed, io, flow);
  const run = runPart === "latest" ? await ds.latestRun() : runPart;
  if (run === undefined) throw new NotFound(`${flow} has no runs in ${ds.describe()}`);
  const all = await ds.listTasks(run, step);
  if (all.length === 0) {
    const steps = await ds.listSteps(run);
    const known = steps.length > 0 ? ` (its steps: ${steps.join(", ")})` : (await ds.listRuns()).includes(run) ? "" : ` (${flow} has no run ${run})`;
    throw new NotFound(`no tasks at ${flow}/${run}/${step} in ${ds.describe()}${known}`);
  }
  if (task !== undefined && !all.includes(task)) throw new NotFound(`${flow}/${run}/${step} has no task ${task} (its tasks: ${shortList(all)})`);
  return { ds, run, step, tasks: task !== undefined ? [task] : all };
}

/** The datastore of `flow` that `--datastore` / `--datastore-root` (or the environment, or the folders above) name. */
export async function openFlowDatastore(parsed: ParsedArgs, io: CliIo, flow: string): Promise<FlowDatastore> {
  const kind = lastOption(parsed, "datastore") ?? io.env.FLOWLENS_DATASTORE ?? "local";
  if (kind !== "local" && kind !== "s3") throw new UsageError(`--datastore must be local or s3, got '${kind}'`);
  const root = datastoreRoot({ kind, given: lastOption(parsed, "datastore-root"), env: io.env, cwd: io.cwd });
  return new FlowDatastore(await openObjectStore({ kind, root, env: io.env }), flow);
}

/** Why `flow` or `run` cannot be a flow name or run id, or undefined when both can. */
export function badRunComponent(flow: string, run: string): string | undefined {
  if (!plainName.test(flow) || flow.includes("..")) return `'${flow}' is not a flow name`;
  if (!plainName.test(run) || run.includes("..")) return `'${run}' is not a run id`;
  return undefined;
}

// Names a pathspec may hold: Metaflow's step names, and run and task ids (digits locally; other
// schedulers use letters, digits, "-", "_" and "."). Nothing else reaches the datastore: no "..",
// no other separator, no Flowlens bookkeeping folder taken for a step.
const plainName = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const stepName = /^[A-Za-z0-9_]+$/;

function badComponent(flow: string, run: string, step: string, task: string | undefined): string | undefined {
  const badRun = badRunComponent(flow, run);
  if (badRun !== undefined) return badRun;
  if (!stepName.test(step) || (step.startsWith("_") && step !== "_parameters")) return `'${step}' is not a step name`;
  if (task !== undefined && (!plainName.test(task) || task.includes(".."))) return `'${task}' is not a task id`;
  return undefined;
}

function shortList(names: string[]): string {
  return names.length > 10 ? `${names.slice(0, 10).join(", ")}, ... (${names.length - 10} more)` : names.join(", ");
}

/** Nothing at the pathspec: exit 1 with this message. */
export class NotFound extends Error {}
