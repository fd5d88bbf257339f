// Sends a task to Batch when the run says `--with batch` or its step carries @batch, and to the
// local executor otherwise: the scheduler keeps talking to one Executor.
import type { Executor, TaskOutput, TaskResult, TaskSpec } from "../types";

export function routeExecutor(local: Executor, batch: Executor | undefined, withBatch: boolean): Executor {
  // The `_parameters` pseudo-task only converts the run's parameters: it stays local, as in Metaflow.
  const pick = (spec: TaskSpec): Executor =>
    batch && spec.ref.step !== "_parameters" && (withBatch || spec.decorators.some((d) => d.name === "batch")) ? batch : local;
  return {
    name: batch ? `${local.name}+${batch.name}` : local.name,
    runTask: (spec: TaskSpec, sink: (o: TaskOutput) => void, signal: AbortSignal): Promise<TaskResult> => pick(spec).runTask(spec, sink, signal),
    close: async () => {
      await Promise.all([local.close(), batch?.close()]);
    },
  };
}
