// What an executor other than the local one declares so that a run can use it: which steps it
// takes (from their decorator, or every step with `--with NAME`), how it is built, and what it
// checks before any task starts. The run's preparation reads these from registry.ts and knows no
// executor by name; the router (route.ts) sends each task to the executor that took its step.

import type { FlowModel, LiteralValue } from "../../../server/src/analysis/model";
import type { ObjectStore } from "../datastore/types";
import type { Executor } from "./types";

/** Everything an executor may look at while the run is prepared. */
export interface ExecutorSetup {
  flow: FlowModel;
  store: ObjectStore;
  env: NodeJS.ProcessEnv;
  /** `--with NAME` was given for this executor: every step goes to it. */
  all: boolean;
  /** `--with NAME:k=v,...`: the arguments a step without its own decorator gets. */
  withArgs?: Record<string, string>;
  /** The values of this executor's own command-line options, by option name (without `--`). */
  options: ReadonlyMap<string, string>;
}

/** One step an executor takes, with the keyword arguments its decorator gives (empty under `--with`). */
export interface Route {
  step: string;
  args: Record<string, LiteralValue | undefined>;
}

/** A command-line option of an executor, added to `run`, `resume` and `step`. */
export interface ExecutorOption {
  name: string;
  /** The value's placeholder in the usage text, e.g. "NAME". */
  value: string;
  help: string;
}

export interface ExecutorDefinition {
  /** The decorator that sends a step to it (`@batch`) and the value of `--with` that sends every step. */
  name: string;
  /** How messages name it: "AWS Batch". */
  title: string;
  /** The usage line of `--with NAME`. */
  withHelp: string;
  /** It takes `--with NAME:k=v,...` (its decorator's arguments for every step); else that form is refused. */
  withArguments?: boolean;
  options: readonly ExecutorOption[];
  /** The steps of this run it takes; none means it is not used (nor loaded). */
  routes(setup: ExecutorSetup): Route[];
  /** Builds it; its code is loaded only now, so a run that does not use it never parses it. Throws a one-line reason. */
  create(setup: ExecutorSetup, routes: Route[]): Promise<Executor>;
  /**
   * Checks, before any task starts, that the routed steps can run there (a queue exists, a
   * cluster answers). Throws a one-line reason. Called with the executor `create` returned;
   * declared as a method so that a definition may name its own executor class here.
   */
  preflight(executor: Executor, routes: Route[], setup: ExecutorSetup): Promise<void>;
}

/**
 * The usual routing: the steps that carry `@name`, or every step with `--with name`; as in
 * Metaflow, a step's own decorator wins over the arguments of `--with name:k=v`.
 */
export function decoratedRoutes(name: string, flow: FlowModel, all: boolean, withArgs: Record<string, string> = {}): Route[] {
  return flow.steps.flatMap((s) => {
    const deco = s.decorators.find((d) => d.name === name);
    if (!deco && !all) return [];
    const args = deco ? Object.fromEntries(deco.args.flatMap((a) => (a.name !== null ? [[a.name, a.value]] : []))) : { ...withArgs };
    return [{ step: s.name, args }];
  });
}
