// The cluster behind the loopback Kubernetes API server: its Jobs, one pod each, and the node
// that runs them. Each pod's container command RUNS as a local process with the pod's environment
// (the node's, values, downward API fields, secrets), and the pod moves through Pending,
// Running and Succeeded/Failed. On request a pod is unschedulable (requests above the node, or a
// node selector no node has), its image cannot be pulled, its container is OOMKilled, it is
// evicted, or its job ends at its active deadline. A pod that would pass the namespace's quota is
// not created (kubernetesPolicy.ts): the job waits with a FailedCreate event and tries again.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { randomBytes, randomUUID } from "node:crypto";
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { parseQuantity } from "./quantity";
import { HttpError, validateSubmittedJob, type Json } from "./kubernetesRules";
import type { PodEvents } from "./kubernetesWatch";
import type { ClusterPolicy } from "./kubernetesPolicy";

export interface ClusterOptions {
  namespaces: string[];
  /** Environment every container gets from its "node" (PATH, Python, S3 credentials of the node's role). */
  nodeEnv: Record<string, string>;
  node?: { name: string; labels: Record<string, string>; cpu: number; memoryMiB: number };
  /** Secrets by namespace/name: their keys become variables through envFrom. */
  secrets?: Record<string, Record<string, string>>;
  /** Images that cannot be pulled (the pod waits in ErrImagePull / ImagePullBackOff). */
  badImages?: string[];
  /** A container whose environment has this variable set to 1 is killed as OOMKilled once it runs. */
  oomVariable?: string;
  /** Milliseconds between the pod's moves before it runs. */
  stepMs?: number;
  /** Real milliseconds per Kubernetes second, for active deadlines. */
  secondScaleMs?: number;
  /** Called as each pod's process exits (a benchmark reads the CPU its reaped children used). */
  onPodExit?: (job: Job) => void;
}

export interface Pod {
  object: V1Pod;
  process?: ChildProcess;
  output: string;
  /** Date.now() when its process started and exited. */
  startedAt?: number;
  exitedAt?: number;
}

export interface Job {
  body: V1Job;
  namespace: string;
  name: string;
  uid: string;
  pod?: Pod;
  timers: NodeJS.Timeout[];
  deleted: boolean;
  /** Date.now() when the server accepted it. */
  createdAt: number;
}

const key = (ns: string, name: string): string => `${ns}/${name}`;

function killProcess(pod: Pod | undefined): void {
  const pid = pod?.process?.pid;
  if (pid === undefined || pod?.process?.exitCode !== null || pod.process.signalCode !== null) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    pod.process.kill("SIGKILL");
  }
}

function setJobCondition(job: Job, type: "Complete" | "Failed", reason?: string, message?: string): void {
  const now = new Date();
  job.body.status = {
    ...(type === "Complete" ? { succeeded: 1 } : { failed: 1 }),
    active: 0,
    conditions: [{ type, status: "True", lastTransitionTime: now, lastProbeTime: now, ...(reason ? { reason } : {}), ...(message ? { message } : {}) }],
  };
}

function podStatus(job: Job): NonNullable<V1Pod["status"]> {
  const pod = job.pod?.object;
  if (!pod) throw new Error("no pod");
  pod.status ??= {};
  return pod.status;
}

type ContainerStatus = NonNullable<NonNullable<V1Pod["status"]>["containerStatuses"]>[number];
const containerStatus = (image: string, state: ContainerStatus["state"], ready = false): ContainerStatus[] => [{ name: "task", image, imageID: "", ready, restartCount: 0, ...(ready ? { started: true } : {}), state }];

/** The pod the job controller makes from a stored Job's template. */
function newPod(job: Job): Pod {
  const { name, namespace, uid } = job;
  const tpl = job.body.spec?.template;
  const podName = `${name}-${randomBytes(3).toString("hex").slice(0, 5)}`;
  return {
    output: "",
    object: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: podName, namespace, uid: randomUUID(), labels: { ...tpl?.metadata?.labels, "job-name": name, "batch.kubernetes.io/job-name": name, "controller-uid": uid }, annotations: { ...tpl?.metadata?.annotations }, ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name, uid, controller: true }] },
      spec: JSON.parse(JSON.stringify(tpl?.spec)) as NonNullable<V1Pod["spec"]>,
      status: { phase: "Pending" },
    },
  };
}

export class PodSimulator {
  readonly jobs = new Map<string, Job>();
  /** Jobs the schema or the rules refused, with the reason. */
  readonly rejected: { name: string; reason: string }[] = [];
  private readonly node: NonNullable<ClusterOptions["node"]>;
  private readonly stepMs: number;
  private readonly scale: number;

  constructor(
    private readonly options: ClusterOptions,
    private readonly events: PodEvents,
    private readonly policy: ClusterPolicy,
  ) {
    this.node = options.node ?? { name: "loopback-node", labels: { "kubernetes.io/os": "linux" }, cpu: 8, memoryMiB: 32768 };
    this.stepMs = options.stepMs ?? 10;
    this.scale = options.secondScaleMs ?? 1000;
  }

  hasNamespace(ns: string): boolean {
    return this.options.namespaces.includes(ns);
  }

  /** The pods of a namespace, live (a list serialises them at once). */
  pods(namespace: string): V1Pod[] {
    return [...this.jobs.values()].flatMap((j) => (j.namespace === namespace && j.pod ? [j.pod.object] : []));
  }

  private emit(type: "ADDED" | "MODIFIED" | "DELETED", job: Job): void {
    this.events.emit(type, job.namespace, job.pod?.object);
  }

  async create(namespace: string, body: V1Job): Promise<Job> {
    if (!this.hasNamespace(namespace)) throw new HttpError(404, "NotFound", `namespaces "${namespace}" not found`);
    const name = body.metadata?.name ?? "";
    await validateSubmittedJob(body, namespace).catch((error: HttpError) => {
      this.rejected.push({ name, reason: error.message });
      throw error;
    });
    if (this.jobs.has(key(namespace, name))) throw new HttpError(409, "AlreadyExists", `jobs.batch "${name}" already exists`);
    const uid = randomUUID();
    const stored = JSON.parse(JSON.stringify(body)) as V1Job;
    stored.metadata = { ...stored.metadata, name, namespace, uid, creationTimestamp: new Date(), labels: { ...stored.metadata?.labels } };
    stored.status = { active: 1, startTime: new Date() };
    const job: Job = { body: stored, namespace, name, uid, timers: [], deleted: false, createdAt: Date.now() };
    this.jobs.set(key(namespace, name), job);
    this.createPod(job);
    const deadline = stored.spec?.activeDeadlineSeconds;
    if (deadline !== undefined) job.timers.push(setTimeout(() => this.deadlineExceeded(job), deadline * this.scale));
    return job;
  }

  /** The job controller's pod creation: refused by the quota, it records why and tries again later. */
  private createPod(job: Job): void {
    if (job.deleted) return;
    const pod = newPod(job);
    // Pods count against the quota until they end or are deleted (a deadline deletes the pod but keeps the job).
    const active = [...this.jobs.values()].flatMap((j) => (j.namespace === job.namespace && !j.deleted && j.pod && ["Pending", "Running"].includes(j.pod.object.status?.phase ?? "") ? [j.pod.object] : []));
    const refused = this.policy.quotaRefusal(job.namespace, pod.object, active);
    if (refused) {
      this.policy.jobEvent(job.namespace, job.name, job.uid, "FailedCreate", `Error creating: pods "${pod.object.metadata?.name ?? ""}" is forbidden: ${refused}`);
      job.timers.push(setTimeout(() => this.createPod(job), this.stepMs * 10));
      return;
    }
    job.pod = pod;
    this.emit("ADDED", job);
    job.timers.push(setTimeout(() => this.schedule(job), this.stepMs));
  }

  read(namespace: string, name: string): Job {
    const job = this.jobs.get(key(namespace, name));
    if (!job) throw new HttpError(404, "NotFound", `jobs.batch "${name}" not found`);
    return job;
  }

  /** Deletes a job in the background: the garbage collector deletes (kills) its pod. */
  delete(namespace: string, name: string): Json {
    const job = this.read(namespace, name);
    job.deleted = true;
    for (const t of job.timers) clearTimeout(t);
    this.jobs.delete(key(namespace, name));
    killProcess(job.pod);
    this.emit("DELETED", job);
    return { kind: "Status", apiVersion: "v1", status: "Success", details: { name, group: "batch", kind: "jobs", uid: job.uid } };
  }

  /** Evicts the running pod of a job, as a node under pressure would. */
  evict(jobName: string): void {
    const job = [...this.jobs.values()].find((j) => j.name === jobName);
    if (!job?.pod) return;
    job.deleted = true;
    killProcess(job.pod);
    const s = podStatus(job);
    s.phase = "Failed";
    s.reason = "Evicted";
    s.message = "The node was low on resource: memory.";
    setJobCondition(job, "Failed", "BackoffLimitExceeded");
    this.emit("MODIFIED", job);
  }

  /** Clears every timer and kills every process still running, waiting for each to exit. */
  async stop(): Promise<void> {
    for (const job of this.jobs.values()) {
      for (const t of job.timers) clearTimeout(t);
      const proc = job.pod?.process;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = once(proc, "exit");
        killProcess(job.pod);
        await exited;
      }
    }
  }

  /** The job controller fails the job and deletes its active pod (the job stays readable). */
  private deadlineExceeded(job: Job): void {
    const phase = job.pod?.object.status?.phase;
    if (phase === "Succeeded" || phase === "Failed" || job.deleted) return;
    job.deleted = true;
    setJobCondition(job, "Failed", "DeadlineExceeded", "Job was active longer than specified deadline");
    killProcess(job.pod);
    this.emit("DELETED", job);
  }

  private terminate(job: Job, exitCode: number, reason: string): void {
    const s = podStatus(job);
    if (s.phase === "Succeeded" || s.phase === "Failed") return;
    s.phase = exitCode === 0 ? "Succeeded" : "Failed";
    s.containerStatuses = containerStatus(job.pod?.object.spec?.containers[0]?.image ?? "", { terminated: { exitCode, reason, finishedAt: new Date() } });
    setJobCondition(job, exitCode === 0 ? "Complete" : "Failed", exitCode === 0 ? undefined : "BackoffLimitExceeded", exitCode === 0 ? undefined : "Job has reached the specified backoff limit");
    this.emit("MODIFIED", job);
  }

  /** The container's environment as the kubelet makes it: node, values, downward API, secrets; or why it cannot be made. */
  private containerEnv(job: Job): Record<string, string> | string {
    const pod = job.pod?.object;
    const c = pod?.spec?.containers[0];
    const env: Record<string, string> = { ...this.options.nodeEnv };
    for (const from of c?.envFrom ?? []) {
      const name = from.secretRef?.name ?? "";
      const secret = this.options.secrets?.[key(job.namespace, name)];
      if (!secret) return `secret "${name}" not found`;
      Object.assign(env, secret);
    }
    const fields: Record<string, string> = {
      "metadata.name": pod?.metadata?.name ?? "",
      "metadata.namespace": job.namespace,
      "metadata.uid": pod?.metadata?.uid ?? "",
      "spec.serviceAccountName": pod?.spec?.serviceAccountName ?? "default",
      "spec.nodeName": this.node.name,
      "status.hostIP": "127.0.0.1",
      "status.podIP": "127.0.0.1",
    };
    for (const e of c?.env ?? []) {
      if (e.value !== undefined) env[e.name] = e.value;
      else if (e.valueFrom?.fieldRef) {
        const v = fields[e.valueFrom.fieldRef.fieldPath];
        if (v === undefined) return `unsupported fieldPath ${e.valueFrom.fieldRef.fieldPath}`;
        env[e.name] = v;
      }
    }
    return env;
  }

  private run(job: Job): void {
    const pod = job.pod;
    const c = pod?.object.spec?.containers[0];
    if (!pod || !c || job.deleted) return;
    const env = this.containerEnv(job);
    const s = podStatus(job);
    if (typeof env === "string") {
      s.containerStatuses = containerStatus(c.image ?? "", { waiting: { reason: "CreateContainerConfigError", message: `Error: ${env}` } });
      this.emit("MODIFIED", job);
      return;
    }
    const [cmd, ...args] = c.command ?? [];
    const child = spawn(cmd ?? "false", args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    pod.process = child;
    pod.startedAt = Date.now();
    child.stdout?.on("data", (b: Buffer) => (pod.output += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (pod.output += b.toString()));
    s.phase = "Running";
    s.startTime = new Date();
    s.containerStatuses = containerStatus(c.image ?? "", { running: { startedAt: new Date() } }, true);
    this.emit("MODIFIED", job);
    // The kernel's OOM killer: the container is killed with SIGKILL, and the kubelet says why.
    const oom = this.options.oomVariable !== undefined && env[this.options.oomVariable] === "1";
    if (oom) job.timers.push(setTimeout(() => killProcess(pod), this.stepMs * 5));
    child.on("exit", (code, signal) => {
      pod.exitedAt = Date.now();
      this.options.onPodExit?.(job);
      if (job.deleted) return;
      if (oom) this.terminate(job, 137, "OOMKilled");
      else this.terminate(job, code ?? (signal ? 137 : 1), code === 0 ? "Completed" : "Error");
    });
  }

  /** Why the node cannot take the pod, as the scheduler says it; undefined when it can. */
  private unschedulable(spec: V1Pod["spec"]): string | undefined {
    const req = (spec?.containers[0]?.resources?.requests ?? {}) as Record<string, string>;
    const misses = Object.entries(spec?.nodeSelector ?? {}).filter(([k, v]) => this.node.labels[k] !== v);
    const cpu = parseQuantity(req.cpu ?? "0");
    const mem = parseQuantity(req.memory ?? "0") / (1024 * 1024);
    return misses.length > 0 ? "1 node(s) didn't match Pod's node affinity/selector" : cpu > this.node.cpu ? "1 Insufficient cpu" : mem > this.node.memoryMiB ? "1 Insufficient memory" : undefined;
  }

  private schedule(job: Job): void {
    const spec = job.pod?.object.spec;
    const s = podStatus(job);
    const why = this.unschedulable(spec);
    if (why) {
      s.conditions = [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: `0/1 nodes are available: ${why}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.` }];
      this.emit("MODIFIED", job);
      return;
    }
    if (spec) spec.nodeName = this.node.name;
    s.conditions = [{ type: "PodScheduled", status: "True" }];
    s.hostIP = "127.0.0.1";
    const image = spec?.containers[0]?.image ?? "";
    s.containerStatuses = containerStatus(image, { waiting: { reason: "ContainerCreating" } });
    this.emit("MODIFIED", job);
    if ((this.options.badImages ?? []).includes(image)) {
      const pull = (reason: string): void => {
        if (job.deleted) return;
        s.containerStatuses = containerStatus(image, { waiting: { reason, message: reason === "ErrImagePull" ? `failed to pull and unpack image "${image}": not found` : `Back-off pulling image "${image}"` } });
        this.emit("MODIFIED", job);
      };
      job.timers.push(setTimeout(() => pull("ErrImagePull"), this.stepMs), setTimeout(() => pull("ImagePullBackOff"), this.stepMs * 3));
      return;
    }
    job.timers.push(setTimeout(() => this.run(job), this.stepMs));
  }
}
