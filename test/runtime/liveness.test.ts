// A run whose process is killed (-9) shows as crashed, not "running" forever, and can always be
// resumed: even when it was killed before its parameters task finished.

import assert from "node:assert/strict";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { artifact, datastore, finished, flowlens, runIdOf, start, workspace } from "./cli";

const slow = { timeout: 120_000 };

/** Starts a run and kills its process with SIGKILL once `when` says so; returns the killed run's id. */
async function killedRun(dir: string, file: string, args: string[], when: (e: { type: string; step?: string }) => boolean, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const running = start(["run", file, "--json", ...args], dir, env);
  let run = "";
  running.onEvent((e) => {
    if (e.type === "run-started") run = e.runId;
    const step = e.type === "task-state" ? e.task.step : undefined;
    if (when({ type: e.type, ...(e.type === "task-state" && e.state === "running" && step !== undefined ? { step } : {}) })) running.child.kill("SIGKILL");
  });
  const r = await running.done;
  assert.equal(r.code, null, "killed");
  assert.ok(run, "the run started");
  return run;
}

void test("a run killed with -9 reads as crashed (CLI, datastore reader) and resume completes it", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const file = files[0] ?? "";
  const run = await killedRun(dir, file, ["--count", "3", "--max-workers", "1"], (e) => e.step === "work", { FRAGILE_SLEEP: "30" });
  const ds = datastore(dir, "FragileFlow");
  const record = await ds.readRunRecord(run);
  assert.equal(record?.status, "running", "the record never got its end");
  const state = await ds.runState(run, record ?? assert.fail("no record"));
  assert.equal(state.state, "crashed");
  assert.match(state.reason ?? "", /process \d+ on .* is gone/);

  const logs = await flowlens(["logs", `FragileFlow/${run}/start`, "--stream"], dir);
  assert.equal(logs.code, 0);
  assert.match(logs.stderr, new RegExp(`run FragileFlow/${run} crashed .*flowlens resume`));

  const r = await flowlens(["resume", file, "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await artifact(ds, runIdOf(r.events), "end", "total"), 0 + 1 + 4);
});

void test("a run killed before its parameters were stored is resumed with the parameters of its run record", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const file = files[0] ?? "";
  const run = await killedRun(dir, file, ["--count", "2"], (e) => e.type === "run-started");
  // Whether the parameters task got to finish before the kill is a race: make it certain that it did not.
  const params = join(dir, ".metaflow", "FragileFlow", run, "_parameters", "0");
  for (const f of (existsSync(params) ? readdirSync(params, { withFileTypes: true }) : []).filter((e) => e.name.endsWith("DONE.lock"))) rmSync(join(params, f.name));
  const r = await flowlens(["resume", file, "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /never stored/);
  assert.equal(finished(r.events)?.status, "succeeded");
  const note = r.events.find((e) => e.type === "log" && e.task.step === "_parameters");
  assert.match(note?.type === "log" ? note.line : "", /stopped before its parameters were stored; storing them again from its run record/);
  const ds = datastore(dir, "FragileFlow");
  assert.equal(await artifact(ds, runIdOf(r.events), "end", "total"), 0 + 1, "count=2 from the killed run, not the default 3");
});
