// What a task asks of Batch, from its decorators: @batch and @resources both describe CPU, GPU
// and memory; as in Metaflow, the larger of the two wins. Also the per-step queue/image/role.
import type { TaskSpec } from "../types";

export interface ResourceRequirement {
  type: "VCPU" | "MEMORY" | "GPU";
  value: string;
}

export interface StepBatchOptions {
  resources: ResourceRequirement[];
  queue?: string;
  image?: string;
  jobRole?: string;
}

/** Metaflow's @batch defaults: 1 vCPU, 4096 MiB, no GPU. */
const defaults = { cpu: 1, memory: 4096, gpu: 0 };

function num(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export function stepBatchOptions(decorators: TaskSpec["decorators"]): StepBatchOptions {
  const batch = decorators.find((d) => d.name === "batch")?.attributes ?? {};
  const resources = decorators.find((d) => d.name === "resources")?.attributes ?? {};
  const pick = (name: "cpu" | "memory" | "gpu"): number => Math.max(num(batch[name]) ?? defaults[name], num(resources[name]) ?? defaults[name]);
  const out: StepBatchOptions = {
    resources: [
      { type: "VCPU", value: String(pick("cpu")) },
      { type: "MEMORY", value: String(Math.ceil(pick("memory"))) },
    ],
  };
  const gpu = pick("gpu");
  if (gpu > 0) out.resources.push({ type: "GPU", value: String(Math.ceil(gpu)) });
  const queue = str(batch.queue);
  if (queue) out.queue = queue;
  const image = str(batch.image);
  if (image) out.image = image;
  const role = str(batch.iam_role);
  if (role) out.jobRole = role;
  return out;
}

/** Environment variables from @environment(vars={...}). */
export function environmentVars(decorators: TaskSpec["decorators"]): Record<string, string> {
  const vars = decorators.find((d) => d.name === "environment")?.attributes.vars;
  const out: Record<string, string> = {};
  if (typeof vars === "object" && vars !== null) {
    for (const [k, v] of Object.entries(vars as Record<string, unknown>)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return out;
}

/** Batch job names: 1-128 letters, digits, hyphens and underscores, starting with a letter or digit. */
export function batchJobName(parts: string[]): string {
  let name = parts.join("-").replace(/[^A-Za-z0-9_-]+/g, "-");
  if (!/^[A-Za-z0-9]/.test(name)) name = `j${name}`;
  return name.slice(0, 128);
}
