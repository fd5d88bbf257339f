// Kubernetes settings: from the executor's options (CLI flags, `--with kubernetes:k=v`), then
// environment variables (FLOWLENS_KUBERNETES_*, or Metaflow's METAFLOW_KUBERNETES_* names), then
// defaults. A step's @kubernetes arguments win over all of these (stepOptions.ts).
import { packageSuffixes } from "../../datastore/codePackage";
import { localPythonVersion } from "../batch/settings";

export interface KubernetesSettings {
  namespace: string;
  /** Container image; default python:<major>.<minor> of the local interpreter. */
  image: string;
  /** The pod's service account (it gives the pod its S3 access, e.g. through IRSA or Workload Identity). */
  serviceAccount?: string;
  /** Secrets whose keys become the container's environment. */
  secrets: string[];
  /** The kubeconfig context; default: the current one. */
  context?: string;
  /** "nvidia" or "amd": the resource `<vendor>.com/gpu`. */
  gpuVendor: string;
  /** Guaranteed sets limits equal to requests; Burstable sets requests only (GPUs are always limits). */
  qos: "Guaranteed" | "Burstable";
  /** `key=value` node labels every pod must match. */
  nodeSelector: Record<string, string>;
  /** Seconds a finished job is kept before Kubernetes deletes it. */
  ttlSecondsAfterFinished: number;
  /** How long an image that cannot be pulled may keep a pod pending before the task fails. */
  imagePullGraceMs: number;
  /** How long a job whose pod the cluster will not create (a ResourceQuota, an admission policy) may wait before the task fails. */
  podCreateGraceMs: number;
  packageSuffixes: string[];
  installBoto3: boolean;
  /** Seconds between log uploads from the container. */
  logIntervalSeconds: number;
  /** The Python command inside the container. */
  containerPython: string;
}

export type KubernetesSettingsInput = Partial<KubernetesSettings>;

function envFirst(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v.trim() !== "") return v.trim();
  }
  return undefined;
}

/** `a=b,c=d` (Metaflow's form of a node selector in settings and on the command line). */
export function parsePairs(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? "").split(",")) {
    const [k, ...v] = part.split("=");
    if (k && k.trim() !== "" && v.length > 0) out[k.trim()] = v.join("=").trim();
  }
  return out;
}

/** Seconds in a variable as milliseconds; undefined when unset or not a number. */
const seconds = (text: string | undefined): number | undefined => (text !== undefined && Number.isFinite(Number(text)) && Number(text) >= 0 ? Number(text) * 1000 : undefined);

const list = (text: string | undefined): string[] => (text ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");

export function resolveKubernetesSettings(input: KubernetesSettingsInput = {}, env: NodeJS.ProcessEnv = process.env, python = "python3"): KubernetesSettings {
  const qos = (input.qos ?? envFirst(env, "FLOWLENS_KUBERNETES_QOS", "METAFLOW_KUBERNETES_QOS") ?? "Burstable").toLowerCase() === "guaranteed" ? "Guaranteed" : "Burstable";
  const settings: KubernetesSettings = {
    namespace: input.namespace ?? envFirst(env, "FLOWLENS_KUBERNETES_NAMESPACE", "METAFLOW_KUBERNETES_NAMESPACE") ?? "default",
    image: input.image ?? envFirst(env, "FLOWLENS_KUBERNETES_IMAGE", "METAFLOW_KUBERNETES_CONTAINER_IMAGE") ?? `python:${localPythonVersion(python)}`,
    secrets: input.secrets ?? list(envFirst(env, "FLOWLENS_KUBERNETES_SECRETS", "METAFLOW_KUBERNETES_SECRETS")),
    gpuVendor: (input.gpuVendor ?? envFirst(env, "FLOWLENS_KUBERNETES_GPU_VENDOR", "METAFLOW_KUBERNETES_GPU_VENDOR") ?? "nvidia").toLowerCase(),
    qos,
    nodeSelector: input.nodeSelector ?? parsePairs(envFirst(env, "FLOWLENS_KUBERNETES_NODE_SELECTOR", "METAFLOW_KUBERNETES_NODE_SELECTOR")),
    ttlSecondsAfterFinished: input.ttlSecondsAfterFinished ?? 7 * 24 * 3600,
    imagePullGraceMs: input.imagePullGraceMs ?? 5 * 60_000,
    podCreateGraceMs: input.podCreateGraceMs ?? seconds(envFirst(env, "FLOWLENS_KUBERNETES_POD_CREATE_WAIT")) ?? 10 * 60_000,
    packageSuffixes: input.packageSuffixes && input.packageSuffixes.length > 0 ? input.packageSuffixes : packageSuffixes(env),
    installBoto3: input.installBoto3 ?? envFirst(env, "FLOWLENS_KUBERNETES_INSTALL_BOTO3") !== "0",
    logIntervalSeconds: input.logIntervalSeconds ?? 3,
    containerPython: input.containerPython ?? "python3",
  };
  const account = input.serviceAccount ?? envFirst(env, "FLOWLENS_KUBERNETES_SERVICE_ACCOUNT", "METAFLOW_KUBERNETES_SERVICE_ACCOUNT");
  if (account) settings.serviceAccount = account;
  const context = input.context ?? envFirst(env, "FLOWLENS_KUBERNETES_CONTEXT");
  if (context) settings.context = context;
  return settings;
}
