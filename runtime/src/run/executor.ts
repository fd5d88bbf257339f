// Picks the executors of a run: the local Python workers, plus every executor of the registry
// (runtime/src/executors/registry.ts) that takes some of the run's steps, through its decorator
// or `--with NAME`. Each one used is built and checked before any task starts, so a setup
// problem is one message, not a failed task.

import type { FlowModel } from "../../../server/src/analysis/model";
import type { ObjectStore } from "../datastore/types";
import type { ExecutorDefinition, ExecutorSetup } from "../executors/definition";
import { LocalExecutor } from "../executors/local";
import { executors } from "../executors/registry";
import { routeTasks, type RoutedExecutor } from "../executors/route";
import type { Executor } from "../executors/types";

export interface ExecutorOptions {
  python: string;
  store: ObjectStore;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function createExecutor(o: ExecutorOptions): LocalExecutor {
  return new LocalExecutor({ python: o.python, datastoreEnv: o.store.pythonEnvironment(), env: o.env, cwd: o.cwd });
}

/** The values `--with` accepts. */
export const withNames: readonly string[] = executors.map((e) => e.name);

/**
 * `--with NAME` or `--with NAME:k=v,...` for an executor: its name and arguments; undefined for a
 * value that names no executor, and a one-line reason for arguments it does not take.
 */
export function parseWithExecutor(value: string, registry: readonly ExecutorDefinition[] = executors): { name: string; args: Record<string, string> } | string | undefined {
  const [name = "", rest] = value.split(/:(.*)/s);
  const def = registry.find((e) => e.name === name);
  if (!def) return undefined;
  if (rest === undefined) return { name, args: {} };
  if (!def.withArguments) return `--with ${value}: ${def.title} takes no arguments here (write --with ${name})`;
  const args: Record<string, string> = {};
  for (const part of rest.split(",")) {
    const [k = "", ...v] = part.split("=");
    if (k.trim() === "" || v.length === 0) return `--with ${value}: each argument is NAME=VALUE, got '${part}'`;
    args[k.trim()] = v.join("=").trim();
  }
  return { name, args };
}

/** The executors' own options (`--batch-queue`): the names a request's `executorOptions` may use. */
export const executorOptionNames: readonly string[] = executors.flatMap((e) => e.options.map((o) => o.name));

/** What the run asked of the executors: `--with` values and the executors' options. */
export interface ExecutorChoice {
  with: readonly string[];
  options: ReadonlyMap<string, string>;
}

/**
 * Wraps the local executor so that each step another executor takes goes there. Throws one line
 * ("cannot send tasks to AWS Batch: ...") when one cannot be built or fails its checks; the
 * executors already built are closed first.
 */
export async function withExecutors(local: Executor, store: ObjectStore, env: NodeJS.ProcessEnv, flow: FlowModel, choice: ExecutorChoice, registry: readonly ExecutorDefinition[] = executors): Promise<Executor> {
  const routed: RoutedExecutor[] = [];
  const taken = new Map<string, string>();
  try {
    for (const def of registry) {
      const chosen = choice.with.map((w) => parseWithExecutor(w, registry)).find((w) => typeof w === "object" && w.name === def.name);
      const setup: ExecutorSetup = { flow, store, env, all: typeof chosen === "object", options: choice.options, ...(typeof chosen === "object" ? { withArgs: chosen.args } : {}) };
      const routes = def.routes(setup);
      if (routes.length === 0) continue;
      for (const r of routes) {
        const other = taken.get(r.step);
        if (other !== undefined) throw new Error(`step ${r.step} is sent both to ${other} and to ${def.title}: keep one`);
        taken.set(r.step, def.title);
      }
      const executor = await saying(def.title, def.create(setup, routes));
      routed.push({ executor, steps: new Set(routes.map((r) => r.step)) });
      await saying(def.title, def.preflight(executor, routes, setup));
    }
  } catch (error) {
    await Promise.all(routed.map((r) => r.executor.close()));
    throw error;
  }
  return routeTasks(local, routed);
}

/** The promise, with a rejection reworded as "cannot send tasks to <title>: <reason>". */
async function saying<T>(title: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (error) {
    throw new Error(`cannot send tasks to ${title}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
