// A short chaos session (npm run chaos runs the long one): kill -9 + resume, corruption of the
// datastore's files then dump, logs, resume and the Python client, and an S3 outage against moto.
// Nothing may crash, print a stack trace, report damaged data as a success, or leave a killed run
// reading as "running".
import assert from "node:assert/strict";
import { test } from "node:test";
import { seededRandom } from "../support/random";
import { runChaos } from "../bench/chaos/session";

void test("short chaos: zero crashes, zero damaged runs reported as succeeded, zero stack traces", { timeout: 600_000 }, async () => {
  const lines: string[] = [];
  const result = await runChaos({ kill: 1, corrupt: 3, s3: 1 }, seededRandom(11), (line) => lines.push(line));
  assert.equal(result.outcomes.length, 5);
  assert.equal(result.bad, 0, `${result.table}\n${lines.join("\n")}`);
});
