// The batch/v1 Job of one task attempt, built as Metaflow builds its own: one container running
// the task bootstrap, retries left to Flowlens (backoffLimit 0, restartPolicy Never), deleted a
// while after it finishes, killed at the step's @timeout; resources, volumes, secrets, labels and
// annotations from the step's options; the pod's identity through the downward API.
import { createHash, randomBytes } from "node:crypto";
import type { V1Container, V1EnvVar, V1Job, V1Volume, V1VolumeMount } from "@kubernetes/client-node";
import type { TaskSpec } from "../types";
import type { ProjectFacts } from "./project";
import type { StepKubernetesOptions } from "./stepOptions";

/** The labels Flowlens selects its pods by. */
export const managedLabel = "app.kubernetes.io/managed-by";
export const runLabel = "flowlens.dev/run-id";
export const jobNameLabel = "job-name";

/** A label value: at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit. */
export function labelValue(text: string): string {
  const v = text.replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 63).replace(/^[^A-Za-z0-9]+/, "").replace(/[^A-Za-z0-9]+$/, "");
  return v;
}

/** A DNS-1123 name of at most 63 characters, unique per attempt (a run id may repeat across datastores). */
export function jobName(spec: TaskSpec): string {
  const { ref } = spec;
  const digest = createHash("sha1").update(`${ref.flow}/${ref.runId}/${ref.step}/${ref.taskId}/${ref.attempt}`).digest("hex").slice(0, 10);
  const stem = `${ref.flow}-${ref.step}`.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, "").slice(0, 38).replace(/-+$/, "");
  return `fl-${stem}-${digest}-${randomBytes(3).toString("hex")}`;
}

export interface ManifestInputs {
  spec: TaskSpec;
  options: StepKubernetesOptions;
  name: string;
  /** The container's variables (credentials already removed). */
  environment: Record<string, string>;
  command: string[];
  ttlSecondsAfterFinished: number;
  /** The run's @project, when it has one. */
  project?: ProjectFacts;
}

/** The pod's own facts, read by the downward API (the names Metaflow's tasks see). */
const downward: V1EnvVar[] = [
  ["METAFLOW_KUBERNETES_POD_NAME", "metadata.name"],
  ["METAFLOW_KUBERNETES_POD_NAMESPACE", "metadata.namespace"],
  ["METAFLOW_KUBERNETES_POD_ID", "metadata.uid"],
  ["METAFLOW_KUBERNETES_SERVICE_ACCOUNT_NAME", "spec.serviceAccountName"],
  ["METAFLOW_KUBERNETES_NODE_IP", "status.hostIP"],
].map(([name, fieldPath]) => ({ name: name ?? "", valueFrom: { fieldRef: { fieldPath: fieldPath ?? "" } } }));

function resources(o: StepKubernetesOptions): V1Container["resources"] {
  const requests: Record<string, string> = { cpu: o.cpu, memory: `${o.memory}M`, "ephemeral-storage": `${o.disk}M`, ...o.extendedResources };
  // GPUs and other extended resources cannot be overcommitted: they are always limits (equal to
  // any request); cpu, memory and disk are limits too only for the Guaranteed class.
  const fixed: Record<string, string> = { ...o.extendedResources, ...(o.gpu > 0 ? { [`${o.gpuVendor}.com/gpu`]: String(o.gpu) } : {}) };
  const limits = o.qos === "Guaranteed" ? { ...requests, ...fixed } : fixed;
  return Object.keys(limits).length > 0 ? { requests, limits } : { requests };
}

function volumes(o: StepKubernetesOptions): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const vs: V1Volume[] = [];
  const ms: V1VolumeMount[] = [];
  if (o.tmpfs) {
    vs.push({ name: "tmpfs-dir", emptyDir: { medium: "Memory", sizeLimit: `${o.tmpfs.sizeMiB}Mi` } });
    ms.push({ name: "tmpfs-dir", mountPath: o.tmpfs.path });
  }
  if (o.sharedMemory !== undefined) {
    vs.push({ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: `${o.sharedMemory}Mi` } });
    ms.push({ name: "dshm", mountPath: "/dev/shm" });
  }
  Object.entries(o.volumeClaims).forEach(([claim, path], i) => {
    vs.push({ name: `pvc-${i}`, persistentVolumeClaim: { claimName: claim } });
    ms.push({ name: `pvc-${i}`, mountPath: path });
  });
  return { volumes: vs, mounts: ms };
}

export function buildJob(i: ManifestInputs): V1Job {
  const { spec, options: o } = i;
  const { ref } = spec;
  const labels: Record<string, string> = {
    ...Object.fromEntries(Object.entries(o.labels).map(([k, v]) => [k, labelValue(v)])),
    [managedLabel]: "flowlens",
    "app.kubernetes.io/name": "flowlens-task",
    [runLabel]: labelValue(ref.runId),
    "flowlens.dev/flow-name": labelValue(ref.flow),
    "flowlens.dev/step-name": labelValue(ref.step),
    ...(i.project ? { "flowlens.dev/project": labelValue(i.project.name), "flowlens.dev/branch": labelValue(i.project.branch) } : {}),
  };
  const annotations: Record<string, string> = {
    ...o.annotations,
    "flowlens.dev/flow-name": ref.flow,
    "flowlens.dev/run-id": ref.runId,
    "flowlens.dev/step-name": ref.step,
    "flowlens.dev/task-id": ref.taskId,
    "flowlens.dev/attempt": String(ref.attempt),
    "flowlens.dev/user": spec.user,
    ...(i.project ? { "flowlens.dev/project-name": i.project.name, "flowlens.dev/branch-name": i.project.branch, "flowlens.dev/project-flow-name": i.project.flowName } : {}),
  };
  const env: V1EnvVar[] = [...Object.entries(i.environment).map(([name, value]) => ({ name, value })), ...downward];
  if (o.tmpfs?.tempdir) env.push({ name: "METAFLOW_TEMPDIR", value: o.tmpfs.path });
  const { volumes: vs, mounts } = volumes(o);
  const container: V1Container = {
    name: "task",
    image: o.image,
    command: i.command,
    env,
    resources: resources(o),
    ...(o.imagePullPolicy ? { imagePullPolicy: o.imagePullPolicy } : {}),
    ...(o.secrets.length > 0 ? { envFrom: o.secrets.map((name) => ({ secretRef: { name } })) } : {}),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
  };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: i.name, namespace: o.namespace, labels, annotations },
    spec: {
      // Retries are Flowlens's (@retry, with separate budgets): Kubernetes never restarts a task.
      backoffLimit: 0,
      ttlSecondsAfterFinished: i.ttlSecondsAfterFinished,
      ...(spec.timeoutSeconds !== undefined ? { activeDeadlineSeconds: Math.max(1, Math.ceil(spec.timeoutSeconds)) } : {}),
      template: {
        metadata: { labels, annotations },
        spec: {
          restartPolicy: "Never",
          containers: [container],
          ...(o.serviceAccount ? { serviceAccountName: o.serviceAccount } : {}),
          ...(Object.keys(o.nodeSelector).length > 0 ? { nodeSelector: o.nodeSelector } : {}),
          ...(o.tolerations.length > 0 ? { tolerations: o.tolerations } : {}),
          ...(o.imagePullSecrets.length > 0 ? { imagePullSecrets: o.imagePullSecrets.map((name) => ({ name })) } : {}),
          ...(vs.length > 0 ? { volumes: vs } : {}),
        },
      },
    },
  };
}
