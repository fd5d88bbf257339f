// The short version of `npm run fuzz`: random edits and requests of every kind (some with params of
// the wrong shape) against a real server; no crash, no internal error, every bad request refused
// with InvalidParams, and the incremental analysis equal to a fresh one at every check.
import assert from "node:assert/strict";
import { it } from "node:test";
import { clean, formatReport, runFuzz } from "./fuzzer";

void it("a short LSP fuzz finds no crash and no internal error", { timeout: 300000 }, async (t) => {
  const report = await runFuzz({ edits: 1500, seed: 20261202, editsPerReset: 500 });
  const table = formatReport(report);
  for (const line of table.split("\n")) t.diagnostic(line);
  assert.equal(report.crashed, false, table);
  assert.deepEqual(report.internalErrors, [], table);
  assert.equal(report.equality.checks, 3);
  assert.deepEqual(report.equality.mismatches, [], table);
  assert.ok(report.badParams.sent > 0, "the fuzz sent params of the wrong shape");
  assert.ok([...report.methods.values()].reduce((n, m) => n + m.count, 0) > 100, "the fuzz sent requests");
  assert.ok(clean(report), table);
});
