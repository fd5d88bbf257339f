// The whole AnalysisResult (every fact of every step, not only the graphs and diagnostics the
// fixture snapshots show) and the facts extracted from the tree on the way (extractModule: what
// the checks read, write ends and guards included), compared with digests recorded before: on every fixture flow, on
// seeded random edits of them (broken syntax, error recovery) and on a generated 5,000-line
// flow. A change to how facts are extracted (a faster walk over the tree) must leave them
// identical; a change meant to alter results is accepted with UPDATE_FIXTURES=1, and a mismatch
// writes the actual result to test-output/full-results/ to compare.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Parser } from "web-tree-sitter";
import { extractModule, MethodCache } from "../../../server/src/analysis/extract/module";
import { loadPython } from "../../../server/src/parser/loadPython";
import { generateFlow } from "../../bench/flowGenerator";
import { seededRandom } from "../../support/random";
import { getAnalyzer } from "./helpers";

const root = join(__dirname, "..", "..", "fixtures");
const digestsPath = join(__dirname, "fullResults.json");
const outDir = join(__dirname, "..", "..", "..", "test-output", "full-results");
const names = readdirSync(root)
  .filter((d) => existsSync(join(root, d, "flow.py")))
  .sort();
const snippets = ["self.", "self.x = ", "inputs", ")", "(", ":", "\n", "    ", "=", "[", '"', "for i in inputs:\n", "self.next(", "#"];

/** Some seeded edits of a text: insertions of snippets, deletions, truncations. */
function mutations(text: string, seed: number, count: number): string[] {
  const rnd = seededRandom(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = pick(text.length + 1);
    const kind = pick(3);
    if (kind === 0) out.push(text.slice(0, at) + (snippets[pick(snippets.length)] ?? "") + text.slice(at));
    else if (kind === 1) out.push(text.slice(0, at) + text.slice(at + 1 + pick(30)));
    else out.push(text.slice(0, at));
  }
  return out;
}

const digest = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 32);

void test("full analysis results are unchanged on the fixtures, their random edits and a 5,000-line flow", async () => {
  const a = await getAnalyzer();
  const parser = new Parser();
  parser.setLanguage((await loadPython()).language);
  const facts = (text: string) => {
    const tree = parser.parse(text);
    if (!tree) throw new Error("no tree");
    try {
      return extractModule(tree, text, new MethodCache());
    } finally {
      tree.delete();
    }
  };
  const cases = new Map<string, string[]>();
  for (const name of names) {
    const text = readFileSync(join(root, name, "flow.py"), "utf8");
    cases.set(name, [text]);
    cases.set(`${name} (random edits)`, mutations(text, name.length * 7919 + text.length, 40));
  }
  cases.set("generated 5,000-line flow", [generateFlow(5000)]);
  const actual: Record<string, string> = {};
  const mismatched: string[] = [];
  const expected = existsSync(digestsPath) ? (JSON.parse(readFileSync(digestsPath, "utf8")) as Record<string, string>) : {};
  for (const [name, texts] of cases) {
    // The file name is fixed: results carry it (graph info), and must not depend on the checkout.
    const json = JSON.stringify(texts.map((t) => ({ result: a.analyze(t, { file: "flow.py" }), facts: facts(t) })), (_k, v: unknown) => (v instanceof Set ? [...v] : v instanceof Map ? [...v] : v));
    actual[name] = digest(json);
    if (expected[name] !== undefined && expected[name] !== actual[name]) {
      mismatched.push(name);
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, `${name.replace(/[^\w-]+/g, "_")}.json`), json);
    }
  }
  const missing = Object.keys(actual).filter((k) => expected[k] === undefined);
  if (process.env.UPDATE_FIXTURES === "1" || Object.keys(expected).length === 0) {
    writeFileSync(digestsPath, JSON.stringify(actual, null, 2) + "\n");
    return;
  }
  assert.deepEqual(mismatched, [], `full results changed (run with UPDATE_FIXTURES=1 to accept); actual results written to ${outDir}`);
  assert.deepEqual(missing, [], "cases without a recorded digest (run with UPDATE_FIXTURES=1)");
});
