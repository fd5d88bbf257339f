// `flowlens resume FILE [STEP] [--origin-run-id ID]`: a new run that reuses the origin run's
// finished tasks before STEP (all finished tasks when STEP is omitted) and runs the rest.

import { lastOption, parseArgs } from "./args";
import { UsageError, type Command } from "./command";
import { commonFlags, commonOptions, commonUsage, runCommand } from "./runCommon";
import { configPairs, requestFromArgs } from "./runRequest";

export const resumeCmd: Command = {
  name: "resume",
  usage: `Usage: flowlens resume FILE [STEP] [--origin-run-id ID] [options]

Starts a new run that clones every finished task of the origin run (default: the latest run)
that comes before STEP, and runs STEP and everything after it. Without STEP, every finished
task is reused and only what failed or never ran is run. Parameters come from the origin run.

Options:
  --origin-run-id ID     the run to reuse (default: the latest)
${commonUsage}`,
  run: (args, io) =>
    runCommand(args, io, "resume", (args) => {
      const parsed = parseArgs(args, { options: [...commonOptions, "origin-run-id"], flags: commonFlags, pairs: configPairs }, false);
      if (parsed.positional.length > 2) throw new UsageError(`unexpected argument '${parsed.positional[2] ?? ""}'`);
      const step = parsed.positional[1];
      const origin = lastOption(parsed, "origin-run-id");
      const request = requestFromArgs(parsed, "resume", { ...(step !== undefined ? { step } : {}), ...(origin !== undefined ? { originRunId: origin } : {}) });
      return { request, json: parsed.flags.has("json") };
    }),
};
