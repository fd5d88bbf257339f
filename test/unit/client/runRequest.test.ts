// The editor's runs go through the run request: it builds the same typed request the `flowlens`
// command builds from its arguments (runtime/src/cli/runRequest.ts), hands it to the CLI as
// JSON, and its log pane shows the terminal command that builds that very request.

import assert from "node:assert/strict";
import { test } from "node:test";
import { cliArgs, terminalArgs, userCommandLine } from "../../../client/src/runs/cliArgs";
import { editorRunRequest } from "../../../client/src/runs/editorRequest";
import { parseArgs } from "../../../runtime/src/cli/args";
import { commonFlags, commonOptions } from "../../../runtime/src/cli/runCommon";
import { configPairs, requestFromArgs } from "../../../runtime/src/cli/runRequest";
import { parseRunRequest, type RunMode, type RunRequest } from "../../../runtime/src/run/request";

/** The request `flowlens MODE ARGS` builds, as its run, resume and step commands parse their arguments. */
function cliRequest(mode: RunMode, args: string[]): RunRequest {
  const options = mode === "run" ? commonOptions : [...commonOptions, "origin-run-id"];
  const parsed = parseArgs(args, { options, flags: commonFlags, pairs: mode === "step" ? [] : configPairs }, mode === "run");
  const step = parsed.positional[1];
  const origin = parsed.options.get("origin-run-id")?.at(-1);
  return requestFromArgs(parsed, mode, { ...(step !== undefined ? { step } : {}), ...(origin !== undefined ? { originRunId: origin } : {}) });
}

const ctx = { python: "/usr/bin/python3", datastore: { kind: "local" as const, root: "/w/.metaflow" } };

void test("Run step equals what flowlens step builds from the equivalent command line", () => {
  const editor = editorRunRequest({ mode: "step", file: "/w/flow.py", flow: "TrainFlow", step: "train", originRunId: "4" }, ctx);
  const argv = ["/w/flow.py", "train", "--origin-run-id", "4", "--python", "/usr/bin/python3", "--datastore", "local", "--datastore-root", "/w/.metaflow"];
  assert.deepEqual(editor, cliRequest("step", argv));
  // Debug step: the same step, under the debugger's wrapper, one task at a time.
  const debug = editorRunRequest({ mode: "debug", file: "/w/flow.py", step: "train" }, { python: "/tmp/wrapper.sh", maxWorkers: "1" });
  assert.deepEqual(debug, cliRequest("step", ["/w/flow.py", "train", "--python", "/tmp/wrapper.sh", "--max-workers", "1"]));
});

void test("Run flow with parameters, and resume, equal what flowlens run and resume build", () => {
  const run = editorRunRequest({ mode: "run", file: "/w/flow.py", parameters: { epochs: "5", label: "x y" } }, ctx);
  assert.deepEqual(run, cliRequest("run", ["/w/flow.py", "--epochs", "5", "--label", "x y", "--python", "/usr/bin/python3", "--datastore", "local", "--datastore-root", "/w/.metaflow"]));
  assert.deepEqual(editorRunRequest({ mode: "run", file: "/w/flow.py" }, ctx).parameters, {}, "a run without parameters asks for none, as the CLI does");
  const resume = editorRunRequest({ mode: "resume", file: "/w/flow.py", originRunId: "4" }, { python: "py" });
  assert.deepEqual(resume, cliRequest("resume", ["/w/flow.py", "--origin-run-id", "4", "--python", "py"]));
  const from = editorRunRequest({ mode: "resume", file: "/w/flow.py", step: "join" }, { python: "py" });
  assert.deepEqual(from, cliRequest("resume", ["/w/flow.py", "join", "--python", "py"]));
});

void test("the CLI is started with the request as JSON; the log pane shows the terminal command", () => {
  const request = editorRunRequest({ mode: "run", file: "/w/my flow.py", parameters: { epochs: "5", label: "it's" } }, ctx);
  const args = cliArgs(request);
  assert.deepEqual([args[0], args[1], args[3]], ["run", "--request-json", "--json"]);
  assert.deepEqual(parseRunRequest(args[2] ?? ""), request, "the request survives the hand-over");
  // What a person would type: no JSON hand-over, no --json (the editor reads events, a person reads text).
  assert.equal(userCommandLine(request), `flowlens run '/w/my flow.py' --epochs 5 --label 'it'\\''s' --python /usr/bin/python3 --datastore local --datastore-root /w/.metaflow`);
  const step = editorRunRequest({ mode: "debug", file: "/w/flow.py", step: "train", originRunId: "4" }, { python: "py", maxWorkers: "1" });
  assert.equal(userCommandLine(step), "flowlens step /w/flow.py train --origin-run-id 4 --python py --max-workers 1");
});

void test("the terminal command the log pane shows builds back the same request, every field", () => {
  const requests: RunRequest[] = [
    {
      mode: "run",
      file: "flow.py",
      parameters: { alpha: "0.5", "learning-rate": "[1, 2]" },
      python: "py",
      datastore: "s3",
      datastoreRoot: "s3://b/p",
      maxWorkers: "2",
      maxNumSplits: "7",
      runIdFile: "id.txt",
      tags: ["a", "b c"],
      with: ["batch:queue=q", "card"],
      executorOptions: { "batch-queue": "q2", "kubernetes-namespace": "ns" },
      config: [["cfg", "c.json"]],
      configValue: [["v", '{"k": 1}']],
      branch: "dev",
      production: true,
    },
    { mode: "resume", file: "flow.py", step: "join", originRunId: "12", config: [["cfg", "c.json"]] },
    { mode: "step", file: "flow.py", step: "train", tags: ["t"], with: ["kubernetes"] },
  ];
  for (const request of requests) {
    const [mode, ...rest] = terminalArgs(request);
    assert.equal(mode, request.mode);
    assert.deepEqual(cliRequest(request.mode, rest), request, rest.join(" "));
  }
});
