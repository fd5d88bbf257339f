// Picks the executor for a run: local Python workers, and with `--with batch` AWS Batch for
// every step (the Batch executor needs the S3 datastore, since the container reads and writes it).

import type { ObjectStore } from "../datastore/types";
import { LocalExecutor } from "../executors/local";
import type { Executor } from "../executors/types";

export interface ExecutorOptions {
  python: string;
  store: ObjectStore;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function createExecutor(o: ExecutorOptions): LocalExecutor {
  return new LocalExecutor({ python: o.python, datastoreEnv: o.store.pythonEnvironment(), env: o.env, cwd: o.cwd });
}

/** Wraps the local executor so that tasks go to AWS Batch; throws a one-line setup error when it cannot. */
export async function withBatch(local: Executor, store: ObjectStore, env: NodeJS.ProcessEnv): Promise<Executor> {
  if (store.kind !== "s3") throw new Error("--with batch needs the S3 datastore: add --datastore s3 --datastore-root s3://bucket/prefix");
  // Loaded only here, so that local runs never load the AWS SDK.
  const { BatchExecutor, routeExecutor } = await import("../executors/batch");
  return routeExecutor(local, new BatchExecutor({ store, env }), true);
}
