// The command line of `flowlens run|resume|step` turned into a run request (runtime/src/run/request.ts).
// Only spelling is decided here (which option names exist, the last of a repeated one wins);
// every value is checked by the run service, the same way for `python flow.py`, whose side
// builds the same request (runtime/python/flowlens/_cli/runrequest.py; a test compares them).

import { executorOptionNames } from "../run/executor";
import type { RunMode, RunRequest } from "../run/request";
import { lastOption, type ParsedArgs } from "./args";
import { UsageError } from "./command";

export const configPairs = ["config", "config-value"];
export const projectOptions = ["branch"];
export const projectFlags = ["production"];

export function requestFromArgs(parsed: ParsedArgs, mode: RunMode, fields: Pick<RunRequest, "step" | "originRunId"> = {}): RunRequest {
  const file = parsed.positional[0];
  if (file === undefined) throw new UsageError("missing the flow file");
  const request: RunRequest = { mode, file, ...fields };
  if (mode === "run") request.parameters = Object.fromEntries(parsed.extra);
  const text = { datastore: "datastore", datastoreRoot: "datastore-root", python: "python", maxWorkers: "max-workers", maxNumSplits: "max-num-splits", runIdFile: "run-id-file", branch: "branch" } as const;
  for (const [key, option] of Object.entries(text) as [keyof typeof text, string][]) {
    const value = lastOption(parsed, option);
    if (value !== undefined) request[key] = value;
  }
  const lists = { with: "with", tags: "tag" } as const;
  for (const [key, option] of Object.entries(lists) as [keyof typeof lists, string][]) {
    const values = parsed.options.get(option) ?? [];
    if (values.length > 0) request[key] = values;
  }
  const config = parsed.pairs.get("config") ?? [];
  const configValue = parsed.pairs.get("config-value") ?? [];
  if (config.length > 0) request.config = config;
  if (configValue.length > 0) request.configValue = configValue;
  if (parsed.flags.has("production")) request.production = true;
  const executorOptions = executorOptionNames.flatMap((name) => {
    const value = lastOption(parsed, name);
    return value !== undefined ? [[name, value] as const] : [];
  });
  if (executorOptions.length > 0) request.executorOptions = Object.fromEntries(executorOptions);
  return request;
}
