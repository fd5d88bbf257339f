// A run's task index, `<Flow>/<run>/_flowlens/timeline.json`: every task's attempts (start, end,
// state, reason, caught) and foreach index in one object, so that a reader (the editor's run
// timeline) gets a 10,000-task run in one read instead of several small files per task.
// The process running the run writes it from the same events the editor sees (recorder.ts):
// again while tasks finish (at most every `intervalMs`), and whole, with `final: true`, once the
// scheduler is done and before the run record says how the run ended. Each write replaces the
// whole object (ObjectStore.put is atomic), so a reader sees an older index or the newer one,
// never a part. Readers treat it as a summary of the per-task files, which stay the truth: an
// index that is missing (runs made by Metaflow, or before the index existed), damaged, or not
// final only stands for the tasks it shows as ended.
import type { RunEvent } from "../../../server/src/protocol/runEvents";
import { isFinishedTaskState } from "../../../server/src/protocol/runStates";
import { isTimelineTask, type TimelineTask } from "../../../server/src/protocol/timeline";
import type { FlowDatastore } from "../datastore/layout";
import { TimelineRecorder } from "./recorder";

export interface TaskIndex {
  version: 1;
  /** True once the run's process recorded every task it will: the index is the whole run. */
  final: boolean;
  tasks: TimelineTask[];
}

export function taskIndexKey(ds: FlowDatastore, runId: string): string {
  return `${ds.flow}/${runId}/_flowlens/timeline.json`;
}

/** The run's index, or undefined when it has none or it is damaged (readers then use the per-task files). */
export async function readTaskIndex(ds: FlowDatastore, runId: string): Promise<TaskIndex | undefined> {
  let value: unknown;
  try {
    value = await ds.readJson<unknown>(taskIndexKey(ds, runId));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as { version?: unknown; final?: unknown; tasks?: unknown };
  if (v.version !== 1 || typeof v.final !== "boolean" || !Array.isArray(v.tasks) || !v.tasks.every(isTimelineTask)) return undefined;
  return { version: 1, final: v.final, tasks: v.tasks };
}

export class TaskIndexWriter {
  private readonly recorder = new TimelineRecorder();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  /** Why the last write failed, if it did (readers then fall back to the per-task files). */
  failure: string | undefined;

  constructor(
    private readonly ds: FlowDatastore,
    private readonly runId: string,
    private readonly intervalMs = 2000,
  ) {}

  /** A run's event sink that records every event here before passing it on. */
  wrap(emit: (event: RunEvent) => void): (event: RunEvent) => void {
    return (event) => {
      this.accept(event);
      emit(event);
    };
  }

  accept(event: RunEvent): void {
    if (this.closed || event.type !== "task-state" || event.task.runId !== this.runId) return;
    this.recorder.accept(event);
    // Only an ended attempt changes what a reader may take from the index.
    if ((isFinishedTaskState(event.state) || event.state === "retrying") && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.write(false);
      }, this.intervalMs);
      this.timer.unref();
    }
  }

  /** Writes the whole index, final; later events are not recorded. */
  async close(): Promise<void> {
    if (this.closed) return this.writing;
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.write(true);
  }

  private write(final: boolean): Promise<void> {
    // JSON.stringify of a TaskIndex, the tasks written straight from the recorder's columns: a
    // write in a wide run builds no object a task, only the text.
    const body = `{"version":1,"final":${String(final)},"tasks":${this.recorder.json()}}`;
    // One write at a time, in order: an older index must never land after a newer one.
    this.writing = this.writing.then(async () => {
      try {
        await this.ds.store.put(taskIndexKey(this.ds, this.runId), body);
        this.failure = undefined;
      } catch (error) {
        this.failure = error instanceof Error ? error.message : String(error);
      }
    });
    return this.writing;
  }
}
