// The attempts of a run as its events tell them, for the live timeline: every `task-state` event
// opens, moves or closes one attempt (`TaskRef.attempt`), so retries stay visible as separate bars
// while the run goes on. Pure (no `vscode`): unit tests feed it events.
//
// The process running a run keeps one of these for the run's task index (taskIndex.ts) until the
// run ends, so its size is what a run keeps a task: the attempts are columns of typed arrays (a
// row an attempt: number, state, start, end, the task's next attempt) and the tasks rows of
// TaskRows, some 40 bytes a task instead of two objects, an array and a `step/taskId` string.
// Only the rare things (a reason, a task id that is not a small integer) are kept in Maps.
import type { RunEvent } from "../../../server/src/protocol/runEvents";
import { isFinishedTaskState, taskStates, type TaskState } from "../../../server/src/protocol/runStates";
import type { TimelineAttempt, TimelineTask } from "../../../server/src/protocol/timeline";
import { grown, TaskRows } from "../scheduler/taskRows";

const stateCode = new Map<TaskState, number>(taskStates.map((s, i) => [s, i]));
const none = -1;

export class TimelineRecorder {
  private readonly tasks = new TaskRows();
  /** By task row: its foreach index (none when unknown) and its first attempt's row (none: no attempt yet). */
  private index = new Int32Array(64);
  private first = new Int32Array(64);
  /** By attempt row: the attempt's number, state, start and end (NaN: open), and its task's next attempt (by number). */
  private number = new Int32Array(64);
  private state = new Uint8Array(64);
  private start = new Float64Array(64);
  private end = new Float64Array(64);
  private next = new Int32Array(64);
  private caught = new Uint8Array(64);
  private readonly reasons = new Map<number, string>();
  private attempts = 0;

  accept(event: RunEvent): void {
    if (event.type !== "task-state" || event.task.step === "_parameters") return;
    const task = this.taskRow(event.task.step, event.task.taskId);
    if (event.foreach) this.index[task] = event.foreach.index;
    // A pending task has not started: it gets a bar when it runs (or ends without running, as a clone does).
    if (event.state === "pending") return;
    const attempt = this.attemptRow(task, event.task.attempt, event.state, event.ts);
    // An earlier attempt still open when a later one starts ended then (its end event may be the retry itself).
    for (let a = this.first[task] ?? none; a !== none && a !== attempt; a = this.next[a] ?? none) {
      if (Number.isNaN(this.end[a])) this.end[a] = event.ts;
    }
    this.state[attempt] = stateCode.get(event.state) ?? 0;
    if (event.reason !== undefined) this.reasons.set(attempt, event.reason);
    if (event.state === "succeeded" && event.caught !== undefined) this.caught[attempt] = 1;
    if ((isFinishedTaskState(event.state) || event.state === "retrying") && Number.isNaN(this.end[attempt])) this.end[attempt] = event.ts;
  }

  /** The tasks so far, as the timeline message carries them (copies: the recorder keeps changing). */
  snapshot(): TimelineTask[] {
    const out: TimelineTask[] = [];
    for (let t = 0; t < this.tasks.size; t++) {
      const task: TimelineTask = { step: this.tasks.step(t), taskId: this.tasks.taskId(t), attempts: [] };
      for (let a = this.first[t] ?? none; a !== none; a = this.next[a] ?? none) task.attempts.push(this.attempt(a));
      const index = this.index[t] ?? none;
      if (index !== none) task.index = index;
      out.push(task);
    }
    return out;
  }

  /** JSON.stringify(this.snapshot()), written straight from the columns (no task object or array kept on the way). */
  json(): string {
    const parts: string[] = [];
    for (let t = 0; t < this.tasks.size; t++) {
      let text = `{"step":${JSON.stringify(this.tasks.step(t))},"taskId":${JSON.stringify(this.tasks.taskId(t))},"attempts":[`;
      for (let a = this.first[t] ?? none; a !== none; a = this.next[a] ?? none) {
        if (a !== this.first[t]) text += ",";
        text += JSON.stringify(this.attempt(a));
      }
      const index = this.index[t] ?? none;
      parts.push(`${text}]${index !== none ? `,"index":${index}` : ""}}`);
    }
    return `[${parts.join(",")}]`;
  }

  /** One attempt's fields, in the order the timeline has always written them. */
  private attempt(a: number): TimelineAttempt {
    const out: TimelineAttempt = { attempt: this.number[a] ?? 0, state: taskStates[this.state[a] ?? 0] ?? "pending", start: this.start[a] ?? 0 };
    const reason = this.reasons.get(a);
    if (reason !== undefined) out.reason = reason;
    if (this.caught[a] === 1) out.caught = true;
    const end = this.end[a] ?? NaN;
    if (!Number.isNaN(end)) out.end = end;
    return out;
  }

  private taskRow(step: string, taskId: string): number {
    const known = this.tasks.size;
    const row = this.tasks.add(step, taskId);
    if (row === known) {
      if (row >= this.first.length) {
        this.index = grown(this.index, row + 1);
        this.first = grown(this.first, row + 1);
      }
      this.index[row] = none;
      this.first[row] = none;
    }
    return row;
  }

  /** The row of the task's attempt with this number; a new one, kept in order of number, when it has none. */
  private attemptRow(task: number, number: number, state: TaskState, ts: number): number {
    let before = none;
    let a = this.first[task] ?? none;
    for (; a !== none && (this.number[a] ?? 0) < number; a = this.next[a] ?? none) before = a;
    if (a !== none && this.number[a] === number) return a;
    const row = this.attempts++;
    if (row >= this.number.length) this.growAttempts(row + 1);
    this.number[row] = number;
    this.state[row] = stateCode.get(state) ?? 0;
    this.start[row] = ts;
    this.end[row] = NaN;
    this.next[row] = a;
    if (before === none) this.first[task] = row;
    else this.next[before] = row;
    return row;
  }

  private growAttempts(needed: number): void {
    this.number = grown(this.number, needed);
    this.state = grown(this.state, needed);
    this.start = grown(this.start, needed);
    this.end = grown(this.end, needed);
    this.next = grown(this.next, needed);
    this.caught = grown(this.caught, needed);
  }
}
