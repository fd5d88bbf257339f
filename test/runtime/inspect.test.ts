// `flowlens logs` and `flowlens dump` read back what a real run wrote.

import assert from "node:assert/strict";
import { test } from "node:test";
import { flowlens, runIdOf, workspace } from "./cli";

void test("logs and dump show a run's output and artifacts", { timeout: 120_000 }, async () => {
  const { dir, files } = workspace("examples/hello/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json", "--greet", "team"], dir);
  assert.equal(r.code, 0, r.stderr);
  const run = runIdOf(r.events);

  const logs = await flowlens(["logs", `HelloFlow/${run}/start`], dir);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, new RegExp(`^\\[${run}/start/\\d+\\] hello, team$`, "m"));
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
