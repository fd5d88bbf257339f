// The scheduler's own records: tasks with their place in the run (foreach/split frames) and
// the record each finished task leaves behind so that `resume` can replay the run; what a
// Scheduler is given and what it returns.

import type { Executor, TaskTransition } from "../executors/types";
import type { Plan } from "../plan/plan";
import type { RunEvent, RunFinishedEvent } from "../../../server/src/protocol/runEvents";
import type { MarkCounts } from "../../../server/src/protocol/runStates";

/** One enclosing split of a task: which split task opened it, and the task's branch in it. */
export interface Frame {
  split: string;
  splitTask: string;
  /** The split task's key, from which the join's key derives. */
  splitKey: string;
  index: number;
  count: number;
  foreach: boolean;
}

export interface SchedTask {
  id: string;
  step: string;
  /** Stable identity across runs (same step, same place in foreach/split/loop): resume matches on it. */
  key: string;
  /** The attempt running now; also `current.retry_count`, as in Metaflow. */
  attempt: number;
  inputPaths: string[];
  /** The attempt each input finished with, where the input is a task of this run (else null). */
  inputAttempts: (number | null)[];
  stack: Frame[];
  splitIndex?: number;
}

/** Written after a task succeeds (`_flowlens/tasks/<step>.<task>.json`). */
export interface TaskRecord {
  key: string;
  step: string;
  taskId: string;
  attempt: number;
  inputPaths: string[];
  stack: Frame[];
  splitIndex?: number;
  transition: TaskTransition;
  /** For a task `resume` reused: the origin run's task it was copied from (the client's `origin-task-id`). */
  cloned?: { runId: string; taskId: string };
}

/** Where the scheduler keeps task records and how it reuses an origin run's tasks. */
export interface RunStore {
  recordTask(record: TaskRecord): Promise<void>;
  /** Copies the origin run's finished task into this run. */
  cloneTask(record: TaskRecord): Promise<void>;
}

/** What `resume` and `step` reuse from the origin run. */
export interface CloneSource {
  originRunId: string;
  /** Finished tasks of the origin run, by key. */
  records: Map<string, TaskRecord>;
  /** Whether a task of this step may be reused (steps before the resumed step). */
  allowed(step: string): boolean;
  /** Why the origin's task with this key (or, for a record too damaged to name its key, of this step) is not reused: a line for the new task's log. */
  damage?(key: string, step: string): string | undefined;
}

/** What a Scheduler is given: the plan, the executor, where events go and what to reuse. */
export interface SchedulerOptions {
  plan: Plan;
  executor: Executor;
  runId: string;
  flowFile: string;
  maxWorkers: number;
  maxNumSplits: number;
  user: string;
  tags: string[];
  env?: Record<string, string>;
  emit: (event: RunEvent) => void;
  store?: RunStore;
  clone?: CloneSource;
  /** Single-step mode: only this step's tasks run; everything before it must be reused. */
  only?: string;
  /** The start task's inputs, when the `_parameters` task is reused rather than run. */
  startInputs?: string[];
  /** When set, the run begins with the `_parameters` task (id 0), given these command-line values. */
  parameters?: Record<string, string>;
  /** First task id to hand out (resume starts above the origin run's ids). */
  firstTaskId?: number;
  signal?: AbortSignal;
  /** The run's stored code package, handed to every task (TaskSpec.codePackage). */
  codePackage?: { sha: string; key: string };
}

export interface RunOutcome {
  status: RunFinishedEvent["status"];
  tasks: RunFinishedEvent["tasks"];
  /** Succeeded tasks that did so only after a retry, or with an exception @catch swallowed. */
  marks?: MarkCounts;
  error?: { headline: string; location?: string };
  durationMs: number;
}
