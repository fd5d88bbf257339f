// The executor registry: which steps each executor takes (decorator or `--with`), how tasks are
// routed, and how a setup problem becomes one message before any task. Executors here are fakes
// declared the way a new executor folder declares itself.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { analyzeFile } from "../../../server/src/parser/analyzeFromDisk";
import type { FlowModel } from "../../../server/src/analysis/model";
import { LocalObjectStore } from "../../../runtime/src/datastore/local";
import { parseWithExecutor, withExecutors, withNames } from "../../../runtime/src/run/executor";
import { decoratedRoutes, type ExecutorDefinition, type ExecutorSetup } from "../../../runtime/src/executors/definition";
import { batchExecutor } from "../../../runtime/src/executors/batch/definition";
import { kubernetesExecutor } from "../../../runtime/src/executors/kubernetes/definition";
import type { Executor, TaskSpec } from "../../../runtime/src/executors/types";

const flowText = `from metaflow import FlowSpec, step, batch, kubernetes


class RoutedFlow(FlowSpec):
    @step
    def start(self):
        self.next(self.train)

    @batch(queue="gpu", memory=4096)
    @step
    def train(self):
        self.next(self.score)

    @kubernetes
    @step
    def score(self):
        self.next(self.end)

    @step
    def end(self):
        pass
`;

async function flow(): Promise<FlowModel> {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-registry-"));
  writeFileSync(join(dir, "flow.py"), flowText);
  const { result } = await analyzeFile(join(dir, "flow.py"));
  const f = result.flows[0];
  if (!f) throw new Error("no flow");
  return f;
}

class NamedExecutor implements Executor {
  readonly ran: string[] = [];
  closed = false;
  constructor(readonly name: string) {}
  runTask(spec: TaskSpec): Promise<{ ok: boolean; durationMs: number }> {
    this.ran.push(spec.ref.step);
    return Promise.resolve({ ok: true, durationMs: 0 });
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** An executor folder's definition, as a Kubernetes one would be written. */
function fakeDefinition(name: string, made: NamedExecutor[], fail?: string): ExecutorDefinition {
  return {
    name,
    title: name.toUpperCase(),
    withHelp: `run every step on ${name}`,
    options: [],
    routes: (setup) => decoratedRoutes(name, setup.flow, setup.all),
    create: () => {
      const e = new NamedExecutor(name);
      made.push(e);
      return Promise.resolve(e);
    },
    preflight: () => (fail ? Promise.reject(new Error(fail)) : Promise.resolve()),
  };
}

const spec = (step: string): TaskSpec => ({ ref: { flow: "RoutedFlow", runId: "1", step, taskId: "1", attempt: 0 }, flowFile: "flow.py", flowName: "RoutedFlow", inputPaths: [], retryCount: 0, decorators: [], env: {}, pathspec: "", user: "u", tags: [] });

void test("decorated steps go to their executor, the rest (and _parameters) stay local", async () => {
  const f = await flow();
  const made: NamedExecutor[] = [];
  const local = new NamedExecutor("local");
  const store = new LocalObjectStore(mkdtempSync(join(tmpdir(), "flowlens-registry-ds-")));
  const routed = await withExecutors(local, store, {}, f, { with: [], options: new Map() }, [fakeDefinition("kubernetes", made)]);
  for (const step of ["_parameters", "start", "train", "score", "end"]) await routed.runTask(spec(step), () => undefined, new AbortController().signal);
  assert.deepEqual(made[0]?.ran, ["score"]);
  assert.deepEqual(local.ran, ["_parameters", "start", "train", "end"]);
  assert.equal(routed.name, "local+kubernetes");
  await routed.close();
  assert.equal(made[0]?.closed, true);
  assert.equal(local.closed, true);
});

void test("--with NAME takes every step; no route means the executor is never built", async () => {
  const f = await flow();
  const store = new LocalObjectStore(mkdtempSync(join(tmpdir(), "flowlens-registry-ds-")));
  const made: NamedExecutor[] = [];
  const unused: NamedExecutor[] = [];
  const local = new NamedExecutor("local");
  const routed = await withExecutors(local, store, {}, f, { with: ["remote"], options: new Map() }, [fakeDefinition("remote", made), fakeDefinition("unused", unused)]);
  for (const step of ["start", "end"]) await routed.runTask(spec(step), () => undefined, new AbortController().signal);
  assert.deepEqual(made[0]?.ran, ["start", "end"]);
  assert.equal(unused.length, 0);
});

void test("a failed preflight is one message naming the executor, and what was built is closed", async () => {
  const f = await flow();
  const store = new LocalObjectStore(mkdtempSync(join(tmpdir(), "flowlens-registry-ds-")));
  const made: NamedExecutor[] = [];
  const run = withExecutors(new NamedExecutor("local"), store, {}, f, { with: [], options: new Map() }, [fakeDefinition("kubernetes", made, "namespace ml does not exist")]);
  await assert.rejects(run, { message: "cannot send tasks to KUBERNETES: namespace ml does not exist" });
  assert.equal(made[0]?.closed, true);
});

void test("a step two executors take is refused", async () => {
  const f = await flow();
  const store = new LocalObjectStore(mkdtempSync(join(tmpdir(), "flowlens-registry-ds-")));
  const run = withExecutors(new NamedExecutor("local"), store, {}, f, { with: ["a"], options: new Map() }, [fakeDefinition("a", []), fakeDefinition("kubernetes", [])]);
  await assert.rejects(run, { message: "step score is sent both to A and to KUBERNETES: keep one" });
});

void test("AWS Batch: @batch steps with their queue on an S3 datastore; none on a local one unless --with batch, which says it needs S3", async () => {
  const f = await flow();
  assert.ok(withNames.includes("batch"));
  const setup = (kind: "local" | "s3", all: boolean): ExecutorSetup => ({ flow: f, store: { kind } as ExecutorSetup["store"], env: {}, all, options: new Map() });
  assert.deepEqual(batchExecutor.routes(setup("s3", false)), [{ step: "train", args: { queue: "gpu", memory: 4096 } }]);
  assert.deepEqual(batchExecutor.routes(setup("local", false)), [], "on a local datastore @batch steps run here");
  const all = batchExecutor.routes(setup("local", true));
  assert.deepEqual(all.map((r) => r.step), ["start", "train", "score", "end"]);
  await assert.rejects(batchExecutor.create(setup("local", true), all), { message: "--with batch needs the S3 datastore: add --datastore s3 --datastore-root s3://bucket/prefix" });
});

void test("Kubernetes: @kubernetes steps on an S3 datastore; --with kubernetes:k=v gives the other steps its arguments; arguments Flowlens does not run are refused, one line each", async () => {
  const f = await flow();
  assert.ok(withNames.includes("kubernetes"));
  const setup = (kind: "local" | "s3", all: boolean, withArgs?: Record<string, string>): ExecutorSetup => ({ flow: f, store: { kind, root: "/tmp/x" } as ExecutorSetup["store"], env: {}, all, options: new Map(), ...(withArgs ? { withArgs } : {}) });
  assert.deepEqual(kubernetesExecutor.routes(setup("s3", false)), [{ step: "score", args: {} }]);
  assert.deepEqual(kubernetesExecutor.routes(setup("local", false)), [], "on a local datastore @kubernetes steps run here");
  const all = kubernetesExecutor.routes(setup("s3", true, { cpu: "2", port: "80" }));
  assert.deepEqual(all, [
    { step: "start", args: { cpu: "2", port: "80" } },
    { step: "train", args: { cpu: "2", port: "80" } },
    { step: "score", args: {} },
    { step: "end", args: { cpu: "2", port: "80" } },
  ]);
  await assert.rejects(kubernetesExecutor.create(setup("local", true), all), (e: Error) => {
    const lines = e.message.split("\n");
    assert.equal(lines.length, 4, e.message);
    assert.match(lines[0] ?? "", /^step start: @kubernetes\(port=\.\.\.\) is not supported: Flowlens opens no port/);
    assert.match(lines[3] ?? "", /^--with kubernetes needs the S3 datastore/);
    return true;
  });
});

void test("--with NAME:k=v: the executor and its arguments; refused for an executor that takes none", () => {
  assert.deepEqual(parseWithExecutor("kubernetes"), { name: "kubernetes", args: {} });
  assert.deepEqual(parseWithExecutor("kubernetes:cpu=2,image=repo/img:1.0,node_selector=a=b"), { name: "kubernetes", args: { cpu: "2", image: "repo/img:1.0", node_selector: "a=b" } });
  assert.equal(parseWithExecutor("card:type=blank"), undefined);
  const reason = (value: string): string => {
    const parsed = parseWithExecutor(value);
    return typeof parsed === "string" ? parsed : "";
  };
  assert.match(reason("kubernetes:cpu"), /each argument is NAME=VALUE, got 'cpu'/);
  assert.match(reason("batch:queue=q"), /AWS Batch takes no arguments here \(write --with batch\)/);
});
