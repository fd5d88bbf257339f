// A misspelt transition target is one finding with one fix: the steps it was meant to lead to are
// not reported unreachable (FL012), the join it was meant to reach not unbalanced (FL013), and the
// first quick fix corrects the name instead of creating a step for the typo.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fixesFor } from "../../../server/src/analysis/ide";
import type { AnalysisResult } from "../../../server/src/analysis/index";
import { analyzeFixtureFile, getAnalyzer } from "./helpers";

const fixtures = join(__dirname, "..", "..", "fixtures");
const errors = (r: AnalysisResult) => r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);

function apply(text: string, edits: { start: number; end: number; newText: string }[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

void describe("unknown transition targets", () => {
  void it("a typo in a linear flow is one FL010, not FL012 on every step after it", async () => {
    const { result } = await analyzeFixtureFile(join(fixtures, "fl010-typo-no-cascade", "flow.py"));
    assert.deepEqual(errors(result), ["FL010"], JSON.stringify(result.diagnostics, null, 1));
  });

  void it("a typo on one branch is one FL010, not an unbalanced join too", async () => {
    const { result } = await analyzeFixtureFile(join(fixtures, "fl010-typo-in-branch", "flow.py"));
    assert.deepEqual(errors(result), ["FL010"], JSON.stringify(result.diagnostics, null, 1));
  });

  void it("a step nothing could lead to is still unreachable", async () => {
    const { text } = await analyzeFixtureFile(join(fixtures, "fl010-typo-no-cascade", "flow.py"));
    const orphan = text.replace("    @step\n    def end(self):", "    @step\n    def orphan(self):\n        self.next(self.end)\n\n    @step\n    def end(self):");
    const result = (await getAnalyzer()).analyze(orphan, { file: "flow.py" });
    assert.deepEqual(errors(result).sort(), ["FL010", "FL012"]);
    assert.equal(result.diagnostics.find((d) => d.code === "FL012")?.step, "orphan");
  });

  void it("with no close step, the steps nothing transitions to may be what the target meant", async () => {
    const { text } = await analyzeFixtureFile(join(fixtures, "fl010-typo-no-cascade", "flow.py"));
    const renamed = text.replace("self.next(self.join_stat)", "self.next(self.summarise)");
    const result = (await getAnalyzer()).analyze(renamed, { file: "flow.py" });
    assert.deepEqual(errors(result), ["FL010"]);
  });

  void it("offers 'Change to join_stats' first, and applying it leaves no error", async () => {
    const { text, result } = await analyzeFixtureFile(join(fixtures, "fl010-typo-no-cascade", "flow.py"));
    const fl010 = result.diagnostics.find((d) => d.code === "FL010");
    assert.ok(fl010);
    const fixes = fixesFor(result, text, fl010);
    assert.deepEqual(
      fixes.map((f) => [f.title, f.preferred]),
      [
        ["Change to join_stats", true],
        ["Create step 'join_stat'", false],
      ],
    );
    const fixed = apply(text, fixes[0]?.edits ?? []);
    assert.match(fixed, /self\.next\(self\.join_stats\)/);
    assert.deepEqual(errors((await getAnalyzer()).analyze(fixed, { file: "flow.py" })), []);
  });

  void it("a name close to no step keeps 'Create step' as the only, preferred fix", async () => {
    const { text } = await analyzeFixtureFile(join(fixtures, "fl010-typo-no-cascade", "flow.py"));
    const renamed = text.replace("self.next(self.join_stat)", "self.next(self.summarise)");
    const result = (await getAnalyzer()).analyze(renamed, { file: "flow.py" });
    const fl010 = result.diagnostics.find((d) => d.code === "FL010");
    assert.ok(fl010);
    assert.deepEqual(
      fixesFor(result, renamed, fl010).map((f) => [f.title, f.preferred]),
      [["Create step 'summarise'", true]],
    );
  });
});
