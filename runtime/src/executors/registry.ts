// Every executor a step can be sent to besides the local one. Adding one is a folder under
// executors/ whose definition (definition.ts's ExecutorDefinition) loads its heavy code only in
// `create`, and one line here: `--with NAME`, its decorator, its options and its preflight
// checks then work without touching the CLI or the scheduler.
import { batchExecutor } from "./batch/definition";
import { kubernetesExecutor } from "./kubernetes/definition";
import type { ExecutorDefinition } from "./definition";

export const executors: readonly ExecutorDefinition[] = [batchExecutor, kubernetesExecutor];
