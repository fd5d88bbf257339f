// `npm run chaos`: kill -9 + resume trials, corruption trials (bytes flipped, files truncated or
// emptied in blobs, data.json, previews.json, run.json, task records, attempt files) followed by
// dump, logs, resume and the Python client, and S3 outage trials against moto on loopback.
// Prints a table: trials, crashes, damaged runs reported as succeeded, stack traces, killed runs
// left "running". Options: --kill N --corrupt N --s3 N --seed S (defaults 50, 50, 6, 1).
import { seededRandom } from "../../support/random";
import { runChaos, type ChaosCounts } from "./session";

// The AWS SDK's Node-version warning is noise here too (runtime/src/cli/main.ts says why).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) {
    console.error(`chaos: --${name} needs a whole number, got ${process.argv[i + 1] ?? "nothing"}`);
    process.exit(2);
  }
  return value;
}

const counts: ChaosCounts = { kill: option("kill", 50), corrupt: option("corrupt", 50), s3: option("s3", 6) };
const seed = option("seed", 1);

async function main(): Promise<number> {
  const t0 = performance.now();
  const result = await runChaos(counts, seededRandom(seed), (line) => console.log(line));
  console.log("");
  console.log(result.table);
  console.log(`\nseed ${seed}, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return result.bad > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
