// The run's @project, for the Job's labels and annotations (as Metaflow annotates its pods with
// the project, the branch and the project's flow name). Only Python resolves @project (its
// branch depends on --branch, --production and the user), and the run's first task records the
// result in the datastore (`<flow>/<run>/_flowlens/system_tags.json`); it is read from there once
// per run, after that task.
import type { ObjectStore } from "../../datastore/types";
import type { TaskRef } from "../../../../server/src/protocol/runEvents";

export interface ProjectFacts {
  name: string;
  branch: string;
  /** `<project>.<branch>.<Flow>`, Metaflow's project flow name. */
  flowName: string;
}

/** The project of the run from its recorded system tags (`project:x`, `project_branch:y`); undefined without @project. */
export function projectFromTags(text: string | undefined, flow: string): ProjectFacts | undefined {
  let tags: unknown;
  try {
    tags = (JSON.parse(text ?? "{}") as { system_tags?: unknown }).system_tags;
  } catch {
    return undefined;
  }
  const list = Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
  const value = (prefix: string): string | undefined => list.find((t) => t.startsWith(prefix))?.slice(prefix.length);
  const name = value("project:");
  const branch = value("project_branch:");
  return name && branch ? { name, branch, flowName: `${name}.${branch}.${flow}` } : undefined;
}

/** Reads each run's project once; the `_parameters` task, which records it, gets none. */
export class RunProjects {
  private readonly byRun = new Map<string, Promise<ProjectFacts | undefined>>();

  constructor(private readonly store: () => ObjectStore) {}

  of(ref: TaskRef): Promise<ProjectFacts | undefined> {
    if (ref.step === "_parameters") return Promise.resolve(undefined);
    const key = `${ref.flow}/${ref.runId}`;
    let p = this.byRun.get(key);
    if (!p) {
      p = Promise.resolve()
        .then(() => this.store().get(`${key}/_flowlens/system_tags.json`))
        .then((b) => projectFromTags(b?.toString(), ref.flow), () => undefined);
      this.byRun.set(key, p);
    }
    return p;
  }
}
