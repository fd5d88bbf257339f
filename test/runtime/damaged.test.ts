// Damaged data with real Python: `resume` re-runs a task whose data is damaged (and says which
// file), never copies it into a run that succeeds; `dump` and `resume` name a damaged file in one
// line, exit 1, and print no stack trace.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { artifact, datastore, finished, flowlens, runIdOf, workspace, type CliRun } from "./cli";

const slow = { timeout: 120_000 };

async function fragileRun(): Promise<{ dir: string; file: string; run: string }> {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const file = files[0] ?? "";
  const r = await flowlens(["run", file, "--json", "--count", "3"], dir);
  assert.equal(r.code, 0, r.stderr);
  return { dir, file, run: runIdOf(r.events) };
}

function taskFile(dir: string, run: string, step: string, task: string, suffix: string): string {
  const folder = join(dir, ".metaflow", "FragileFlow", run, step, task);
  const name = readdirSync(folder).find((f) => f.endsWith(suffix));
  assert.ok(name, `${folder} has a ${suffix}`);
  return join(folder, name);
}

/** One line on stderr, no stack trace, no "internal error". */
function oneCleanLine(r: CliRun): void {
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, r.stderr);
  assert.notEqual(r.code, 70);
}

function rerunNotes(r: CliRun): string[] {
  return r.events.flatMap((e) => (e.type === "log" && /not reusing task/.test(e.line) ? [`${e.task.step}: ${e.line}`] : []));
}

void test("resume runs again a task whose artifact blob is damaged, says which file, and the new run's data is whole", slow, async () => {
  const { dir, file, run } = await fragileRun();
  const ds = datastore(dir, "FragileFlow");
  const tasks = await ds.listTasks(run, "work");
  const victim = tasks[2] ?? "";
  const data = await ds.readDataJson(run, "work", victim, 0);
  const sha = data?.objects.square ?? "";
  const blob = join(dir, ".metaflow", "FragileFlow", "data", sha.slice(0, 2), sha);
  const bytes = readFileSync(blob);
  bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff;
  writeFileSync(blob, bytes);

  const r = await flowlens(["resume", file, "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const notes = rerunNotes(r);
  assert.equal(notes.length, 1, JSON.stringify(notes));
  assert.match(notes[0] ?? "", new RegExp(`^work: .*${run}/work/${victim}.*${sha}.*damaged`));
  const again = runIdOf(r.events);
  const ran = r.events.flatMap((e) => (e.type === "task-state" && e.state === "running" ? [e.task.step] : []));
  assert.deepEqual(ran, ["work", "join", "end"], "the damaged task and what read it run again");
  assert.equal(await artifact(ds, again, "end", "total"), 0 + 1 + 4);
  const dumped = await flowlens(["dump", `FragileFlow/${again}/work`, "--json"], dir);
  assert.equal(dumped.code, 0, dumped.stderr);
  assert.ok(readFileSync(blob).length > 0 && (await ds.readBlob(sha))?.length === data?.info.square?.size, "the blob was stored whole again");
});

void test("resume runs again a task whose data.json is truncated or whose task record does not parse", slow, async () => {
  const { dir, file, run } = await fragileRun();
  const ds = datastore(dir, "FragileFlow");
  const [first = "", second = ""] = await ds.listTasks(run, "work");
  truncateSync(taskFile(dir, run, "work", first, ".data.json"), 40);
  writeFileSync(join(dir, ".metaflow", "FragileFlow", run, "_flowlens", "tasks", `work.${second}.json`), "{not json");

  const r = await flowlens(["resume", file, "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  oneCleanLine(r);
  const notes = rerunNotes(r);
  assert.equal(notes.length, 2, JSON.stringify(notes));
  assert.ok(notes.some((n) => /\.data\.json is damaged: not valid JSON/.test(n)), JSON.stringify(notes));
  assert.ok(notes.some((n) => new RegExp(`work\\.${second}\\.json is damaged`).test(n)), JSON.stringify(notes));
  assert.equal(finished(r.events)?.status, "succeeded");
  assert.equal(await artifact(ds, runIdOf(r.events), "end", "total"), 0 + 1 + 4);
});

void test("dump names a damaged data.json or previews.json in one line, exits 1, and shows what still reads", slow, async () => {
  const { dir, run } = await fragileRun();
  const ds = datastore(dir, "FragileFlow");
  const [first = "", second = ""] = await ds.listTasks(run, "work");
  writeFileSync(taskFile(dir, run, "work", first, ".data.json"), "\u0000\u0001garbage");
  const d = await flowlens(["dump", `FragileFlow/${run}/work`], dir);
  assert.equal(d.code, 1);
  oneCleanLine(d);
  assert.match(d.stderr, new RegExp(`work/${first}/0\\.data\\.json is damaged: not valid JSON.*flowlens logs FragileFlow/${run}/work/${first}`));
  assert.match(d.stdout, new RegExp(`FragileFlow/${run}/work/${second} \\(attempt 0\\)\\n(  .*\\n)*  square `), "the other tasks are still shown");

  writeFileSync(taskFile(dir, run, "work", second, ".previews.json"), '{"square": ');
  const p = await flowlens(["dump", `FragileFlow/${run}/work/${second}`, "--json"], dir);
  assert.equal(p.code, 1);
  oneCleanLine(p);
  assert.match(p.stderr, /previews\.json is damaged.*shown without previews/);
  const shown = JSON.parse(p.stdout) as Record<string, { artifacts: Record<string, { size: number }> }>;
  assert.ok((shown[`FragileFlow/${run}/work/${second}`]?.artifacts.square?.size ?? 0) > 0, "names and sizes come from data.json");
});

void test("resume of a run whose run.json is damaged says so in one line and exits 1", slow, async () => {
  const { dir, file, run } = await fragileRun();
  writeFileSync(join(dir, ".metaflow", "FragileFlow", run, "_flowlens", "run.json"), '{"flow": "FragileFlow", "run_');
  const r = await flowlens(["resume", file], dir);
  assert.equal(r.code, 1);
  oneCleanLine(r);
  assert.match(r.stderr, /cannot be resumed: its run record is damaged/);
  assert.match(r.stderr, /run\.json is damaged: not valid JSON/);
  const logs = await flowlens(["logs", `FragileFlow/${run}/end`], dir);
  assert.equal(logs.code, 0, "its logs still read");
  assert.match(logs.stdout, /total 5/);
});

void test("resume STEP checks the tasks it reuses before STEP too", slow, async () => {
  const { dir, file, run } = await fragileRun();
  const ds = datastore(dir, "FragileFlow");
  const [first = ""] = await ds.listTasks(run, "work");
  writeFileSync(taskFile(dir, run, "work", first, ".DONE.lock"), "{");
  const r = await flowlens(["resume", file, "join", "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(rerunNotes(r).join("\n"), new RegExp(`^work: .*${run}/work/${first}: .*0\\.DONE\\.lock is damaged`));
  const ran = r.events.flatMap((e) => (e.type === "task-state" && e.state === "running" ? [e.task.step] : []));
  assert.deepEqual(ran, ["work", "join", "end"]);
  assert.equal(await artifact(ds, runIdOf(r.events), "end", "total"), 0 + 1 + 4);
});
