// Sends each task to the executor that took its step (registry.ts), and the rest to the local
// executor: the scheduler keeps talking to one Executor.
import type { Executor, TaskOutput, TaskResult, TaskSpec } from "./types";

export interface RoutedExecutor {
  executor: Executor;
  steps: ReadonlySet<string>;
}

export function routeTasks(local: Executor, routed: readonly RoutedExecutor[]): Executor {
  if (routed.length === 0) return local;
  // The `_parameters` pseudo-task only converts the run's parameters: it stays local, as in Metaflow.
  const pick = (spec: TaskSpec): Executor => (spec.ref.step === "_parameters" ? undefined : routed.find((r) => r.steps.has(spec.ref.step))?.executor) ?? local;
  return {
    name: [local, ...routed.map((r) => r.executor)].map((e) => e.name).join("+"),
    runTask: (spec: TaskSpec, sink: (o: TaskOutput) => void, signal: AbortSignal): Promise<TaskResult> => pick(spec).runTask(spec, sink, signal),
    close: async () => {
      await Promise.all([local.close(), ...routed.map((r) => r.executor.close())]);
    },
  };
}
