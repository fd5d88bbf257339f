// `flowlens compare Flow/RUN_A Flow/RUN_B [--json] [--values]`, `flowlens compare Flow/RUN`
// (that run against the one before it) and `flowlens compare Flow` (the latest run against the
// one before): parameters, artifacts per step, durations, tags and code of two runs.

import { stringifyExact } from "../datastore/exactJson";
import { isDamagedData } from "../datastore/damaged";
import type { FlowDatastore } from "../datastore/layout";
import { resolvePythonDir } from "../executors/local/pythonDir";
import { compareTwoRuns, loadChangedValues, NotInStore, previousRun } from "../compare";
import { lastOption, parseArgs } from "./args";
import { UsageError, type Command } from "./command";
import { printComparison } from "./compareText";
import { NotFound, badRunComponent, openFlowDatastore, storeOptions } from "./pathspec";

export const compareCmd: Command = {
  name: "compare",
  usage: `Usage: flowlens compare Flow/RUN_A Flow/RUN_B [options]
       flowlens compare Flow/RUN        (RUN against the run before it)
       flowlens compare Flow            (the latest run against the one before it)

Compares two runs of a flow: parameters and configs, the artifacts of every step (same,
changed, or in one run only), each step's wall time, tags, and the code each run stored. "latest"
may stand for a run id. Same or changed is decided by the artifacts' hashes; nothing is loaded.
Runs made by Metaflow itself are read too.

Options:
  --json                    one JSON object (the comparison) instead of text
  --values                  also load every changed value (this unpickles the artifacts: use it
                            only on runs you trust) to show JSON differences and the statistics
                            of arrays and data frames (per column)
  --python PATH             the interpreter that loads values (default: $FLOWLENS_PYTHON, else python3)
  --datastore local|s3      where to read (default local)
  --datastore-root ROOT     a local folder or s3://bucket/prefix`,
  run: async (args, io) => {
    const parsed = parseArgs(args, { options: [...storeOptions, "python"], flags: ["json", "values"] }, false);
    try {
      const { flow, runs } = parseRuns(parsed.positional);
      const ds = await openFlowDatastore(parsed, io, flow);
      const [runA, runB] = await resolveRuns(ds, runs);
      const comparison = await compareTwoRuns(ds, runA, runB);
      let unloaded = 0;
      if (parsed.flags.has("values")) {
        const flowFile = comparison.b.file ?? comparison.a.file;
        unloaded = await loadChangedValues(comparison, {
          python: lastOption(parsed, "python") ?? io.env.FLOWLENS_PYTHON ?? "python3",
          pythonDir: resolvePythonDir(io.env),
          flow,
          env: ds.store.pythonEnvironment(),
          ...(flowFile ? { flowFile } : {}),
        }).catch((error: unknown) => {
          throw new NotFound(`--values: ${error instanceof Error ? error.message : String(error)}`);
        });
      }
      if (parsed.flags.has("json")) io.stdout(stringifyExact(comparison, 2) + "\n");
      else io.stdout(printComparison(comparison));
      if (unloaded > 0) io.stderr(`flowlens compare: ${unloaded} more changed values were not loaded (the first 200 were)\n`);
      for (const problem of comparison.problems) io.stderr(`flowlens compare: ${problem}; compared without it\n`);
      return comparison.problems.length > 0 ? 1 : 0;
    } catch (error) {
      if (error instanceof NotFound || error instanceof NotInStore || isDamagedData(error)) {
        io.stderr(`flowlens compare: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

/** `Flow`, `Flow/RUN` or `Flow/RUN_A Flow/RUN_B` (both of one flow). */
function parseRuns(positional: string[]): { flow: string; runs: string[] } {
  if (positional.length === 0) throw new UsageError("missing the runs: Flow/RUN_A Flow/RUN_B, Flow/RUN or Flow");
  if (positional.length > 2) throw new UsageError(`compare takes at most two runs, got ${positional.length}`);
  const specs = positional.map((p) => {
    const parts = p.split("/");
    if (parts.length > 2 || parts.some((x) => x === "")) throw new UsageError(`'${p}' is not Flow or Flow/RUN`);
    return { flow: parts[0] ?? "", run: parts[1] };
  });
  const flow = specs[0]?.flow ?? "";
  for (const spec of specs) {
    const bad = badRunComponent(spec.flow, spec.run ?? "latest");
    if (bad !== undefined) throw new UsageError(bad);
    if (spec.flow !== flow) throw new UsageError(`both runs must be of one flow, got ${flow} and ${spec.flow}`);
  }
  if (specs.length === 2 && specs.some((s) => s.run === undefined)) throw new UsageError("with two arguments, each must be Flow/RUN");
  return { flow, runs: specs.map((s) => s.run).filter((r): r is string => r !== undefined) };
}

/** [A, B]: the two runs given, or the run given (B) and the one before it (A); "latest" resolved. */
async function resolveRuns(ds: FlowDatastore, runs: string[]): Promise<[string, string]> {
  const resolve = async (run: string): Promise<string> => {
    if (run !== "latest") return run;
    const latest = await ds.latestRun();
    if (latest === undefined) throw new NotFound(`${ds.flow} has no runs in ${ds.describe()}`);
    return latest;
  };
  if (runs.length === 2) return [await resolve(runs[0] ?? ""), await resolve(runs[1] ?? "")];
  const b = await resolve(runs[0] ?? "latest");
  if (!(await ds.listRuns()).includes(b)) throw new NotFound(`${ds.flow} has no run ${b} in ${ds.describe()}`);
  const a = await previousRun(ds, b);
  if (a === undefined) throw new NotFound(`${ds.flow}/${b} is the first run of ${ds.flow} in ${ds.describe()}: there is no run before it to compare with`);
  return [a, b];
}
