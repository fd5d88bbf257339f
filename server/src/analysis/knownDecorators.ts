// Metaflow's decorators as Flowlens knows them: where they go (step or flow), their keyword
// arguments with the types they accept and Metaflow's defaults, whether they may repeat, and
// whether Flowlens runs them (FL109 warns for the ones it does not).
import type { LiteralValue } from "./model";

/** What an argument accepts. "number" accepts int, float and a numeric string (Metaflow casts). */
export type ArgKind = "bool" | "int" | "number" | "str" | "dict" | "list" | "any";

export interface KnownDecorator {
  scope: "step" | "flow";
  /** Keyword -> accepted kind; undefined means any keyword is accepted (not checked). */
  args?: Record<string, ArgKind>;
  defaults?: Record<string, LiteralValue>;
  repeatable?: boolean;
  /** Set when Flowlens does not run this feature: the FL109 reason. */
  unsupported?: string;
}

const batchArgs: Record<string, ArgKind> = {
  cpu: "number", gpu: "number", memory: "number", image: "str", queue: "str", iam_role: "str", execution_role: "str",
  shared_memory: "number", max_swap: "number", swappiness: "number", use_tmpfs: "bool", tmpfs_tempdir: "bool",
  tmpfs_size: "number", tmpfs_path: "str", inferentia: "number", trainium: "number", efa: "number",
  ephemeral_storage: "number", log_driver: "str", log_options: "list", aws_batch_tags: "dict", host_volumes: "any",
  efs_volumes: "any", privileged: "bool", use_fargate: "bool", ulimits: "any",
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
    args: { type: "str", id: "str", options: "dict", scope: "str", timeout: "int", save_errors: "bool", customize: "bool", refresh_interval: "int" },
    defaults: { type: "default", options: {}, scope: "task", timeout: 45, id: null, save_errors: true, customize: false },
    repeatable: true,
    unsupported: "cards are not rendered by Flowlens (the step runs; the card is skipped)",
  },
  secrets: { scope: "step", args: { sources: "list", role: "str", allow_override: "bool" }, unsupported: "secrets are not fetched by Flowlens" },
  kubernetes: { scope: "step", unsupported: "Flowlens does not run steps on Kubernetes (it runs them locally or on AWS Batch)" },
  conda: { scope: "step", args: { packages: "dict", libraries: "dict", python: "str", disabled: "bool", pip: "dict" }, unsupported: "Flowlens does not create Conda environments; the step runs in the selected Python" },
  pypi: { scope: "step", args: { packages: "dict", python: "str", disabled: "bool" }, unsupported: "Flowlens does not create PyPI environments; the step runs in the selected Python" },
  checkpoint: { scope: "step", unsupported: "Flowlens does not manage checkpoints" },
  // Flow-level decorators.
  project: { scope: "flow", args: { name: "str", branch: "str", production: "bool" } },
  schedule: { scope: "flow", args: { hourly: "bool", daily: "bool", weekly: "bool", cron: "str", timezone: "str" }, unsupported: "schedules apply to production deployments, which Flowlens does not make" },
  trigger: { scope: "flow", unsupported: "event triggers apply to production deployments, which Flowlens does not make" },
  trigger_on_finish: { scope: "flow", unsupported: "event triggers apply to production deployments, which Flowlens does not make" },
  conda_base: { scope: "flow", args: { packages: "dict", libraries: "dict", python: "str", disabled: "bool" }, unsupported: "Flowlens does not create Conda environments; steps run in the selected Python" },
  pypi_base: { scope: "flow", args: { packages: "dict", python: "str", disabled: "bool" }, unsupported: "Flowlens does not create PyPI environments; steps run in the selected Python" },
  exit_hook: { scope: "flow", unsupported: "exit hooks are not run by Flowlens" },
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
