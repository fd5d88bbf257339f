// `flowlens step FILE STEP [--origin-run-id ID]`: runs one step again on an earlier run's
// inputs, into a new run (what "Run step" in the editor calls). Nothing after STEP runs.

import { lastOption, parseArgs } from "./args";
import { UsageError, type Command } from "./command";
import { commonFlags, commonOptions, commonUsage, runCommand } from "./runCommon";
import { requestFromArgs } from "./runRequest";

export const stepCmd: Command = {
  name: "step",
  usage: `Usage: flowlens step FILE STEP [--origin-run-id ID] [options]

Starts a new run that reuses the origin run's (default: the latest run's) tasks before STEP
and runs only STEP's tasks on them.

Options:
  --origin-run-id ID     the run whose inputs to use (default: the latest)
${commonUsage}`,
  run: (args, io) =>
    runCommand(args, io, "step", (args) => {
      const parsed = parseArgs(args, { options: [...commonOptions, "origin-run-id"], flags: commonFlags }, false);
      const step = parsed.positional[1];
      if (step === undefined) throw new UsageError("missing the step to run");
      if (parsed.positional.length > 2) throw new UsageError(`unexpected argument '${parsed.positional[2] ?? ""}'`);
      const origin = lastOption(parsed, "origin-run-id");
      return { request: requestFromArgs(parsed, "step", { step, ...(origin !== undefined ? { originRunId: origin } : {}) }), json: parsed.flags.has("json") };
    }),
};
