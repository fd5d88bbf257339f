// What a run knows about its tasks, kept apart from how it runs them: fed every task's state as
// it changes, the tracker answers which tasks are pending, running, done or stopped, whether the
// run still launches tasks, and how it ended. Pure (no timers, processes or promises), so its
// rules are tested with plain calls; the scheduler's async loop asks it instead of keeping flags.

import type { TaskFailure } from "../executors/types";
import { emptyTaskCounts, isFinishedTaskState, taskStates, type MarkCounts, type RunStatus, type SuccessMark, type TaskCounts, type TaskState } from "../../../server/src/protocol/runStates";
import { parametersStep } from "./keys";
import { grown, TaskRows } from "./taskRows";

/** A state's code in `states` (its index in taskStates, plus one: 0 is no state). */
const stateCode = new Map<TaskState, number>(taskStates.map((s, i) => [s, i + 1]));

export interface RunError {
  headline: string;
  location?: string;
}

export class RunTracker {
  /** Every task's state as a byte, by its row (a few bytes a task, however wide the run). */
  private readonly rows = new TaskRows();
  private states = new Uint8Array(64);
  /** Succeeded tasks that did so only after a retry or with a caught exception, by `step/taskId`. */
  private readonly marks = new Map<string, SuccessMark>();
  private stopRequested = false;
  private halted = false;
  private firstError: RunError | undefined;

  /** Records a task's new state (a new task starts with `pending`). */
  observe(step: string, taskId: string, state: TaskState): void {
    const row = this.rows.add(step, taskId);
    if (row >= this.states.length) this.states = grown(this.states, row + 1);
    this.states[row] = stateCode.get(state) ?? 0;
  }

  /** Records how a succeeded task succeeded (no mark: plainly, which clears an earlier mark). */
  observeMark(step: string, taskId: string, mark: SuccessMark | undefined): void {
    if (mark === undefined) this.marks.delete(`${step}/${taskId}`);
    else this.marks.set(`${step}/${taskId}`, mark);
  }

  /** How many succeeded tasks carry each mark, without the `_parameters` bookkeeping task. */
  markCounts(): MarkCounts {
    const counts: MarkCounts = { retried: 0, caught: 0 };
    for (const [key, mark] of this.marks) if (!key.startsWith(`${parametersStep}/`)) counts[mark] += 1;
    return counts;
  }

  stateOf(step: string, taskId: string): TaskState | undefined {
    const row = this.rows.find(step, taskId);
    return row === undefined ? undefined : this.stateAt(row);
  }

  private stateAt(row: number): TaskState | undefined {
    return taskStates[(this.states[row] ?? 0) - 1];
  }

  /** The user stopped the run (Stop run, Ctrl-C, SIGTERM). True the first time only. */
  requestStop(): boolean {
    if (this.stopRequested) return false;
    this.stopRequested = true;
    this.halted = true;
    return true;
  }

  /** A real failure: the first one is the run's error; no new task starts after it. */
  recordFailure(error: RunError): void {
    this.firstError ??= error;
    this.halted = true;
  }

  /** No new task is launched: the run failed or was stopped. Running tasks may still finish. */
  get halting(): boolean {
    return this.halted;
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  get error(): RunError | undefined {
    return this.firstError;
  }

  /**
   * What an attempt that ended without success is. Only a task the stop ended is `cancelled`:
   * its executor says so, or the executor itself gave way after the stop. A failure of the
   * step's code (or a timeout) that lands while a stop is pending is still a failure.
   */
  endOf(failure: TaskFailure): "failed" | "cancelled" {
    if (failure.kind === "cancelled") return "cancelled";
    return this.stopRequested && failure.kind === "infrastructure" ? "cancelled" : "failed";
  }

  /** Whether a failed attempt may be tried again: never once the run halts. */
  mayRetry(failure: TaskFailure): boolean {
    return !this.halted && this.endOf(failure) === "failed";
  }

  /** Tasks not finished yet (pending, running, retrying), the `_parameters` task included. */
  unfinished(): number {
    let n = 0;
    for (let row = 0; row < this.rows.size; row++) {
      const state = this.stateAt(row);
      if (state !== undefined && !isFinishedTaskState(state)) n++;
    }
    return n;
  }

  /** How the run's tasks ended, without the `_parameters` bookkeeping task. */
  counts(): TaskCounts {
    const counts = emptyTaskCounts();
    for (let row = 0; row < this.rows.size; row++) {
      const state = this.stateAt(row);
      if (state === undefined || this.rows.step(row) === parametersStep || !isFinishedTaskState(state)) continue;
      counts[state] += 1;
    }
    return counts;
  }

  /** How the run ended: failed when anything really failed, else stopped when the user stopped it. */
  endStatus(): Exclude<RunStatus, "running"> {
    if (this.firstError !== undefined || this.counts().failed > 0) return "failed";
    return this.stopRequested ? "cancelled" : "succeeded";
  }

  /** The run's status now: running while any task is unfinished. */
  status(): RunStatus {
    return this.unfinished() > 0 ? "running" : this.endStatus();
  }
}
