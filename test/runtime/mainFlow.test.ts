// `flowlens run` runs the flow the analysis core names as the file's main flow: the one the
// `if __name__ == "__main__":` block instantiates, wherever the call is in that block, else the
// only flow; several flows and no such call is refused with one line, before anything runs.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { flowlens, workspace } from "./cli";

const twoFlows = (main: string) => `from metaflow import FlowSpec, step


class FirstFlow(FlowSpec):
    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        print("first flow ran")


class SecondFlow(FlowSpec):
    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        print("second flow ran")
${main}`;

const slow = { timeout: 120_000 };

void test("the flow started under __main__ runs, even after other statements there", slow, async () => {
  const { dir } = workspace();
  const file = join(dir, "two.py");
  writeFileSync(file, twoFlows(`\n\nif __name__ == "__main__":\n    import sys\n\n    FirstFlow()\n`));
  const r = await flowlens(["run", file, "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const started = r.events.find((e) => e.type === "run-started");
  assert.equal(started?.type === "run-started" ? started.flow : undefined, "FirstFlow");
});

void test("two flows and none started under __main__: refused with one line naming them", slow, async () => {
  const { dir } = workspace();
  const file = join(dir, "two.py");
  writeFileSync(file, twoFlows(""));
  const r = await flowlens(["run", file], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr.trim(), /^.*two\.py: it defines 2 flows \(FirstFlow, SecondFlow\) and its `if __name__ == "__main__":` block starts none of them/);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
});
