// The parameters form's rules: prefill, validation by type (JSON too), prompts, the request's values.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { launchArgs } from "../../../runtime/src/executors/local/pythonDir";
import { debugWrapperScript } from "../../../client/src/runs/debugWrapper";
import type { ParameterSpec } from "../../../client/src/runs/parameters";
import { defaultText, initialValue, parameterSpecs, parameterValues, promptFor, validateParameter } from "../../../client/src/runs/parameters";

const specs: ParameterSpec[] = parameterSpecs({
  parameters: [
    { name: "rates", type: "JSONType", default: "[0.01, 0.1]", help: "learning rates, as a JSON list" },
    { name: "epochs", type: "int", default: 3, help: "training epochs" },
    { name: "alpha", type: "float", default: 0.5 },
    { name: "verbose", type: "bool", default: false },
    { name: "label", type: "str", required: true, help: "a name" },
    "garbage",
    { type: "int" },
  ],
});

void test("specs are read from _graph_info; malformed entries are dropped", () => {
  assert.deepEqual(specs.map((s) => s.name), ["rates", "epochs", "alpha", "verbose", "label"]);
  assert.deepEqual(parameterSpecs(undefined), []);
});

void test("values are validated as the CLI validates them, JSON included", () => {
  const [rates, epochs, alpha, verbose, label] = specs as [ParameterSpec, ParameterSpec, ParameterSpec, ParameterSpec, ParameterSpec];
  assert.equal(validateParameter(rates, "[0.5, 1]"), undefined);
  assert.match(validateParameter(rates, "[0.5,") ?? "", /expected JSON/);
  assert.equal(validateParameter(epochs, "12"), undefined);
  assert.match(validateParameter(epochs, "1.5") ?? "", /integer/);
  assert.equal(validateParameter(alpha, "1e-3"), undefined);
  assert.match(validateParameter(alpha, "abc") ?? "", /number/);
  assert.equal(validateParameter(verbose, "Yes"), undefined);
  assert.match(validateParameter(verbose, "maybe") ?? "", /expected a boolean/);
  assert.equal(validateParameter(verbose, "off"), undefined, "click's BOOL words, as the CLI and Python take them");
  assert.match(validateParameter(label, "") ?? "", /required: a name/);
  assert.equal(validateParameter(epochs, ""), undefined, "empty means the default");
});

void test("prefill: the last value used for the flow, else the default; prompts show help, type and default", () => {
  const [rates, epochs] = specs as [ParameterSpec, ParameterSpec];
  assert.equal(initialValue(rates, undefined), "[0.01, 0.1]");
  assert.equal(initialValue(epochs, { epochs: "9" }), "9");
  assert.equal(defaultText(specs[3] as ParameterSpec), "false");
  assert.equal(promptFor(rates), "learning rates, as a JSON list · type JSON · default [0.01, 0.1]");
});

void test("only values that differ from the default go into the run request, as typed", () => {
  assert.deepEqual(parameterValues(specs, { rates: "[0.01, 0.1]", epochs: "5", alpha: "", label: "x y" }), { epochs: "5", label: "x y" });
});

void test("Debug step's --python wrapper runs only the runtime's worker under debugpy", () => {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-dbg-"));
  const fake = join(dir, "fake python");
  writeFileSync(fake, `#!/bin/sh\nfor a in "$@"; do printf '<%s>' "$a"; done\n`);
  chmodSync(fake, 0o755);
  const wrapper = join(dir, "wrapper.sh");
  writeFileSync(wrapper, debugWrapperScript(fake, 5678));
  chmodSync(wrapper, 0o755);
  // The arguments the runtime starts its worker and its probe with.
  const worker = execFileSync(wrapper, ["-u", ...launchArgs("/ext/dist/python", "worker")], { encoding: "utf8" });
  assert.equal(worker, "<-u><-m><debugpy><--connect><127.0.0.1:5678><--configure-subProcess><true></ext/dist/python/_flowlens_launch.py><worker>");
  const probe = execFileSync(wrapper, launchArgs("/ext/dist/python", "probe"), { encoding: "utf8" });
  assert.equal(probe, "</ext/dist/python/_flowlens_launch.py><probe>");
});
