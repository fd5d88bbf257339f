// BatchExecutor: runs one task attempt as an AWS Batch job. The code package and job definition
// are made once and reused; each task is one SubmitJob; the launcher polls DescribeJobs with
// backoff, reports every status change, tails the logs the container uploads to S3, and turns
// the finished job (and the harness's result file) into a TaskResult. Cancelling terminates the job.
import { DescribeJobQueuesCommand, DescribeJobsCommand, SubmitJobCommand, TerminateJobCommand, type BatchClient, type JobDetail } from "@aws-sdk/client-batch";
import { S3ObjectStore } from "../../datastore/s3/store";
import { redact } from "../../datastore/s3/redact";
import { delay, withRetry } from "../../datastore/s3/retry";
import type { ObjectStore } from "../../datastore/types";
import type { Executor, TaskOutput, TaskResult, TaskSpec } from "../types";
import { bootstrapSource, harnessSource } from "./bootstrap";
import { BatchSetupError, createBatchClient, describeBatchError } from "./client";
import { writeCodePackage, type CodePackage } from "../../datastore/codePackage";
import { resolvePythonDir } from "../local/pythonDir";
import { ensureJobDefinition, type JobDefinitionSpec } from "./jobDefinition";
import { batchJobName, environmentVars, stepBatchOptions } from "./resources";
import { LogTail } from "./logTail";
import { copyMetadataRecords, localMetadataStore } from "./metadataRecords";
import { parseHarnessResult, toTaskResult } from "./result";
import { resolveBatchSettings, type BatchSettings, type BatchSettingsInput } from "./settings";
import { relative, dirname } from "node:path";

export interface BatchExecutorOptions {
  /** The run's datastore; must be S3 (the container reads and writes the same root). */
  store: ObjectStore;
  settings?: BatchSettingsInput;
  env?: NodeJS.ProcessEnv;
  client?: BatchClient;
  /** The bundled runtime/python folder; found next to the bundle by default. */
  pythonRuntimeDir?: string;
  /**
   * How the container starts the task harness, after the package is unpacked. Placeholders:
   * {python}, {spec} (TaskSpec JSON file, flowFile rewritten to the unpacked copy), {result}
   * (where the harness writes its result JSON), {flow} (the unpacked flow file).
   */
  harnessArgv?: string[];
  /** Where Metaflow's local metadata records of the tasks are copied; the local root rule by default. */
  records?: ObjectStore;
}

export const defaultHarnessArgv = ["{python}", "-c", harnessSource, "{spec}", "{result}"];

/** Never sent to a job: credentials (the job role provides them) and names Batch reserves. */
const withheld = /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_SECURITY_TOKEN|AWS_PROFILE|AWS_BATCH.*)$/;

function jobEnvironment(env: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(env)
    .filter(([name]) => !withheld.test(name))
    .map(([name, value]) => ({ name, value }));
}

/** Statuses in the order a job moves through them. */
const terminal = new Set(["SUCCEEDED", "FAILED"]);

export class BatchExecutor implements Executor {
  readonly name = "batch";
  readonly settings: BatchSettings;
  private readonly client: BatchClient;
  private readonly region?: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly packages = new Map<string, Promise<CodePackage>>();
  private readonly definitions = new Map<string, Promise<string>>();
  private readonly verified = new Map<string, Promise<void>>();
  /** Code packages uploaded by this executor (benchmarks and tests read it). */
  readonly uploads: CodePackage[] = [];

  constructor(private readonly options: BatchExecutorOptions) {
    this.env = options.env ?? process.env;
    this.settings = resolveBatchSettings(options.settings, this.env);
    if (options.client) {
      this.client = options.client;
    } else {
      const made = createBatchClient(this.env);
      this.client = made.client;
      if (made.region) this.region = made.region;
    }
  }

  private s3(): S3ObjectStore {
    const store = this.options.store;
    if (!(store instanceof S3ObjectStore)) {
      throw new BatchSetupError(`AWS Batch needs an S3 datastore, but the run uses ${store.kind} (${store.root}). Add --datastore s3 --datastore-root s3://bucket/prefix (or set flowlens.datastore / FLOWLENS_DATASTORE_ROOT).`);
    }
    return store;
  }

  /** The queue a task goes to: @batch(queue=...) over the executor's setting. */
  queueFor(spec: TaskSpec): string | undefined {
    return stepBatchOptions(spec.decorators).queue ?? this.settings.queue;
  }

  /**
   * Checks everything a submission needs — S3 datastore, bucket, credentials, queue — and throws
   * one BatchSetupError naming the missing setting. Call it before the run starts; runTask calls
   * it too (once per queue).
   */
  preflight(queue: string | undefined = this.settings.queue): Promise<void> {
    const key = queue ?? "";
    let p = this.verified.get(key);
    if (!p) {
      p = this.check(queue);
      this.verified.set(key, p);
      p.catch(() => this.verified.delete(key));
    }
    return p;
  }

  private async check(queue: string | undefined): Promise<void> {
    if (!queue) {
      throw new BatchSetupError("No AWS Batch job queue configured. Set --batch-queue NAME, the flowlens.batch.queue setting, FLOWLENS_BATCH_QUEUE, or @batch(queue=...) on the step.");
    }
    const store = this.s3();
    await store.verify().catch((error: unknown) => {
      throw new BatchSetupError(error instanceof Error ? error.message : String(error));
    });
    let queues;
    try {
      queues = await withRetry(() => this.client.send(new DescribeJobQueuesCommand({ jobQueues: [queue] })));
    } catch (error) {
      throw describeBatchError(error, "DescribeJobQueues");
    }
    const found = queues.jobQueues?.find((q) => q.jobQueueName === queue || q.jobQueueArn === queue);
    const where = this.region ? ` in region ${this.region}` : "";
    if (!found) throw new BatchSetupError(`AWS Batch job queue "${queue}" not found${where}. Create it, or set --batch-queue / flowlens.batch.queue / FLOWLENS_BATCH_QUEUE to an existing queue.`);
    if (found.state !== "ENABLED" || found.status === "INVALID") {
      throw new BatchSetupError(`AWS Batch job queue "${queue}" is ${found.state ?? "?"}/${found.status ?? "?"}${found.statusReason ? ` (${found.statusReason})` : ""}; enable it or choose another queue.`);
    }
  }

  private codePackage(spec: TaskSpec): Promise<{ sha: string; key: string }> {
    // A run stores its package before any task starts: use that one rather than build it again
    // (and so ship exactly the code the run recorded, even if the files changed since).
    if (spec.codePackage) return Promise.resolve(spec.codePackage);
    let p = this.packages.get(spec.flowFile);
    if (!p) {
      p = (async () => {
        const pythonDir = this.options.pythonRuntimeDir ?? resolvePythonDir(this.options.env ?? process.env);
        const pkg = await writeCodePackage(this.s3(), spec.flowName, spec.flowFile, this.settings.packageSuffixes, pythonDir);
        if (pkg.uploaded) this.uploads.push(pkg);
        return pkg;
      })();
      this.packages.set(spec.flowFile, p);
      p.catch(() => this.packages.delete(spec.flowFile));
    }
    return p;
  }

  private jobDefinition(def: JobDefinitionSpec): Promise<string> {
    const key = JSON.stringify(def);
    let p = this.definitions.get(key);
    if (!p) {
      p = ensureJobDefinition(this.client, def).then((d) => d.arn);
      this.definitions.set(key, p);
      p.catch(() => this.definitions.delete(key));
    }
    return p;
  }

  async runTask(spec: TaskSpec, sink: (output: TaskOutput) => void, signal: AbortSignal): Promise<TaskResult> {
    const started = Date.now();
    const fail = (headline: string, kind: "infrastructure" | "cancelled"): TaskResult => ({ ok: false, durationMs: Date.now() - started, failure: { headline: redact(headline), kind } });
    let jobId: string | undefined;
    try {
      const step = stepBatchOptions(spec.decorators);
      const queue = this.queueFor(spec);
      await this.preflight(queue);
      if (signal.aborted) return fail("cancelled before submission", "cancelled");
      const store = this.s3();
      const [pkg, definition] = await Promise.all([
        this.codePackage(spec),
        this.jobDefinition({
          image: step.image ?? this.settings.image,
          platform: this.settings.platform,
          ...(step.jobRole ?? this.settings.jobRole ? { jobRole: step.jobRole ?? this.settings.jobRole } : {}),
          ...(this.settings.executionRole ? { executionRole: this.settings.executionRole } : {}),
        }),
      ]);
      const { ref } = spec;
      const attemptPrefix = `${ref.flow}/${ref.runId}/${ref.step}/${ref.taskId}/${ref.attempt}.`;
      const environment: Record<string, string> = {
        ...environmentVars(spec.decorators),
        ...spec.env,
        ...store.pythonEnvironment(),
        FLOWLENS_CODE_PACKAGE_URL: store.url(pkg.key),
        FLOWLENS_CODE_PACKAGE_SHA: pkg.sha,
        FLOWLENS_FLOW_FILE: relative(dirname(spec.flowFile), spec.flowFile).split("\\").join("/"),
        ...(await this.specVariable(spec, attemptPrefix)),
        FLOWLENS_HARNESS_ARGV: JSON.stringify(this.options.harnessArgv ?? defaultHarnessArgv),
        FLOWLENS_LOG_PREFIX: store.url(attemptPrefix),
        FLOWLENS_LOG_INTERVAL: String(this.settings.logIntervalSeconds),
        FLOWLENS_INSTALL_BOTO3: this.settings.installBoto3 ? "1" : "0",
        FLOWLENS_RUN_ID: ref.runId,
        FLOWLENS_EXECUTOR: "batch",
      };
      const submitted = await withRetry(
        () =>
          this.client.send(
            new SubmitJobCommand({
              jobName: batchJobName([spec.user, ref.flow, ref.runId, ref.step, ref.taskId, String(ref.attempt)]),
              jobQueue: queue,
              jobDefinition: definition,
              containerOverrides: {
                command: [this.settings.containerPython, "-c", bootstrapSource],
                environment: jobEnvironment(environment),
                resourceRequirements: step.resources,
              },
              ...(spec.timeoutSeconds !== undefined ? { timeout: { attemptDurationSeconds: Math.max(60, Math.ceil(spec.timeoutSeconds)) } } : {}),
              tags: { "flowlens:flow": ref.flow, "flowlens:run": ref.runId, "flowlens:step": ref.step },
            }),
          ),
        undefined,
        signal,
      );
      jobId = submitted.jobId;
      if (!jobId) return fail("AWS Batch accepted the job but returned no job id", "infrastructure");
      return await this.follow(spec, jobId, new LogTail(store, attemptPrefix, sink), sink, signal, started, attemptPrefix);
    } catch (error) {
      if (signal.aborted) {
        if (jobId) await this.terminate(jobId);
        return fail("cancelled", "cancelled");
      }
      const message = error instanceof Error ? error.message : String(error);
      return fail(error instanceof BatchSetupError ? message : describeBatchError(error, "SubmitJob").message, "infrastructure");
    }
  }

  /**
   * The TaskSpec travels in the job's environment; a big one (a large graph) would break
   * SubmitJob's 30 KiB limit, so it goes to S3 beside the attempt and the job gets its URL.
   */
  private async specVariable(spec: TaskSpec, attemptPrefix: string): Promise<Record<string, string>> {
    // The spec travels with the job, so its env loses credentials like the job's own environment.
    const env = Object.fromEntries(Object.entries(spec.env).filter(([name]) => !withheld.test(name)));
    const json = JSON.stringify({ ...spec, env });
    if (json.length <= 8 * 1024) return { FLOWLENS_TASK_SPEC: json };
    const key = `${attemptPrefix}flowlens_task.json`;
    await this.s3().put(key, json);
    return { FLOWLENS_TASK_SPEC_URL: this.s3().url(key) };
  }

  private async terminate(jobId: string): Promise<void> {
    await withRetry(() => this.client.send(new TerminateJobCommand({ jobId, reason: "Cancelled by Flowlens" })), { attempts: 4, baseDelayMs: 200, maxDelayMs: 2000 }).catch(() => undefined);
  }

  /** Polls the job to its end, reporting each status change and tailing logs while it runs. */
  private async follow(spec: TaskSpec, jobId: string, tail: LogTail, sink: (o: TaskOutput) => void, signal: AbortSignal, started: number, attemptPrefix: string): Promise<TaskResult> {
    const s = this.settings;
    let last: string | undefined;
    let runnableSince: number | undefined;
    let explained = false;
    let cancelled = false;
    let pause = s.pollMinMs;
    let job: JobDetail | undefined;
    for (;;) {
      if (signal.aborted && !cancelled) {
        cancelled = true;
        await this.terminate(jobId);
        sink({ kind: "state", state: "running", reason: "cancelling: TerminateJob sent", remote: { backend: "batch", status: last ?? "SUBMITTED", jobId } });
      }
      const res = await withRetry(() => this.client.send(new DescribeJobsCommand({ jobs: [jobId] })));
      job = res.jobs?.[0];
      if (!job) throw new BatchSetupError(`AWS Batch does not know job ${jobId} any more`);
      const status = job.status ?? "SUBMITTED";
      if (status !== last) {
        last = status;
        pause = s.pollMinMs;
        const state = status === "SUCCEEDED" ? "succeeded" : status === "FAILED" ? "failed" : status === "RUNNING" ? "running" : "pending";
        const reason = job.statusReason ?? job.container?.reason;
        sink({ kind: "state", state, ...(reason ? { reason: redact(reason) } : {}), remote: { backend: "batch", status, jobId } });
        runnableSince = status === "RUNNABLE" ? Date.now() : undefined;
      } else {
        pause = Math.min(s.pollMaxMs, Math.ceil(pause * 1.5));
      }
      if (runnableSince !== undefined && !explained && Date.now() - runnableSince >= s.runnableWarningMs) {
        explained = true;
        const wanted = stepBatchOptions(spec.decorators).resources.map((r) => `${r.type} ${r.value}`).join(", ");
        sink({
          kind: "state",
          state: "pending",
          reason: `still RUNNABLE after ${Math.round((Date.now() - runnableSince) / 1000)} s: the queue's compute environments have no capacity for ${wanted} (check their maxvCpus, instance types and that they are ENABLED/VALID)`,
          remote: { backend: "batch", status, jobId },
        });
      }
      if (status === "RUNNING") await tail.poll().catch(() => undefined);
      if (terminal.has(status)) break;
      await delay(pause, cancelled ? undefined : signal).catch(() => undefined);
    }
    await tail.poll(true).catch(() => undefined);
    const harness = parseHarnessResult(await this.s3().get(`${attemptPrefix}flowlens_result.json`).catch(() => undefined));
    await copyMetadataRecords(this.s3(), this.options.records ?? localMetadataStore(this.env), spec.ref).catch((error: unknown) => {
      const line = `[flowlens] could not copy the Metaflow metadata records of ${spec.pathspec}: ${redact(error instanceof Error ? error.message : String(error))}`;
      sink({ kind: "log", stream: "stderr", line, ts: Date.now() });
    });
    for (const a of harness?.artifacts ?? []) {
      if (typeof a.name === "string" && typeof a.sha === "string") sink({ kind: "artifact", name: a.name, sha: a.sha, size: Number(a.size) || 0, typeName: String(a.typeName), ts: Date.now() });
    }
    const finished = {
      status: job.status === "SUCCEEDED" ? ("SUCCEEDED" as const) : ("FAILED" as const),
      ...(job.statusReason ? { statusReason: job.statusReason } : {}),
      ...(job.container?.exitCode !== undefined ? { exitCode: job.container.exitCode } : {}),
      ...(job.container?.reason ? { containerReason: job.container.reason } : {}),
    };
    const result = toTaskResult(finished, harness, Date.now() - started, cancelled);
    if (result.failure) result.failure.headline = redact(result.failure.headline);
    return result;
  }

  async close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }
}
