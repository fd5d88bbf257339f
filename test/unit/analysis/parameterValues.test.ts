// The parameter-value rule of `flowlens run` and the editor's run form, on the table the Python
// side also runs (test/runtime/python/test_parameter_cases.py), so the three agree.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseParameterText } from "../../../server/src/analysis/parameterValues";
import { validateParameter } from "../../../client/src/runs/parameters";
import type { ParameterModel } from "../../../server/src/analysis/model";
import { resolveParameters } from "../../../runtime/src/run/params";
import { getAnalyzer } from "./helpers";

interface Case {
  type: string;
  text: string;
  value?: unknown;
  float?: "inf" | "-inf" | "nan";
  accepted?: true;
  error?: true;
}

const cases = (JSON.parse(readFileSync(join(__dirname, "..", "..", "cases", "parameter-values.json"), "utf8")) as { cases: Case[] }).cases;
const nonFinite = { inf: Infinity, "-inf": -Infinity, nan: NaN };

void test("every case of the shared table parses as the table says", () => {
  assert.ok(cases.length > 100);
  for (const c of cases) {
    const got = parseParameterText(c.type, c.text);
    const label = `${c.type} ${JSON.stringify(c.text)}`;
    if (c.error === true) {
      assert.equal(got.ok, false, `${label} is refused`);
      continue;
    }
    assert.ok(got.ok, `${label} is accepted: ${got.ok ? "" : got.error}`);
    if (c.float !== undefined) assert.ok(Object.is(got.value, nonFinite[c.float]), `${label} is ${c.float}`);
    else if (c.accepted !== true) assert.deepEqual(got.value, c.value, label);
  }
});

void test("the run form accepts exactly what the CLI accepts", () => {
  for (const c of cases.filter((k) => k.text !== "")) {
    const formError = validateParameter({ name: "p", type: c.type }, c.text);
    assert.equal(formError === undefined, c.error !== true, `form and table disagree on ${c.type} ${JSON.stringify(c.text)}: ${formError ?? "accepted"}`);
  }
});

void test("flowlens run reads --flag on, METAFLOW_RUN_ values and big integers by the same rule", () => {
  const span = { start: 0, end: 0 };
  const param = (name: string, type: ParameterModel["type"]): ParameterModel => ({ attribute: name, name, kind: "Parameter", type, required: false, span, nameSpan: span });
  const given = new Map([
    ["verbose", "on"],
    ["count", "12_345_678_901_234_567_890"],
  ]);
  const resolved = resolveParameters([param("verbose", "bool"), param("count", "int"), param("quiet", "bool"), param("scale", "float")], given, "/", () => "flow.py:1", {
    METAFLOW_RUN_QUIET: " OFF ",
    METAFLOW_RUN_SCALE: "-inf",
  });
  assert.deepEqual(resolved.problems, []);
  assert.deepEqual(resolved.json, { verbose: true, count: 12345678901234567890n, quiet: false, scale: "-Infinity" });
});

void test("a dict or list default makes a JSONType parameter, as in Python, so flowlens run checks its JSON", async () => {
  const text = `from metaflow import FlowSpec, Parameter, step


class JsonDefaultFlow(FlowSpec):
    cfg = Parameter("cfg", default={"a": 1})
    names = Parameter("names", default=["x"])
    label = Parameter("label", default=None)

    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass
`;
  const params = (await getAnalyzer()).analyze(text, {}).flows[0]?.parameters ?? [];
  assert.deepEqual(
    params.map((p) => [p.name, p.type]),
    [
      ["cfg", "JSONType"],
      ["names", "JSONType"],
      ["label", "str"],
    ],
  );
  const resolved = resolveParameters(params, new Map([["cfg", "{bad"]]), "/", () => "flow.py:5");
  assert.match(resolved.problems[0]?.message ?? "", /^--cfg: expected JSON/);
});
