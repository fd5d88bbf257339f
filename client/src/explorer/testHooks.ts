// What the end-to-end tests read of the Runs view: one run as the user would expand it (steps →
// tasks → artifacts), and one artifact item to pass to a command. Exposed on the extension's API
// (testHooks.ts), not as commands.
import type { ExplorerService } from "./service";
import type { ArtifactItem, RunItem, TaskItem } from "./treeModel";

export interface RunSnapshot {
  /** When the flow is not in the view: the view's top level. */
  flows?: string[];
  /** When the run is not under the flow: the flow's runs. */
  runs?: string[];
  run?: { runId: string; status: string; description: string | boolean | undefined };
  steps?: Record<string, { tasks: { taskId: string; status: string; description: string; artifacts: { name: string; type: string; size: number; shape?: number[] }[] }[] }>;
}

export async function runSnapshot(explorer: ExplorerService, flow: string, runId: string): Promise<RunSnapshot> {
  const { tree } = explorer;
  const top = await tree.getChildren();
  const flowItem = top.find((f) => f.kind === "flow" && f.flow === flow);
  if (!flowItem) return { flows: top.map((t) => (t.kind === "flow" ? t.flow : t.kind)) };
  const runs = await tree.getChildren(flowItem);
  const run = runs.find((r): r is RunItem => r.kind === "run" && r.runId === runId);
  if (!run) return { runs: runs.map((r) => (r.kind === "run" ? r.runId : r.kind)) };
  const steps: NonNullable<RunSnapshot["steps"]> = {};
  for (const step of await tree.getChildren(run)) {
    if (step.kind !== "step") continue;
    const tasks = (await tree.getChildren(step)).filter((t): t is TaskItem => t.kind === "task");
    steps[step.step] = {
      tasks: await Promise.all(
        tasks.map(async (t) => ({
          taskId: t.taskId,
          status: t.status,
          description: String(tree.getTreeItem(t).description ?? ""),
          artifacts: (await tree.getChildren(t)).filter((a): a is ArtifactItem => a.kind === "artifact").map((a) => ({ name: a.name, type: a.type, size: a.size, ...(a.preview?.shape ? { shape: a.preview.shape } : {}) })),
        })),
      ),
    };
  }
  return { run: { runId: run.runId, status: run.status, description: tree.getTreeItem(run).description }, steps };
}

/** The artifact item the view shows for `name` in the first task of a step. */
export async function findArtifact(explorer: ExplorerService, flow: string, runId: string, step: string, name: string): Promise<ArtifactItem | undefined> {
  const model = await explorer.model();
  const tasks = await model.tasks(flow, runId, step);
  const task = tasks.find((t): t is TaskItem => t.kind === "task");
  if (!task) return undefined;
  return (await model.artifacts(task)).find((a): a is ArtifactItem => a.kind === "artifact" && a.name === name);
}
