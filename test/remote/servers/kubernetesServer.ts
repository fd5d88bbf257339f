// A loopback Kubernetes API server for tests. It speaks the REST API @kubernetes/client-node
// uses (read namespaces; create, read and delete batch/v1 Jobs; list and watch pods by label
// selector, with resource versions, bookmarks and 410 Gone), checks bearer tokens, validates
// every submitted Job against the Kubernetes schema (the kubernetes-models package's validator)
// and a few rules the API server adds, and RUNS each pod's container command as a local process
// with the pod's environment (values, downward API fields, secrets), moving the pod through
// Pending, Running and Succeeded/Failed. On request it makes pods unschedulable (requests above
// the node, or a node selector no node has), fails image pulls, kills a container as OOMKilled,
// evicts a pod, and ends a job at its active deadline.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { listenLoopback } from "../../support/loopback";
import { parseQuantity } from "./quantity";

type Json = Record<string, unknown>;

export interface KubernetesServerOptions {
  token: string;
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
  /** Close every watch after this long, as API servers do, so clients must resume from their version. */
  watchTimeoutMs?: number;
}

interface Job {
  body: V1Job;
  namespace: string;
  name: string;
  uid: string;
  pod?: Pod;
  timers: NodeJS.Timeout[];
  deleted: boolean;
}

interface Pod {
  object: V1Pod;
  process?: ChildProcess;
  output: string;
}

interface Watcher {
  namespace: string;
  selector: (labels: Record<string, string>) => boolean;
  res: ServerResponse;
}

export interface KubernetesServer {
  endpoint: string;
  jobs: Map<string, Job>;
  /** Every request, for assertions. */
  calls: { method: string; path: string; body?: unknown }[];
  /** Jobs the schema or the rules refused, with the reason. */
  rejected: { name: string; reason: string }[];
  /** Writes a kubeconfig for this server (a context "loopback") and returns its path. */
  kubeconfig(dir: string, namespace?: string): Promise<string>;
  /** Evicts the running pod of a job, as a node under pressure would. */
  evict(jobName: string): void;
  /** Ends every open watch with a 410 Gone error, as after an etcd compaction. */
  expireWatches(): void;
  /** Open watch connections now. */
  watchCount(): number;
  stop(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** `a=b,c=d` equality selectors, the only kind Flowlens sends. */
function parseSelector(text: string | null): (labels: Record<string, string>) => boolean {
  const terms = (text ?? "").split(",").filter((t) => t !== "").map((t) => t.split("=") as [string, string]);
  return (labels) => terms.every(([k, v]) => labels[k] === v);
}

let validateJob: ((body: unknown) => void) | undefined;
async function schemaValidator(): Promise<(body: unknown) => void> {
  if (!validateJob) {
    const { Job } = await import("kubernetes-models/batch/v1");
    validateJob = (body: unknown) => new Job(body as ConstructorParameters<typeof Job>[0]).validate();
  }
  return validateJob;
}

/** Rules beyond the schema that the API server enforces on the fields Flowlens sets. */
function checkRules(job: V1Job, namespace: string): void {
  const name = job.metadata?.name ?? "";
  if (!dns1123.test(name) || name.length > 63) throw new HttpError(422, "Invalid", `Job.batch "${name}" is invalid: metadata.name: must be a DNS-1123 label of at most 63 characters`);
  if (job.metadata?.namespace && job.metadata.namespace !== namespace) throw new HttpError(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
  const tpl = job.spec?.template;
  for (const [k, v] of Object.entries({ ...job.metadata?.labels, ...tpl?.metadata?.labels })) {
    if (!labelValue.test(v) || v.length > 63) throw new HttpError(422, "Invalid", `metadata.labels: Invalid value: "${v}" for ${k}`);
  }
  const restart = tpl?.spec?.restartPolicy;
  if (restart !== "Never" && restart !== "OnFailure") throw new HttpError(422, "Invalid", `spec.template.spec.restartPolicy: Unsupported value: "${String(restart)}"`);
  const containers = tpl?.spec?.containers ?? [];
  if (containers.length === 0) throw new HttpError(422, "Invalid", "spec.template.spec.containers: Required value");
  for (const c of containers) {
    const limits = (c.resources?.limits ?? {}) as Record<string, string>;
    const requests = (c.resources?.requests ?? {}) as Record<string, string>;
    for (const [k, v] of Object.entries(requests)) {
      if (limits[k] !== undefined && parseQuantity(v) > parseQuantity(limits[k])) throw new HttpError(422, "Invalid", `resources.requests[${k}]: must be less than or equal to ${k} limit`);
    }
    for (const k of Object.keys(limits)) if (k.endsWith("/gpu") && requests[k] !== undefined && requests[k] !== limits[k]) throw new HttpError(422, "Invalid", `resources.requests[${k}]: must be equal to ${k} limit`);
    const names = new Set<string>();
    for (const e of c.env ?? []) {
      if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.name)) throw new HttpError(422, "Invalid", `env[${e.name}].name: must be a C identifier`);
      if (names.has(e.name)) throw new HttpError(422, "Invalid", `env[${e.name}]: Duplicate value`);
      names.add(e.name);
    }
    const volumes = new Set((tpl?.spec?.volumes ?? []).map((v) => v.name));
    for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) throw new HttpError(422, "Invalid", `volumeMounts[${m.name}]: Not found`);
  }
  if ((job.spec?.backoffLimit ?? 6) < 0) throw new HttpError(422, "Invalid", "spec.backoffLimit: must be greater than or equal to 0");
  if (job.spec?.activeDeadlineSeconds !== undefined && job.spec.activeDeadlineSeconds <= 0) throw new HttpError(422, "Invalid", "spec.activeDeadlineSeconds: must be greater than 0");
}

const status = (code: number, reason: string, message: string): Json => ({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code });

export async function startKubernetesServer(options: KubernetesServerOptions): Promise<KubernetesServer> {
  const jobs = new Map<string, Job>();
  const calls: KubernetesServer["calls"] = [];
  const rejected: KubernetesServer["rejected"] = [];
  const watchers = new Set<Watcher>();
  const node = options.node ?? { name: "loopback-node", labels: { "kubernetes.io/os": "linux" }, cpu: 8, memoryMiB: 32768 };
  const stepMs = options.stepMs ?? 10;
  const scale = options.secondScaleMs ?? 1000;
  let version = 1;
  /** Every pod event with the version it made, so a watch can resume from any version. */
  const history: { rv: number; type: string; pod: V1Pod; namespace: string }[] = [];
  let compactedBelow = 0;
  const key = (ns: string, name: string): string => `${ns}/${name}`;

  const send = (w: Watcher, type: string, object: unknown): void => {
    w.res.write(`${JSON.stringify({ type, object })}\n`);
  };

  const emit = (type: "ADDED" | "MODIFIED" | "DELETED", job: Job): void => {
    const pod = job.pod?.object;
    if (!pod?.metadata) return;
    version += 1;
    pod.metadata.resourceVersion = String(version);
    const copy = JSON.parse(JSON.stringify(pod)) as V1Pod;
    history.push({ rv: version, type, pod: copy, namespace: job.namespace });
    for (const w of watchers) if (w.namespace === job.namespace && w.selector(pod.metadata.labels ?? {})) send(w, type, copy);
  };

  const podStatus = (job: Job): NonNullable<V1Pod["status"]> => {
    const pod = job.pod?.object;
    if (!pod) throw new Error("no pod");
    pod.status ??= {};
    return pod.status;
  };

  const killProcess = (pod: Pod | undefined): void => {
    const pid = pod?.process?.pid;
    if (pid === undefined || pod?.process?.exitCode !== null || pod.process.signalCode !== null) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      pod.process.kill("SIGKILL");
    }
  };

  const setJobCondition = (job: Job, type: "Complete" | "Failed", reason?: string, message?: string): void => {
    const now = new Date();
    job.body.status = {
      ...(type === "Complete" ? { succeeded: 1 } : { failed: 1 }),
      active: 0,
      conditions: [{ type, status: "True", lastTransitionTime: now, lastProbeTime: now, ...(reason ? { reason } : {}), ...(message ? { message } : {}) }],
    };
  };

  const terminate = (job: Job, exitCode: number, reason: string, podReason?: string, message?: string): void => {
    const s = podStatus(job);
    if (s.phase === "Succeeded" || s.phase === "Failed") return;
    s.phase = exitCode === 0 ? "Succeeded" : "Failed";
    if (podReason) s.reason = podReason;
    if (message) s.message = message;
    s.containerStatuses = [{ name: "task", image: job.pod?.object.spec?.containers[0]?.image ?? "", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode, reason, finishedAt: new Date() } } }];
    setJobCondition(job, exitCode === 0 ? "Complete" : "Failed", exitCode === 0 ? undefined : "BackoffLimitExceeded", exitCode === 0 ? undefined : "Job has reached the specified backoff limit");
    emit("MODIFIED", job);
  };

  /** The container's environment as the kubelet makes it: node, values, downward API, secrets. */
  const containerEnv = (job: Job): Record<string, string> | string => {
    const pod = job.pod?.object;
    const c = pod?.spec?.containers[0];
    const env: Record<string, string> = { ...options.nodeEnv };
    for (const from of c?.envFrom ?? []) {
      const name = from.secretRef?.name ?? "";
      const secret = options.secrets?.[key(job.namespace, name)];
      if (!secret) return `secret "${name}" not found`;
      Object.assign(env, secret);
    }
    const fields: Record<string, string> = {
      "metadata.name": pod?.metadata?.name ?? "",
      "metadata.namespace": job.namespace,
      "metadata.uid": pod?.metadata?.uid ?? "",
      "spec.serviceAccountName": pod?.spec?.serviceAccountName ?? "default",
      "spec.nodeName": node.name,
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
  };

  const run = (job: Job): void => {
    const pod = job.pod;
    const c = pod?.object.spec?.containers[0];
    if (!pod || !c || job.deleted) return;
    const env = containerEnv(job);
    const s = podStatus(job);
    if (typeof env === "string") {
      s.containerStatuses = [{ name: "task", image: c.image ?? "", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "CreateContainerConfigError", message: `Error: ${env}` } } }];
      emit("MODIFIED", job);
      return;
    }
    const [cmd, ...args] = c.command ?? [];
    const child = spawn(cmd ?? "false", args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    pod.process = child;
    child.stdout?.on("data", (b: Buffer) => (pod.output += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (pod.output += b.toString()));
    s.phase = "Running";
    s.startTime = new Date();
    s.containerStatuses = [{ name: "task", image: c.image ?? "", imageID: "", ready: true, restartCount: 0, started: true, state: { running: { startedAt: new Date() } } }];
    emit("MODIFIED", job);
    let oom = false;
    if (options.oomVariable && env[options.oomVariable] === "1") {
      // The kernel's OOM killer: the container is killed with SIGKILL, and the kubelet says why.
      oom = true;
      job.timers.push(setTimeout(() => killProcess(pod), stepMs * 5));
    }
    child.on("exit", (code, signal) => {
      if (job.deleted) return;
      if (oom) terminate(job, 137, "OOMKilled");
      else terminate(job, code ?? (signal ? 137 : 1), code === 0 ? "Completed" : "Error");
    });
  };

  const schedule = (job: Job): void => {
    const spec = job.pod?.object.spec;
    const s = podStatus(job);
    const req = (spec?.containers[0]?.resources?.requests ?? {}) as Record<string, string>;
    const selector = spec?.nodeSelector ?? {};
    const misses = Object.entries(selector).filter(([k, v]) => node.labels[k] !== v);
    const cpu = parseQuantity(req.cpu ?? "0");
    const mem = parseQuantity(req.memory ?? "0") / (1024 * 1024);
    const why = misses.length > 0 ? "1 node(s) didn't match Pod's node affinity/selector" : cpu > node.cpu ? "1 Insufficient cpu" : mem > node.memoryMiB ? "1 Insufficient memory" : undefined;
    if (why) {
      s.conditions = [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: `0/1 nodes are available: ${why}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.` }];
      emit("MODIFIED", job);
      return;
    }
    if (spec) spec.nodeName = node.name;
    s.conditions = [{ type: "PodScheduled", status: "True" }];
    s.hostIP = "127.0.0.1";
    const image = spec?.containers[0]?.image ?? "";
    s.containerStatuses = [{ name: "task", image, imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }];
    emit("MODIFIED", job);
    if ((options.badImages ?? []).includes(image)) {
      const pull = (reason: string): void => {
        if (job.deleted) return;
        s.containerStatuses = [{ name: "task", image, imageID: "", ready: false, restartCount: 0, state: { waiting: { reason, message: reason === "ErrImagePull" ? `failed to pull and unpack image "${image}": not found` : `Back-off pulling image "${image}"` } } }];
        emit("MODIFIED", job);
      };
      job.timers.push(setTimeout(() => pull("ErrImagePull"), stepMs), setTimeout(() => pull("ImagePullBackOff"), stepMs * 3));
      return;
    }
    job.timers.push(setTimeout(() => run(job), stepMs));
  };

  const createJob = async (namespace: string, body: V1Job): Promise<Job> => {
    if (!options.namespaces.includes(namespace)) throw new HttpError(404, "NotFound", `namespaces "${namespace}" not found`);
    const name = body.metadata?.name ?? "";
    try {
      (await schemaValidator())(body);
      checkRules(body, namespace);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      rejected.push({ name, reason });
      throw error instanceof HttpError ? error : new HttpError(422, "Invalid", `Job.batch "${name}" is invalid: ${reason}`);
    }
    if (jobs.has(key(namespace, name))) throw new HttpError(409, "AlreadyExists", `jobs.batch "${name}" already exists`);
    const uid = randomUUID();
    const stored = JSON.parse(JSON.stringify(body)) as V1Job;
    stored.metadata = { ...stored.metadata, name, namespace, uid, creationTimestamp: new Date(), labels: { ...stored.metadata?.labels } };
    stored.status = { active: 1, startTime: new Date() };
    const job: Job = { body: stored, namespace, name, uid, timers: [], deleted: false };
    jobs.set(key(namespace, name), job);
    const tpl = stored.spec?.template;
    const podName = `${name}-${randomBytes(3).toString("hex").slice(0, 5)}`;
    job.pod = {
      output: "",
      object: {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: podName, namespace, uid: randomUUID(), labels: { ...tpl?.metadata?.labels, "job-name": name, "batch.kubernetes.io/job-name": name, "controller-uid": uid }, annotations: { ...tpl?.metadata?.annotations }, ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name, uid, controller: true }] },
        spec: JSON.parse(JSON.stringify(tpl?.spec)) as NonNullable<V1Pod["spec"]>,
        status: { phase: "Pending" },
      },
    };
    emit("ADDED", job);
    job.timers.push(setTimeout(() => schedule(job), stepMs));
    const deadline = stored.spec?.activeDeadlineSeconds;
    if (deadline !== undefined) {
      job.timers.push(
        setTimeout(() => {
          const phase = job.pod?.object.status?.phase;
          if (phase === "Succeeded" || phase === "Failed" || job.deleted) return;
          // The job controller fails the job and deletes its active pod (the job stays readable).
          job.deleted = true;
          setJobCondition(job, "Failed", "DeadlineExceeded", "Job was active longer than specified deadline");
          killProcess(job.pod);
          emit("DELETED", job);
        }, deadline * scale),
      );
    }
    return job;
  };

  const deleteJob = (namespace: string, name: string): Json => {
    const job = jobs.get(key(namespace, name));
    if (!job) throw new HttpError(404, "NotFound", `jobs.batch "${name}" not found`);
    job.deleted = true;
    for (const t of job.timers) clearTimeout(t);
    jobs.delete(key(namespace, name));
    // The garbage collector deletes the pods of a job deleted in the background.
    killProcess(job.pod);
    emit("DELETED", job);
    return { kind: "Status", apiVersion: "v1", status: "Success", details: { name, group: "batch", kind: "jobs", uid: job.uid } };
  };

  const listPods = (namespace: string, selector: (l: Record<string, string>) => boolean): Json => ({
    kind: "PodList",
    apiVersion: "v1",
    metadata: { resourceVersion: String(version) },
    items: [...jobs.values()].flatMap((j) => (j.namespace === namespace && j.pod && selector(j.pod.object.metadata?.labels ?? {}) ? [j.pod.object] : [])),
  });

  const watchPods = (namespace: string, url: URL, res: ServerResponse): void => {
    const selector = parseSelector(url.searchParams.get("labelSelector"));
    const from = Number(url.searchParams.get("resourceVersion") ?? String(version));
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    const w: Watcher = { namespace, selector, res };
    if (from < compactedBelow) {
      send(w, "ERROR", status(410, "Expired", `too old resource version: ${from} (${compactedBelow})`));
      res.end();
      return;
    }
    for (const h of history) if (h.rv > from && h.namespace === namespace && selector(h.pod.metadata?.labels ?? {})) send(w, h.type, h.pod);
    if (url.searchParams.get("allowWatchBookmarks") === "true") send(w, "BOOKMARK", { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: String(version) } });
    watchers.add(w);
    const timer = options.watchTimeoutMs ? setTimeout(() => res.end(), options.watchTimeoutMs) : undefined;
    res.on("close", () => {
      if (timer) clearTimeout(timer);
      watchers.delete(w);
    });
  };

  const route = async (req: IncomingMessage, url: URL, body: unknown, res: ServerResponse): Promise<Json | undefined> => {
    const p = url.pathname;
    let m = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(p);
    if (m && req.method === "GET") {
      const ns = decodeURIComponent(m[1] ?? "");
      if (!options.namespaces.includes(ns)) throw new HttpError(404, "NotFound", `namespaces "${ns}" not found`);
      return { kind: "Namespace", apiVersion: "v1", metadata: { name: ns }, status: { phase: "Active" } };
    }
    m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(p);
    if (m && req.method === "GET") {
      const ns = decodeURIComponent(m[1] ?? "");
      if (url.searchParams.get("watch") === "true") {
        watchPods(ns, url, res);
        return undefined;
      }
      return listPods(ns, parseSelector(url.searchParams.get("labelSelector")));
    }
    m = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs(?:\/([^/]+))?$/.exec(p);
    if (m) {
      const ns = decodeURIComponent(m[1] ?? "");
      const name = m[2] ? decodeURIComponent(m[2]) : undefined;
      if (req.method === "POST" && !name) return (await createJob(ns, body as V1Job)).body as Json;
      if (req.method === "GET" && name) {
        const job = jobs.get(key(ns, name));
        if (!job) throw new HttpError(404, "NotFound", `jobs.batch "${name}" not found`);
        return job.body as Json;
      }
      if (req.method === "DELETE" && name) return deleteJob(ns, name);
    }
    throw new HttpError(404, "NotFound", `the server could not find the requested resource (${req.method ?? "?"} ${p})`);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const reply = (code: number, obj: Json): void => {
        res.writeHead(code, { "content-type": "application/json" });
        res.end(JSON.stringify(obj));
      };
      if (req.headers.authorization !== `Bearer ${options.token}`) {
        reply(401, status(401, "Unauthorized", "Unauthorized"));
        return;
      }
      let body: unknown;
      try {
        const text = Buffer.concat(chunks).toString();
        body = text ? JSON.parse(text) : undefined;
      } catch {
        reply(400, status(400, "BadRequest", "the request body is not JSON"));
        return;
      }
      calls.push({ method: req.method ?? "", path: url.pathname + url.search, ...(body !== undefined ? { body } : {}) });
      route(req, url, body, res).then(
        (out) => {
          if (out) reply(req.method === "POST" ? 201 : 200, out);
        },
        (error: unknown) => {
          if (error instanceof HttpError) reply(error.code, status(error.code, error.reason, error.message));
          else reply(500, status(500, "InternalError", error instanceof Error ? error.message : String(error)));
        },
      );
    });
  });
  const port = await listenLoopback(server);
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    jobs,
    calls,
    rejected,
    async kubeconfig(dir, namespace = "default") {
      const file = join(dir, "kubeconfig.yaml");
      const yaml = [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: loopback",
        "  cluster:",
        `    server: ${endpoint}`,
        "    insecure-skip-tls-verify: true",
        "users:",
        "- name: tester",
        "  user:",
        `    token: ${options.token}`,
        "contexts:",
        "- name: loopback",
        "  context:",
        "    cluster: loopback",
        "    user: tester",
        `    namespace: ${namespace}`,
        "current-context: loopback",
        "",
      ].join("\n");
      await writeFile(file, yaml);
      return file;
    },
    evict(jobName) {
      const job = [...jobs.values()].find((j) => j.name === jobName);
      if (!job?.pod) return;
      job.deleted = true;
      killProcess(job.pod);
      const s = podStatus(job);
      s.phase = "Failed";
      s.reason = "Evicted";
      s.message = "The node was low on resource: memory.";
      setJobCondition(job, "Failed", "BackoffLimitExceeded");
      emit("MODIFIED", job);
    },
    expireWatches() {
      compactedBelow = version;
      for (const w of watchers) {
        send(w, "ERROR", status(410, "Expired", "too old resource version"));
        w.res.end();
      }
    },
    watchCount: () => watchers.size,
    async stop() {
      for (const job of jobs.values()) {
        for (const t of job.timers) clearTimeout(t);
        const proc = job.pod?.process;
        if (proc && proc.exitCode === null && proc.signalCode === null) {
          const exited = once(proc, "exit");
          killProcess(job.pod);
          await exited;
        }
      }
      for (const w of watchers) w.res.end();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
