// The one vocabulary of run and task state, shared by the runtime (scheduler, CLI printer), the
// client (run session, status bar, Runs view) and the graph panel's marks. A task stopped with its
// run is `cancelled`: its own state, never a failure with a special reason. What a state is
// called on screen comes from `describeState` alone.

/** Every state a task can be in, in the order a task usually passes through them. */
export const taskStates = ["pending", "running", "retrying", "succeeded", "failed", "cancelled", "skipped", "cloned"] as const;

export type TaskState = (typeof taskStates)[number];

/** States a task does not leave (except a `failed` task after a resume, which is a new task). */
export type FinishedTaskState = Exclude<TaskState, "pending" | "running" | "retrying">;

export type RunStatus = "running" | "succeeded" | "failed" | "cancelled";

/** A run's state as readers see it: a run whose record says running but whose process is gone is `crashed`. */
export type RunState = RunStatus | "crashed";

/** A run as the editor follows it: before its first event it is starting; refused runs never start. */
export type RunSessionStatus = RunState | "starting" | "refused";

const sessionStatuses: ReadonlySet<string> = new Set<RunSessionStatus>(["starting", "running", "succeeded", "failed", "cancelled", "crashed", "refused"]);

export function isRunSessionStatus(x: unknown): x is RunSessionStatus {
  return typeof x === "string" && sessionStatuses.has(x);
}

const finished: ReadonlySet<TaskState> = new Set<TaskState>(["succeeded", "failed", "cancelled", "skipped", "cloned"]);

export function isFinishedTaskState(state: TaskState): state is FinishedTaskState {
  return finished.has(state);
}

export function isTaskState(x: unknown): x is TaskState {
  return typeof x === "string" && (taskStates as readonly string[]).includes(x);
}

/**
 * Earlier versions wrote a task stopped with its run as `failed` with the reason `"cancelled"`;
 * such events (and streams recorded from them) read as `cancelled`.
 */
export function readTaskState(state: TaskState, reason: string | undefined): TaskState {
  return state === "failed" && reason === "cancelled" ? "cancelled" : state;
}

/** How a run's tasks ended (the `_parameters` bookkeeping task is not counted). */
export type TaskCounts = Record<FinishedTaskState, number>;

export function emptyTaskCounts(): TaskCounts {
  return { succeeded: 0, failed: 0, cloned: 0, skipped: 0, cancelled: 0 };
}

export function totalTasks(c: TaskCounts): number {
  return c.succeeded + c.failed + c.cloned + c.skipped + c.cancelled;
}

/**
 * How a succeeded task ended when it was not plainly: `retried` succeeded only on a later attempt,
 * `caught` succeeded because @catch swallowed an exception. Neither is ever drawn as a plain
 * success; a task that is both reads as `caught` (the swallowed exception matters more).
 */
export const successMarks = ["retried", "caught"] as const;

export type SuccessMark = (typeof successMarks)[number];

/** Everything a state word or tone is asked for: a task state, a run state or a success mark. */
export type ShownState = TaskState | RunState | SuccessMark;

export function isSuccessMark(x: unknown): x is SuccessMark {
  return typeof x === "string" && (successMarks as readonly string[]).includes(x);
}

/** The mark of a succeeded task from its last attempt (0-based) and whether @catch caught something. */
export function successMark(attempt: number, caught: boolean): SuccessMark | undefined {
  if (caught) return "caught";
  return attempt > 0 ? "retried" : undefined;
}

/** "succeeded on attempt 3" / "@catch caught ValueError: bad": the detail a mark is shown with. */
export function describeMark(mark: SuccessMark, detail: { attempt: number; caught?: string }): string {
  if (mark === "caught") return `@catch caught ${detail.caught ?? "an exception"}`;
  return `succeeded on attempt ${detail.attempt + 1}`;
}

const words: Record<ShownState, string> = {
  pending: "pending",
  running: "running",
  retrying: "retrying",
  succeeded: "succeeded",
  failed: "failed",
  // The user stopped it (Stop run, Ctrl-C): the word of the button, not of the code.
  cancelled: "stopped",
  skipped: "skipped",
  cloned: "cloned",
  crashed: "crashed",
  retried: "succeeded after retry",
  caught: "caught an exception",
};

/** The word a user sees for a task or run state, in the terminal, the status bar, the Runs view and the graph. */
export function describeState(state: ShownState): string {
  return words[state];
}

/**
 * How a state reads at a glance: `ok` and `stopped` are calm, `error` is drawn as a failure, `busy`
 * is still moving, `warn` succeeded but deserves a look (a retry, a caught exception).
 */
export type StateTone = "ok" | "warn" | "error" | "stopped" | "busy" | "idle";

const tones: Record<ShownState, StateTone> = {
  pending: "idle",
  running: "busy",
  retrying: "busy",
  succeeded: "ok",
  cloned: "ok",
  failed: "error",
  crashed: "error",
  cancelled: "stopped",
  skipped: "stopped",
  retried: "warn",
  caught: "warn",
};

export function stateTone(state: ShownState): StateTone {
  return tones[state];
}

/** How many of a run's succeeded tasks carry each mark. */
export type MarkCounts = Record<SuccessMark, number>;

/** "3 succeeded (1 after retry, 1 caught an exception), 1 cloned, 1 stopped": the counts a run summary shows (succeeded always, others when not 0). */
export function describeTaskCounts(c: TaskCounts, marks?: MarkCounts): string {
  const order: FinishedTaskState[] = ["cloned", "failed", "cancelled", "skipped"];
  const marked = marks ? describeMarkCounts(marks) : "";
  return [`${c.succeeded} ${describeState("succeeded")}${marked ? ` (${marked})` : ""}`, ...order.filter((s) => c[s] > 0).map((s) => `${c[s]} ${describeState(s)}`)].join(", ");
}

/** "1 after retry, 2 caught an exception" (empty when no task is marked). */
export function describeMarkCounts(m: MarkCounts): string {
  const parts: string[] = [];
  if (m.retried > 0) parts.push(`${m.retried} after retry`);
  if (m.caught > 0) parts.push(`${m.caught} ${describeState("caught")}`);
  return parts.join(", ");
}
