// `flowlens run FILE [--<param> VALUE ...]`: analyse, refuse on any check error, then run.

import { parseArgs } from "./args";
import type { Command } from "./command";
import { commonFlags, commonOptions, commonUsage, runCommand } from "./runCommon";
import { configPairs, requestFromArgs } from "./runRequest";

export const runCmd: Command = {
  name: "run",
  usage: `Usage: flowlens run FILE [--<parameter> VALUE ...] [options]

Runs the flow in FILE. The flow is checked first; any error stops the run before a task starts.
Parameters are given as --<name> VALUE.

Options:
${commonUsage}`,
  run: (args, io) =>
    runCommand(args, io, "run", (args) => {
      const parsed = parseArgs(args, { options: commonOptions, flags: commonFlags, pairs: configPairs }, true);
      return { request: requestFromArgs(parsed, "run"), json: parsed.flags.has("json") };
    }),
};
