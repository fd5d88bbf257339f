// Fixture-folder snapshot tests: test/fixtures/<case>/flow.py + expected.json (graphs and
// diagnostics). A missing expected.json is written; a changed one only with UPDATE_FIXTURES=1.
// Folder names carry an assertion that does not depend on the snapshot:
//   flNNN-*  must report FLNNN;   ok-*  must report no error;
//   noflNNN-*  a near miss: must report neither FLNNN nor any error.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "node:test";
import { LineIndex, ruleCodes } from "../../../server/src/analysis/index";
import { analyzeFixtureFile, lineDiff, rangeText } from "./helpers";

const root = join(__dirname, "..", "..", "fixtures");
const cases = readdirSync(root).filter((d) => existsSync(join(root, d, "flow.py"))).sort();

void test("there is a positive fixture for every check code", () => {
  const codes = ruleCodes().map((c) => c.code);
  const missing = codes.filter((c) => !cases.some((d) => d.toUpperCase().startsWith(c)));
  assert.deepEqual(missing, []);
});

for (const name of cases) {
  void test(`fixture ${name}`, async () => {
    const dir = join(root, name);
    const file = join(dir, "flow.py");
    const { text, result } = await analyzeFixtureFile(file);
    const lines = new LineIndex(text);
    const snapshot = {
      flows: result.flows.map((f) => ({ name: f.name, graph: { ...f.graph, file: basename(f.graph.file) } })),
      diagnostics: result.diagnostics.map((d) => ({
        code: d.code,
        severity: d.severity,
        range: rangeText(lines, d.span),
        ...(d.flow !== undefined ? { flow: d.flow } : {}),
        ...(d.step !== undefined ? { step: d.step } : {}),
        message: d.message,
        ...(d.related ? { related: d.related.map((r) => ({ message: r.message, ...(r.file === undefined ? { range: rangeText(lines, r.span) } : { file: basename(r.file) }) })) } : {}),
      })),
      dependencies: result.dependencies,
    };
    const actual = JSON.stringify(snapshot, null, 2).split(dir).join("<fixture>") + "\n";

    const m = /^fl(\d{3})-/i.exec(name);
    if (m) {
      const code = `FL${m[1] ?? ""}`;
      assert.ok(result.diagnostics.some((d) => d.code === code), `${name}: expected a ${code} finding, got ${result.diagnostics.map((d) => d.code).join(", ") || "none"}`);
    } else if (/^nofl\d{3}-/i.test(name)) {
      const code = `FL${name.slice(4, 7)}`;
      assert.deepEqual(result.diagnostics.filter((d) => d.code === code || d.severity === "error").map((d) => `${d.code} ${rangeText(lines, d.span)} ${d.message}`), [], `${name} must report neither ${code} nor an error`);
    } else if (name.startsWith("ok-")) {
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      assert.deepEqual(errors.map((d) => `${d.code} ${rangeText(lines, d.span)} ${d.message}`), [], `${name} must be free of errors`);
      assert.ok(result.flows.length > 0, `${name} must contain a flow`);
    }

    const expectedPath = join(dir, "expected.json");
    if (!existsSync(expectedPath)) {
      writeFileSync(expectedPath, actual);
      return;
    }
    const expected = readFileSync(expectedPath, "utf8");
    if (expected === actual) return;
    if (process.env.UPDATE_FIXTURES === "1") {
      writeFileSync(expectedPath, actual);
      return;
    }
    assert.fail(`${name}/expected.json differs (run with UPDATE_FIXTURES=1 to accept):\n${lineDiff(expected, actual)}`);
  });
}
