// `Flow/run/step[/task]` for `logs` and `dump`, and the datastore they read.

import { resolve } from "node:path";
import { FlowDatastore } from "../datastore/layout";
import { openObjectStore } from "../datastore/open";
import { findLocalRoot } from "../datastore/root";
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
  const kind = lastOption(parsed, "datastore") ?? io.env.FLOWLENS_DATASTORE ?? "local";
  if (kind !== "local" && kind !== "s3") throw new UsageError(`--datastore must be local or s3, got '${kind}'`);
  const rootOption = lastOption(parsed, "datastore-root") ?? (kind === "s3" ? io.env.FLOWLENS_DATASTORE_ROOT : undefined);
  const root = kind === "local" ? resolve(io.cwd, rootOption ?? findLocalRoot(io.cwd)) : (rootOption ?? "");
  const ds = new FlowDatastore(await openObjectStore({ kind, root, env: io.env }), flow);
  const run = runPart === "latest" ? await ds.latestRun() : runPart;
  if (run === undefined) throw new NotFound(`${flow} has no runs in ${ds.describe()}`);
  const tasks = task !== undefined ? [task] : await ds.listTasks(run, step);
  if (tasks.length === 0) throw new NotFound(`no tasks at ${flow}/${run}/${step} in ${ds.describe()}`);
  return { ds, run, step, tasks };
}

/** Nothing at the pathspec: exit 1 with this message. */
export class NotFound extends Error {}
