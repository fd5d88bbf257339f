// Runs the client API's pytest suite (runtime/python/tests/client) so `npm test` includes it.
// The suite builds datastores by hand exactly as runtime/README.md lays them out, and talks to
// moto_server on loopback for S3; see docs/client-api.md.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";

const repoRoot = join(import.meta.dirname, "..", "..");

interface Outcome {
  code: number | null;
  output: string;
}

function runPytest(): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "runtime/python/tests/client"], {
      cwd: repoRoot,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

void test("client API: pytest suite over hand-built local, Metaflow-written and S3 datastores", { timeout: 240_000 }, async () => {
  const { code, output } = await runPytest();
  assert.equal(code, 0, `python3 -m pytest -q runtime/python/tests/client failed (exit ${String(code)}):\n${output}`);
  // A suite that collected nothing, or skipped its S3 half, must not pass as green.
  const summary = /(\d+) passed/.exec(output);
  assert.ok(summary !== null && Number(summary[1]) >= 30, `expected at least 30 passing tests:\n${output}`);
  assert.doesNotMatch(output, /\bskipped\b/, `tests were skipped:\n${output}`);
});
