// The model of one run as the editor sees it, built only from the RunEvents `flowlens ... --json`
// prints (server/src/protocol/runEvents.ts). Pure: no `vscode`, so unit tests feed it event lines.
// Everything the status bar, the graph marks, the log pane and the notifications show comes from here.
import type { LogEvent, RunEvent, RunFinishedEvent, RunRefusedEvent, RunStartedEvent, TaskRef, TaskState } from "../../../server/src/protocol/runEvents";
import { parseRunEvent } from "../../../server/src/protocol/runEvents";
import type { FailureCause } from "../../../server/src/protocol/failureReasons";
import { describeState, isFinishedTaskState, type RunSessionStatus } from "../../../server/src/protocol/runStates";
import { describeTaskMarks, stepMark } from "./taskMarks";
import type { RunNodeState, RunNodeStatus, RunStatusMessage } from "../../../server/src/protocol/webview";
import { formatMs, slowestStep, stepDurations } from "../../../server/src/protocol/durations";

export { formatMs } from "../../../server/src/protocol/durations";

export type SessionMode = "run" | "resume" | "step" | "debug";

export interface SessionRequest {
  mode: SessionMode;
  file: string;
  /** The flow's class name when known before the run starts (CodeLens arguments). */
  flow?: string;
  step?: string;
  parameters?: Record<string, string>;
  originRunId?: string;
}

export interface TaskView {
  ref: TaskRef;
  state: TaskState;
  /** Why the task is in its state now; a new state without a reason clears an earlier one. */
  reason?: string;
  traceback?: string;
  cause?: FailureCause;
  peakRssBytes?: number;
  /** The exception @catch swallowed, for a succeeded task. */
  caught?: { headline: string; traceback?: string };
  foreach?: { index: number; count: number };
  startedAt?: number;
  finishedAt?: number;
}

export type SessionStatus = RunSessionStatus;

/** Tasks that count as done in progress figures: everything finished except a failure. */
const doneStates: ReadonlySet<TaskState> = new Set<TaskState>(["succeeded", "cloned", "skipped", "cancelled"]);

export class RunSession {
  status: SessionStatus = "starting";
  started?: RunStartedEvent;
  finished?: RunFinishedEvent;
  refused?: RunRefusedEvent;
  /** Why the runtime process ended without a run-finished event (exit code, signal, stderr tail). */
  crash?: string;
  /** The user pressed Stop: decides only how a process that ends without a run-finished event reads. */
  stopRequested = false;
  readonly createdAt: number;
  /** Tasks by `step/taskId`, in first-seen order. */
  readonly tasks = new Map<string, TaskView>();
  readonly logs: LogEvent[] = [];
  /** Lines the process printed that are not run events (the CLI's own messages). */
  readonly otherOutput: string[] = [];
  firstLogAt?: number;
  /** Bumped on every task change: the marks' words are computed once per version (the status
   * bar, its tooltip and the notification all ask at the end of a 10,000-task run). */
  private taskVersion = 0;
  private marksMemo: { version: number; text: string } | undefined;

  constructor(
    readonly request: SessionRequest,
    now: number = Date.now(),
  ) {
    this.createdAt = now;
  }

  get flow(): string {
    return this.started?.flow ?? this.finished?.flow ?? this.request.flow ?? "";
  }

  get runId(): string | undefined {
    return this.started?.runId ?? this.finished?.runId;
  }

  get done(): boolean {
    return this.status !== "starting" && this.status !== "running";
  }

  /** Feeds one line of the process's stdout; returns the event it carried, if any. */
  acceptLine(line: string, now: number = Date.now()): RunEvent | undefined {
    if (line.trim() === "") return undefined;
    const event = parseRunEvent(line);
    if (!event) {
      this.otherOutput.push(line);
      return undefined;
    }
    this.accept(event, now);
    return event;
  }

  accept(event: RunEvent, now: number = Date.now()): void {
    switch (event.type) {
      case "run-started":
        this.started = event;
        this.status = "running";
        break;
      case "task-state": {
        const key = `${event.task.step}/${event.task.taskId}`;
        const prev = this.tasks.get(key);
        // The runtime says which tasks the stop ended (`cancelled`); a failure stays a failure.
        // Reasons belong to the state they came with: a retried task that then succeeded must not
        // keep its first attempt's exception as the reason of its success.
        const view: TaskView = { ...prev, ref: event.task, state: event.state };
        delete view.reason;
        delete view.traceback;
        delete view.cause;
        if (event.reason !== undefined) view.reason = event.reason;
        if (event.traceback !== undefined) view.traceback = event.traceback;
        if (event.cause !== undefined) view.cause = event.cause;
        if (event.peakRssBytes !== undefined) view.peakRssBytes = event.peakRssBytes;
        if (event.caught !== undefined) view.caught = event.caught;
        if (event.foreach !== undefined) view.foreach = event.foreach;
        if (event.state === "running" && view.startedAt === undefined) view.startedAt = event.ts;
        if (isFinishedTaskState(event.state)) view.finishedAt = event.ts;
        this.tasks.set(key, view);
        this.taskVersion++;
        break;
      }
      case "log":
        if (this.firstLogAt === undefined) this.firstLogAt = now;
        this.logs.push(event);
        break;
      case "artifact":
        break;
      case "run-finished":
        this.finished = event;
        this.status = event.status;
        break;
      case "run-refused":
        this.refused = event;
        this.status = "refused";
        break;
    }
  }

  /** The process exited: without a run-finished/refused event, the run crashed (or was stopped). */
  processExited(code: number | null, signal: string | null, stderrTail: string): void {
    if (this.done) return;
    if (this.stopRequested) {
      this.status = "cancelled";
      return;
    }
    this.status = "crashed";
    const how = signal ? `killed by ${signal}` : `exited with code ${code ?? "?"}`;
    const tail = stderrTail.trim().split("\n").slice(-3).join(" | ");
    this.crash = `the Flowlens runtime ${how}${tail ? `: ${tail}` : ""}`;
  }

  /** The process could not be started at all (no Node, missing dist/cli.js). */
  spawnFailed(message: string): void {
    this.status = "crashed";
    this.crash = message;
  }

  counts(): { total: number; finished: number; failed: number; running: number } {
    let total = 0;
    let finished = 0;
    let failed = 0;
    let running = 0;
    for (const t of this.tasks.values()) {
      if (t.ref.step === "_parameters") continue;
      total++;
      if (doneStates.has(t.state)) finished++;
      else if (t.state === "failed") failed++;
      else if (t.state === "running" || t.state === "retrying") running++;
    }
    return { total, finished, failed, running };
  }

  /** Per step: one state for its node, the foreach progress (done/total) and its durations so far. */
  stepStatuses(now: number = Date.now()): Record<string, RunNodeStatus> {
    const byStep = new Map<string, TaskView[]>();
    for (const t of this.tasks.values()) {
      if (t.ref.step === "_parameters") continue;
      const list = byStep.get(t.ref.step);
      if (list) list.push(t);
      else byStep.set(t.ref.step, [t]);
    }
    const out: Record<string, RunNodeStatus> = {};
    for (const [step, tasks] of byStep) out[step] = stepStatus(tasks, now);
    return out;
  }

  runStatusMessage(now: number = Date.now()): RunStatusMessage {
    const steps = this.stepStatuses(now);
    const slowest = slowestStep(Object.fromEntries(Object.entries(steps).map(([step, s]) => [step, s.durations])));
    return { type: "runStatus", flow: this.flow, runId: this.runId ?? null, status: this.status, steps, ...(slowest !== undefined ? { slowest } : {}) };
  }

  /** The first failed task (for the notification and "Resume" from its step). */
  firstFailure(): TaskView | undefined {
    return [...this.tasks.values()].find((t) => t.state === "failed");
  }

  /** One line for the status bar: "HelloFlow 12: 3/5 tasks", "HelloFlow 12: 5/5 tasks (1 after retry)". */
  progressText(): string {
    const c = this.counts();
    const run = this.runId ? ` ${this.runId}` : "";
    const name = `${this.flow || "flow"}${run}`;
    if (this.status === "cancelled") return `${name}: ${describeState("cancelled")}`;
    // A run that ended before any task (refused, crashed at start) has no progress to show: "0/0 tasks" said nothing.
    if (c.total === 0 && this.done) return `${name}: ${this.status === "refused" ? "could not start" : describeState(this.status === "starting" ? "crashed" : this.status)}`;
    const marks = this.marks();
    return `${name}: ${c.finished}/${c.total} tasks${c.failed > 0 ? `, ${c.failed} ${describeState("failed")}` : ""}${marks ? ` (${marks})` : ""}`;
  }

  /** "1 after retry, 1 caught an exception" for the run's tasks, empty when none is marked. */
  private marks(): string {
    if (this.marksMemo?.version !== this.taskVersion) this.marksMemo = { version: this.taskVersion, text: describeTaskMarks([...this.tasks.values()]) };
    return this.marksMemo.text;
  }

  /** Whether any succeeded task did so only after a retry or with a caught exception. */
  hasMarks(): boolean {
    return this.marks() !== "";
  }

  private whatText(): string {
    const { mode, step, originRunId } = this.request;
    if (mode === "step" || mode === "debug") return `${mode === "debug" ? "debug " : ""}step ${step ?? ""}`;
    if (mode === "resume") {
      const origin = originRunId ?? this.started?.originRunId;
      return step ? `resume from ${step}` : `resume${origin ? ` of run ${origin}` : ""}`;
    }
    return "run";
  }

  /** The headline of how the run ended, for the notification. */
  outcome(): string {
    const what = this.whatText();
    const name = `${this.flow || this.request.file}${this.runId ? ` run ${this.runId}` : ""}`;
    switch (this.status) {
      case "succeeded":
      {
        const marks = this.marks();
        return `${name} (${what}) succeeded in ${formatMs(this.finished?.durationMs ?? 0)}${marks ? `, ${marks}` : ""}.`;
      }
      case "failed": {
        const err = this.finished?.error;
        return `${name} (${what}) failed${err ? `: ${err.headline}${err.location ? ` (${err.location})` : ""}` : ""}.`;
      }
      case "cancelled":
        return `${name} (${what}) was ${describeState("cancelled")}.`;
      case "refused": {
        const problems = this.refused?.problems ?? [];
        const list = problems.map((p) => (p.location ? `${p.location}: ${p.message}` : p.message)).join("; ");
        return `Flowlens could not start the ${what} of ${this.request.file}: ${this.refused?.headline ?? "refused"}${list && list !== this.refused?.headline ? ` — ${list}` : ""}`;
      }
      case "crashed":
        return `${name} (${what}) failed: ${this.crash ?? "the runtime process ended unexpectedly"}.`;
      default:
        return `${name} (${what}) is ${this.status}.`;
    }
  }
}

/** One step's node status. One pass over its tasks (a foreach step can have tens of thousands,
 * and the graph's marks are recomputed on every tick of a live run). */
function stepStatus(tasks: readonly TaskView[], now: number): RunNodeStatus {
  let total = tasks.length;
  let done = 0;
  let failed: TaskView | undefined;
  const seen = new Set<TaskState>();
  const firstReason = new Map<TaskState, string>();
  const spans: { start: number; end?: number }[] = [];
  for (const t of tasks) {
    total = Math.max(total, t.foreach?.count ?? 0);
    if (doneStates.has(t.state)) done++;
    if (t.state === "failed" && !failed) failed = t;
    seen.add(t.state);
    if (t.reason && !firstReason.has(t.state)) firstReason.set(t.state, t.reason);
    // A task that finished without running (cloned, skipped) has no span.
    if (t.startedAt !== undefined) spans.push(t.finishedAt !== undefined ? { start: t.startedAt, end: t.finishedAt } : { start: t.startedAt });
  }
  const state = stepState(seen, done, total);
  const status: RunNodeStatus = { state, done, total };
  // Only a failure's reason names the step's state; others (a retry's first exception) do not.
  const reason = failed?.reason ?? (state === "failed" ? undefined : firstReason.get(state));
  if (reason !== undefined) status.reason = reason;
  const durations = stepDurations(spans, now);
  if (durations) status.durations = durations;
  if (failed?.cause !== undefined) status.cause = failed.cause;
  if (state === "succeeded") Object.assign(status, stepMark(tasks));
  return status;
}

/** A step's state from the set of its tasks' states. */
function stepState(seen: ReadonlySet<TaskState>, done: number, total: number): RunNodeState {
  if (seen.has("failed")) return "failed";
  if (seen.has("retrying")) return "retrying";
  if (seen.has("running")) return "running";
  const only = (s: TaskState) => seen.size === 1 && seen.has(s);
  if (done === total && seen.has("cancelled")) return "cancelled";
  if (done === total && only("cloned")) return "cloned";
  if (done === total && only("skipped")) return "skipped";
  if (done === total) return "succeeded";
  if (done > 0) return "running";
  return "pending";
}
