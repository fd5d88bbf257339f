// The artifact explorer's data, read straight from a datastore through the runtime's layout
// reader (runtime/src/datastore/layout.ts: FlowDatastore). No `vscode` here: unit tests and the
// benchmark build trees from a real datastore. Every reader catches its own errors: a corrupt or
// half-written entry becomes a node that says so, never an exception out of the view.
import { FlowDatastore } from "../../../runtime/src/datastore/layout";
import type { ArtifactPreview, DataJson, RunRecord } from "../../../runtime/src/datastore/layout";
import type { ObjectStore } from "../../../runtime/src/datastore/types";
import type { CardItem, CardsItem } from "../cards/cardTreeItems";
import type { RunState } from "../../../server/src/protocol/runStates";
import { mayHaveCaught, readTaskOutcome, type TaskOutcome } from "./taskOutcome";

/** What the Runs view can say about a run: its state, or that the entry is not a Flowlens run record. */
export type RunItemStatus = RunState | "metaflow" | "corrupt";

/** What the Runs view can say about a task: a state read from its attempts, or that they are unfinished or damaged. */
export type TaskItemStatus = "succeeded" | "failed" | "running" | "cancelled" | "incomplete" | "corrupt";

export interface FlowItem {
  kind: "flow";
  flow: string;
}

export interface RunItem {
  kind: "run";
  flow: string;
  runId: string;
  /** From the run record (crashed: its process is gone); "metaflow" for a run without one. */
  status: RunItemStatus;
  startedAt?: number;
  durationMs?: number;
  parameters: Record<string, unknown>;
  record?: RunRecord;
  problem?: string;
}

export interface StepItem {
  kind: "step";
  flow: string;
  runId: string;
  step: string;
}

export interface TaskItemBase {
  kind: "task";
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  /** The attempt shown: the highest finished one, else the highest started one. */
  attempt: number;
  attempts: number;
  /** cancelled: stopped with its run; incomplete: never finished, and nothing runs it. */
  status: TaskItemStatus;
  index?: number;
  /** A short repr of the foreach element (`input`). */
  input?: string;
  problem?: string;
}

/** A task item with how it ended beyond its status: a retried or caught success, a failure's cause (taskOutcome.ts). */
export type TaskItem = TaskItemBase & TaskOutcome;

export interface ArtifactItem {
  kind: "artifact";
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  attempt: number;
  name: string;
  sha: string;
  type: string;
  size: number;
  preview?: ArtifactPreview;
}

export interface ProblemItem {
  kind: "problem";
  message: string;
}

/** Restricted Mode: values are not loaded; the item offers to trust the workspace. */
export interface TrustItem {
  kind: "trust";
}

export type TreeItemData = FlowItem | RunItem | StepItem | TaskItem | ArtifactItem | ProblemItem | TrustItem | CardsItem | CardItem;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class ExplorerModel {
  private readonly datastores = new Map<string, FlowDatastore>();

  constructor(readonly store: ObjectStore) {}

  ds(flow: string): FlowDatastore {
    let ds = this.datastores.get(flow);
    if (!ds) {
      ds = new FlowDatastore(this.store, flow);
      this.datastores.set(flow, ds);
    }
    return ds;
  }

  async flows(): Promise<(FlowItem | ProblemItem)[]> {
    try {
      const children = await this.store.listChildren("");
      return children
        // mf.cards/ holds cards (Metaflow's card layout), not a flow.
        .filter((c) => c.endsWith("/") && !c.startsWith(".") && c !== "mf.cards/")
        .map((c) => c.slice(0, -1))
        .sort()
        .map((flow) => ({ kind: "flow", flow }));
    } catch (err) {
      return [{ kind: "problem", message: `cannot list the datastore ${this.store.root}: ${errorText(err)}` }];
    }
  }

  /** Runs, newest first. */
  async runs(flow: string): Promise<(RunItem | ProblemItem)[]> {
    let ids: string[];
    try {
      ids = await this.ds(flow).listRuns();
    } catch (err) {
      return [{ kind: "problem", message: `cannot list the runs of ${flow}: ${errorText(err)}` }];
    }
    const runs = await Promise.all(ids.reverse().map((id) => this.run(flow, id)));
    return runs;
  }

  async run(flow: string, runId: string): Promise<RunItem> {
    try {
      const record = await this.ds(flow).readRunRecord(runId);
      if (!record) return { kind: "run", flow, runId, status: "metaflow", parameters: {}, ...(await this.startedFromAttempts(flow, runId)) };
      if (typeof record !== "object" || typeof record.status !== "string") return { kind: "run", flow, runId, status: "corrupt", parameters: {}, problem: "run.json is not a Flowlens run record" };
      // A run whose record still says "running" but whose process is gone reads as "crashed" (runtime/src/datastore/liveness.ts).
      const { state, reason } = await this.ds(flow).runState(runId, record);
      const item: RunItem = { kind: "run", flow, runId, status: state, parameters: record.parameters ?? {}, record, ...(reason !== undefined ? { problem: reason } : {}) };
      if (typeof record.started_at === "number") item.startedAt = record.started_at * 1000;
      if (typeof record.started_at === "number" && typeof record.finished_at === "number") item.durationMs = Math.round((record.finished_at - record.started_at) * 1000);
      return item;
    } catch (err) {
      return { kind: "run", flow, runId, status: "corrupt", parameters: {}, problem: `run.json cannot be read: ${errorText(err)}` };
    }
  }

  /** A run without Flowlens's record (made by Metaflow): its start is the parameters task's attempt time. */
  private async startedFromAttempts(flow: string, runId: string): Promise<{ startedAt?: number }> {
    try {
      const t = await this.ds(flow).readJson<{ time?: number }>(`${flow}/${runId}/_parameters/0/0.attempt.json`);
      return typeof t?.time === "number" ? { startedAt: t.time * 1000 } : {};
    } catch {
      return {};
    }
  }

  async steps(flow: string, runId: string): Promise<(StepItem | ProblemItem)[]> {
    try {
      const steps = await this.ds(flow).listSteps(runId);
      return orderSteps(steps, await this.stepOrder(flow, runId)).map((step) => ({ kind: "step", flow, runId, step }));
    } catch (err) {
      return [{ kind: "problem", message: `cannot list the steps of run ${runId}: ${errorText(err)}` }];
    }
  }

  /**
   * The graph order of steps from the `_graph_info` preview of the task that set it: the
   * parameters task (a child keeps no copy of an internal artifact's preview), else the start
   * task, where runs stored before that kept one.
   */
  private async stepOrder(flow: string, runId: string): Promise<string[]> {
    for (const step of ["_parameters", "start"]) {
      try {
        const task = (await this.ds(flow).listTasks(runId, step))[0];
        if (task === undefined) continue;
        const graph = (await this.ds(flow).readPreviews(runId, step, task, 0))._graph_info;
        if (Array.isArray(graph?.stepOrder)) return graph.stepOrder.filter((s): s is string => typeof s === "string");
        const info = graph?.json as { steps?: Record<string, unknown> } | undefined;
        if (info?.steps) return Object.keys(info.steps);
      } catch {
        // An unreadable task leaves the order to the next one, or to the names.
      }
    }
    return [];
  }

  async tasks(flow: string, runId: string, step: string, runStatus?: RunItemStatus): Promise<(TaskItem | ProblemItem)[]> {
    let ids: string[];
    try {
      ids = await this.ds(flow).listTasks(runId, step);
    } catch (err) {
      return [{ kind: "problem", message: `cannot list the tasks of ${step}: ${errorText(err)}` }];
    }
    return Promise.all(ids.map((taskId) => this.task(flow, runId, step, taskId, runStatus)));
  }

  async task(flow: string, runId: string, step: string, taskId: string, runStatus?: RunItemStatus): Promise<TaskItem> {
    const base = { kind: "task" as const, flow, runId, step, taskId };
    try {
      const ds = this.ds(flow);
      const attempts = await ds.listAttempts(runId, step, taskId);
      if (attempts.length === 0) return { ...base, attempt: 0, attempts: 0, status: "incomplete", problem: "no attempt record (a partial entry)" };
      const finished = attempts.filter((a) => a.done).at(-1);
      const attempt = (finished ?? attempts.at(-1))?.attempt ?? 0;
      if (!finished) {
        // A task process that died (out of memory, a signal) leaves no data, but its outcome says why.
        const died = await readTaskOutcome(ds, { runId, step, taskId, attempt, succeeded: false });
        if (died.failure && died.failure.cause !== "cancelled") return { ...base, attempt, attempts: attempts.length, status: "failed", ...died };
        // Unfinished: still running, stopped with its run (Stop run, Ctrl-C), or cut off (a crash).
        return { ...base, attempt, attempts: attempts.length, status: runStatus === "running" ? "running" : runStatus === "cancelled" ? "cancelled" : "incomplete" };
      }
      const previews = await ds.readPreviews(runId, step, taskId, attempt);
      const item: TaskItem = { ...base, attempt, attempts: attempts.length, status: "succeeded" };
      const ok = previews._task_ok?.json;
      if (ok === false) item.status = "failed";
      else if (ok === undefined) {
        const data = await ds.readDataJson(runId, step, taskId, attempt);
        item.status = data ? await this.taskOk(ds, data) : "incomplete";
      }
      // Only a failure, a retry or a possible @catch costs the read of the attempt's outcome.
      if (item.status === "failed" || attempt > 0 || mayHaveCaught(previews)) Object.assign(item, await readTaskOutcome(ds, { runId, step, taskId, attempt, succeeded: item.status === "succeeded" }));
      if (typeof previews.index?.json === "number") item.index = previews.index.json;
      if (previews.input) item.input = previews.input.repr;
      return item;
    } catch (err) {
      return { ...base, attempt: 0, attempts: 0, status: "corrupt", problem: errorText(err) };
    }
  }

  /** `_task_ok` from its blob when there is no preview (runs made by Metaflow): a pickled True ends `\x88.`. */
  private async taskOk(ds: FlowDatastore, data: DataJson): Promise<TaskItemStatus> {
    const sha = data.objects._task_ok;
    if (sha === undefined) return "succeeded";
    const bytes = await ds.readBlob(sha);
    if (!bytes) return "incomplete";
    return bytes.includes(0x89) && !bytes.includes(0x88) ? "failed" : "succeeded";
  }

  /** The artifacts a task recorded: user artifacts first, internal ones (`_…`) only for `_exception`. */
  async artifacts(t: { flow: string; runId: string; step: string; taskId: string; attempt: number }): Promise<(ArtifactItem | ProblemItem)[]> {
    try {
      const ds = this.ds(t.flow);
      const data = await ds.readDataJson(t.runId, t.step, t.taskId, t.attempt);
      if (!data) return [{ kind: "problem", message: `attempt ${t.attempt} has no data.json (the task did not finish writing)` }];
      if (typeof data.objects !== "object" || data.objects === null) return [{ kind: "problem", message: "data.json has no objects (corrupt)" }];
      let previews: Record<string, ArtifactPreview> = {};
      try {
        previews = await ds.readPreviews(t.runId, t.step, t.taskId, t.attempt);
      } catch {
        // Previews are an optimisation: without them the tree still lists names, types and sizes.
      }
      const names = Object.keys(data.objects)
        .filter((n) => !n.startsWith("_") || n === "_exception")
        .sort();
      return names.map((name) => {
        const info = data.info?.[name];
        const item: ArtifactItem = {
          kind: "artifact",
          flow: t.flow,
          runId: t.runId,
          step: t.step,
          taskId: t.taskId,
          attempt: t.attempt,
          name,
          sha: data.objects[name] ?? "",
          type: shortType(info?.type ?? previews[name]?.type ?? "?"),
          size: info?.size ?? previews[name]?.size ?? 0,
        };
        const preview = previews[name];
        if (preview) item.preview = preview;
        return item;
      });
    } catch (err) {
      return [{ kind: "problem", message: `cannot read the artifacts of ${t.step}/${t.taskId}: ${errorText(err)}` }];
    }
  }
}

/**
 * A run's steps in graph order: the parameters task first, then the order the run recorded; steps
 * it does not name (a run without the order) keep `start` first and `end` last, the rest by name.
 */
export function orderSteps(steps: readonly string[], order: readonly string[]): string[] {
  const rank = (s: string): number => {
    if (s === "_parameters") return -2;
    const i = order.indexOf(s);
    if (i >= 0) return i;
    return s === "start" ? -1 : s === "end" ? order.length + 1 : order.length;
  };
  return [...steps].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** `<class 'numpy.ndarray'>` → `numpy.ndarray`. */
export function shortType(type: string): string {
  const m = /^<class '(.+)'>$/.exec(type);
  return m?.[1] ?? type;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
