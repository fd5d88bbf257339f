// Metaflow's decorators as Flowlens knows them: where they go (step or flow), their keyword
// arguments with the types they accept and Metaflow's defaults, whether they may repeat, and
// whether Flowlens runs them (FL109 for the ones it does not: an error when the run then fails).
import type { DecoratorModel, LiteralValue } from "./model";

/** What an argument accepts. "number" accepts int, float and a numeric string (Metaflow casts). */
export type ArgKind = "bool" | "int" | "number" | "str" | "dict" | "list" | "any";

export interface KnownDecorator {
  scope: "step" | "flow";
  /** Keyword -> accepted kind; undefined means any keyword is accepted (not checked). */
  args?: Record<string, ArgKind>;
  defaults?: Record<string, LiteralValue>;
  repeatable?: boolean;
  /** One sentence on what it does, for hovers and completion (Metaflow's own wording is not copied). */
  doc?: string;
  /** Set when Flowlens does not run this feature: the FL109 reason, saying what happens at run time. */
  unsupported?: string;
  /** The run fails because of it (a task refuses it, or the import fails): FL109 is then an error. */
  runFails?: boolean;
  /** Arguments Metaflow takes that Flowlens refuses before a run, each with the reason (FL109). */
  unsupportedArgs?: Record<string, string>;
}

const batchArgs: Record<string, ArgKind> = {
  cpu: "number", gpu: "number", memory: "number", image: "str", queue: "str", iam_role: "str", execution_role: "str",
  shared_memory: "number", max_swap: "number", swappiness: "number", use_tmpfs: "bool", tmpfs_tempdir: "bool",
  tmpfs_size: "number", tmpfs_path: "str", inferentia: "number", trainium: "number", efa: "number",
  ephemeral_storage: "number", log_driver: "str", log_options: "list", aws_batch_tags: "dict", host_volumes: "any",
  efs_volumes: "any", privileged: "bool", use_fargate: "bool", ulimits: "any",
};

const kubernetesArgs: Record<string, ArgKind> = {
  cpu: "number", memory: "number", disk: "number", image: "str", image_pull_policy: "str", image_pull_secrets: "list",
  service_account: "str", secrets: "any", node_selector: "any", namespace: "str", gpu: "number", gpu_vendor: "str",
  tolerations: "list", labels: "dict", annotations: "dict", use_tmpfs: "bool", tmpfs_tempdir: "bool", tmpfs_size: "number",
  tmpfs_path: "str", persistent_volume_claims: "dict", shared_memory: "number", qos: "str", extended_resources: "dict",
  port: "int", compute_pool: "str", executable: "str", hostname_resolution_timeout: "int", security_context: "dict",
};

export const knownDecorators: Record<string, KnownDecorator> = {
  step: { scope: "step", args: { start: "bool", end: "bool" } },
  retry: { scope: "step", args: { times: "int", minutes_between_retries: "number" }, defaults: { times: 3, minutes_between_retries: 2 } },
  catch: { scope: "step", args: { var: "str", print_exception: "bool" }, defaults: { var: null, print_exception: true } },
  timeout: { scope: "step", args: { seconds: "number", minutes: "number", hours: "number" }, defaults: { seconds: 0, minutes: 0, hours: 0 } },
  resources: {
    scope: "step",
    args: { cpu: "number", gpu: "number", disk: "number", memory: "number", shared_memory: "number" },
    defaults: { cpu: 1, gpu: null, disk: null, memory: 4096, shared_memory: null },
  },
  environment: { scope: "step", args: { vars: "dict" }, defaults: { vars: {} } },
  batch: { scope: "step", args: batchArgs, defaults: { cpu: null, gpu: null, memory: null, image: null, queue: null, tmpfs_path: "/metaflow_temp", use_tmpfs: false } },
  parallel: { scope: "step", args: {} },
  card: {
    scope: "step",
    doc: "Makes a report of the task (its artifacts by default, or the components the step adds through current.card) stored beside the task and shown in the editor",
    args: { type: "str", id: "str", options: "dict", scope: "str", rank: "str", timeout: "int", save_errors: "bool", customize: "bool", refresh_interval: "int" },
    // In the order Metaflow lists them, which is the order `_graph_info` stores them in.
    defaults: { type: "default", options: {}, scope: "task", rank: null, timeout: 45, id: null, save_errors: true, customize: false, refresh_interval: 5 },
    repeatable: true,
  },
  secrets: { scope: "step", args: { sources: "list", role: "str", allow_override: "bool" }, unsupported: "Flowlens does not fetch secrets, and every task of a step with @secrets fails at its start", runFails: true },
  kubernetes: {
    scope: "step",
    doc: "Runs the step's tasks as Kubernetes jobs (with the S3 datastore), sized by its cpu, memory, disk and gpu",
    args: kubernetesArgs,
    defaults: { cpu: "1", memory: "4096", disk: "10240", image: null, namespace: null, service_account: null, gpu: null, qos: "Burstable" },
    unsupportedArgs: {
      port: "Flowlens opens no port on a task's pod",
      compute_pool: "Flowlens does not place pods by compute pool; use node_selector",
      executable: "Flowlens runs the step with the image's python3",
      hostname_resolution_timeout: "Flowlens does not run @parallel steps on Kubernetes",
      security_context: "Flowlens does not set a pod security context",
    },
  },
  conda: { scope: "step", args: { packages: "dict", libraries: "dict", python: "str", disabled: "bool", pip: "dict" }, unsupported: "Flowlens does not create Conda environments, and every task of a step with @conda fails at its start", runFails: true },
  pypi: { scope: "step", args: { packages: "dict", python: "str", disabled: "bool" }, unsupported: "Flowlens does not create PyPI environments, and every task of a step with @pypi fails at its start", runFails: true },
  checkpoint: { scope: "step", unsupported: "Flowlens does not manage checkpoints, and its metaflow package has no checkpoint to import", runFails: true },
  // Metaflow's internal test hook for unbounded foreach (its own test suite uses it).
  unbounded_test_foreach_internal: { scope: "step", args: {} },
  // Flow-level decorators.
  project: { scope: "flow", args: { name: "str", branch: "str", production: "bool" } },
  schedule: { scope: "flow", args: { hourly: "bool", daily: "bool", weekly: "bool", cron: "str", timezone: "str" }, unsupported: "schedules apply to production deployments, which Flowlens does not make; a run here ignores it" },
  trigger: { scope: "flow", unsupported: "event triggers apply to production deployments, which Flowlens does not make; a run here ignores it" },
  trigger_on_finish: { scope: "flow", unsupported: "event triggers apply to production deployments, which Flowlens does not make; a run here ignores it" },
  conda_base: { scope: "flow", args: { packages: "dict", libraries: "dict", python: "str", disabled: "bool" }, unsupported: "Flowlens does not create Conda environments, and every task of a flow with @conda_base fails at its start", runFails: true },
  pypi_base: { scope: "flow", args: { packages: "dict", python: "str", disabled: "bool" }, unsupported: "Flowlens does not create PyPI environments, and every task of a flow with @pypi_base fails at its start", runFails: true },
  exit_hook: { scope: "flow", unsupported: "Flowlens does not run exit hooks, and its metaflow package has no exit_hook to import", runFails: true },
};

/** Names importable from metaflow that are not decorators but are used in flows. */
export const apiNames = new Set(["FlowSpec", "Parameter", "IncludeFile", "JSONType", "current", "Flow", "Run", "Step", "Task", "namespace", "Config", "config_expr", "S3", "card"]);

export function argKindAccepts(kind: ArgKind, value: LiteralValue | undefined): boolean {
  if (value === undefined || value === null) return true; // expressions are not checked; None means "unset"
  switch (kind) {
    case "any":
      return true;
    case "bool":
      return typeof value === "boolean";
    case "int":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return (typeof value === "number" && typeof value !== "boolean") || (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)));
    case "str":
      return typeof value === "string";
    case "dict":
      return typeof value === "object" && !Array.isArray(value);
    case "list":
      return Array.isArray(value);
  }
}

export function describeKind(kind: ArgKind): string {
  switch (kind) {
    case "bool":
      return "True or False";
    case "int":
      return "an integer";
    case "number":
      return "a number";
    case "str":
      return "a string";
    case "dict":
      return "a dict";
    case "list":
      return "a list";
    case "any":
      return "any value";
  }
}

/** A decorator that is not Metaflow's (a user_step_decorator, a StepMutator or FlowMutator, an
 * extension's): it may set any artifact on self, add parameters, or change the flow. */
export function isUserDecorator(d: DecoratorModel): boolean {
  return d.name !== "step" && (d.origin === "other" || knownDecorators[d.name] === undefined);
}
