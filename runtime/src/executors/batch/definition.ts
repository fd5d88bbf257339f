// AWS Batch as the registry sees it: `@batch` steps (or every step with `--with batch`) go to
// Batch when the datastore is S3, since the container reads and writes the same root. With the
// local datastore a `@batch` step runs here, and the harness says so in the step's log.
import type { ExecutorDefinition, Route } from "../definition";
import { decoratedRoutes } from "../definition";
import type { BatchExecutor } from "./executor";

const queueOf = (r: Route): string | undefined => (typeof r.args.queue === "string" ? r.args.queue : undefined);

export const batchExecutor: ExecutorDefinition = {
  name: "batch",
  title: "AWS Batch",
  withHelp: "run every step on AWS Batch (needs --datastore s3; see docs/remote.md)",
  options: [{ name: "batch-queue", value: "NAME", help: "the AWS Batch job queue (default: $FLOWLENS_BATCH_QUEUE; @batch(queue=...) wins)" }],
  routes: (setup) => (setup.all || setup.store.kind === "s3" ? decoratedRoutes("batch", setup.flow, setup.all) : []),
  async create(setup, routes) {
    if (setup.store.kind !== "s3") {
      const which = setup.all ? "--with batch" : `@batch on step ${routes.map((r) => r.step).join(", ")}`;
      throw new Error(`${which} needs the S3 datastore: add --datastore s3 --datastore-root s3://bucket/prefix`);
    }
    // Loaded only here (dist/aws.js), so that local runs never load the AWS SDK.
    const { BatchExecutor } = await import("./index");
    const queue = setup.options.get("batch-queue");
    return new BatchExecutor({ store: setup.store, env: setup.env, ...(queue ? { settings: { queue } } : {}) });
  },
  // Every queue the run will use is checked once (it exists and is enabled; the bucket answers).
  async preflight(batch: BatchExecutor, routes) {
    const queues = new Set(routes.map((r) => queueOf(r) ?? batch.settings.queue));
    for (const queue of queues) await batch.preflight(queue);
  },
};
