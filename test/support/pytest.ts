// Runs a pytest suite from a Node test, so `npm test` includes the Python side's own tests, and
// checks that it really ran: a suite that collected too little or skipped tests is not green.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";

export const repoRoot = join(__dirname, "..", "..");

export interface PytestOptions {
  /** Paths relative to the repository root. */
  paths: string[];
  /** Fewer passing tests than this fails the check. */
  minPassed: number;
  env?: Record<string, string>;
}

export async function assertPytestPasses(o: PytestOptions): Promise<void> {
  const args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", ...o.paths];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    // Asynchronous on purpose: servers the test started (moto) are drained by this event loop.
    const child = spawn("python3", args, {
      cwd: repoRoot,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", ...o.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.on("error", reject);
    child.on("close", (exit) => resolve({ code: exit, output: text }));
  });
  assert.equal(code, 0, `python3 ${args.join(" ")} failed (exit ${String(code)}):\n${output}`);
  const summary = /(\d+) passed/.exec(output);
  assert.ok(summary !== null && Number(summary[1]) >= o.minPassed, `expected at least ${o.minPassed} passing tests:\n${output}`);
  assert.doesNotMatch(output, /\bskipped\b/, `tests were skipped:\n${output}`);
}
