// The attempts of a run as its events tell them, for the live timeline: every `task-state` event
// opens, moves or closes one attempt (`TaskRef.attempt`), so retries stay visible as separate bars
// while the run goes on. Pure (no `vscode`): unit tests feed it events.
import type { RunEvent } from "../../../server/src/protocol/runEvents";
import { isFinishedTaskState } from "../../../server/src/protocol/runStates";
import type { TimelineAttempt, TimelineTask } from "../../../server/src/protocol/timeline";

export class TimelineRecorder {
  private readonly tasks = new Map<string, TimelineTask>();

  accept(event: RunEvent): void {
    if (event.type !== "task-state" || event.task.step === "_parameters") return;
    const key = `${event.task.step}/${event.task.taskId}`;
    let task = this.tasks.get(key);
    if (!task) {
      task = { step: event.task.step, taskId: event.task.taskId, attempts: [] };
      this.tasks.set(key, task);
    }
    if (event.foreach) task.index = event.foreach.index;
    // A pending task has not started: it gets a bar when it runs (or ends without running, as a clone does).
    if (event.state === "pending") return;
    let attempt = task.attempts.find((a) => a.attempt === event.task.attempt);
    if (!attempt) {
      attempt = { attempt: event.task.attempt, state: event.state, start: event.ts };
      task.attempts.push(attempt);
      task.attempts.sort((a, b) => a.attempt - b.attempt);
    }
    // An earlier attempt still open when a later one starts ended then (its end event may be the retry itself).
    for (const a of task.attempts) if (a.attempt < event.task.attempt && a.end === undefined) a.end = event.ts;
    attempt.state = event.state;
    if (event.reason !== undefined) attempt.reason = event.reason;
    if (event.state === "succeeded" && event.caught !== undefined) attempt.caught = true;
    if (isFinishedTaskState(event.state) || event.state === "retrying") attempt.end ??= event.ts;
  }

  /** The tasks so far, as the timeline message carries them (copies: the recorder keeps changing). */
  snapshot(): TimelineTask[] {
    return [...this.tasks.values()].map((t) => ({ ...t, attempts: t.attempts.map((a): TimelineAttempt => ({ ...a })) }));
  }
}
