// `flowlens run FILE [--<param> VALUE ...]`: analyse, refuse on any check error, then run.

import { parseArgs } from "./args";
import type { Command } from "./command";
import { configPairs } from "./flowOptions";
import { resolveParameters } from "./params";
import { RunRefused } from "./refuse";
import { commonFlags, commonOptions, commonUsage, runCommand } from "./runCommon";

export const runCmd: Command = {
  name: "run",
  usage: `Usage: flowlens run FILE [--<parameter> VALUE ...] [options]

Runs the flow in FILE. The flow is checked first; any error stops the run before a task starts.
Parameters are given as --<name> VALUE.

Options:
${commonUsage}`,
  run: (args, io) => {
    const parsed = parseArgs(args, { options: commonOptions, flags: commonFlags, pairs: configPairs }, true);
    return runCommand(parsed, io, "run", (p) => {
      const params = resolveParameters(p.flow.parameters, parsed.extra, io.cwd, (param) => p.where(param.span.start), io.env);
      if (params.problems.length > 0) {
        const headline = params.problems.length === 1 ? (params.problems[0]?.message ?? "bad parameter") : `${params.problems.length} problems with the parameters of ${p.flow.name}`;
        throw new RunRefused(headline, params.problems, 2);
      }
      return { parameters: { given: params.given, json: params.json } };
    });
  },
};
