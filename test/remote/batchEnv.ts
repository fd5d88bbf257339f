// Shared setup of the Batch tests: moto for S3, the Batch fixture server, a bucket, and specs.
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { LocalObjectStore } from "../../runtime/src/datastore/local";
import { S3ObjectStore } from "../../runtime/src/datastore/s3/store";
import { BatchExecutor } from "../../runtime/src/executors/batch/executor";
import type { BatchSettingsInput } from "../../runtime/src/executors/batch/settings";
import type { TaskOutput, TaskSpec } from "../../runtime/src/executors/types";
import { startBatchServer, type BatchServer, type BatchServerOptions } from "./servers/batchServer";
import { startMoto, type MotoServer } from "./servers/moto";

export const flowFile = join(__dirname, "fixtures", "batchflow", "flow.py");
const sourceRuntimeDir = join(__dirname, "..", "..", "runtime", "python");

/** A snapshot of runtime/python, so edits made to it while tests run cannot change the package's sha mid-test. */
export function snapshotRuntime(): string {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-pyruntime-"));
  cpSync(sourceRuntimeDir, dir, { recursive: true, filter: (src) => !src.includes("__pycache__") });
  return dir;
}

export interface BatchEnv {
  moto: MotoServer;
  batch: BatchServer;
  store: S3ObjectStore;
  env: NodeJS.ProcessEnv;
  /** The local folder Metaflow's metadata records of the jobs are copied into. */
  records: LocalObjectStore;
  executor(settings?: BatchSettingsInput): BatchExecutor;
  stop(): Promise<void>;
}

export async function startBatchEnv(bucket: string, server: Partial<BatchServerOptions> = {}): Promise<BatchEnv> {
  const moto = await startMoto();
  // The "instance role" of the fixture's containers: the host's PATH and Python, moto's credentials.
  const hostEnv = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith("AWS_"))) as Record<string, string>;
  const batch = await startBatchServer({ queues: ["flowlens-q"], containerEnv: { ...hostEnv, ...moto.env }, ...server });
  const pythonRuntimeDir = snapshotRuntime();
  const env: NodeJS.ProcessEnv = { ...moto.env, AWS_ENDPOINT_URL_BATCH: batch.endpoint };
  const store = new S3ObjectStore({ root: `s3://${bucket}/root`, env });
  await store.client.send(new CreateBucketCommand({ Bucket: bucket }));
  const records = new LocalObjectStore(mkdtempSync(join(tmpdir(), "flowlens-records-")));
  return {
    moto,
    batch,
    store,
    env,
    records,
    executor: (settings = {}) =>
      new BatchExecutor({ store, env, pythonRuntimeDir, records, settings: { queue: "flowlens-q", pollMinMs: 20, pollMaxMs: 100, logIntervalSeconds: 0.2, image: "python:3.11", ...settings } }),
    async stop() {
      await batch.stop();
      await moto.stop();
    },
  };
}

export function spec(step: string, taskId: string, inputPaths: string[], extra: Partial<TaskSpec> = {}, runId = "1"): TaskSpec {
  const attempt = extra.ref?.attempt ?? 0;
  return {
    ref: { flow: "BatchFlow", runId, step, taskId, attempt },
    flowFile,
    flowName: "BatchFlow",
    inputPaths,
    retryCount: attempt,
    decorators: [],
    env: {},
    pathspec: `BatchFlow/${runId}/${step}/${taskId}`,
    user: "tester",
    tags: [],
    ...extra,
  };
}

/** Collects a task's outputs, and lets a test wait for one of them. */
export class Outputs {
  readonly all: TaskOutput[] = [];
  private waiters: { match: (o: TaskOutput) => boolean; resolve: () => void }[] = [];
  readonly sink = (o: TaskOutput): void => {
    this.all.push(o);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(o)) return true;
      w.resolve();
      return false;
    });
  };
  waitFor(match: (o: TaskOutput) => boolean): Promise<void> {
    if (this.all.some(match)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
  statuses(): string[] {
    return this.all.flatMap((o) => (o.kind === "state" && o.remote ? [o.remote.status] : []));
  }
  lines(): string[] {
    return this.all.flatMap((o) => (o.kind === "log" ? [o.line] : []));
  }
}

export const flowDir = dirname(flowFile);
