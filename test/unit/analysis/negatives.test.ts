// One near miss per check code: a valid flow as close as possible to what the check reports.
// Each must not report that code (the positive cases are the flNNN-* fixtures; a near miss may
// also be a test/fixtures/noflNNN-* folder, checked by fixtures.test.ts). The cases are in
// nearMissesGraph.ts (FL0xx) and nearMissesSteps.ts (FL1xx, FL2xx).
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ruleCodes } from "../../../server/src/analysis/index";
import { getAnalyzer } from "./helpers";
import { graphNearMisses } from "./nearMissesGraph";
import { stepNearMisses } from "./nearMissesSteps";

const cases = [...graphNearMisses, ...stepNearMisses];

void test("every check code has a near miss here or as a test/fixtures/noflNNN-* folder", () => {
  const covered = new Set(cases.map((c) => c[0]));
  for (const d of readdirSync(join(__dirname, "..", "..", "fixtures"))) if (/^nofl\d{3}-/i.test(d)) covered.add(`FL${d.slice(4, 7)}`);
  // FL017/FL018 near misses are FL016's (a @parallel step reached by num_parallel and followed by a join).
  for (const code of ["FL017", "FL018"]) covered.add(code);
  const all = ruleCodes().map((c) => c.code);
  assert.deepEqual(all.filter((c) => !covered.has(c)), []);
});

for (const [code, what, text] of cases) {
  void test(`${code} near miss: ${what}`, async () => {
    const a = await getAnalyzer();
    const r = a.analyze(text);
    assert.equal(r.flows.length, 1, `expected one flow in:\n${text}`);
    const hit = r.diagnostics.filter((d) => d.code === code || (code === "FL016" && (d.code === "FL017" || d.code === "FL018")));
    assert.deepEqual(hit.map((d) => `${d.code} ${d.message}`), [], text);
    const errors = r.diagnostics.filter((d) => d.severity === "error" && d.code !== "FL102");
    assert.deepEqual(errors.map((d) => `${d.code} ${d.message}`), [], `no error expected in:\n${text}`);
  });
}
