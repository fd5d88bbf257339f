// The log pane's pure half: stdout/stderr rendering, ANSI kept, filters, traceback links; and the
// load snippets the explorer copies.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LogEvent } from "../../../server/src/protocol/runEvents";
import { loadSnippet } from "../../../client/src/explorer/loadSnippet";
import { formatLogLine, matches, stripAnsi, tracebackLinks } from "../../../client/src/logs/logFormat";

const event = (step: string, taskId: string, stream: "stdout" | "stderr", line: string, attempt = 0): LogEvent => ({ type: "log", ts: 0, task: { flow: "F", runId: "1", step, taskId, attempt }, stream, line });

void test("stdout and stderr lines are distinguishable with and without colour; the task's ANSI colours are kept", () => {
  const out = formatLogLine(event("train", "4", "stdout", "\x1b[32mgreen\x1b[0m"));
  const err = formatLogLine(event("train", "4", "stderr", "warning", 2));
  assert.ok(out.includes("\x1b[32mgreen"), "the task's own escape sequence passes through");
  assert.equal(stripAnsi(out), "[train/4]   green");
  assert.equal(stripAnsi(err), "[train/4#2] ! warning");
  assert.ok(err.includes("\x1b[31m"), "stderr is red");
});

void test("filters keep one step or one task", () => {
  const e = event("train", "4", "stdout", "x");
  assert.ok(matches({}, e));
  assert.ok(matches({ step: "train" }, e));
  assert.ok(!matches({ step: "start" }, e));
  assert.ok(matches({ step: "train", taskId: "4" }, e));
  assert.ok(!matches({ step: "train", taskId: "5" }, e));
});

void test("`File \"...\", line N` becomes a link; pseudo-files are not links", () => {
  const line = `  File "/w/flow.py", line 17, in train    File "<frozen importlib._bootstrap>", line 3`;
  assert.deepEqual(tracebackLinks(line), [{ start: 2, length: 26, file: "/w/flow.py", line: 17 }]);
  assert.deepEqual(tracebackLinks(`File "lib/util.py", line 2`), [{ start: 0, length: 26, file: "lib/util.py", line: 2 }]);
  assert.deepEqual(tracebackLinks("no link here, line 3"), []);
});

void test("load snippets: Metaflow Client style for a one-task step, Task pathspec inside a foreach", () => {
  assert.equal(loadSnippet({ flow: "LabFlow", runId: "3", step: "join", taskId: "9", name: "total" }, 1), `from metaflow import Flow\n\ntotal = Flow("LabFlow")["3"]["join"].task.data.total\n`);
  assert.equal(loadSnippet({ flow: "LabFlow", runId: "3", step: "train", taskId: "5", name: "arr" }, 3), `from metaflow import Task\n\narr = Task("LabFlow/3/train/5").data.arr\n`);
  assert.match(loadSnippet({ flow: "F", runId: "1", step: "s", taskId: "1", name: "odd-name" }, 1), /\.task\["odd-name"\]\.data/);
});
