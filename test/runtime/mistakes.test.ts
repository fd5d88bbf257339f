// Ordinary mistakes get one clear line and exit 1 (2 for usage), never an internal error with a
// stack trace: a folder given as the flow file, pathspecs that leave the datastore or name what
// is not there, a read-only datastore, a flow file too large, not regular or not UTF-8.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { maxSourceBytes } from "../../server/src/parser/sourceFile";
import { flowlens, runIdOf, workspace, type CliRun } from "./cli";

const slow = { timeout: 120_000 };

function oneLine(r: CliRun, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? "", pattern);
}

void test("pathspecs outside the datastore or naming what does not exist: one line, exit 1", slow, async () => {
  const { dir, files } = workspace("examples/hello/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const run = runIdOf(r.events);
  oneLine(await flowlens(["dump", "../../etc/passwd"], dir), 1, /pathspec '\.\.\/\.\.\/etc\/passwd': '\.\.' is not a flow name/);
  oneLine(await flowlens(["logs", "../../etc/passwd"], dir), 1, /'\.\.' is not a flow name/);
  oneLine(await flowlens(["logs", `HelloFlow/${run}/_flowlens/run.json`], dir), 1, /'_flowlens' is not a step name/);
  oneLine(await flowlens(["logs", `HelloFlow/${run}/start/999`], dir), 1, new RegExp(`HelloFlow/${run}/start has no task 999 \\(its tasks: \\d+\\)`));
  oneLine(await flowlens(["logs", `HelloFlow/${run}/start/..`], dir), 1, /'\.\.' is not a task id/);
  oneLine(await flowlens(["dump", `HelloFlow/${run}/nosuch`], dir), 1, /no tasks at HelloFlow\/\d+\/nosuch .*its steps: /);
});

void test("run of a folder, and run into a read-only datastore: one line each, before any task", slow, async () => {
  const { dir, files } = workspace("examples/hello/flow.py");
  oneLine(await flowlens(["run", join(dir, "f0")], dir), 1, /f0: it is a folder, not a file/);
  const metaflow = join(dir, ".metaflow");
  // Permission bits do not stop root: an immutable folder does (chattr), as a read-only mount would.
  const locked = spawnSync("chattr", ["+i", metaflow]).status === 0;
  if (!locked) spawnSync("chmod", ["a-w", metaflow]);
  try {
    const r = await flowlens(["run", files[0] ?? "", "--json"], dir);
    assert.equal(r.code, 1, r.stderr);
    const refused = r.events.find((e) => e.type === "run-refused");
    assert.match(refused?.type === "run-refused" ? refused.headline : "", /cannot write to the datastore folder .*\.metaflow: it is read-only \((EPERM|EACCES|EROFS)\)/);
    assert.equal(r.events.filter((e) => e.type === "task-state").length, 0, "no task started");
  } finally {
    if (locked) spawnSync("chattr", ["-i", metaflow]);
    else spawnSync("chmod", ["u+w", metaflow]);
  }
});

void test("check refuses a device, an oversized file, and reports a file that is not UTF-8 as FL000", slow, async () => {
  const { dir } = workspace();
  oneLine(await flowlens(["check", "/dev/zero"], dir), 1, /^\/dev\/zero: error: cannot read the file: it is not a regular file/);
  const big = join(dir, "big.py");
  writeFileSync(big, "#".repeat(maxSourceBytes + 10));
  oneLine(await flowlens(["check", big], dir), 1, /big\.py: error: cannot read the file: it is 8\.1 MiB, over the 8 MiB limit for a flow file/);
  rmSync(big);
  const latin = join(dir, "latin.py");
  writeFileSync(latin, Buffer.concat([Buffer.from("from metaflow import FlowSpec\n# caf"), Buffer.from([0xe9]), Buffer.from("\n")]));
  const c = await flowlens(["check", latin, "--json"], dir);
  assert.equal(c.code, 1);
  const report = JSON.parse(c.stdout) as { files: { diagnostics: { code: string; line: number; column: number; message: string }[] }[] };
  const d = report.files[0]?.diagnostics[0];
  assert.deepEqual([d?.code, d?.line, d?.column], ["FL000", 2, 6]);
  assert.match(d?.message ?? "", /not valid UTF-8 \(byte 0xE9 at offset 35\): Python refuses to run it/);
  // With a coding line, Python reads it; so does check.
  writeFileSync(latin, Buffer.concat([Buffer.from("# -*- coding: latin-1 -*-\nx = 'caf"), Buffer.from([0xe9]), Buffer.from("'\n")]));
  assert.equal((await flowlens(["check", latin], dir)).code, 0);
});

void test("an integer parameter above 2^53 stays exact in the CLI, run.json and dump --json", slow, async () => {
  const { dir } = workspace();
  const flow = join(dir, "big_flow.py");
  writeFileSync(flow, 'from metaflow import FlowSpec, Parameter, step\n\n\nclass BigFlow(FlowSpec):\n    seed = Parameter("seed", type=int, default=1)\n\n    @step\n    def start(self):\n        self.twice = self.seed * 2\n        self.next(self.end)\n\n    @step\n    def end(self):\n        pass\n\n\nif __name__ == "__main__":\n    BigFlow()\n');
  const big = "9007199254740993";
  const r = await flowlens(["run", flow, "--seed", big], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`parameters: seed=${big}\\b`));
  const record = readFileSync(join(dir, ".metaflow", "BigFlow", "1", "_flowlens", "run.json"), "utf8");
  assert.match(record, new RegExp(`"seed": ${big}\\b`));
  const d = await flowlens(["dump", "BigFlow/1/start", "--json"], dir);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, new RegExp(`"value": ${big}\\b`));
  assert.match(d.stdout, /"value": 18014398509481986\b/);
  // Without latest_run, "latest" is still the highest run.
  rmSync(join(dir, ".metaflow", "BigFlow", "latest_run"));
  const latest = await flowlens(["dump", "BigFlow/latest/start"], dir);
  assert.equal(latest.code, 0, latest.stderr);
  assert.match(latest.stdout, /BigFlow\/1\/start\/\d+ \(attempt 0\)/);
});
