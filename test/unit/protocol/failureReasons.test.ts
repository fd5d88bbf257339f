// Failure reasons in plain words: a table of what executors report and the one cause and headline
// each becomes, and which log lines show it.

import assert from "node:assert/strict";
import { test } from "node:test";
import { classifyFailure, evidenceLines, formatMemory, type FailureCause, type FailureFacts } from "../../../server/src/protocol/failureReasons";

const mb = 1024 * 1024;

const cases: { name: string; facts: FailureFacts; cause: FailureCause; headline: RegExp }[] = [
  { name: "SIGKILL with the memory reached", facts: { headline: "The task process was killed by SIGKILL (out of memory?)", kind: "infrastructure", signal: "SIGKILL", peakRssBytes: 1900 * mb }, cause: "out-of-memory", headline: /^Out of memory: killed by SIGKILL after reaching 1\.9 GB$/ },
  { name: "exit code 137 (a container's way of saying SIGKILL)", facts: { headline: "exited with 137", kind: "infrastructure", exitCode: 137 }, cause: "out-of-memory", headline: /^Out of memory: exit code 137$/ },
  { name: "MemoryError raised by Python", facts: { headline: "MemoryError", kind: "user", peakRssBytes: 300 * mb }, cause: "out-of-memory", headline: /^Out of memory: MemoryError after reaching 300 MB$/ },
  { name: "@timeout", facts: { headline: "Step train timed out after 2 s (@timeout) and was killed", kind: "timeout" }, cause: "timeout", headline: /^Timed out after 2 s \(@timeout\) and was killed$/ },
  { name: "a segmentation fault", facts: { headline: "Task failed with a segmentation fault", kind: "infrastructure", signal: "SIGSEGV" }, cause: "signal", headline: /^Killed by a segmentation fault \(SIGSEGV\)/ },
  { name: "an unusual signal", facts: { headline: "killed", kind: "infrastructure", signal: "SIGUSR1" }, cause: "signal", headline: /^Killed by SIGUSR1$/ },
  { name: "a non-zero exit without a result", facts: { headline: "The task process exited with code 3 without a result", kind: "infrastructure", exitCode: 3 }, cause: "exit", headline: /^Exited with code 3 before the step finished$/ },
  { name: "a missing module", facts: { headline: "ModuleNotFoundError: No module named 'sklearn'", kind: "user" }, cause: "import-error", headline: /^Import error: No module named 'sklearn'$/ },
  { name: "a failing from-import", facts: { headline: "ImportError: cannot import name 'x' from 'lib'", kind: "user" }, cause: "import-error", headline: /^Import error: cannot import name 'x' from 'lib'$/ },
  { name: "an artifact no earlier step set", facts: { headline: "_ArtifactMissing: Flow TrainFlow has no attribute 'model': no step before this one set `self.model`.", kind: "user" }, cause: "missing-input", headline: /^Missing input artifact: no step before this one set self\.model$/ },
  { name: "Metaflow's wording of a missing artifact", facts: { headline: "AttributeError: Flow TrainFlow has no attribute 'model'", kind: "user" }, cause: "missing-input", headline: /self\.model$/ },
  { name: "an AttributeError of another object stays an exception", facts: { headline: "AttributeError: 'NoneType' object has no attribute 'fit'", kind: "user" }, cause: "exception", headline: /^AttributeError: 'NoneType' object has no attribute 'fit'$/ },
  { name: "an ordinary exception keeps its headline", facts: { headline: "ValueError: bad row 7", kind: "user" }, cause: "exception", headline: /^ValueError: bad row 7$/ },
  { name: "a stopped task", facts: { headline: "Task cancelled", kind: "cancelled", signal: "SIGKILL" }, cause: "cancelled", headline: /^Task cancelled$/ },
  { name: "the infrastructure", facts: { headline: "executor error: boom", kind: "infrastructure" }, cause: "infrastructure", headline: /^executor error: boom$/ },
  { name: "an empty headline never throws", facts: { headline: "", kind: "user" }, cause: "exception", headline: /^$/ },
];

for (const c of cases) {
  void test(`classify: ${c.name}`, () => {
    const r = classifyFailure(c.facts);
    assert.equal(r.cause, c.cause);
    assert.match(r.headline, c.headline);
  });
}

void test("the log lines that show a failure: the matching ones, else the last lines printed", () => {
  const oom = classifyFailure({ headline: "x", kind: "infrastructure", signal: "SIGKILL" });
  assert.deepEqual(evidenceLines(oom, ["loading", "allocated 3 GB", "Killed", ""]), [2]);
  const exit = classifyFailure({ headline: "x", kind: "infrastructure", exitCode: 2 });
  assert.deepEqual(evidenceLines(exit, ["a", "b", "c", "d", ""]), [1, 2, 3]);
  const imp = classifyFailure({ headline: "ModuleNotFoundError: No module named 'x'", kind: "user" });
  assert.deepEqual(evidenceLines(imp, ["Traceback", "  import x", "ModuleNotFoundError: No module named 'x'"]), [1, 2]);
});

void test("memory reads in MB below a GB and in GB above", () => {
  assert.equal(formatMemory(5.5 * mb), "5.5 MB");
  assert.equal(formatMemory(83 * mb), "83 MB");
  assert.equal(formatMemory(2048 * mb), "2.0 GB");
});
