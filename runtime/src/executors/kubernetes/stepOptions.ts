// What a task asks of Kubernetes, from @kubernetes (or `--with kubernetes:k=v`) and @resources:
// as in Metaflow, cpu, memory, disk and gpu take the larger of the two; the rest comes from
// @kubernetes over the executor's settings. Arguments Metaflow takes that Flowlens does not
// honour are listed by name (`unsupportedArguments`) and refused before the run starts.
import { knownDecorators } from "../../../../server/src/analysis/knownDecorators";
import type { TaskSpec } from "../types";
import type { KubernetesSettings } from "./settings";
import { parsePairs } from "./settings";

/** Metaflow's @kubernetes arguments that Flowlens refuses, with the reason: the analysis's table (FL109), so both say the same. */
export const unsupportedArguments: Readonly<Record<string, string>> = knownDecorators.kubernetes?.unsupportedArgs ?? {};

/** Every argument @kubernetes takes in Metaflow. */
export const kubernetesArguments: readonly string[] = Object.keys(knownDecorators.kubernetes?.args ?? {});

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface StepKubernetesOptions {
  cpu: string;
  /** MiB. */
  memory: number;
  /** MiB of ephemeral storage. */
  disk: number;
  gpu: number;
  gpuVendor: string;
  extendedResources: Record<string, string>;
  image: string;
  imagePullPolicy?: string;
  imagePullSecrets: string[];
  namespace: string;
  serviceAccount?: string;
  secrets: string[];
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  qos: "Guaranteed" | "Burstable";
  /** A memory-backed volume at `path`, of `sizeMiB`; `tempdir` points the task's temporary directory at it. */
  tmpfs?: { path: string; sizeMiB: number; tempdir: boolean };
  /** MiB of /dev/shm. */
  sharedMemory?: number;
  /** Claim name -> mount path. */
  volumeClaims: Record<string, string>;
}

type Attributes = Record<string, unknown>;

function num(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : typeof value === "number" ? String(value) : undefined;
}

function bool(value: unknown): boolean {
  return value === true || (typeof value === "string" && /^(1|true|yes)$/i.test(value));
}

/** A list given as a list or as `a,b` text. */
function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === "string" && v.trim() !== "" ? [v.trim()] : []));
  return typeof value === "string" ? value.split(",").map((s) => s.trim()).filter((s) => s !== "") : [];
}

/** A mapping given as a dict or as `k=v,k2=v2` text. */
function pairs(value: unknown): Record<string, string> {
  if (typeof value === "string") return parsePairs(value);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Attributes).flatMap(([k, v]) => (v === null || v === undefined ? [] : [[k, typeof v === "string" ? v : JSON.stringify(v)]])));
}

function tolerations(value: unknown): Toleration[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((t: unknown) => {
    if (typeof t !== "object" || t === null) return [];
    const o = t as Attributes;
    const out: Toleration = {};
    for (const k of ["key", "operator", "value", "effect"] as const) if (typeof o[k] === "string") out[k] = o[k];
    const seconds = num(o.tolerationSeconds ?? o.toleration_seconds);
    if (seconds !== undefined) out.tolerationSeconds = Math.floor(seconds);
    return [out];
  });
}

/** The attributes of the task's @kubernetes, or those `--with kubernetes:k=v` gave its step. */
export function kubernetesAttributes(decorators: TaskSpec["decorators"], fallback: Attributes = {}): Attributes {
  return decorators.find((d) => d.name === "kubernetes")?.attributes ?? fallback;
}

export function stepKubernetesOptions(decorators: TaskSpec["decorators"], settings: KubernetesSettings, fallback: Attributes = {}): StepKubernetesOptions {
  const k8s = kubernetesAttributes(decorators, fallback);
  const resources = decorators.find((d) => d.name === "resources")?.attributes ?? {};
  // Metaflow's @kubernetes defaults: 1 CPU, 4096 MiB, 10240 MiB of disk, no GPU.
  // @resources raises what @kubernetes (or its default) asks for, never lowers it.
  const larger = (name: string, floor: number): number => Math.max(num(k8s[name]) ?? floor, num(resources[name]) ?? 0);
  const out: StepKubernetesOptions = {
    cpu: String(larger("cpu", 1)),
    memory: Math.ceil(larger("memory", 4096)),
    disk: Math.ceil(larger("disk", 10240)),
    gpu: Math.ceil(larger("gpu", 0)),
    gpuVendor: (str(k8s.gpu_vendor) ?? settings.gpuVendor).toLowerCase(),
    extendedResources: pairs(k8s.extended_resources),
    image: str(k8s.image) ?? settings.image,
    imagePullSecrets: strings(k8s.image_pull_secrets),
    namespace: str(k8s.namespace) ?? settings.namespace,
    secrets: [...settings.secrets, ...strings(k8s.secrets)],
    nodeSelector: { ...settings.nodeSelector, ...pairs(k8s.node_selector) },
    tolerations: tolerations(k8s.tolerations),
    labels: pairs(k8s.labels),
    annotations: pairs(k8s.annotations),
    qos: str(k8s.qos)?.toLowerCase() === "guaranteed" ? "Guaranteed" : str(k8s.qos) ? "Burstable" : settings.qos,
    volumeClaims: pairs(k8s.persistent_volume_claims),
  };
  const pull = str(k8s.image_pull_policy);
  if (pull) out.imagePullPolicy = pull;
  const account = str(k8s.service_account) ?? settings.serviceAccount;
  if (account) out.serviceAccount = account;
  const tmpfsSize = num(k8s.tmpfs_size);
  if (bool(k8s.use_tmpfs) || tmpfsSize !== undefined) {
    // Metaflow's default tmpfs is half the task's memory.
    out.tmpfs = { path: str(k8s.tmpfs_path) ?? "/metaflow_temp", sizeMiB: Math.ceil(tmpfsSize ?? out.memory / 2), tempdir: k8s.tmpfs_tempdir === undefined || k8s.tmpfs_tempdir === null || bool(k8s.tmpfs_tempdir) };
  }
  const shm = num(k8s.shared_memory) ?? num(resources.shared_memory);
  if (shm !== undefined && shm > 0) out.sharedMemory = Math.ceil(shm);
  return out;
}

/** One line per argument the step gives that Flowlens refuses (unknown to Metaflow, or not run here). */
export function argumentProblems(step: string, args: Attributes): string[] {
  return Object.entries(args).flatMap(([name, value]) => {
    if (value === undefined || value === null) return [];
    const why = unsupportedArguments[name];
    if (why !== undefined) return [`step ${step}: @kubernetes(${name}=...) is not supported: ${why}`];
    if (!kubernetesArguments.includes(name)) return [`step ${step}: @kubernetes takes no argument "${name}" (it takes ${kubernetesArguments.filter((a) => !(a in unsupportedArguments)).join(", ")})`];
    if (name === "qos" && !/^(guaranteed|burstable)$/i.test(typeof value === "string" ? value : "")) return [`step ${step}: @kubernetes(qos=${JSON.stringify(value)}) must be Guaranteed or Burstable`];
    if (name === "gpu_vendor" && !/^(nvidia|amd)$/i.test(typeof value === "string" ? value : "")) return [`step ${step}: @kubernetes(gpu_vendor=${JSON.stringify(value)}) must be nvidia or amd`];
    return [];
  });
}
