// `flowlens python-path`: the folder to put first on PYTHONPATH so that `python flow.py run` (and
// `from metaflow import ...` in scripts and notebooks) use Flowlens:
//   export PYTHONPATH="$(flowlens python-path):$PYTHONPATH"

import { resolvePythonDir } from "../executors/local/pythonDir";
import { UsageError, type Command } from "./command";

export const pythonPathCommand: Command = {
  name: "python-path",
  usage: `Usage: flowlens python-path

Prints the folder of Flowlens's Python package (its \`metaflow\` and \`flowlens\` modules). Put it
first on PYTHONPATH and \`python flow.py run\` runs the flow with Flowlens:

  export PYTHONPATH="$(flowlens python-path):$PYTHONPATH"`,
  run: (args, io) => {
    if (args.length > 0) throw new UsageError(`python-path takes no argument '${args[0] ?? ""}'`);
    io.stdout(resolvePythonDir(io.env) + "\n");
    return Promise.resolve(0);
  },
};
