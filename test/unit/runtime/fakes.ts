// Test doubles for the scheduler: a graph builder and an executor whose tasks do what each
// test says (succeed with a transition, fail, wait for a release) and that records every call.

import type { GraphInfo, GraphStep, NodeType } from "../../../server/src/analysis/model";
import type { RunEvent } from "../../../server/src/protocol/runEvents";
import type { Executor, TaskResult, TaskSpec } from "../../../runtime/src/executors/types";
import { buildPlan, type Plan } from "../../../runtime/src/plan/plan";
import { Scheduler, type RunOutcome, type SchedulerOptions } from "../../../runtime/src/scheduler/scheduler";

export interface StepDef {
  type: NodeType;
  next?: string[];
  foreach?: string;
  join?: string;
  condition?: string;
  cases?: Record<string, string>;
  decorators?: { name: string; attributes: Record<string, string | number | boolean> }[];
}

export function graph(steps: Record<string, StepDef>): GraphInfo {
  const out: Record<string, GraphStep> = {};
  let line = 1;
  for (const [name, s] of Object.entries(steps)) {
    const g: GraphStep = { name, type: s.type, line: (line += 3), doc: "", decorators: (s.decorators ?? []).map((d) => ({ ...d, statically_defined: true })), next: s.next ?? [] };
    if (s.foreach) g.foreach_artifact = s.foreach;
    if (s.join) g.matching_join = s.join;
    if (s.condition) g.condition = s.condition;
    if (s.cases) g.switch_cases = s.cases;
    out[name] = g;
  }
  return { file: "flow.py", parameters: [], constants: [], steps: out, graph_structure: [], doc: "", decorators: [], extensions: {} };
}

export function plan(steps: Record<string, StepDef>): Plan {
  return buildPlan("TestFlow", graph(steps));
}

export type Behaviour = (spec: TaskSpec, signal: AbortSignal) => TaskResult | Promise<TaskResult>;

export class FakeExecutor implements Executor {
  readonly name = "fake";
  readonly calls: TaskSpec[] = [];
  running = 0;
  maxRunning = 0;

  constructor(private readonly behaviour: Behaviour) {}

  async runTask(spec: TaskSpec, _sink: unknown, signal: AbortSignal): Promise<TaskResult> {
    this.calls.push(spec);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      // A turn of the event loop, so that tasks really overlap.
      await new Promise((r) => setImmediate(r));
      return await this.behaviour(spec, signal);
    } finally {
      this.running -= 1;
    }
  }

  async close(): Promise<void> {}

  stepsRun(): string[] {
    return this.calls.map((c) => `${c.ref.step}:${c.ref.attempt}`);
  }
}

export const ok = (...next: string[]): TaskResult => ({ ok: true, transition: { next }, durationMs: 1 });
export const fanOut = (next: string, count: number): TaskResult => ({ ok: true, transition: { next: [next], foreachCount: count }, durationMs: 1 });

/** Succeeds with the step's static `next` (switch steps must be handled by the test). */
export function linearBehaviour(p: Plan, counts: Record<string, number> = {}): Behaviour {
  return (spec) => {
    const step = p.steps[spec.ref.step];
    if (!step) throw new Error(`no step ${spec.ref.step}`);
    if (step.type === "split-foreach") return fanOut(step.next[0] ?? "", counts[step.name] ?? 3);
    return ok(...step.next);
  };
}

export async function runScheduler(p: Plan, executor: Executor, extra: Partial<SchedulerOptions> = {}): Promise<{ outcome: RunOutcome; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const scheduler = new Scheduler({ plan: p, executor, runId: "1", flowFile: "/tmp/flow.py", maxWorkers: 4, maxNumSplits: 100, user: "test", tags: [], emit: (e) => events.push(e), ...extra });
  const outcome = await scheduler.run();
  return { outcome, events };
}

export function states(events: RunEvent[], state: string): string[] {
  return events.flatMap((e) => (e.type === "task-state" && e.state === state ? [`${e.task.step}/${e.task.taskId}`] : []));
}
