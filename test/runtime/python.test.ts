// Runs the pytest suite of the bundled Python side (test/runtime/python: the Metaflow-compatible
// API, the task harness, the datastore format of runtime/README.md, the worker protocol), so
// `npm test` includes it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";

const repoRoot = join(import.meta.dirname, "..", "..");

function runPytest(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "test/runtime/python"], {
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

void test("Python side: pytest suite of the API, harness, datastore format and worker", { timeout: 240_000 }, async () => {
  const { code, output } = await runPytest();
  assert.equal(code, 0, `python3 -m pytest -q test/runtime/python failed (exit ${String(code)}):\n${output}`);
  const summary = /(\d+) passed/.exec(output);
  assert.ok(summary !== null && Number(summary[1]) >= 25, `expected at least 25 passing tests:\n${output}`);
  assert.doesNotMatch(output, /\bskipped\b/, `tests were skipped:\n${output}`);
});
