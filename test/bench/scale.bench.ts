// Scale figures, each printed with the machine's load average (on a shared machine every figure
// is noisy). Groups, all by default; FLOWLENS_SCALE_ONLY=wide,joins,s3,s3tool,analysis picks some.
//   wide      N-way foreach of trivial tasks, the whole run through the CLI (FLOWLENS_SCALE_SIZES,
//             default 100,1000,10000,20000): time, per-task cost, the CLI's peak memory and the heap
//             it keeps at the join's start (bytes a task between sizes: flat memory), datastore bytes
//             a task, the join over N inputs; then where a task's time goes (targets: 10,000 tasks
//             in 20 s, flat per-task cost, < 10 KB a task, the 10,000-input join < 2 s).
//             FLOWLENS_SCALE_CLI=path/to/bin/flowlens.js measures another build's CLI (before/after).
//   joins     the join task alone over FLOWLENS_SCALE_JOIN inputs (default 10,000) reading one artifact
//             of each (target < 2 s), and merge_artifacts over FLOWLENS_SCALE_MERGE (default 1,000;
//             target < 1 s), alone and in a run through the CLI
//   s3        a large artifact (FLOWLENS_SCALE_MIB, default 256: 1 GiB takes too long on 2 shared cores) saved and loaded through
//             S3ObjectStore vs the SDK's Upload + ranged parallel GET, on moto and s3rver
//             (FLOWLENS_SCALE_ROUNDS, default 3; target ratio >= 1.0)
//   s3tool    the Python S3 tool reading one object of FLOWLENS_SCALE_MIB as parallel ranges vs one GET
//             (both groups: FLOWLENS_SCALE_SERVERS=s3rver or moto for one server)
//   analysis  a 5,000-line file: parse vs the work beyond it (target < 50 %), edit p95 (< 5 ms)
//   editor    the extension's run-event handling fed a wide run's events at full rate
//             (FLOWLENS_SCALE_EDITOR, default 10000 tasks): the longest event-loop block (< 50 ms)
// Figures are printed, never asserted.
import { analysisScale } from "./scale/analysis";
import { editorRun } from "./scale/editor";
import { printBreakdown } from "./scale/breakdown";
import { joinTask, mergeArtifacts } from "./scale/joins";
import { pythonRangedGet } from "./scale/s3ranged";
import { s3AgainstSdk } from "./scale/s3sdk";
import { printMemory, printWide, removeRuns, wideRun, type WideRun } from "./scale/wide";

// The AWS SDK's Node-version warning is noise here too (runtime/src/cli/main.ts says why).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

function selected(group: string): boolean {
  const only = process.env.FLOWLENS_SCALE_ONLY;
  return only === undefined || only === "" || only.split(",").includes(group);
}

/** The S3 servers of the s3 and s3tool groups: FLOWLENS_SCALE_SERVERS=s3rver or moto picks one. */
function servers(): ("s3rver" | "moto")[] {
  const only = process.env.FLOWLENS_SCALE_SERVERS;
  return (["s3rver", "moto"] as const).filter((s) => only === undefined || only === "" || only.split(",").includes(s));
}

const numbers = (name: string, fallback: string): number[] =>
  (process.env[name] ?? fallback)
    .split(",")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);

async function main(): Promise<void> {
  if (selected("wide")) {
    const runs: WideRun[] = [];
    try {
      for (const n of numbers("FLOWLENS_SCALE_SIZES", "100,1000,10000,20000")) {
        const previous = runs.at(-1);
        const run = await wideRun(n);
        runs.push(run);
        printWide(run);
        printMemory(run, previous);
      }
      const largest = runs.at(-1);
      if (largest) printBreakdown(largest);
    } finally {
      removeRuns(runs);
    }
  }
  if (selected("joins")) {
    for (const n of numbers("FLOWLENS_SCALE_JOIN", "10000")) joinTask(n, "read");
    for (const n of numbers("FLOWLENS_SCALE_MERGE", "1000")) {
      joinTask(n, "merge");
      mergeArtifacts(n);
    }
  }
  if (selected("s3")) {
    const [mib = 256] = numbers("FLOWLENS_SCALE_MIB", "256");
    const [rounds = 3] = numbers("FLOWLENS_SCALE_ROUNDS", "3");
    for (const name of servers()) {
      // A loopback server that gives way under load is a missing figure, said so, not a crash of the other groups.
      await s3AgainstSdk(name, mib, rounds).catch((error: unknown) => console.log(`S3 ${mib} MiB on ${name}: not measured: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
  if (selected("s3tool")) {
    const [mib = 256] = numbers("FLOWLENS_SCALE_MIB", "256");
    const [rounds = 3] = numbers("FLOWLENS_SCALE_ROUNDS", "3");
    for (const name of servers()) {
      await pythonRangedGet(name, mib, rounds).catch((error: unknown) => console.log(`Python S3 tool ${mib} MiB on ${name}: not measured: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
  if (selected("analysis")) await analysisScale();
  if (selected("editor")) for (const n of numbers("FLOWLENS_SCALE_EDITOR", "10000")) await editorRun(n);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
