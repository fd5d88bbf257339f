// Remote figures, against loopback servers started here (moto_server and s3rver for S3, the Batch
// fixture server for Batch):
//  1. S3ObjectStore save+load of one large object (1 GiB by default) vs a plain SDK
//     PutObject/GetObject of the same bytes (ratio: our throughput over plain; target >= 0.8),
//     on both servers, warm-up first, rounds alternating the order, medians (remote/s3large.ts).
//  2. Python `S3.get_many` of 1,000 small and 10 large objects vs a plain boto3 loop (target >= 3x
//     for small), on both servers, direct and behind 20 ms of injected latency (remote/pythonBulk.ts).
//  3. Re-running a Batch task whose code package is unchanged (no re-upload) vs the first run.
// Figures are printed, never asserted; a missed target is printed with its measured cause.
// Run: node --import tsx test/bench/remote.bench.ts [--mb 1024] [--rounds 3] [--latency 20]
//        [--server moto|s3rver] [--only s3|python|batch]
// (or FLOWLENS_BENCH_MB / _ROUNDS / _LATENCY / _SERVER / _ONLY with `npm run bench -- remote`, which passes no flags).
import { Outputs, spec, startBatchEnv } from "../remote/batchEnv";
import { option, secs, servers, timed } from "./remote/common";
import { largeObject } from "./remote/s3large";
import { pythonBulk } from "./remote/pythonBulk";

async function batchRerun(): Promise<void> {
  const env = await startBatchEnv("bench-batch");
  try {
    const signal = new AbortController().signal;
    const first = env.executor({ pollMinMs: 10, pollMaxMs: 50 });
    const [t1, r1] = await timed(() => first.runTask(spec("_parameters", "0", [], {}, "1"), new Outputs().sink, signal));
    const second = env.executor({ pollMinMs: 10, pollMaxMs: 50 });
    const [t2, r2] = await timed(() => second.runTask(spec("_parameters", "0", [], {}, "2"), new Outputs().sink, signal));
    const third = env.executor({ pollMinMs: 10, pollMaxMs: 50 });
    const [t3] = await timed(() => third.runTask(spec("_parameters", "0", [], {}, "3"), new Outputs().sink, signal));
    const size = first.uploads[0]?.size ?? 0;
    console.log(`Batch task, first run (package ${(size / 1024).toFixed(0)} KB uploaded, job definition registered): ${secs(t1)} ok=${r1.ok}`);
    console.log(`Batch task, re-run with unchanged code (uploads: ${second.uploads.length + third.uploads.length}, definitions registered: ${env.batch.calls.filter((c) => c.operation === "registerjobdefinition").length}): ${secs(t2)}, ${secs(t3)} ok=${r2.ok}`);
    console.log("  (the fixture's container start is a local python3 process: most of each figure is the bootstrap + harness, not the launcher)");
  } finally {
    await env.stop();
  }
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--only");
  const only = at >= 0 ? process.argv[at + 1] : process.env.FLOWLENS_BENCH_ONLY;
  const rounds = option("rounds", 3);
  if (!only || only === "s3") for (const name of servers()) await largeObject(name, option("mb", 1024), rounds);
  if (!only || only === "python") {
    for (const name of servers()) {
      await pythonBulk(name, 0, rounds);
      await pythonBulk(name, option("latency", 20), rounds);
    }
  }
  if (!only || only === "batch") await batchRerun();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
