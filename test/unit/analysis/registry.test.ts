// The rule registry is the one list of codes: the docs table of checks is rendered from it (and
// rewritten with UPDATE_FIXTURES=1, like the fixture snapshots).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pipelineCode, registry, ruleCodes } from "../../../server/src/analysis/index";

const docPath = join(__dirname, "..", "..", "..", "docs", "analysis.md");
const begin = "<!-- checks table: rendered from server/src/analysis/rules/registry.ts by test/unit/analysis/registry.test.ts -->";
const end = "<!-- end of checks table -->";

const cell = (s: string) => s.replace(/\|/g, "\\|");

function renderTable(): string {
  const rows = ["| code | severity | rule | reports | placed at | runs only when |", "|---|---|---|---|---|---|"];
  rows.push(`| ${pipelineCode} | error | (pipeline) | a syntax error (its first line), or a Flowlens internal error at 0:0 | the error | always |`);
  for (const { code, rules } of ruleCodes()) {
    for (const { rule, info } of rules) {
      const r = registry.find((x) => x.name === rule);
      const gates = r && r.scope !== "module" && r.requires && r.requires.length > 0 ? r.requires.join(", ") : "always";
      rows.push(`| ${code} | ${info.severity} | ${rule} | ${cell(info.summary)} | ${cell(info.at)} | ${gates} |`);
    }
  }
  return rows.join("\n");
}

void test("docs/analysis.md lists every code of the registry, as the rules describe them", () => {
  const doc = readFileSync(docPath, "utf8");
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  assert.ok(i >= 0 && j > i, `docs/analysis.md must hold the markers ${begin} ... ${end}`);
  const current = doc.slice(i + begin.length, j).trim();
  const rendered = renderTable();
  if (current !== rendered && process.env.UPDATE_FIXTURES === "1") {
    writeFileSync(docPath, `${doc.slice(0, i + begin.length)}\n${rendered}\n${doc.slice(j)}`);
    return;
  }
  assert.equal(current, rendered, "the checks table is out of date: run this test with UPDATE_FIXTURES=1");
});

void test("rule names are unique and every rule declares at least one code", () => {
  const names = registry.map((r) => r.name);
  assert.deepEqual(names.filter((n, k) => names.indexOf(n) !== k), []);
  assert.deepEqual(registry.filter((r) => Object.keys(r.codes).length === 0).map((r) => r.name), []);
});
