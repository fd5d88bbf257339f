// `flowlens logs` and `flowlens dump` read back what a real run wrote.

import assert from "node:assert/strict";
import { test } from "node:test";
import { datastore, flowlens, runIdOf, start, workspace } from "./cli";

void test("logs and dump show a run's output and artifacts", { timeout: 120_000 }, async () => {
  const { dir, files } = workspace("examples/hello/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json", "--greet", "team"], dir);
  assert.equal(r.code, 0, r.stderr);
  const run = runIdOf(r.events);

  const logs = await flowlens(["logs", `HelloFlow/${run}/start`], dir);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, new RegExp(`^\\[${run}/start/\\d+\\] hello, team$`, "m"));
  const stamped = await flowlens(["logs", `HelloFlow/${run}/start`, "--stdout", "--timestamps"], dir);
  assert.match(stamped.stdout, new RegExp(`^\\[${run}/start/\\d+\\] \\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\\] hello, team$`, "m"));
  const latest = await flowlens(["logs", "HelloFlow/latest/shout"], dir);
  assert.match(latest.stdout, /HELLO, TEAM!/);

  const dump = await flowlens(["dump", `HelloFlow/${run}/end`, "--json"], dir);
  assert.equal(dump.code, 0, dump.stderr);
  const parsed = JSON.parse(dump.stdout) as Record<string, { attempt: number; artifacts: Record<string, { type: string; size: number; value?: unknown }> }>;
  const task = Object.values(parsed)[0];
  assert.equal(task?.artifacts.loud?.value, "HELLO, TEAM!");
  assert.equal(task?.artifacts.loud?.type, "<class 'str'>");
  assert.equal(task?.artifacts.name_to_greet?.value, "team", "inherited artifacts are shown too");
  assert.ok(!Object.keys(task?.artifacts ?? {}).some((n) => n.startsWith("_")), "internal artifacts only with --all");

  const text = await flowlens(["dump", `HelloFlow/${run}/end`], dir);
  assert.match(text.stdout, /loud\s+str\s+\d+ B\s+'HELLO, TEAM!'/);

  const missing = await flowlens(["dump", "HelloFlow/999/end"], dir);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no tasks at HelloFlow\/999\/end/);
  const bad = await flowlens(["logs", "HelloFlow"], dir);
  assert.equal(bad.code, 2);
});

void test("terminal output tags every task line with run/step/task and ends with a summary", { timeout: 120_000 }, async () => {
  const { dir, files } = workspace("examples/hello/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--tag", "demo", "--run-id-file", "run-id.txt"], dir);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.match(lines[0] ?? "", /^Flowlens run of HelloFlow: run (\d+), datastore local:/);
  assert.match(lines.at(-1) ?? "", /^Run HelloFlow\/\d+ succeeded in [\d.]+ s: 3 tasks \(3 succeeded\)$/);
  const body = lines.slice(1, -1).filter((l) => !l.includes("parameters:"));
  assert.ok(body.length >= 6);
  for (const line of body) assert.match(line, /^\[\d+\/(start|shout|end)\/\d+\] /);
  const { readFileSync } = await import("node:fs");
  const runId = readFileSync(`${dir}/run-id.txt`, "utf8");
  const record = await datastore(dir, "HelloFlow").readRunRecord(runId);
  assert.deepEqual(record?.tags, ["demo"]);
});

void test("logs --stream follows a running task until the run finishes", { timeout: 120_000 }, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/fragile/flow.py");
  const run = start(["run", files[0] ?? "", "--json", "--count", "2", "--max-workers", "1"], dir, { FRAGILE_SLEEP: "1" });
  const streamed = new Promise<Awaited<ReturnType<typeof flowlens>>>((resolve) => {
    run.onEvent((e) => {
      if (e.type === "task-state" && e.task.step === "work" && e.state === "running" && e.task.taskId === "2") resolve(flowlens(["logs", `FragileFlow/${e.task.runId}/work`, "--stream"], dir));
    });
  });
  const [logs, done] = await Promise.all([streamed, run.done]);
  assert.equal(done.code, 0, done.stderr);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /square of 0 is 0/);
  assert.match(logs.stdout, /square of 1 is 1/, "output written after the stream started is shown too");
});
