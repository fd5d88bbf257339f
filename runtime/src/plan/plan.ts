// The executable plan: what the scheduler needs to know about each step, derived purely from
// the analysis core's `_graph_info`. No I/O; the same graph always gives the same plan.

import type { GraphInfo, GraphStep, LiteralValue, NodeType } from "../../../server/src/analysis/model";

/** Metaflow allows at most this many attempts of a task in all. */
export const maxAttempts = 6;
/** Attempts @catch adds after @retry's for failures the step's code did not raise (a process
 * that was killed or crashed): Metaflow's "fallback" attempts, the last of which records the
 * failure in @catch's artifact instead of running the step. */
export const catchFallbackRetries = 3;

export interface PlanStep {
  name: string;
  type: NodeType;
  next: string[];
  foreachArtifact?: string;
  condition?: string;
  switchCases?: Record<string, string>;
  /** For a split: the join that closes it. */
  matchingJoin?: string;
  /** For a join: the split it closes, and whether that split is a foreach (or parallel). */
  joinOf?: { split: string; foreach: boolean };
  /** Steps with an edge into this one. */
  previous: string[];
  decorators: { name: string; attributes: Record<string, unknown> }[];
  /** User-code retries from @retry (0 without it). */
  userRetries: number;
  /** Further attempts after those (from @catch), as Metaflow counts them: every failed attempt,
   * whatever its kind, spends one of `userRetries + errorRetries`. */
  errorRetries: number;
  /** From @catch: the harness turns the last failure into success. */
  catches: boolean;
  timeoutSeconds?: number;
  /** @environment(vars=...), for the executor. */
  env: Record<string, string>;
  /** The file that defines the step (the flow's, or a base module's) and the def's line in it. */
  file: string;
  line: number;
}

export interface Plan {
  flow: string;
  file: string;
  start: string;
  end: string;
  steps: Record<string, PlanStep>;
  graph: GraphInfo;
}

export class PlanError extends Error {}

/** `stepFiles`: the file of each step defined in another module than `graph.file` (inherited). */
export function buildPlan(flow: string, graph: GraphInfo, stepFiles: Record<string, string> = {}): Plan {
  const entries = Object.values(graph.steps);
  const start = entries.find((s) => s.type === "start")?.name ?? (graph.steps.start ? "start" : undefined);
  const end = entries.find((s) => s.type === "end")?.name ?? (graph.steps.end ? "end" : undefined);
  if (!start || !end) throw new PlanError(`flow ${flow} has no ${start ? "end" : "start"} step`);
  const steps: Record<string, PlanStep> = {};
  for (const s of entries) steps[s.name] = planStep(s, stepFiles[s.name] ?? graph.file);
  for (const s of entries) {
    for (const n of s.next) {
      const target = steps[n];
      if (!target) throw new PlanError(`step ${s.name} goes to unknown step ${n} (${stepLocation(steps[s.name])})`);
      if (!target.previous.includes(s.name)) target.previous.push(s.name);
    }
  }
  for (const s of entries) {
    if (s.matching_join && (s.type === "split-static" || s.type === "split-foreach" || s.type === "split-parallel")) {
      const join = steps[s.matching_join];
      if (join) join.joinOf = { split: s.name, foreach: s.type !== "split-static" };
    }
  }
  for (const s of Object.values(steps)) {
    if (s.type === "join" && !s.joinOf) throw new PlanError(`join step ${s.name} closes no split (${stepLocation(s)})`);
  }
  return { flow, file: graph.file, start, end, steps, graph };
}

/** `file:line` of a step's def, for messages. */
export function stepLocation(s: PlanStep | undefined): string {
  return s ? `${s.file}:${s.line}` : "?";
}

function planStep(s: GraphStep, file: string): PlanStep {
  const decorators = s.decorators.map((d) => ({ name: d.name, attributes: d.attributes }));
  const retry = decorators.find((d) => d.name === "retry");
  const timeout = decorators.find((d) => d.name === "timeout");
  const environment = decorators.find((d) => d.name === "environment");
  const userRetries = retry ? Math.max(0, Math.min(num(retry.attributes.times) ?? 3, maxAttempts - 1)) : 0;
  let timeoutSeconds: number | undefined;
  if (timeout) {
    const total = (num(timeout.attributes.seconds) ?? 0) + 60 * (num(timeout.attributes.minutes) ?? 0) + 3600 * (num(timeout.attributes.hours) ?? 0);
    if (total > 0) timeoutSeconds = total;
  }
  const env: Record<string, string> = {};
  const vars = environment?.attributes.vars;
  if (vars && typeof vars === "object" && !Array.isArray(vars)) {
    for (const [k, v] of Object.entries(vars as Record<string, LiteralValue>)) env[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  const step: PlanStep = {
    name: s.name,
    type: s.type,
    next: [...s.next],
    previous: [],
    decorators,
    userRetries,
    errorRetries: decorators.some((d) => d.name === "catch") ? Math.min(catchFallbackRetries, maxAttempts - 1 - userRetries) : 0,
    catches: decorators.some((d) => d.name === "catch"),
    env,
    file,
    line: s.line,
  };
  if (s.foreach_artifact !== undefined) step.foreachArtifact = s.foreach_artifact;
  if (s.condition !== undefined) step.condition = s.condition;
  if (s.switch_cases !== undefined) step.switchCases = { ...s.switch_cases };
  if (s.matching_join !== undefined) step.matchingJoin = s.matching_join;
  if (timeoutSeconds !== undefined) step.timeoutSeconds = timeoutSeconds;
  return step;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Steps reachable from `from` (itself included): what `resume STEP` re-runs. */
export function reachableFrom(plan: Plan, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const n of plan.steps[name]?.next ?? []) stack.push(n);
  }
  return seen;
}
