// The execution seam of the runtime: the scheduler hands a task to an executor and gets its
// result. Local Python workers and AWS Batch implement the same interface.

import type { GraphInfo } from "../../../server/src/analysis/model";
import type { TaskRef, TaskState } from "../../../server/src/protocol/runEvents";

export interface TaskSpec {
  ref: TaskRef;
  /** Absolute path of the flow file and the flow class to run. */
  flowFile: string;
  flowName: string;
  /** Pathspecs `run/step/task` of the parent tasks whose artifacts are this task's inputs (a join has several). */
  inputPaths: string[];
  /**
   * The finished attempt of each input, in the order of `inputPaths`, as the scheduler saw it
   * succeed (null for an input it did not see, such as a reused `_parameters` task). The harness
   * reads these attempts instead of listing each input's folder for its latest finished one.
   */
  inputAttempts?: (number | null)[];
  /** For a task of a foreach: its position among its siblings. */
  splitIndex?: number;
  /** Retries used so far for user-code failures (0 on the first attempt); `current.retry_count`. */
  retryCount: number;
  /** The step's decorators, as in `_graph_info` (the harness honours @catch, @timeout, @environment). */
  decorators: { name: string; attributes: Record<string, unknown> }[];
  /** Extra environment for the task (`@environment(vars=...)` is applied by the harness itself). */
  env: Record<string, string>;
  /** Seconds before the task is killed (from @timeout), if any. */
  timeoutSeconds?: number;
  /** The origin run for resume and single-step runs (`current.origin_run_id`). */
  originRunId?: string;
  /** `Flow/run/step/task` of `current.pathspec`. */
  pathspec: string;
  /** User and tags for `current`. */
  user: string;
  tags: string[];
  /** The flow's `_graph_info` (from the analysis core). The harness stores it as an artifact and checks each `self.next` against it. */
  graph?: GraphInfo;
  /** For the `_parameters` pseudo-task: the values given on the command line, by parameter name, as text. */
  parameters?: Record<string, string>;
  /** True when no @retry attempt follows a user-code failure of this attempt: @catch applies now. */
  finalAttempt?: boolean;
  /** For a foreach child: how many siblings it has (the parent's `_foreach_num_splits`). */
  splitCount?: number;
  /**
   * The run's code package, already stored under the datastore root: an executor that ships code
   * (Batch) sends exactly the code the run recorded, without building the archive again.
   */
  codePackage?: { sha: string; key: string };
}

/** What a finished task decided: the `self.next` it made, as the scheduler needs it. */
export interface TaskTransition {
  /** Step names the task transitions to (for a switch: the one chosen). */
  next: string[];
  /** For a foreach: how many children to create. */
  foreachCount?: number;
  /** For a switch: the condition's value, for messages. */
  switchValue?: string;
}

export interface TaskFailure {
  /** The exception type and message, e.g. "ValueError: bad input". */
  headline: string;
  traceback?: string;
  /** `file:line` of the innermost frame in the flow file. */
  location?: string;
  /** Whether the failure is the user's code (retried with @retry) or the infrastructure (retried separately). */
  kind: "user" | "infrastructure" | "timeout" | "cancelled";
  /** The task process's exit code, when it exited without a result. */
  exitCode?: number;
  /** The signal that ended the task process ("SIGKILL"), when one did. */
  signal?: string;
  /** The task process's peak resident memory, measured when the attempt finished. */
  peakRssBytes?: number;
}

export interface TaskResult {
  ok: boolean;
  transition?: TaskTransition;
  failure?: TaskFailure;
  /** Set when @catch turned a failure into success. */
  caught?: TaskFailure;
  durationMs: number;
  /** The task process's peak resident memory, measured when the attempt finished. */
  peakRssBytes?: number;
}

/** What an executor reports while a task runs. */
export type TaskOutput =
  | { kind: "log"; stream: "stdout" | "stderr"; line: string; ts: number }
  | { kind: "artifact"; name: string; sha: string; size: number; typeName: string; ts: number }
  | { kind: "state"; state: TaskState; reason?: string; remote?: { backend: string; status: string; jobId?: string } };

export interface Executor {
  readonly name: string;
  /** Runs one attempt of one task. Resolves (never rejects) with the outcome; `signal` cancels it. */
  runTask(spec: TaskSpec, sink: (output: TaskOutput) => void, signal: AbortSignal): Promise<TaskResult>;
  /** Stops workers and releases resources. */
  close(): Promise<void>;
}
