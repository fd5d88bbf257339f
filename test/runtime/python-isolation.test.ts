// Every Python that Flowlens starts imports the bundled `flowlens` and `metaflow`, never the
// workspace's: a `flowlens/` or `metaflow/` package (and a `json.py`) beside the flow file and in
// the working directory must not be imported by the workers, the fork-less task processes, the
// interpreter probe or the artifact preview, while the flow's own sibling modules still import as
// under `python flow.py run`. And `--python WRAPPER` starts the workers through the wrapper, so
// the environment and limits it sets reach the steps.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runPreview } from "../../client/src/previews/previewRunner";
import { probePython } from "../../runtime/src/executors/local";
import { artifact, datastore, finished, flowlens, repo, runIdOf, workspace } from "./cli";

const flowSource = `import json
import os
import resource

from metaflow import FlowSpec, step
from mylib import GREETING


class IsolatedFlow(FlowSpec):
    @step
    def start(self):
        import flowlens
        import metaflow

        self.greeting = GREETING
        self.metaflow_file = metaflow.__file__
        self.flowlens_file = flowlens.__file__
        self.json_file = json.__file__
        self.wrapped = os.environ.get("FLOWLENS_TEST_WRAPPED", "")
        self.nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    IsolatedFlow()
`;

/** Plants packages that, if imported, leave a marker file saying who imported them. */
function plant(dir: string, markers: string): void {
  for (const pkg of ["flowlens", "metaflow"]) {
    mkdirSync(join(dir, pkg), { recursive: true });
    writeFileSync(join(dir, pkg, "__init__.py"), `open(${JSON.stringify(join(markers, `${pkg}-from-${dir.replace(/\W/g, "_")}`))}, "w").write("imported")\nraise SystemExit("the workspace's ${pkg} was imported")\n`);
  }
  writeFileSync(join(dir, "json.py"), `open(${JSON.stringify(join(markers, `json-from-${dir.replace(/\W/g, "_")}`))}, "w").write("imported")\n`);
}

/** The flow and its sibling module; with `hostile`, planted packages beside it and in the working directory. */
function flowWorkspace(hostile = true): { dir: string; flow: string; markers: string } {
  const { dir } = workspace();
  const markers = join(dir, "markers");
  mkdirSync(markers);
  const flowDir = join(dir, "flows");
  mkdirSync(flowDir);
  const flow = join(flowDir, "flow.py");
  writeFileSync(flow, flowSource);
  writeFileSync(join(flowDir, "mylib.py"), `GREETING = "hello from mylib"\n`);
  if (hostile) {
    plant(flowDir, markers);
    plant(dir, markers);
  }
  return { dir, flow, markers };
}

const bundle = join(repo, "runtime", "python");

async function runIsolated(env: NodeJS.ProcessEnv): Promise<void> {
  const { dir, flow, markers } = flowWorkspace();
  const r = await flowlens(["run", flow, "--json"], dir, { FLOWLENS_PYTHON_DIR: bundle, ...env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(finished(r.events)?.status, "succeeded", r.stdout + r.stderr);
  assert.deepEqual(readdirSync(markers), [], "no planted module was imported");
  const ds = datastore(dir, "IsolatedFlow");
  const run = runIdOf(r.events);
  assert.equal(await artifact(ds, run, "start", "greeting"), "hello from mylib", "the flow's sibling module still imports");
  assert.equal(await artifact(ds, run, "start", "metaflow_file"), join(bundle, "metaflow", "__init__.py"));
  assert.equal(await artifact(ds, run, "start", "flowlens_file"), join(bundle, "flowlens", "__init__.py"));
  assert.notEqual(await artifact(ds, run, "start", "json_file"), join(dir, "json.py"));
}

void describe("the bundled packages come first, never the workspace's", () => {
  void test("forked tasks of a run import the bundled flowlens and metaflow, and the flow's own modules", () => runIsolated({}));

  void test("fork-less task processes (FLOWLENS_NO_FORK=1) too", () => runIsolated({ FLOWLENS_NO_FORK: "1" }));

  void test("the interpreter probe does not import the working directory's json.py", async () => {
    const { dir, markers } = flowWorkspace();
    const info = await probePython("python3", { ...process.env, FLOWLENS_PYTHON_DIR: bundle }, dir);
    assert.match(info.version, /^3\./);
    assert.deepEqual(readdirSync(markers), []);
  });

  void test("the artifact preview loads values with the bundled packages", async () => {
    const { dir, flow, markers } = flowWorkspace();
    const r = await flowlens(["run", flow, "--json"], dir, { FLOWLENS_PYTHON_DIR: bundle });
    assert.equal(r.code, 0, r.stderr);
    const ds = datastore(dir, "IsolatedFlow");
    const run = runIdOf(r.events);
    const task = (await ds.listTasks(run, "start"))[0] ?? "";
    const data = await ds.readDataJson(run, "start", task, (await ds.finishedAttempt(run, "start", task)) ?? 0);
    const sha = data?.objects.greeting ?? "";
    const preview = await runPreview({ python: "python3", pythonDir: bundle, datastore: { kind: "local", root: join(dir, ".metaflow"), env: {} }, flow: "IsolatedFlow", sha, flowFile: flow });
    assert.equal(preview.kind === "text" ? preview.text : JSON.stringify(preview), "hello from mylib");
    assert.deepEqual(readdirSync(markers), []);
  });
});

void describe("--python WRAPPER", () => {
  void test("workers start through the wrapper: its environment and ulimit reach the step", async () => {
    const { dir, flow } = flowWorkspace(false);
    const wrapper = join(dir, "python-wrapper.sh");
    writeFileSync(wrapper, `#!/bin/sh\nexport FLOWLENS_TEST_WRAPPED=yes\nulimit -n 200\nexec python3 "$@"\n`);
    chmodSync(wrapper, 0o755);
    const r = await flowlens(["run", flow, "--python", wrapper, "--json"], dir, { FLOWLENS_PYTHON_DIR: bundle });
    assert.equal(r.code, 0, r.stderr);
    const ds = datastore(dir, "IsolatedFlow");
    const run = runIdOf(r.events);
    assert.equal(await artifact(ds, run, "start", "wrapped"), "yes");
    assert.equal(await artifact(ds, run, "start", "nofile"), 200);
    assert.ok(existsSync(join(dir, ".metaflow", "IsolatedFlow", run)));
  });
});
