// One near miss per check code: a valid flow as close as possible to what the check reports.
// Each must not report that code (the positive cases are the flNNN-* fixtures; a near miss may
// also be a test/fixtures/noflNNN-* folder, checked by fixtures.test.ts).
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ruleCodes } from "../../../server/src/analysis/index";
import { getAnalyzer } from "./helpers";

const header = "from metaflow import FlowSpec, step, Parameter, retry, catch, timeout, resources, batch, parallel, kubernetes\n\n";
const wrap = (body: string) => `${header}class F(FlowSpec):\n${body.replace(/^\n/, "")}\n\nif __name__ == "__main__":\n    F()\n`;
const linear = (extra = "", startBody = "        self.next(self.end)") => wrap(`
${extra}
    @step
    def start(self):
${startBody}

    @step
    def end(self):
        pass
`);

const cases: [string, string, string][] = [
  ["FL000", "valid syntax with odd but legal constructs", linear("", "        x = (1,\n             2)\n        self.next(self.end)")],
  ["FL001", "a step named like a reserved word with a suffix", wrap(`
    @step
    def start(self):
        self.next(self.name_step)

    @step
    def name_step(self):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL002", "annotated start and end instead of literal names", wrap(`
    @step(start=True)
    def begin(self):
        self.next(self.finish)

    @step(end=True)
    def finish(self):
        pass
`)],
  ["FL003", "an annotated start while no step is named start", wrap(`
    @step(start=True)
    def begin(self):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL004", "a switch that loops on its own step, not on start", wrap(`
    @step
    def start(self):
        self.next(self.loop)

    @step
    def loop(self):
        self.again = "no"
        self.next({"yes": self.loop, "no": self.end}, condition="again")

    @step
    def end(self):
        pass
`)],
  ["FL005", "an end step that only prints", linear()],
  ["FL006", "digits and underscores in step names", wrap(`
    @step
    def start(self):
        self.next(self.step_2b)

    @step
    def step_2b(self):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL007", "a join taking self and inputs", wrap(`
    @step
    def start(self):
        self.next(self.a, self.b)

    @step
    def a(self):
        self.next(self.join)

    @step
    def b(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL008", "if/else before a final self.next", linear("", "        if True:\n            x = 1\n        else:\n            x = 2\n        self.next(self.end)  # the last statement")],
  ["FL009", "a transition written over several lines", linear("", "        self.next(\n            self.end,\n        )")],
  ["FL010", "a target defined below", linear()],
  ["FL011", "a switch's self-edge", wrap(`
    @step
    def start(self):
        self.n = 0
        self.next(self.count)

    @step
    def count(self):
        self.n += 1
        self.more = "yes" if self.n < 3 else "no"
        self.next({"yes": self.count, "no": self.end}, condition="more")

    @step
    def end(self):
        pass
`)],
  ["FL012", "a helper method (not a step) nothing transitions to", linear("    def helper(self):\n        return 1\n")],
  ["FL013", "a foreach nested in a static split, each joined", wrap(`
    @step
    def start(self):
        self.next(self.a, self.b)

    @step
    def a(self):
        self.xs = [1, 2]
        self.next(self.each, foreach="xs")

    @step
    def each(self):
        self.next(self.join_each)

    @step
    def join_each(self, inputs):
        self.next(self.join)

    @step
    def b(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL014", "a switch with two cases and a condition", linear("", "        self.c = 1\n        self.next({1: self.end, 2: self.end}, condition=\"c\")")],
  ["FL015", "a foreach with one step before its join", wrap(`
    @step
    def start(self):
        self.xs = [1]
        self.next(self.each, foreach="xs")

    @step
    def each(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL016", "num_parallel into a @parallel step", wrap(`
    @step
    def start(self):
        self.next(self.train, num_parallel=2)

    @parallel
    @step
    def train(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL019", "switch cases that go through a step before the join", wrap(`
    @step
    def start(self):
        self.next(self.a, self.b)

    @step
    def a(self):
        self.next(self.join)

    @step
    def b(self):
        self.mode = "x"
        self.next({"x": self.bx, "y": self.by}, condition="mode")

    @step
    def bx(self):
        self.next(self.b_done)

    @step
    def by(self):
        self.next(self.b_done)

    @step
    def b_done(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL101", "step decorators above @step", linear("", "        self.next(self.end)").replace("    @step\n    def start", "    @retry\n    @timeout(minutes=5)\n    @step\n    def start")],
  ["FL102", "decorators imported from the user's own module", `from metaflow import FlowSpec, step\nfrom mytools import traced\n\nclass F(FlowSpec):\n    @traced\n    @step\n    def start(self):\n        self.next(self.end)\n\n    @step\n    def end(self):\n        pass\n\nif __name__ == "__main__":\n    F()\n`],
  ["FL103", "parameters with distinct, unreserved names", linear('    tag_name = Parameter("tag_name", default="x")\n    tag2 = Parameter("tag2", default="y")\n')],
  ["FL104", "@catch on a linear step", linear("", "        self.next(self.end)").replace("    @step\n    def start", "    @catch(var=\"err\")\n    @step\n    def start")],
  ["FL105", "@retry(times=4)", linear("", "        self.next(self.end)").replace("    @step\n    def start", "    @retry(times=4)\n    @step\n    def start")],
  ["FL106", "@batch with a 60 s timeout and an absolute tmpfs_path", linear("", "        self.next(self.end)").replace("    @step\n    def start", "    @timeout(seconds=60)\n    @batch(tmpfs_path=\"/scratch\")\n    @step\n    def start")],
  ["FL107", "merge_artifacts in a join, literal foreach", wrap(`
    @step
    def start(self):
        self.xs = [1]
        self.next(self.each, foreach="xs")

    @step
    def each(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.merge_artifacts(inputs)
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL108", "numeric strings and ints where numbers are expected", linear("", "        self.next(self.end)").replace("    @step\n    def start", "    @resources(memory=\"16000\", cpu=2)\n    @retry(times=2, minutes_between_retries=0.5)\n    @step\n    def start")],
  ["FL109", "imports Flowlens's metaflow package gives (client API, submodules, card reading), and a refused name only mentioned in a string", `"""from metaflow import Deployer"""\nfrom metaflow import Flow, namespace, current, Config, config_expr, user_step_decorator, exception\nfrom metaflow.cards import get_cards\nfrom metaflow.plugins.cards.exception import CardNotPresentException\n` + linear("", "        from metaflow import Run, get_namespace\n        print('from metaflow import tl_value')\n        self.next(self.end)")],
  ["FL013", "a switch inside a foreach whose cases go straight into the foreach's join", wrap(`
    @step
    def start(self):
        self.items = [1, 2]
        self.next(self.pick, foreach="items")

    @step
    def pick(self):
        self.kind = "even" if self.input % 2 == 0 else "odd"
        self.next({"even": self.even, "odd": self.odd}, condition="kind")

    @step
    def even(self):
        self.next(self.join)

    @step
    def odd(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL109", "only decorators Flowlens runs", linear("", "        self.next(self.end)").replace("    @step\n    def start", "    @retry\n    @batch(cpu=1)\n    @step\n    def start")],
  ["FL201", "an artifact set on every path, and a parameter", wrap(`
    alpha = Parameter("alpha", default=1)

    @step
    def start(self):
        self.mode = "a"
        self.next({"a": self.a, "b": self.b}, condition="mode")

    @step
    def a(self):
        self.value = 1
        self.next(self.done)

    @step
    def b(self):
        self.value = 2
        self.next(self.done)

    @step
    def done(self):
        print(self.value, self.alpha, self.mode)
        self.next(self.end)

    @step
    def end(self):
        print(self.value)
`)],
  ["FL202", "a foreach over an artifact set two steps earlier", wrap(`
    @step
    def start(self):
        self.xs = [1, 2]
        self.next(self.middle)

    @step
    def middle(self):
        self.next(self.each, foreach="xs")

    @step
    def each(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`)],
  ["FL203", "a join reading after merge_artifacts, and through inputs", wrap(`
    @step
    def start(self):
        self.next(self.a, self.b)

    @step
    def a(self):
        self.score = 1
        self.next(self.join)

    @step
    def b(self):
        self.score = 1
        self.next(self.join)

    @step
    def join(self, inputs):
        print(inputs.a.score, inputs[0].score)
        self.merge_artifacts(inputs)
        print(self.score)
        self.next(self.end)

    @step
    def end(self):
        print(self.score)
`)],
];

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
