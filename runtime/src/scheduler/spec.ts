// What an executor is told about one attempt of a task: everything the harness needs to
// run it (inputs, decorators, retry state, the graph), derived from the scheduler's records.

import type { TaskSpec } from "../executors/types";
import { maxAttempts } from "../plan/plan";
import type { TaskRef } from "../../../server/src/protocol/runEvents";
import { parametersStep } from "./keys";
import type { SchedTask, SchedulerOptions } from "./types";

export function taskSpec(o: SchedulerOptions, task: SchedTask, ref: TaskRef): TaskSpec {
  const step = o.plan.steps[task.step];
  const spec: TaskSpec = {
    ref,
    flowFile: o.flowFile,
    flowName: o.plan.flow,
    inputPaths: task.inputPaths,
    retryCount: task.attempt,
    decorators: step?.decorators ?? [],
    env: { ...(o.env ?? {}), ...(step?.env ?? {}) },
    pathspec: `${o.plan.flow}/${o.runId}/${task.step}/${task.id}`,
    user: o.user,
    tags: o.tags,
    graph: o.plan.graph,
    finalAttempt: !step || task.attempt >= step.userRetries || task.attempt + 1 >= maxAttempts,
  };
  if (task.inputAttempts.some((a) => a !== null)) spec.inputAttempts = task.inputAttempts;
  if (task.step === parametersStep) spec.parameters = o.parameters ?? {};
  if (task.splitIndex !== undefined) {
    spec.splitIndex = task.splitIndex;
    spec.splitCount = task.stack.at(-1)?.count ?? 0;
  }
  if (step?.timeoutSeconds !== undefined) spec.timeoutSeconds = step.timeoutSeconds;
  if (o.clone) spec.originRunId = o.clone.originRunId;
  if (o.codePackage) spec.codePackage = o.codePackage;
  return spec;
}
