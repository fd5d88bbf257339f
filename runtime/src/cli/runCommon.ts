// What `run`, `resume` and `step` share: their options and usage, and the one path each takes:
// arguments -> run request -> run service (runtime/src/run) -> printer -> exit code.
// `--request-json JSON` gives the request whole instead (what `python flow.py run` sends).

import { InvalidRequest, parseRunRequest, type RunMode, type RunRequest } from "../run/request";
import { runService, type RunResult } from "../run/service";
import { executors } from "../executors/registry";
import { executorOptionNames } from "../run/executor";
import { lastOption, parseArgs } from "./args";
import { UsageError, type CliIo } from "./command";
import { projectFlags, projectOptions } from "./runRequest";
import { jsonPrinter, terminalPrinter } from "./printer";

export const commonOptions = ["max-workers", "max-num-splits", "run-id-file", "python", "datastore", "datastore-root", "tag", "with", ...executorOptionNames, ...projectOptions];
export const commonFlags = ["json", ...projectFlags];

/** The usage lines of `--with` and of the executors' options. */
const executorUsage = executors
  .flatMap((e) => [[`--with ${e.name}`, e.withHelp], ...e.options.map((o) => [`--${o.name} ${o.value}`, o.help])])
  .map(([flag = "", help = ""]) => `  ${flag.padEnd(22)} ${help}`)
  .join("\n");

const flowOptionsUsage = `  --config NAME FILE     the flow's Config NAME read from FILE (repeatable; run only)
  --config-value NAME V  the flow's Config NAME given as a JSON value (repeatable; run only)
  --branch B             @project branch test.B (prod.B with --production)
  --production           @project production branch`;

export const commonUsage = `  --max-workers N        tasks at once (default: the number of CPUs)
  --max-num-splits N     most tasks one foreach may create (default 100)
  --run-id-file F        write the new run's id to F
  --python PATH          the Python interpreter (default: $FLOWLENS_PYTHON, else python3)
  --datastore local|s3   where artifacts go (default local: the nearest .metaflow folder)
  --datastore-root ROOT  a local folder or s3://bucket/prefix
  --tag T                tag the run (repeatable)
${executorUsage}
  --json                 print run events as JSON lines instead of text
${flowOptionsUsage}
  --request-json JSON    the whole run as one request object, instead of FILE and options`;

/**
 * Runs the command: `build` turns the arguments into a request, unless they are
 * `--request-json JSON [--json]`, whose request must be for this command's mode.
 */
export async function runCommand(args: string[], io: CliIo, mode: RunMode, build: (args: string[]) => { request: RunRequest; json: boolean }): Promise<number> {
  const { request, json } = args.some((a) => a === "--request-json" || a.startsWith("--request-json=")) ? fromJson(args, mode) : build(args);
  const emit = json ? jsonPrinter(io) : terminalPrinter(io);
  let result: RunResult;
  try {
    result = await runService(request, { cwd: io.cwd, env: io.env }, emit);
  } catch (error) {
    if (error instanceof InvalidRequest) throw new UsageError(error.message);
    throw error;
  }
  return exitCode(result);
}

function fromJson(args: string[], mode: RunMode): { request: RunRequest; json: boolean } {
  const parsed = parseArgs(args, { options: ["request-json"], flags: ["json"] }, false);
  if (parsed.positional.length > 0) throw new UsageError(`--request-json takes no other argument '${parsed.positional[0] ?? ""}'`);
  let request: RunRequest;
  try {
    request = parseRunRequest(lastOption(parsed, "request-json") ?? "");
  } catch (error) {
    if (error instanceof InvalidRequest) throw new UsageError(error.message);
    throw error;
  }
  if (request.mode !== mode) throw new UsageError(`the run request is for ${request.mode}, not ${mode}`);
  return { request, json: parsed.flags.has("json") };
}

/** 0 succeeded, 1 failed or refused, 2 refused for how it was asked, 130 stopped (as a shell says Ctrl-C). */
export function exitCode(result: RunResult): number {
  switch (result.status) {
    case "succeeded":
      return 0;
    case "cancelled":
      return 130;
    case "failed":
      return 1;
    case "refused":
      return result.usage ? 2 : 1;
  }
}
