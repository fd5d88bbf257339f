// Stored task logs in every format a datastore may hold (mflog as Flowlens and Metaflow write
// it, the `[ISO] text` lines of earlier Flowlens versions, lines with no stamp) read back by the
// datastore layer, the Batch log tail and `flowlens logs`.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { logsCmd } from "../../../runtime/src/cli/logs";
import { FlowDatastore } from "../../../runtime/src/datastore/layout";
import { logText, mergeLogSources, parseLogText, parseStoredLine } from "../../../runtime/src/datastore/logLines";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import { parseLogLine } from "../../../runtime/src/executors/batch/logTail";

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const mf = (stamp: string, source: string, id: string, text: string): string => `[MFLOG|0|${stamp}Z|${source}|${id}]${text}\n`;

void test("an mflog line gives its text exactly and its time stamp; so does an earlier Flowlens line", () => {
  assert.deepEqual(parseStoredLine("[MFLOG|0|2026-12-03T15:00:00.123456Z|runtime|ab12-1]  x] |y| [z]"), {
    text: "  x] |y| [z]",
    stamp: "2026-12-03T15:00:00.123456Z",
    ts: Date.UTC(2026, 11, 3, 15, 0, 0, 123),
  });
  assert.deepEqual(parseStoredLine("[!" + "[MFLOG|0|2026-12-03T15:00:00.000000Z|task|e7d1]"), { text: "", stamp: "2026-12-03T15:00:00.000000Z", ts: Date.UTC(2026, 11, 3, 15) });
  assert.deepEqual(parseStoredLine("[2026-12-03T15:00:01.500000Z] hello"), { text: "hello", stamp: "2026-12-03T15:00:01.500000Z", ts: Date.UTC(2026, 11, 3, 15, 0, 1, 500) });
  // No stamp, or one that is not a time: the whole line is text.
  assert.deepEqual(parseStoredLine("Traceback (most recent call last):"), { text: "Traceback (most recent call last):" });
  assert.deepEqual(parseStoredLine("[MFLOG|0|yesterdayZ|task|1]x"), { text: "[MFLOG|0|yesterdayZ|task|1]x" });
  // A line the task printed that looks like a stamp stays the task's text.
  assert.equal(parseStoredLine("[MFLOG|0|2026-12-03T15:00:00.000000Z|runtime|1][2026-01-01T00:00:00Z] shown as printed").text, "[2026-01-01T00:00:00Z] shown as printed");
});

void test("sources merge by time; a line without a stamp stays after the line before it", () => {
  const task = parseLogText(mf("2026-12-03T15:00:00.000010", "task", "t1", "task 1") + mf("2026-12-03T15:00:00.003000", "task", "t2", "task 2") + "continued\n");
  const runtime = parseLogText(mf("2026-12-03T15:00:00.002000", "runtime", "r1", "runtime 1"));
  assert.deepEqual(mergeLogSources([runtime, task]).map((l) => l.text), ["task 1", "runtime 1", "task 2", "continued"]);
  assert.deepEqual(mergeLogSources([task]).map((l) => l.text), ["task 1", "task 2", "continued"], "one source keeps its file order");
});

void test("the Batch tail reads mflog lines and earlier Flowlens lines; a line without a stamp gets the current time", () => {
  const now = Date.now();
  assert.deepEqual(parseLogLine("stdout", "[MFLOG|0|2026-12-03T15:00:00.250000Z|task|ff-3]step 3"), { kind: "log", stream: "stdout", line: "step 3", ts: Date.UTC(2026, 11, 3, 15, 0, 0, 250) });
  assert.deepEqual(parseLogLine("stderr", "[2026-12-03T15:00:00.250Z] warn"), { kind: "log", stream: "stderr", line: "warn", ts: Date.UTC(2026, 11, 3, 15, 0, 0, 250) });
  const bare = parseLogLine("stdout", "plain");
  assert.ok(bare.kind === "log" && bare.line === "plain" && bare.ts >= now, JSON.stringify(bare));
});

/** Three tasks of one step: mflog as Flowlens writes it, the earlier `[ISO] text` format, and a Metaflow run's two sources. */
async function threeFormats(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "flowlens-logs-"));
  made.push(root);
  const store = new LocalObjectStore(root);
  const put = (key: string, body: string): Promise<void> => store.put(`LogFlow/7/${key}`, body);
  for (const task of ["1", "2", "3"]) await put(`start/${task}/0.attempt.json`, JSON.stringify({ time: 1 }));
  await put("start/1/0.runtime_stdout.log", mf("2026-12-03T15:00:00.000001", "runtime", "a-1", "new format") + mf("2026-12-03T15:00:00.000002", "runtime", "a-2", ""));
  await put("start/1/0.runtime_stderr.log", mf("2026-12-03T15:00:00.000003", "runtime", "b-1", "[flowlens] stderr truncated: the task printed more than 400 bytes"));
  await put("start/2/0.runtime_stdout.log", "[2026-12-03T15:00:01.000000Z] old format\n[2026-12-03T15:00:01.100000Z] second\n");
  await put("start/3/0.task_stdout.log", mf("2026-12-03T15:00:02.000000", "task", "c-1", "from the task") + mf("2026-12-03T15:00:02.200000", "task", "c-2", "after"));
  await put("start/3/0.runtime_stdout.log", mf("2026-12-03T15:00:02.100000", "runtime", "d-1", "from the runtime"));
  return root;
}

async function logs(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await logsCmd.run(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: tmpdir(), env: { NO_COLOR: "1" } });
  return { code, out: out.join("").split("\n").filter(Boolean), err: err.join("").split("\n").filter(Boolean) };
}

void test("the datastore reads every format, and a Metaflow run's sources merged", async () => {
  const ds = new FlowDatastore(new LocalObjectStore(await threeFormats()), "LogFlow");
  assert.deepEqual((await ds.readLogLines("7", "start", "1", 0, "stdout")).map((l) => l.text), ["new format", ""]);
  assert.deepEqual((await ds.readLogLines("7", "start", "3", 0, "stdout")).map((l) => l.text), ["from the task", "from the runtime", "after"]);
  assert.deepEqual(await ds.readLogLines("7", "start", "2", 0, "stderr"), [], "a stream never written has no lines");
  // The editor's log document shows each line as earlier versions stored it.
  assert.equal(logText(await ds.readLogLines("7", "start", "2", 0, "stdout")), "[2026-12-03T15:00:01.000000Z] old format\n[2026-12-03T15:00:01.100000Z] second\n");
  assert.equal(logText(await ds.readLogLines("7", "start", "1", 0, "stdout")), "[2026-12-03T15:00:00.000001Z] new format\n[2026-12-03T15:00:00.000002Z] \n");
});

void test("flowlens logs prints the same lines whatever format the files are in", async () => {
  const root = await threeFormats();
  const plain = await logs(["LogFlow/7/start", "--datastore-root", root]);
  assert.equal(plain.code, 0, plain.err.join("\n"));
  assert.deepEqual(plain.out, ["[7/start/1] new format", "[7/start/1] ", "[7/start/2] old format", "[7/start/2] second", "[7/start/3] from the task", "[7/start/3] from the runtime", "[7/start/3] after"]);
  assert.deepEqual(plain.err, ["[7/start/1] [flowlens] stderr truncated: the task printed more than 400 bytes"]);
  const stamped = await logs(["LogFlow/7/start/2", "--stdout", "--timestamps", "--datastore-root", root]);
  assert.deepEqual(stamped.out, ["[7/start/2] [2026-12-03T15:00:01.000000Z] old format", "[7/start/2] [2026-12-03T15:00:01.100000Z] second"]);
  const stampedNew = await logs(["LogFlow/7/start/1", "--stdout", "--timestamps", "--datastore-root", root]);
  assert.deepEqual(stampedNew.out, ["[7/start/1] [2026-12-03T15:00:00.000001Z] new format", "[7/start/1] [2026-12-03T15:00:00.000002Z] "]);
});
