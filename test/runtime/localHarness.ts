// The harness the LocalExecutor tests drive it with: hand-made TaskSpecs on small flow files
// (test/runtime/python/flows), each task's outputs collected.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "../../runtime/src/executors/local";
import type { TaskOutput, TaskResult, TaskSpec } from "../../runtime/src/executors/types";
import type { GraphInfo, GraphStep, NodeType } from "../../server/src/analysis/model";

export const flows = join(import.meta.dirname, "python", "flows");

export interface Ran {
  result: TaskResult;
  outputs: TaskOutput[];
}

export function graphOf(file: string, steps: Record<string, { type: NodeType; next: string[]; foreach?: string; join?: string }>): GraphInfo {
  const out: Record<string, GraphStep> = {};
  for (const [name, s] of Object.entries(steps)) {
    out[name] = { name, type: s.type, line: 1, doc: "", decorators: [], next: s.next };
    if (s.foreach !== undefined) out[name].foreach_artifact = s.foreach;
    if (s.join !== undefined) out[name].matching_join = s.join;
  }
  return { file, parameters: [], constants: [], steps: out, graph_structure: [], doc: "", decorators: [], extensions: {} };
}

export class Harness {
  readonly root = mkdtempSync(join(tmpdir(), "flowlens-exec-"));
  readonly executor: LocalExecutor;
  private taskId = 0;

  constructor(
    readonly flowFile: string,
    readonly flowName: string,
    readonly graph: GraphInfo | undefined,
    python?: string,
  ) {
    this.executor = new LocalExecutor({
      datastoreEnv: { FLOWLENS_DATASTORE: "local", FLOWLENS_DATASTORE_ROOT: this.root },
      ...(python !== undefined ? { python } : {}),
      cwd: this.root,
      timeoutGraceMs: 1000,
    });
  }

  spec(runId: string, step: string, inputPaths: string[], extra: Partial<TaskSpec> = {}): TaskSpec {
    const taskId = step === "_parameters" ? "0" : String(++this.taskId);
    const spec: TaskSpec = {
      ref: { flow: this.flowName, runId, step, taskId, attempt: 0 },
      flowFile: this.flowFile,
      flowName: this.flowName,
      inputPaths,
      retryCount: 0,
      decorators: [],
      env: {},
      pathspec: `${this.flowName}/${runId}/${step}/${taskId}`,
      user: "tester",
      tags: [],
      ...extra,
    };
    if (this.graph) spec.graph = this.graph;
    return spec;
  }

  async run(spec: TaskSpec, signal: AbortSignal = new AbortController().signal, onOutput?: (o: TaskOutput) => void): Promise<Ran> {
    const outputs: TaskOutput[] = [];
    const result = await this.executor.runTask(
      spec,
      (o) => {
        outputs.push(o);
        onOutput?.(o);
      },
      signal,
    );
    return { result, outputs };
  }

  path(spec: TaskSpec): string {
    return `${spec.ref.runId}/${spec.ref.step}/${spec.ref.taskId}`;
  }

  taskDir(spec: TaskSpec): string {
    return join(this.root, this.flowName, spec.ref.runId, spec.ref.step, spec.ref.taskId);
  }

  async close(): Promise<void> {
    await this.executor.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function logs(ran: Ran, stream?: "stdout" | "stderr"): string[] {
  return ran.outputs.flatMap((o) => (o.kind === "log" && (stream === undefined || o.stream === stream) ? [o.line] : []));
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function isZombie(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setImmediate(resolve));
  }
}
