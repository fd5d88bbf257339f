// KubernetesExecutor: runs one task attempt as one batch/v1 Job. The container runs the same
// bootstrap as a Batch job (code package from the S3 datastore, logs uploaded beside the attempt
// while the task runs, so they stream into the editor without the Kubernetes log API). The pod's
// state comes from one shared list+watch per namespace (podWatch.ts), mapped to the run-state
// vocabulary with its reason (podState.ts). Stopping a task deletes its job and its pods.
import { AuthorizationV1Api, BatchV1Api, CoreV1Api, Watch, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import type { S3ObjectStore } from "../../datastore/s3/store";
import type { ObjectStore } from "../../datastore/types";
import { bootstrapSource, defaultHarnessArgv } from "../batch/bootstrap";
import { parseHarnessResult, type HarnessResult } from "../batch/result";
import { resolvePythonDir } from "../local/pythonDir";
import { CodePackages } from "../remote/codePackages";
import { copyMetadataRecords, localMetadataStore } from "../remote/metadataRecords";
import { attemptPrefix, bootstrapEnvironment } from "../remote/taskEnvironment";
import type { Executor, TaskOutput, TaskResult, TaskSpec } from "../types";
import { missingPermissions } from "./access";
import { describeApiError, KubernetesSetupError, loadKubeConfig } from "./client";
import { buildJob, jobName, managedLabel, runLabel, labelValue } from "./jobManifest";
import { PodWatch, type PodEvent } from "./podWatch";
import { RunProjects } from "./project";
import { LogPace } from "./logPace";
import { describeFailedCreate, describeJob, type PodView } from "./podState";
import { toTaskResult } from "./result";
import { resolveKubernetesSettings, type KubernetesSettings, type KubernetesSettingsInput } from "./settings";
import { stepKubernetesOptions } from "./stepOptions";
import { countingTail, followPod } from "./follow";

export interface KubernetesExecutorOptions {
  /** The run's datastore; must be S3 (the pod reads and writes the same root). */
  store: ObjectStore;
  settings?: KubernetesSettingsInput;
  env?: NodeJS.ProcessEnv;
  /** The bundled runtime/python folder; found next to the bundle by default. */
  pythonRuntimeDir?: string;
  /** `--with kubernetes:k=v` (or a route's arguments) by step, for steps without their own @kubernetes. */
  stepArguments?: ReadonlyMap<string, Record<string, unknown>>;
  /** How often a job is read while it has no pod yet or the pod watch is down (follow.ts: rarer once the watch shows its pod). */
  jobCheckMs?: number;
  /** Where Metaflow's local metadata records of the tasks are copied; the local root rule by default. */
  records?: ObjectStore;
}

export class KubernetesExecutor implements Executor {
  readonly name = "kubernetes";
  readonly settings: KubernetesSettings;
  readonly server: string;
  private readonly config: KubeConfig;
  private readonly batch: BatchV1Api;
  private readonly core: CoreV1Api;
  private readonly auth: AuthorizationV1Api;
  private readonly env: NodeJS.ProcessEnv;
  private readonly watches = new Map<string, PodWatch>();
  private readonly packages: CodePackages;
  private readonly projects = new RunProjects(() => this.s3());
  /** Log reads of running tasks per second, across the run: 10 reads is 20 S3 requests a second. */
  private readonly logPace = new LogPace(10);
  /** Every Job this executor created (tests and benchmarks read it). */
  readonly created: string[] = [];

  constructor(private readonly options: KubernetesExecutorOptions) {
    this.env = options.env ?? process.env;
    this.settings = resolveKubernetesSettings(options.settings, this.env);
    const { config } = loadKubeConfig(this.env, this.settings.context);
    this.config = config;
    this.server = config.getCurrentCluster()?.server ?? "?";
    this.batch = config.makeApiClient(BatchV1Api);
    this.core = config.makeApiClient(CoreV1Api);
    this.auth = config.makeApiClient(AuthorizationV1Api);
    this.packages = new CodePackages(() => this.s3(), () => this.settings.packageSuffixes, () => options.pythonRuntimeDir ?? resolvePythonDir(this.env));
  }

  get uploads(): { sha: string; key: string }[] {
    return this.packages.uploads;
  }

  private s3(): S3ObjectStore {
    if (this.options.store.kind !== "s3") throw new KubernetesSetupError(`Kubernetes needs the S3 datastore, but the run uses ${this.options.store.kind} (${this.options.store.root}): add --datastore s3 --datastore-root s3://bucket/prefix`);
    return this.options.store as S3ObjectStore;
  }

  /** One line per problem that would stop a task in `namespace`: the datastore, the cluster, the namespace, each missing permission. */
  async problems(namespace: string): Promise<string[]> {
    const out: string[] = [];
    if (this.options.store.kind !== "s3") out.push(`the datastore is ${this.options.store.kind} (${this.options.store.root}), but pods read and write the run's data in S3: add --datastore s3 --datastore-root s3://bucket/prefix`);
    else await this.s3().verify().catch((e: unknown) => out.push(`the S3 datastore does not answer: ${e instanceof Error ? e.message : String(e)}`));
    try {
      await this.core.readNamespace({ name: namespace });
    } catch (error) {
      const e = describeApiError(error, `read namespace "${namespace}"`, this.server);
      const code = (error as { code?: number }).code;
      out.push(code === 404 ? `namespace "${namespace}" does not exist in the cluster at ${this.server}: create it (kubectl create namespace ${namespace}) or set --kubernetes-namespace` : e.message);
      // Not allowed to read the namespace (a Role without the cluster-wide rule): the jobs' own permissions are still worth checking.
      if (code !== 403) return out;
    }
    out.push(...(await missingPermissions(this.auth, namespace)));
    return out;
  }

  private podWatch(namespace: string, runId: string): PodWatch {
    const key = `${namespace}\u0000${runId}`;
    let w = this.watches.get(key);
    if (!w) {
      w = new PodWatch(this.core, new Watch(this.config), namespace, `${managedLabel}=flowlens,${runLabel}=${labelValue(runId)}`);
      this.watches.set(key, w);
    }
    return w;
  }

  async runTask(spec: TaskSpec, sink: (output: TaskOutput) => void, signal: AbortSignal): Promise<TaskResult> {
    const started = Date.now();
    const { redact, LogTail } = await import("../../aws");
    const fail = (headline: string, kind: "infrastructure" | "cancelled"): TaskResult => ({ ok: false, durationMs: Date.now() - started, failure: { headline: redact(headline), kind } });
    const options = stepKubernetesOptions(spec.decorators, this.settings, this.options.stepArguments?.get(spec.ref.step));
    const name = jobName(spec);
    let created = false;
    try {
      const store = this.s3();
      const watch = this.podWatch(options.namespace, spec.ref.runId);
      const [pkg, project] = await Promise.all([this.packages.for(spec), this.projects.of(spec.ref), watch.start()]);
      if (signal.aborted) return fail("cancelled before submission", "cancelled");
      const prefix = attemptPrefix(spec);
      const environment = await bootstrapEnvironment({ spec, store, pkg, executor: "kubernetes", harnessArgv: defaultHarnessArgv, logIntervalSeconds: this.settings.logIntervalSeconds, installBoto3: this.settings.installBoto3, records: this.options.records ?? localMetadataStore(this.env) });
      const body = buildJob({ spec, options, name, environment, command: [this.settings.containerPython, "-c", bootstrapSource], ttlSecondsAfterFinished: this.settings.ttlSecondsAfterFinished, ...(project ? { project } : {}) });
      const events: PodEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = watch.subscribe(name, (e) => {
        events.push(e);
        wake?.();
      });
      try {
        await this.batch.createNamespacedJob({ namespace: options.namespace, body }).catch((error: unknown) => {
          throw describeApiError(error, `create job ${name} in namespace "${options.namespace}"`, this.server);
        });
        created = true;
        this.created.push(name);
        sink({ kind: "state", state: "pending", reason: `job ${name} created in namespace ${options.namespace}`, remote: { backend: "kubernetes", status: "Created", jobId: name } });
        const tail = countingTail((counted) => new LogTail(store, prefix, counted), sink);
        // Read once the pod has ended, beside the last log read; or after a stop or a lost pod.
        let reads: Promise<{ harness: HarnessResult | undefined }> | undefined;
        const ending = (): Promise<{ harness: HarnessResult | undefined }> => (reads ??= this.endReads(store, spec, prefix, sink, redact));
        const outcome = await followPod({
          job: name,
          sink,
          signal,
          tail,
          ended: ending,
          mayTail: () => this.logPace.take(),
          settings: this.settings,
          jobCheckMs: this.options.jobCheckMs ?? 10_000,
          next: () => new Promise<PodEvent | undefined>((resolve) => {
            const e = events.shift();
            if (e) return resolve(e);
            wake = () => {
              wake = undefined;
              resolve(events.shift());
            };
          }),
          wakeNow: () => wake?.(),
          streaming: () => watch.streaming,
          readJob: () => this.batch.readNamespacedJob({ name, namespace: options.namespace }).then(describeJob, () => undefined),
          // Listing events is optional for the launcher's role: without it, a job with no pod just waits.
          whyNoPod: () => this.core.listNamespacedEvent({ namespace: options.namespace, fieldSelector: `involvedObject.kind=Job,involvedObject.name=${name}` }).then((l) => describeFailedCreate(l.items), () => undefined),
          deleteJob: () => this.deleteJob(name, options.namespace),
        });
        const { harness } = await ending();
        for (const a of harness?.artifacts ?? []) {
          if (typeof a.name === "string" && typeof a.sha === "string") sink({ kind: "artifact", name: a.name, sha: a.sha, size: Number(a.size) || 0, typeName: String(a.typeName), ts: Date.now() });
        }
        const result = toTaskResult(outcome.view, harness, Date.now() - started, outcome.cancelled);
        if (result.failure) result.failure.headline = redact(result.failure.headline);
        return result;
      } finally {
        unsubscribe();
      }
    } catch (error) {
      if (signal.aborted) {
        if (created) await this.deleteJob(name, options.namespace);
        return fail("cancelled", "cancelled");
      }
      return fail(error instanceof Error ? error.message : String(error), "infrastructure");
    }
  }

  /** The harness's result file and the copy of the task's metadata records, at once; a failed copy is one line on stderr. */
  private async endReads(store: S3ObjectStore, spec: TaskSpec, prefix: string, sink: (o: TaskOutput) => void, redact: (s: string) => string): Promise<{ harness: HarnessResult | undefined }> {
    const copy = copyMetadataRecords(store, this.options.records ?? localMetadataStore(this.env), spec.ref).catch((error: unknown) => {
      const line = `[flowlens] could not copy the Metaflow metadata records of ${spec.pathspec}: ${redact(error instanceof Error ? error.message : String(error))}`;
      sink({ kind: "log", stream: "stderr", line, ts: Date.now() });
    });
    const [body] = await Promise.all([store.get(`${prefix}flowlens_result.json`).catch(() => undefined), copy]);
    return { harness: parseHarnessResult(body) };
  }

  /** Deletes the job and, through the garbage collector, its pods. */
  private async deleteJob(name: string, namespace: string): Promise<void> {
    await this.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: "Background" }).catch(() => undefined);
  }

  async close(): Promise<void> {
    for (const w of this.watches.values()) w.stop();
    return Promise.resolve();
  }
}

export type { PodView, V1Pod };
