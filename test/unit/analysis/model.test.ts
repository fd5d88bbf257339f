// The model's details that fixtures do not show: artifacts, transitions, parameters, imports.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { StepModel } from "../../../server/src/analysis/index";
import { getAnalyzer } from "./helpers";

const flow = (body: string, header = "from metaflow import FlowSpec, step, Parameter, JSONType, IncludeFile\n") =>
  `${header}\nclass F(FlowSpec):\n${body}\n\nif __name__ == "__main__":\n    F()\n`;

async function steps(src: string): Promise<Map<string, StepModel>> {
  const a = await getAnalyzer();
  const r = a.analyze(src);
  return new Map((r.flows[0]?.steps ?? []).map((s) => [s.name, s]));
}

void test("writes and reads of artifacts, in every form", async () => {
  const s = await steps(
    flow(`
    @step
    def start(self):
        self.a = 1
        self.b, self.c = 2, 3
        [self.d, *self.e] = [4, 5, 6]
        self.a += 1
        self.f: int = 7
        setattr(self, "g", 8)
        print(self.a, getattr(self, "h"), self.m.attr)
        self.x.y = 1
        self.helper()
        self.next(self.join_me, self.other)

    @step
    def join_me(self):
        self.next(self.j)

    @step
    def other(self):
        self.next(self.j)

    @step
    def j(self, inputs):
        print(inputs.join_me.a, inputs[0].b)
        for inp in inputs:
            print(inp.c)
        total = [i.d for i in inputs]
        for n, k in enumerate(inputs):
            print(k.e)
        self.merge_artifacts(inputs, include=["a", "b"])
        self.next(self.end)

    @step
    def end(self):
        pass

    def helper(self):
        pass
`),
  );
  const start = s.get("start");
  assert.ok(start);
  assert.deepEqual(
    start.writes.map((w) => `${w.name}:${w.writeKind ?? ""}`),
    ["a:assign", "b:tuple", "c:tuple", "d:tuple", "e:tuple", "a:augmented", "f:assign", "g:assign"],
  );
  assert.deepEqual(start.reads.map((r) => r.name), ["a", "a", "h", "m", "x"]);
  const j = s.get("j");
  assert.ok(j);
  assert.deepEqual(
    j.reads.map((r) => `${r.via}:${r.fromStep ?? ""}:${r.name}`),
    ["inputs-step:join_me:a", "inputs-index::b", "inputs-iter::c", "inputs-iter::d", "inputs-iter::e"],
  );
  assert.deepEqual(j.mergeArtifacts.map((m) => m.include), [["a", "b"]]);
  assert.equal(j.type, "join");
  assert.equal(start.type, "split-static");
  assert.equal(start.matchingJoin, "j");
});

void test("transitions: foreach, switch, parallel, and stray self.next", async () => {
  const s = await steps(
    flow(`
    @step
    def start(self):
        self.items = [1]
        self.next(self.each, foreach="items")

    @step
    def each(self):
        self.choice = "a"
        self.next({"a": self.x, "b": self.y, 1: self.x}, condition="choice")

    @step
    def x(self):
        if True:
            self.next(self.y)
        self.next(self.y)

    @step
    def y(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass
`),
  );
  assert.equal(s.get("start")?.foreachArtifact, "items");
  assert.equal(s.get("start")?.transition?.foreach?.artifact, "items");
  const each = s.get("each");
  assert.equal(each?.type, "split-switch");
  assert.deepEqual(each?.next, ["x", "y"]);
  assert.deepEqual(each?.switchCases, { a: "x", b: "y", "1": "x" });
  assert.equal(each?.condition, "choice");
  assert.equal(s.get("x")?.strayTransitions.length, 1);
  assert.equal(s.get("x")?.transition?.valid, true);
});

void test("parameters: names, types inferred from defaults, JSONType, IncludeFile, help, required", async () => {
  const a = await getAnalyzer();
  const r = a.analyze(
    flow(`
    alpha = Parameter("alpha", default=0.5, help="rate")
    n = Parameter(name="num-items", default=3)
    flag = Parameter("flag", default=False)
    config = Parameter("config", type=JSONType, default='{"a": 1}')
    title = Parameter("title", required=True)
    data = IncludeFile("data", is_text=True, default="data.csv")
    LIMIT = 10

    @step
    def start(self):
        print(self.alpha, self.n, self.LIMIT)
        self.next(self.end)

    @step
    def end(self):
        pass
`),
  );
  const params = r.flows[0]?.parameters ?? [];
  assert.deepEqual(
    params.map((p) => [p.attribute, p.name, p.kind, p.type, p.required]),
    [
      ["alpha", "alpha", "Parameter", "float", false],
      ["n", "num-items", "Parameter", "int", false],
      ["flag", "flag", "Parameter", "bool", false],
      ["config", "config", "Parameter", "JSONType", false],
      ["title", "title", "Parameter", "str", true],
      ["data", "data", "IncludeFile", "str", false],
    ],
  );
  assert.equal(params[0]?.help, "rate");
  assert.equal(params[0]?.default, 0.5);
  assert.deepEqual(r.flows[0]?.graph.constants, ["LIMIT"]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === "error"), []);
});

void test("FlowSpec and decorators resolve through aliases of metaflow and flowlens", async () => {
  const a = await getAnalyzer();
  const r = a.analyze(
    `import flowlens as fl\nfrom metaflow import step as s, retry as again\n\nclass F(fl.FlowSpec):\n    @again(times=1)\n    @s\n    def start(self):\n        self.next(self.end)\n\n    @fl.step\n    def end(self):\n        pass\n`,
  );
  const f = r.flows[0];
  assert.equal(f?.name, "F");
  const start = f?.steps.find((x) => x.name === "start");
  assert.deepEqual(start?.decorators.map((d) => [d.name, d.written, d.origin]), [
    ["retry", "again", "metaflow"],
    ["step", "s", "metaflow"],
  ]);
  assert.equal(f?.steps.find((x) => x.name === "end")?.decorators[0]?.origin, "flowlens");
  assert.deepEqual(r.diagnostics, []);
});

void test("a class that is not a flow is not reported; a class with steps but an unknown base is, with a warning", async () => {
  const a = await getAnalyzer();
  const r = a.analyze(
    `from metaflow import FlowSpec, step\nfrom somewhere import Mixin\n\nclass Plain:\n    pass\n\nclass F(Mixin):\n    @step\n    def start(self):\n        print(self.from_mixin)\n        self.next(self.end)\n\n    @step\n    def end(self):\n        pass\n`,
  );
  assert.deepEqual(r.flows.map((f) => f.name), ["F"]);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [["FL109", "warning"]]);
  assert.deepEqual(r.dependencies, ["somewhere"]);
});

void test("analysis never throws and reports internal trouble as FL000, on odd inputs", async () => {
  const a = await getAnalyzer();
  for (const text of ["", "\0\0\0", "class", "class F(FlowSpec):\n  @step\n  def", "@step\n" + "(".repeat(2000), "\uD800 lone surrogate"]) {
    const r = a.analyze(text);
    assert.ok(Array.isArray(r.flows) && Array.isArray(r.diagnostics));
  }
});

void test("a resolver that throws leaves the base unresolved instead of failing the analysis", async () => {
  const a = await getAnalyzer();
  const r = a.analyze("from metaflow import step\nfrom .base import Base\n\nclass F(Base):\n    @step\n    def start(self):\n        self.next(self.end)\n\n    @step\n    def end(self):\n        pass\n", {
    resolveModule: () => {
      throw new Error("disk on fire");
    },
  });
  assert.deepEqual(r.diagnostics.map((d) => d.code), ["FL109"]);
  assert.deepEqual(r.dependencies, [".base"]);
});

void test("a parameter's type follows the Python literal of its default (1.0 is a float)", async () => {
  const a = await getAnalyzer();
  const r = a.analyze(
    flow(`
    a = Parameter("a", default=1.0)
    b = Parameter("b", default=2)
    c = Parameter("c", default=-3)
    d = Parameter("d", default=1e3)
    e = Parameter("e", default=0x10)
    f = Parameter("f", default=1_000)

    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass
`),
  );
  assert.deepEqual(r.flows[0]?.parameters.map((p) => `${p.name}:${p.type}`), ["a:float", "b:int", "c:int", "d:float", "e:int", "f:int"]);
});

void test("a step inherited from another module gets its def line in that module, through two modules", async () => {
  const a = await getAnalyzer();
  const modules: Record<string, { file: string; text: string }> = {
    mid: { file: "/w/mid.py", text: "from metaflow import step\nfrom base import Base\n\n\nclass Mid(Base):\n    @step\n    def train(self):\n        self.next(self.end)\n" },
    base: { file: "/w/base.py", text: "from metaflow import FlowSpec, step\n\nclass Base(FlowSpec):\n    @step\n    def start(self):\n        self.next(self.train)\n\n    @step\n    def end(self):\n        pass\n" },
  };
  const r = a.analyze("from mid import Mid\n\n\nclass Child(Mid):\n    pass\n\n\nif __name__ == '__main__':\n    Child()\n", {
    file: "/w/flow.py",
    resolveModule: (name) => modules[name],
  });
  const steps = r.flows.find((f) => f.name === "Child")?.graph.steps;
  // Metaflow's `line` is the def line in the file that defines the step.
  assert.deepEqual({ start: steps?.start?.line, train: steps?.train?.line, end: steps?.end?.line }, { start: 5, train: 7, end: 9 });
  assert.deepEqual(r.diagnostics.map((d) => d.code), []);
});

void test("Config class attributes: names, defaults (value or file), parser, required; inherited; neither parameters nor constants", async () => {
  const a = await getAnalyzer();
  const r = a.analyze(
    `from metaflow import FlowSpec, step, Config\nimport metaflow as mf\n\nclass Base(FlowSpec):\n    shared = mf.Config("shared_cfg", default_value=[1, 2])\n\nclass F(Base):\n    LIMIT = 3\n    cfg = Config("cfg", default_value={"a": 1, "b": [True, None]}, help="tuning")\n    path_cfg = Config(name="paths", default="conf/paths.json", parser=my_parser, required=True)\n    computed = Config("computed", default_value=make_default)\n\n    @step\n    def start(self):\n        print(self.cfg.a, self.path_cfg, self.shared)\n        self.next(self.end)\n\n    @step\n    def end(self):\n        pass\n\nif __name__ == "__main__":\n    F()\n`,
  );
  const f = r.flows.find((x) => x.name === "F");
  const view = f?.configs.map((c) => [c.attribute, c.name, c.defaultValue, c.defaultValueText, c.defaultPath, c.parserText, c.required, c.inheritedFrom?.flow]);
  assert.deepEqual(view, [
    ["cfg", "cfg", { a: 1, b: [true, null] }, '{"a": 1, "b": [True, None]}', undefined, undefined, false, undefined],
    ["path_cfg", "paths", undefined, undefined, "conf/paths.json", "my_parser", true, undefined],
    ["computed", "computed", undefined, "make_default", undefined, undefined, false, undefined],
    ["shared", "shared_cfg", [1, 2], "[1, 2]", undefined, undefined, false, "Base"],
  ]);
  assert.equal(f?.configs[0]?.help, "tuning");
  assert.deepEqual(f?.parameters, []);
  assert.deepEqual(f?.graph.constants, ["LIMIT"]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === "error"), []);
});
