// Thousands of random edits, deletions and truncations of the fixtures (seeded, so a failure
// reproduces): the analysis must always return, through full analysis and through a session.
// Times are recorded and printed, never asserted.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { getAnalyzer } from "./helpers";
import { seededRandom as prng } from "../../support/random";


const root = join(__dirname, "..", "..", "fixtures");
const texts = readdirSync(root)
  .filter((d) => existsSync(join(root, d, "flow.py")))
  .sort()
  .map((d) => readFileSync(join(root, d, "flow.py"), "utf8"));
const snippets = ["self.next(", "self.", ")", "(", ":", "\n", "    ", "@step\n", "def ", "inputs", '"', "{", "}", "foreach=", "😀", "\t", "self.next(self.end)\n", "class X(FlowSpec):\n", "@retry(times=", ",", "#"];

function mutate(text: string, rnd: () => number): string {
  const pick = (n: number) => Math.floor(rnd() * n);
  const at = pick(text.length + 1);
  switch (pick(5)) {
    case 0:
      return text.slice(0, at); // truncation
    case 1: {
      const len = 1 + pick(40);
      return text.slice(0, at) + text.slice(at + len); // deletion
    }
    case 2:
      return text.slice(0, at) + (snippets[pick(snippets.length)] ?? "") + text.slice(at); // insertion
    case 3: {
      // Move a chunk of the text elsewhere.
      const from = pick(text.length);
      const chunk = text.slice(from, from + pick(80));
      return text.slice(0, at) + chunk + text.slice(at);
    }
    default:
      return text.slice(0, at) + String.fromCharCode(32 + pick(95)) + text.slice(at + 1); // one character
  }
}

void test("random edits never make the analysis throw (full analysis)", async () => {
  const a = await getAnalyzer();
  const rnd = prng(20261126);
  let max = 0;
  let runs = 0;
  for (let i = 0; i < 2000; i++) {
    let text = texts[i % texts.length] ?? "";
    const steps = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < steps; k++) text = mutate(text, rnd);
    const t = performance.now();
    const r = a.analyze(text, { file: "flow.py" });
    max = Math.max(max, performance.now() - t);
    runs++;
    assert.ok(Array.isArray(r.flows) && Array.isArray(r.diagnostics) && Array.isArray(r.dependencies));
    const internal = r.diagnostics.find((d) => d.message.startsWith("Flowlens internal error"));
    assert.equal(internal, undefined, `internal error on case ${i}: ${internal?.message ?? ""}\n--- text ---\n${text}`);
    for (const d of r.diagnostics) assert.ok(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end, `span out of text: ${JSON.stringify(d)}`);
  }
  console.log(`robustness: ${runs} mutated full analyses, slowest ${max.toFixed(1)} ms`);
});

void test("random edits through one session never throw and agree with a full analysis at checkpoints", async () => {
  const a = await getAnalyzer();
  const rnd = prng(7);
  let max = 0;
  for (let f = 0; f < texts.length; f += 3) {
    let text = texts[f] ?? "";
    const doc = a.openDocument("flow.py", text);
    doc.result();
    for (let i = 0; i < 60; i++) {
      const next = mutate(text, rnd);
      const t = performance.now();
      doc.update(next);
      const r = doc.result();
      max = Math.max(max, performance.now() - t);
      text = next;
      assert.ok(Array.isArray(r.diagnostics));
      if (i % 20 === 19) {
        assert.equal(JSON.stringify(r.diagnostics), JSON.stringify(a.analyze(text, { file: "flow.py" }).diagnostics), `session and full analysis differ on:\n${text}`);
      }
    }
    doc.dispose();
  }
  console.log(`robustness: session edits, slowest ${max.toFixed(1)} ms`);
});

void test("a step whose parameter list starts with a comma (no name for self) is analysed", async () => {
  // Found by the random edits above: the search for mentions of self never ended when self had no name.
  const a = await getAnalyzer();
  const text = "class F(FlowSpec):\n    def start(, environment, cself):\n    @step\n        self.next(self.end)\n";
  const r = a.analyze(text, { file: "flow.py" });
  assert.equal(r.diagnostics.find((d) => d.message.startsWith("Flowlens internal error")), undefined);
});
