// One run request for both doors: `python flow.py run|resume|spin` (its Python side,
// runtime/python/flowlens/_cli/runrequest.py) and `flowlens run|resume|step`
// (runtime/src/cli/runRequest.ts) build the same request from equivalent command lines, and the
// CLI takes that request back as JSON with the same checks as its own arguments.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { join } from "node:path";
import { parseArgs } from "../../runtime/src/cli/args";
import { commonFlags, commonOptions } from "../../runtime/src/cli/runCommon";
import { configPairs, requestFromArgs } from "../../runtime/src/cli/runRequest";
import { parseRunRequest, type RunMode, type RunRequest } from "../../runtime/src/run/request";
import { flowlens, repo, workspace } from "./cli";

const flowFile = "/work/flows/flow.py";

/** The request `python flow.py ARGS` hands to the runtime, built by the Python side (nothing runs). */
function pythonRequest(args: string[]): RunRequest & { flow?: string } {
  const script = [
    "import json, sys",
    "from flowlens._cli.toplevel import parse_top_level",
    "from flowlens._cli import runrequest",
    "top, command, rest = parse_top_level(json.loads(sys.argv[1]))",
    "build = {'run': runrequest.run_request, 'resume': runrequest.resume_request, 'spin': runrequest.spin_request}[command]",
    // The builders take the flow's class, as `python flow.py` passes it.
    `print(json.dumps(build(${JSON.stringify(flowFile)}, type('EntryFlow', (), {}), top, rest)))`,
  ].join("\n");
  const out = spawnSync("python3", ["-c", script, JSON.stringify(args)], { env: { ...process.env, PYTHONPATH: join(repo, "runtime/python") }, encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  return parseRunRequest(out.stdout);
}

/** The request `flowlens MODE ARGS` builds, as its commands parse their arguments. */
function cliRequest(mode: RunMode, args: string[]): RunRequest {
  const withOrigin = mode === "run" ? commonOptions : [...commonOptions, "origin-run-id"];
  const parsed = parseArgs(args, { options: withOrigin, flags: commonFlags, pairs: mode === "step" ? [] : configPairs }, mode === "run");
  const step = parsed.positional[1];
  const origin = parsed.options.get("origin-run-id")?.at(-1);
  return requestFromArgs(parsed, mode, { ...(step !== undefined ? { step } : {}), ...(origin !== undefined ? { originRunId: origin } : {}) });
}

void test("python flow.py and flowlens build the same run request for equivalent command lines", () => {
  const top = ["--datastore=local", "--datastore-root", "/tmp/ds", "--with", "card:type=blank", "--config", "cfg", "c.json", "--config-value", "v", "[1]", "--branch", "dev"];
  const cases: [string[], RunMode, string[]][] = [
    [
      [...top, "run", "--alpha", "3", "--tag", "a", "--tag=b", "--max-workers", "0", "--max-num-splits=7", "--with", "batch:queue=q", "--run-id-file", "id.txt"],
      "run",
      [flowFile, "--alpha", "3", "--tag", "a", "--tag=b", "--max-workers", "0", "--max-num-splits=7", "--with", "batch:queue=q", "--run-id-file", "id.txt", ...top],
    ],
    [["run"], "run", [flowFile]],
    [["--production", "resume", "join", "--origin-run-id", "12", "--max-workers=2", "--no-reentrant"], "resume", [flowFile, "join", "--origin-run-id", "12", "--max-workers=2", "--production"]],
    [["resume"], "resume", [flowFile]],
    [["spin", "EntryFlow/12/train", "--run-id-file", "id"], "step", [flowFile, "train", "--origin-run-id", "12", "--run-id-file", "id"]],
    [["--with", "card", "spin", "train"], "step", [flowFile, "train", "--with", "card"]],
  ];
  for (const [pyArgs, mode, cliArgs] of cases) {
    const fromPython = pythonRequest(pyArgs);
    assert.equal(fromPython.flow, "EntryFlow", "Python names its flow class");
    const { flow: _flow, ...rest } = fromPython;
    const fromCli = cliRequest(mode, [...cliArgs, "--python", fromPython.python ?? ""]);
    // Key order is no part of a request: compare with the keys sorted.
    assert.deepEqual(sorted(rest), sorted(fromCli), pyArgs.join(" "));
    assert.deepEqual(parseRunRequest(JSON.stringify(fromCli)), fromCli, "a request survives JSON");
  }
});

function sorted(request: RunRequest): Record<string, unknown> {
  return Object.fromEntries(Object.entries(request).sort(([a], [b]) => a.localeCompare(b)));
}

void test("flowlens takes a request as --request-json and checks it as it checks its own arguments", { timeout: 60_000 }, async () => {
  const { dir } = workspace("test/runtime/fixtures/fragile/flow.py");
  const bad = await flowlens(["run", "--request-json", JSON.stringify({ mode: "run", file: "f0/flow.py", maxWorkers: "0" })], dir);
  const same = await flowlens(["run", "f0/flow.py", "--max-workers", "0"], dir);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, same.stderr, "one validation, one message");
  assert.match(bad.stderr, /^flowlens run: --max-workers needs a whole number of at least 1, got '0'\n/);
  const wrongMode = await flowlens(["run", "--request-json", JSON.stringify({ mode: "resume", file: "f0/flow.py" })], dir);
  assert.equal(wrongMode.code, 2);
  assert.match(wrongMode.stderr, /^flowlens run: the run request is for resume, not run\n/);
  const unknown = await flowlens(["resume", "--request-json", JSON.stringify({ mode: "resume", file: "f0/flow.py", colour: "red" })], dir);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^flowlens resume: the run request has an unknown field 'colour'\n/);
  const refused = await flowlens(["run", "--json", "--request-json", JSON.stringify({ mode: "run", file: "f0/flow.py", parameters: { count: "x" } })], dir);
  assert.equal(refused.code, 2);
  assert.deepEqual(refused.events.map((e) => e.type), ["run-refused"]);
});
