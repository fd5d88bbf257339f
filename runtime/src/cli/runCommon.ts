// What `run`, `resume` and `step` share: their options, refusing cleanly, and printing.

import { availableParallelism } from "node:os";
import type { RunEvent } from "../../../server/src/protocol/runEvents";
import { intOption, lastOption, type ParsedArgs } from "./args";
import { UsageError, type CliIo } from "./command";
import { flowOptionsEnv, flowOptionsUsage, flowOptionsVar, isCardSpec, projectFlags, projectOptions } from "./flowOptions";
import { executorOptionNames, executorUsage, parseWithExecutor, withNames } from "./executor";
import { prepare, type Prepared } from "./prepare";
import { jsonPrinter, terminalPrinter } from "./printer";
import { RunRefused } from "./refuse";
import { runFlow, type RunRequest } from "./runFlow";

export const commonOptions = ["max-workers", "max-num-splits", "run-id-file", "python", "datastore", "datastore-root", "tag", "with", ...executorOptionNames, ...projectOptions];
export const commonFlags = ["json", ...projectFlags];

export const commonUsage = `  --max-workers N        tasks at once (default: the number of CPUs)
  --max-num-splits N     most tasks one foreach may create (default 100)
  --run-id-file F        write the new run's id to F
  --python PATH          the Python interpreter (default: $FLOWLENS_PYTHON, else python3)
  --datastore local|s3   where artifacts go (default local: the nearest .metaflow folder)
  --datastore-root ROOT  a local folder or s3://bucket/prefix
  --tag T                tag the run (repeatable)
${executorUsage}
  --json                 print run events as JSON lines instead of text
${flowOptionsUsage}`;

export type Mode = RunRequest["mode"];

export async function runCommand(
  parsed: ParsedArgs,
  io: CliIo,
  mode: Mode,
  build: (p: Prepared) => Pick<RunRequest, "parameters" | "step" | "originRunId">,
): Promise<number> {
  const json = parsed.flags.has("json");
  const emit: (e: RunEvent) => void = json ? jsonPrinter(io) : terminalPrinter(io);
  const file = parsed.positional[0];
  if (file === undefined) throw new UsageError("missing the flow file");
  const datastore = lastOption(parsed, "datastore") ?? io.env.FLOWLENS_DATASTORE ?? "local";
  if (datastore !== "local" && datastore !== "s3") throw new UsageError(`--datastore must be local or s3, got '${datastore}'`);
  const maxWorkers = intOption(parsed, "max-workers", availableParallelism(), 1);
  const maxNumSplits = intOption(parsed, "max-num-splits", 100, 1);
  const extensions = parsed.options.get("with") ?? [];
  const badArguments = extensions.map((w) => parseWithExecutor(w)).find((w) => typeof w === "string");
  if (badArguments !== undefined) throw new UsageError(badArguments);
  const unsupported = extensions.filter((w) => parseWithExecutor(w) === undefined && !isCardSpec(w));
  if (unsupported.length > 0) throw new UsageError(`--with ${unsupported[0] ?? ""} is not supported (Flowlens supports ${[...withNames.map((n) => `--with ${n}`), "--with card[:ATTR=VALUE,...]"].join(", ")})`);
  const env = { ...io.env, [flowOptionsVar]: flowOptionsEnv(parsed, io.cwd, mode) };
  try {
    const python = lastOption(parsed, "python");
    const root = lastOption(parsed, "datastore-root");
    const executorOptions = new Map(executorOptionNames.flatMap((name) => {
      const value = lastOption(parsed, name);
      return value ? [[name, value] as const] : [];
    }));
    const prepared = await prepare({
      file,
      cwd: io.cwd,
      env,
      datastore,
      executors: { with: extensions, options: executorOptions },
      ...(python ? { python } : {}),
      ...(root ? { datastoreRoot: root } : {}),
    });
    let built;
    try {
      built = build(prepared);
    } catch (error) {
      await prepared.executor.close();
      throw error;
    }
    const request: RunRequest = { mode, maxWorkers, maxNumSplits, tags: parsed.options.get("tag") ?? [], env, cwd: io.cwd, emit, ...built };
    const runIdFile = lastOption(parsed, "run-id-file");
    if (runIdFile) request.runIdFile = runIdFile;
    return await runFlow(prepared, request);
  } catch (error) {
    if (error instanceof RunRefused) {
      emit(error.toEvent());
      return error.exitCode;
    }
    throw error;
  }
}
