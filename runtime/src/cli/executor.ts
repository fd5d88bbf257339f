// Picks the executor for a run. The local executor runs tasks as Python worker processes.

import type { ObjectStore } from "../datastore/types";
import { LocalExecutor } from "../executors/local";

export interface ExecutorOptions {
  python: string;
  store: ObjectStore;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function createExecutor(o: ExecutorOptions): LocalExecutor {
  return new LocalExecutor({ python: o.python, datastoreEnv: o.store.pythonEnvironment(), env: o.env, cwd: o.cwd });
}
