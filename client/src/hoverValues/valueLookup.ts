// Which stored artifact a hover shows: the value of `name` in the newest run where one of the
// steps that set it has a task with that artifact. Reads only the datastore's JSON (nothing is
// unpickled here), and keeps what it read per run, so repeated hovers cost no listing. No `vscode`.
import type { ArtifactItem, ProblemItem, TaskItem } from "../explorer/treeModel";

/** What the lookup needs of the Runs view's model (ExplorerModel has it). */
export interface RunSource {
  ds(flow: string): { listRuns(): Promise<string[]> };
  tasks(flow: string, runId: string, step: string): Promise<(TaskItem | ProblemItem)[]>;
  artifacts(t: TaskItem): Promise<(ArtifactItem | ProblemItem)[]>;
}

/** Runs older than this many are not searched: a hover stays fast on a long history. */
const maxRuns = 5;

export class ValueLookup {
  /** Per run and step: the artifacts of its first task that has any (a finished task's never change). */
  private readonly byRunStep = new Map<string, ArtifactItem[]>();

  constructor(private readonly source: RunSource) {}

  /** The artifact, or undefined when no recent run has it at those steps. */
  async find(flow: string, steps: readonly string[], name: string): Promise<ArtifactItem | undefined> {
    const runs = (await this.source.ds(flow).listRuns()).slice(-maxRuns).reverse();
    for (const runId of runs) {
      for (const step of steps) {
        const found = (await this.artifactsOf(flow, runId, step)).find((a) => a.name === name);
        if (found) return found;
      }
    }
    return undefined;
  }

  private async artifactsOf(flow: string, runId: string, step: string): Promise<ArtifactItem[]> {
    const key = `${flow}/${runId}/${step}`;
    const cached = this.byRunStep.get(key);
    if (cached) return cached;
    const tasks = (await this.source.tasks(flow, runId, step)).filter((t): t is TaskItem => t.kind === "task");
    for (const task of tasks) {
      const artifacts = (await this.source.artifacts(task)).filter((a): a is ArtifactItem => a.kind === "artifact");
      if (artifacts.length === 0) continue;
      this.byRunStep.set(key, artifacts);
      return artifacts;
    }
    // Not cached: the step may not have run yet in a run that is still going.
    return [];
  }
}

/** Values by content hash: an artifact's value never changes for its sha, so one load serves every hover. */
export class ValueCache<T> {
  private readonly values = new Map<string, Promise<T>>();

  constructor(private readonly limit = 200) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.values.get(key);
    if (hit) {
      // Most recently used last, so the oldest is dropped first.
      this.values.delete(key);
      this.values.set(key, hit);
      return hit;
    }
    const value = load();
    this.values.set(key, value);
    if (this.values.size > this.limit) this.values.delete(this.values.keys().next().value as string);
    return value;
  }
}
