// Real runs read back through the client API: `flowlens run` writes the datastore, the client
// (runtime/python/flowlens/client) reads it, and a flow's own step reads an earlier flow's run
// the way Metaflow's tutorials do: Flow("ProducerFlow").latest_successful_run.data.total.
// Uses the built CLI (bin/flowlens.js -> dist/cli.js) when present, else the TypeScript source;
// either way the tasks run runtime/python (FLOWLENS_PYTHON_DIR).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMoto, type MotoServer } from "../remote/servers/moto";

const repoRoot = join(import.meta.dirname, "..", "..");
const pythonRoot = join(repoRoot, "runtime", "python");
const work = mkdtempSync(join(tmpdir(), "flowlens-client-it-"));

interface Outcome {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: work, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

function flowlensIn(extra: NodeJS.ProcessEnv, args: string[]): Promise<Outcome> {
  // Tasks import the client from the source tree, so a stale dist/python cannot hide a change.
  const env = { ...extra, FLOWLENS_PYTHON_DIR: pythonRoot };
  const built = join(repoRoot, "dist", "cli.js");
  if (existsSync(built)) return run(process.execPath, [join(repoRoot, "bin", "flowlens.js"), ...args], env);
  const tsx = join(repoRoot, "node_modules", "tsx", "dist", "loader.mjs");
  return run(process.execPath, ["--import", tsx, join(repoRoot, "runtime", "src", "cli", "main.ts"), ...args], env);
}

function flowlens(...args: string[]): Promise<Outcome> {
  return flowlensIn({}, args);
}

/** Runs a Python snippet against the temp project's datastore and parses the JSON it prints. */
async function readBack(code: string, env: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
  const out = await run("python3", ["-c", `import json\n${code}`], { PYTHONPATH: pythonRoot, PYTHONDONTWRITEBYTECODE: "1", ...env });
  assert.equal(out.code, 0, `python3 failed:\n${out.output}`);
  const last = out.output.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as Record<string, unknown>;
}

const producer = `from metaflow import FlowSpec, step


class ProducerFlow(FlowSpec):
    @step
    def start(self):
        self.items = [1, 2, 3]
        self.next(self.square, foreach="items")

    @step
    def square(self):
        self.sq = self.input * self.input
        print("square of %d is %d" % (self.input, self.sq))
        self.next(self.join)

    @step
    def join(self, inputs):
        self.total = sum(i.sq for i in inputs)
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    ProducerFlow()
`;

const consumer = `from metaflow import Flow, FlowSpec, step


class ConsumerFlow(FlowSpec):
    @step
    def start(self):
        run = Flow("ProducerFlow").latest_successful_run
        self.origin = run.pathspec
        self.got = run.data.total
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    ConsumerFlow()
`;

const failing = `from metaflow import FlowSpec, step


class FailingFlow(FlowSpec):
    @step
    def start(self):
        self.x = 1
        self.next(self.boom)

    @step
    def boom(self):
        raise ValueError("bad input %d" % self.x)
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    FailingFlow()
`;

const resumable = `import os

from metaflow import FlowSpec, step


class ResumableFlow(FlowSpec):
    @step
    def start(self):
        self.x = 5
        self.next(self.fragile)

    @step
    def fragile(self):
        if not os.path.exists("fixed"):
            raise RuntimeError("not fixed yet")
        self.y = self.x * 2
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    ResumableFlow()
`;

let moto: MotoServer | undefined;

after(async () => {
  await moto?.stop();
  rmSync(work, { recursive: true, force: true });
});

before(() => {
  writeFileSync(join(work, "resumable.py"), resumable);
  writeFileSync(join(work, "producer.py"), producer);
  writeFileSync(join(work, "consumer.py"), consumer);
  writeFileSync(join(work, "failing.py"), failing);
});

void test("a real foreach run reads back: data, tasks by index, logs, code", { timeout: 180_000 }, async () => {
  const out = await flowlens("run", "producer.py");
  assert.equal(out.code, 0, `flowlens run producer.py failed:\n${out.output}`);
  const got = await readBack(`
from metaflow import Flow
run = Flow("ProducerFlow").latest_run
tasks = sorted(run["square"], key=lambda t: t.index)
print(json.dumps({"id": run.id, "successful": run.successful, "finished": run.finished, "status": run.status,
    "total": run.data.total, "steps": [s.id for s in run],
    "squares": [[t.index, t.data.input, t.data.sq, t.stdout] for t in tasks],
    "code": "class ProducerFlow" in run.code.flowspec}))`);
  assert.deepEqual(got, {
    id: "1",
    successful: true,
    finished: true,
    status: "succeeded",
    total: 14,
    steps: ["end", "join", "square", "start"],
    squares: [
      [0, 1, 1, "square of 1 is 1\n"],
      [1, 2, 4, "square of 2 is 4\n"],
      [2, 3, 9, "square of 3 is 9\n"],
    ],
    code: true,
  });
});

void test("a flow's step reads an earlier flow's latest successful run", { timeout: 180_000 }, async () => {
  const out = await flowlens("run", "consumer.py");
  assert.equal(out.code, 0, `flowlens run consumer.py failed:\n${out.output}`);
  const got = await readBack(`
from metaflow import Flow
run = Flow("ConsumerFlow").latest_successful_run
print(json.dumps({"got": run.data.got, "origin": run.data.origin}))`);
  assert.deepEqual(got, { got: 14, origin: "ProducerFlow/1" });
});

void test("a failed run is reported as failed, with the step's exception", { timeout: 180_000 }, async () => {
  const out = await flowlens("run", "failing.py");
  assert.notEqual(out.code, 0, `a failing flow must exit non-zero:\n${out.output}`);
  const got = await readBack(`
from metaflow import Flow
run = Flow("FailingFlow").latest_run
task = run["boom"].task
print(json.dumps({"successful": run.successful, "finished": run.finished, "status": run.status,
    "latest_successful": Flow("FailingFlow").latest_successful_run is None, "data": run.data is None,
    "task_finished": task.finished, "task_ok": task.successful, "exception": str(task.exception)}))`);
  assert.deepEqual(got, {
    successful: false,
    finished: false,
    status: "failed",
    latest_successful: true,
    data: true,
    task_finished: true,
    task_ok: false,
    exception: "builtins.ValueError: bad input 1",
  });
});

void test("a resumed run reads back with its cloned tasks and its origin", { timeout: 180_000 }, async () => {
  const first = await flowlens("run", "resumable.py");
  assert.notEqual(first.code, 0, `the first run must fail:\n${first.output}`);
  writeFileSync(join(work, "fixed"), "");
  const resumed = await flowlens("resume", "resumable.py");
  assert.equal(resumed.code, 0, `flowlens resume resumable.py failed:\n${resumed.output}`);
  const got = await readBack(`
from metaflow import Flow
flow = Flow("ResumableFlow")
run = flow.latest_successful_run
origin = flow[run.origin_run_id]
print(json.dumps({"runs": [[r.id, r.status] for r in flow], "latest": run.id, "origin": run.origin_run_id,
    "y": run.data.y, "same_sha": run["start"].task["x"].sha == origin["start"].task["x"].sha,
    "origin_meta": run["start"].task.metadata_dict.get("origin-run-id")}))`);
  assert.deepEqual(got, {
    runs: [
      ["2", "succeeded"],
      ["1", "failed"],
    ],
    latest: "2",
    origin: "1",
    y: 10,
    same_sha: true,
    origin_meta: "1",
  });
});

void test("on S3 (moto on loopback), a step reads an earlier flow's run and the client reads both back", { timeout: 240_000 }, async () => {
  moto = await startMoto();
  const env = { ...moto.env, AWS_DEFAULT_REGION: "us-east-1" };
  const bucket = await run("python3", ["-c", "import boto3; boto3.client('s3').create_bucket(Bucket='client-it')"], env);
  assert.equal(bucket.code, 0, `creating the bucket failed:\n${bucket.output}`);
  const root = "s3://client-it/ds";
  for (const file of ["producer.py", "consumer.py"]) {
    const out = await flowlensIn(env, ["run", file, "--datastore", "s3", "--datastore-root", root]);
    assert.equal(out.code, 0, `flowlens run ${file} on S3 failed:\n${out.output}`);
  }
  const got = await readBack(
    `
from metaflow import Flow, get_metadata
run = Flow("ConsumerFlow").latest_successful_run
tasks = sorted(Flow("ProducerFlow").latest_run["square"], key=lambda t: t.index)
print(json.dumps({"metadata": get_metadata(), "got": run.data.got, "origin": run.data.origin,
    "squares": [[t.index, t.data.sq, t.stdout] for t in tasks], "code": "class ConsumerFlow" in run.code.flowspec}))`,
    { ...env, FLOWLENS_DATASTORE: "s3", FLOWLENS_DATASTORE_ROOT: root },
  );
  assert.deepEqual(got, {
    metadata: `s3@${root}`,
    got: 14,
    origin: "ProducerFlow/1",
    squares: [
      [0, 1, "square of 1 is 1\n"],
      [1, 4, "square of 2 is 4\n"],
      [2, 9, "square of 3 is 9\n"],
    ],
    code: true,
  });
});
