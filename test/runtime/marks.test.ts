// Retries, caught exceptions and failure reasons with real Python: what the events, the CLI
// summary and the attempt's stored outcome say about a retried step, a @catch step, a task killed
// by SIGKILL after allocating memory, and a step whose import fails.

import assert from "node:assert/strict";
import { test } from "node:test";
import { join } from "node:path";
import { datastore, finished, flowlens, runIdOf, workspace } from "./cli";
import { runPreview } from "../../client/src/previews/previewRunner";
import { repoRoot } from "../support/pytest";
import type { RunEvent, TaskStateEvent } from "../../server/src/protocol/runEvents";

const slow = { timeout: 120_000 };

function stateOf(events: RunEvent[], step: string, state: string): TaskStateEvent | undefined {
  return events.find((e): e is TaskStateEvent => e.type === "task-state" && e.task.step === step && e.state === state);
}

void test("a retried step and a caught step succeed with their marks, counted in the run summary", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/marks/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const flaky = stateOf(r.events, "flaky", "succeeded");
  assert.equal(flaky?.task.attempt, 1);
  const risky = stateOf(r.events, "risky", "succeeded");
  assert.equal(risky?.caught?.headline, "ValueError: bad row 7");
  assert.match(risky?.caught?.traceback ?? "", /raise ValueError\("bad row 7"\)/);
  assert.deepEqual(finished(r.events)?.marks, { retried: 1, caught: 1 });
  const text = await flowlens(["run", files[0] ?? ""], dir);
  assert.match(text.stdout, /\(succeeded on attempt 2\)/);
  assert.match(text.stdout, /4 tasks \(4 succeeded \(1 after retry, 1 caught an exception\)\)/);
  const ds = datastore(dir, "MarksFlow");
  const outcome = await ds.readJson<{ caught?: { headline: string } }>(`MarksFlow/${runIdOf(r.events)}/risky/3/0.flowlens_outcome.json`);
  assert.equal(outcome?.caught?.headline, "ValueError: bad row 7");
  // The artifact @catch stored previews as its exception with the traceback, not as a bare repr.
  const data = await ds.readDataJson(runIdOf(r.events), "risky", "3", 0);
  const preview = await runPreview({ python: "python3", pythonDir: join(repoRoot, "runtime", "python"), datastore: { kind: "local", root: join(dir, ".metaflow"), env: {} }, flow: "MarksFlow", sha: data?.objects.problem ?? "", flowFile: files[0] ?? "" });
  assert.equal(preview.kind, "text", JSON.stringify(preview));
  assert.match(preview.kind === "text" ? preview.text : "", /^builtins\.ValueError: bad row 7\n\nTraceback \(most recent call last\):\n[\s\S]*raise ValueError\("bad row 7"\)/);
});

void test("a task killed by SIGKILL after allocating memory reads as out of memory, with the memory it reached", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/oom/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json"], dir);
  assert.equal(r.code, 1);
  const grow = stateOf(r.events, "grow", "failed");
  assert.equal(grow?.cause, "out-of-memory");
  assert.ok((grow?.peakRssBytes ?? 0) >= 64 * 1024 * 1024, `peak ${String(grow?.peakRssBytes)} covers the 64 MB block`);
  assert.match(grow?.reason ?? "", /^Out of memory: killed by SIGKILL after reaching \d+ MB$/);
  assert.match(finished(r.events)?.error?.headline ?? "", /^step grow failed: Out of memory/);
  const text = await flowlens(["run", files[0] ?? ""], dir);
  assert.match(text.stderr, /Run OomFlow\/\d+ failed .* — step grow failed: Out of memory: killed by SIGKILL after reaching \d+ MB/);
  const outcome = await datastore(dir, "OomFlow").readJson<{ failure?: { signal?: string; peakRssBytes?: number } }>(`OomFlow/${runIdOf(r.events)}/grow/2/0.flowlens_outcome.json`);
  assert.equal(outcome?.failure?.signal, "SIGKILL");
  assert.ok((outcome?.failure?.peakRssBytes ?? 0) >= 64 * 1024 * 1024);
});

void test("a step whose import fails says import error in its headline", slow, async () => {
  const { dir, files } = workspace("test/runtime/fixtures/importerror/flow.py");
  const r = await flowlens(["run", files[0] ?? "", "--json"], dir);
  assert.equal(r.code, 1);
  const start = stateOf(r.events, "start", "failed");
  assert.equal(start?.cause, "import-error");
  assert.equal(start?.reason, "Import error: No module named 'flowlens_no_such_module'");
});
