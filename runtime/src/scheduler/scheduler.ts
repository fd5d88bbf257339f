// The run's async loop. Tasks move pending -> running -> succeeded | failed | cancelled |
// retrying (-> running again) | skipped | cloned; what each task's state is and how the run
// ends is kept by the RunTracker (tracker.ts), which this loop feeds. Foreach children, static
// branches and switch targets are created as their parent finishes; a join is created when its
// last branch arrives. The scheduler only talks to an Executor and a RunStore, so unit tests
// drive it with fakes.

import type { TaskFailure, TaskOutput, TaskResult, TaskTransition } from "../executors/types";
import { maxAttempts, stepLocation } from "../plan/plan";
import type { TaskRef, TaskState } from "../../../server/src/protocol/runEvents";
import { successMark } from "../../../server/src/protocol/runStates";
import { childKey, parametersStep, startKey } from "./keys";

export { parametersStep };
import { taskSpec } from "./spec";
import type { Frame, RunOutcome, SchedTask, SchedulerOptions, TaskRecord } from "./types";

export type { RunOutcome, SchedulerOptions };
import { RunTracker } from "./tracker";
import { Fifo } from "./fifo";
import { failureExtra, taskStateEvent, type StateExtra } from "./stateEvent";
import { batchChild, isForeachBatch, remainingChildren, type ForeachBatch } from "./foreachBatch";

export class Scheduler {
  private readonly tracker = new RunTracker();
  private readonly queue = new Fifo<SchedTask | ForeachBatch>();
  /**
   * A join's arrived branches by `<join>@<split task>`: each branch's path and the attempt it
   * finished with (all the join needs of it), and how many are still missing. A finished task is
   * kept nowhere else: its object, spec and frames go as soon as what follows it is created.
   */
  private readonly arrivals = new Map<string, { paths: string[]; attempts: (number | null)[]; missing: number }>();
  private readonly abort = new AbortController();
  private nextId: number;
  private running = 0;
  private busy = 0;
  private finish: (() => void) | undefined;
  private readonly started = Date.now();

  constructor(private readonly o: SchedulerOptions) {
    this.nextId = o.firstTaskId ?? 1;
  }

  async run(): Promise<RunOutcome> {
    const onAbort = (): void => this.cancel();
    if (this.o.signal?.aborted) this.cancel();
    this.o.signal?.addEventListener("abort", onAbort, { once: true });
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    if (this.o.parameters) {
      const task: SchedTask = { id: "0", step: parametersStep, key: parametersStep, attempt: 0, inputPaths: [], inputAttempts: [], stack: [] };
      this.setState(task, "pending");
      this.queue.push(task);
    } else {
      const inputs = this.o.startInputs ?? [];
      this.create(this.o.plan.start, childKey("", startKey), inputs, inputs.map(() => null), [], undefined);
    }
    this.pump();
    await done;
    this.o.signal?.removeEventListener("abort", onAbort);
    const outcome: RunOutcome = { status: this.tracker.endStatus(), tasks: this.tracker.counts(), marks: this.tracker.markCounts(), durationMs: Date.now() - this.started };
    const error = this.tracker.error;
    if (error) outcome.error = error;
    return outcome;
  }

  /** Stops launching tasks and cancels the running ones; finished artifacts stay. */
  cancel(): void {
    if (!this.tracker.requestStop()) return;
    this.halt();
    this.abort.abort();
  }

  /** Launches nothing more: what is queued is skipped; running tasks finish (or are stopped). */
  private halt(): void {
    const why = this.tracker.stopping ? "run stopped" : "run stopped after a failure";
    for (const item of this.queue.drain()) {
      if (!isForeachBatch(item)) this.setState(item, "skipped", why);
      else for (const t of remainingChildren(item)) this.setState(t, "skipped", why);
    }
    this.checkDone();
  }

  private fail(headline: string, location?: string): void {
    const halted = this.tracker.halting;
    this.tracker.recordFailure(location ? { headline, location } : { headline });
    if (!halted) this.halt();
  }

  private ref(t: SchedTask): TaskRef {
    return { flow: this.o.plan.flow, runId: this.o.runId, step: t.step, taskId: t.id, attempt: t.attempt };
  }

  private setState(t: SchedTask, state: TaskState, reason?: string, extra?: StateExtra): void {
    this.tracker.observe(t.step, t.id, state);
    if (state === "succeeded") this.tracker.observeMark(t.step, t.id, successMark(t.attempt, extra?.caught !== undefined));
    this.o.emit(taskStateEvent(t, this.ref(t), state, reason, extra));
  }

  /** A new task of `step`, with the attempt each input finished with (null: not a task of this run). */
  private create(step: string, key: string, inputPaths: string[], inputAttempts: (number | null)[], stack: Frame[], splitIndex: number | undefined): void {
    if (this.tracker.halting) return;
    const reusable = this.reusable(step, inputPaths);
    const reuse = reusable ? this.o.clone?.records.get(key) : undefined;
    const id = reuse ? reuse.taskId : String(this.nextId++);
    const task: SchedTask = { id, step, key, attempt: reuse?.attempt ?? 0, inputPaths, inputAttempts, stack };
    if (splitIndex !== undefined) task.splitIndex = splitIndex;
    if (reuse) {
      this.busy += 1;
      this.reuse(task, reuse).then(
        () => this.release(),
        (error: unknown) => {
          this.fail(`could not reuse task ${this.o.clone?.originRunId}/${step}/${id}: ${String(error)}`);
          this.release();
        },
      );
      return;
    }
    if (this.o.only !== undefined && step !== this.o.only) {
      const origin = this.o.clone ? ` in run ${this.o.clone.originRunId}` : "";
      this.setState(task, "skipped", `no finished task to reuse${origin}`);
      this.fail(`step ${step} has no finished task${origin} to reuse: run the flow (or resume it) first`);
      return;
    }
    this.setState(task, "pending");
    const damage = reusable ? this.o.clone?.damage?.(key, step) : undefined;
    if (damage !== undefined) this.o.emit({ type: "log", ts: Date.now(), task: this.ref(task), stream: "stderr", line: `[flowlens] ${damage}` });
    this.queue.push(task);
  }

  /** Whether a task of `step` reading `inputPaths` may be reused from the origin run. A task is
   * reused only when everything it read was reused too: after a task that ran again (it failed,
   * or its data was damaged), the origin's later tasks were computed from other inputs. */
  private reusable(step: string, inputPaths: string[]): boolean {
    return this.o.clone?.allowed(step) === true && this.inputsReused(inputPaths);
  }

  /** Whether every input task of this run was cloned (inputs outside this run's tasks, such as a cloned `_parameters`, count as reused). */
  private inputsReused(inputPaths: string[]): boolean {
    return inputPaths.every((path) => {
      const [, step = "", id = ""] = path.split("/");
      const state = this.tracker.stateOf(step, id);
      return state === undefined || state === "cloned";
    });
  }

  private async reuse(task: SchedTask, record: TaskRecord): Promise<void> {
    await this.o.store?.cloneTask(record);
    this.setState(task, "cloned", `cloned from run ${this.o.clone?.originRunId ?? "?"}`);
    const origin = this.o.clone?.originRunId;
    await this.o.store?.recordTask({ ...record, inputPaths: task.inputPaths, ...(origin !== undefined ? { cloned: { runId: origin, taskId: record.taskId } } : {}) });
    this.advance(task, record.transition);
  }

  private release(): void {
    this.busy -= 1;
    this.pump();
  }

  private pump(): void {
    while (!this.tracker.halting && this.running < this.o.maxWorkers && this.queue.length > 0) {
      const task = this.take();
      this.running += 1;
      void this.execute(task).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
    this.checkDone();
  }

  /** The next task to run (the queue is not empty): a task, or the next child of a foreach batch. */
  private take(): SchedTask {
    const head = this.queue.peek() as SchedTask | ForeachBatch;
    if (!isForeachBatch(head)) return this.queue.shift() as SchedTask;
    const task = batchChild(head, head.next++);
    if (head.next >= head.count) this.queue.shift();
    return task;
  }

  private checkDone(): void {
    if (this.running === 0 && this.busy === 0 && (this.queue.length === 0 || this.tracker.halting)) this.finish?.();
  }

  private async execute(task: SchedTask): Promise<void> {
    for (;;) {
      this.setState(task, "running");
      const sink = (out: TaskOutput): void => this.output(task, out);
      let result: TaskResult;
      try {
        result = await this.o.executor.runTask(taskSpec(this.o, task, this.ref(task)), sink, this.abort.signal);
      } catch (error) {
        result = { ok: false, durationMs: 0, failure: { headline: `executor error: ${String(error)}`, kind: "infrastructure" } };
      }
      if (result.ok) {
        await this.succeed(task, result);
        return;
      }
      const failure = result.failure ?? { headline: "the task failed without saying why", kind: "infrastructure" as const };
      if (this.retry(task, failure)) continue;
      const end = this.tracker.endOf(failure);
      const why = failureExtra(failure);
      this.setState(task, end, why.headline, why.extra);
      if (end === "failed") this.fail(`step ${task.step} failed: ${why.headline}`, failure.location);
      return;
    }
  }

  /** Decides whether a failed attempt is tried again. As in Metaflow, every failure (an
   * exception, a timeout, a process that died) spends one attempt of the step's budget:
   * @retry's, plus @catch's fallback attempts; a step with neither is never re-run. */
  private retry(task: SchedTask, failure: TaskFailure): boolean {
    const step = this.o.plan.steps[task.step];
    if (!step || !this.tracker.mayRetry(failure) || task.attempt + 1 >= maxAttempts) return false;
    if (task.attempt >= step.userRetries + step.errorRetries) return false;
    const why = failureExtra(failure);
    this.setState(task, "retrying", `${why.headline} (attempt ${task.attempt + 1} failed; ${task.attempt < step.userRetries ? "@retry" : "@catch"})`, why.extra);
    task.attempt += 1;
    return true;
  }

  private output(task: SchedTask, out: TaskOutput): void {
    const ref = this.ref(task);
    if (out.kind === "log") this.o.emit({ type: "log", ts: out.ts, task: ref, stream: out.stream, line: out.line });
    else if (out.kind === "artifact") this.o.emit({ type: "artifact", ts: out.ts, task: ref, name: out.name, sha: out.sha, size: out.size, typeName: out.typeName });
    else if (out.state !== "running" || out.remote) this.setState(task, out.state, out.reason, out.remote ? { remote: out.remote } : undefined);
  }

  private async succeed(task: SchedTask, result: TaskResult): Promise<void> {
    const transition: TaskTransition = result.transition ?? { next: [] };
    // Recorded before it is reported: whoever sees "succeeded" can rely on resume reusing it.
    const record: TaskRecord = { key: task.key, step: task.step, taskId: task.id, attempt: task.attempt, inputPaths: task.inputPaths, stack: task.stack, transition };
    if (task.splitIndex !== undefined) record.splitIndex = task.splitIndex;
    try {
      await this.o.store?.recordTask(record);
    } catch (error) {
      this.setState(task, "failed", `could not record the task: ${String(error)}`);
      this.fail(`could not record task ${task.step}/${task.id}: ${String(error)}`);
      return;
    }
    const caught = result.caught ? { headline: result.caught.headline, ...(result.caught.traceback ? { traceback: result.caught.traceback } : {}) } : undefined;
    this.setState(task, "succeeded", result.caught ? `@catch caught ${result.caught.headline}` : undefined, {
      ...(caught ? { caught } : {}),
      ...(result.peakRssBytes !== undefined ? { peakRssBytes: result.peakRssBytes } : {}),
    });
    if (this.o.only === task.step) return;
    if (task.step === parametersStep) this.create(this.o.plan.start, childKey("", startKey), [`${this.o.runId}/${parametersStep}/0`], [task.attempt], [], undefined);
    else this.advance(task, transition);
  }

  /** Creates what follows a finished task: foreach children, branches, the next step, or a join arrival. */
  private advance(task: SchedTask, transition: TaskTransition): void {
    const step = this.o.plan.steps[task.step];
    if (!step || this.tracker.halting) return;
    // Shared by every task created here (nothing changes a task's inputs once it exists).
    const paths = [`${this.o.runId}/${task.step}/${task.id}`];
    const attempts = [task.attempt];
    const where = stepLocation(step);
    for (const n of transition.next) {
      if (!this.o.plan.steps[n]) return this.fail(`step ${task.step} went to unknown step ${n}`, where);
    }
    if (step.type === "split-foreach" || step.type === "split-parallel") {
      const target = transition.next[0];
      const count = transition.foreachCount ?? 0;
      if (!target) return this.fail(`foreach step ${task.step} made no transition`, where);
      if (count > this.o.maxNumSplits) {
        this.setState(task, "failed", `foreach yields ${count} splits, more than --max-num-splits ${this.o.maxNumSplits}`);
        return this.fail(`step ${task.step}: the foreach over '${step.foreachArtifact ?? "?"}' yields ${count} splits, more than --max-num-splits ${this.o.maxNumSplits}; raise it with --max-num-splits ${count}`, where);
      }
      if (count === 0) return this.fail(`step ${task.step}: the foreach over '${step.foreachArtifact ?? "?"}' is empty, so step ${target} has nothing to run`, where);
      if (this.batchable(target, paths)) return this.queueForeach(task, target, count, paths, attempts);
      for (let i = 0; i < count; i++) {
        const frame: Frame = { split: task.step, splitTask: task.id, splitKey: task.key, index: i, count, foreach: true };
        this.create(target, childKey(task.key, target, i), paths, attempts, [...task.stack, frame], i);
      }
    } else if (step.type === "split-static") {
      transition.next.forEach((target, i) => {
        const frame: Frame = { split: task.step, splitTask: task.id, splitKey: task.key, index: i, count: transition.next.length, foreach: false };
        this.create(target, childKey(task.key, target, i), paths, attempts, [...task.stack, frame], undefined);
      });
    } else {
      for (const target of transition.next) {
        if (this.o.plan.steps[target]?.type === "join") this.arrive(task, target, where);
        else this.create(target, childKey(task.key, target), paths, attempts, task.stack, undefined);
      }
    }
  }

  /** Whether a foreach's children into `target` all run fresh, as create() would decide for each: none may be reused, and none is skipped in single-step mode. */
  private batchable(target: string, inputPaths: string[]): boolean {
    return !this.reusable(target, inputPaths) && (this.o.only === undefined || this.o.only === target);
  }

  /** A foreach's children, pending, as one queue entry (foreachBatch.ts); ids handed out in order of index as create() would. */
  private queueForeach(task: SchedTask, target: string, count: number, inputPaths: string[], inputAttempts: (number | null)[]): void {
    const batch: ForeachBatch = { target, parent: { key: task.key, id: task.id, step: task.step, stack: task.stack }, inputPaths, inputAttempts, firstId: this.nextId, count, next: 0 };
    this.nextId += count;
    for (let i = 0; i < count; i++) this.setState(batchChild(batch, i), "pending");
    this.queue.push(batch);
  }

  private arrive(task: SchedTask, join: string, where: string): void {
    const frame = task.stack.at(-1);
    if (!frame) return this.fail(`step ${task.step} reached join ${join} outside any split`, where);
    const id = `${join}@${frame.splitTask}`;
    // A count of the missing branches, not a scan of them on each arrival (O(n²) over a wide foreach).
    let waiting = this.arrivals.get(id);
    if (!waiting) {
      waiting = { paths: new Array<string>(frame.count).fill(""), attempts: new Array<number | null>(frame.count).fill(null), missing: frame.count };
      this.arrivals.set(id, waiting);
    }
    if (waiting.attempts[frame.index] === null) waiting.missing -= 1;
    waiting.paths[frame.index] = `${this.o.runId}/${task.step}/${task.id}`;
    waiting.attempts[frame.index] = task.attempt;
    if (waiting.missing > 0) return;
    this.arrivals.delete(id);
    this.create(join, childKey(frame.splitKey, join), waiting.paths, waiting.attempts, task.stack.slice(0, -1), undefined);
  }
}
