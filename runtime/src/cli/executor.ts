// Picks the executor for a run: local Python workers, and AWS Batch for the steps marked
// `@batch` (or every step with `--with batch`). Batch needs the S3 datastore, since the
// container reads and writes the same root.

import type { FlowModel } from "../../../server/src/analysis/model";
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

export interface BatchChoice {
  /** `--with batch`: every step goes to Batch. */
  all: boolean;
  /** `--batch-queue`: the queue for steps whose `@batch` names none. */
  queue?: string;
}

/** The steps that go to Batch, each with the queue its `@batch(queue=...)` names, if any. */
export function batchSteps(flow: FlowModel, all: boolean): { step: string; queue?: string }[] {
  return flow.steps.flatMap((s) => {
    const deco = s.decorators.find((d) => d.name === "batch");
    if (!deco && !all) return [];
    const queue = deco?.args.find((a) => a.name === "queue")?.value;
    return [typeof queue === "string" ? { step: s.name, queue } : { step: s.name }];
  });
}

/**
 * Wraps the local executor so that Batch steps go to AWS Batch. Every queue the run will use is
 * checked first (it exists and is enabled; the bucket answers), so a setup problem is one
 * message before any task starts. Throws that message.
 */
export async function withBatch(local: Executor, store: ObjectStore, env: NodeJS.ProcessEnv, flow: FlowModel, choice: BatchChoice): Promise<Executor> {
  const steps = batchSteps(flow, choice.all);
  if (store.kind !== "s3") {
    const which = choice.all ? "--with batch" : `@batch on step ${steps.map((s) => s.step).join(", ")}`;
    throw new Error(`${which} needs the S3 datastore: add --datastore s3 --datastore-root s3://bucket/prefix`);
  }
  // Loaded only here, so that local runs never load the AWS SDK.
  const { BatchExecutor, routeExecutor } = await import("../executors/batch");
  const batch = new BatchExecutor({ store, env, ...(choice.queue ? { settings: { queue: choice.queue } } : {}) });
  const queues = new Set(steps.map((s) => s.queue ?? batch.settings.queue));
  try {
    for (const queue of queues) await batch.preflight(queue);
  } catch (error) {
    await batch.close();
    throw error;
  }
  return routeExecutor(local, batch, choice.all);
}
