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
import { bootstrapSource, defaultHarnessArgv } from "./bootstrap";
import { BatchSetupError, createBatchClient, describeBatchError } from "./client";
import type { CodePackage } from "../../datastore/codePackage";
import { resolvePythonDir } from "../local/pythonDir";
import { CodePackages } from "../remote/codePackages";
import { attemptPrefix, bootstrapEnvironment, withoutCredentials } from "../remote/taskEnvironment";
import { ensureJobDefinition, type JobDefinitionSpec } from "./jobDefinition";
import { batchJobName, stepBatchOptions } from "./resources";
import { LogTail } from "./logTail";
import { copyMetadataRecords, localMetadataStore } from "../remote/metadataRecords";
import { parseHarnessResult, toTaskResult } from "./result";
import { resolveBatchSettings, type BatchSettings, type BatchSettingsInput } from "./settings";

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

export { defaultHarnessArgv };

function jobEnvironment(env: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(withoutCredentials(env)).map(([name, value]) => ({ name, value }));
}

/** Statuses in the order a job moves through them. */
const terminal = new Set(["SUCCEEDED", "FAILED"]);

export class BatchExecutor implements Executor {
  readonly name = "batch";
  readonly settings: BatchSettings;
  private readonly client: BatchClient;
  private readonly region?: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly packages: CodePackages;
  private readonly definitions = new Map<string, Promise<string>>();
  private readonly verified = new Map<string, Promise<void>>();
  /** Code packages uploaded by this executor (benchmarks and tests read it). */
  get uploads(): CodePackage[] {
    return this.packages.uploads;
  }

  constructor(private readonly options: BatchExecutorOptions) {
    this.env = options.env ?? process.env;
    this.settings = resolveBatchSettings(options.settings, this.env);
    this.packages = new CodePackages(() => this.s3(), () => this.settings.packageSuffixes, () => options.pythonRuntimeDir ?? resolvePythonDir(this.env));
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
        this.packages.for(spec),
        this.jobDefinition({
          image: step.image ?? this.settings.image,
          platform: this.settings.platform,
          ...(step.jobRole ?? this.settings.jobRole ? { jobRole: step.jobRole ?? this.settings.jobRole } : {}),
          ...(this.settings.executionRole ? { executionRole: this.settings.executionRole } : {}),
        }),
      ]);
      const { ref } = spec;
      const prefix = attemptPrefix(spec);
      const environment = await bootstrapEnvironment({
        spec,
        store,
        pkg,
        executor: "batch",
        harnessArgv: this.options.harnessArgv ?? defaultHarnessArgv,
        logIntervalSeconds: this.settings.logIntervalSeconds,
        installBoto3: this.settings.installBoto3,
        records: this.options.records ?? localMetadataStore(this.env),
      });
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
      return await this.follow(spec, jobId, new LogTail(store, prefix, sink), sink, signal, started, prefix);
    } catch (error) {
      if (signal.aborted) {
        if (jobId) await this.terminate(jobId);
        return fail("cancelled", "cancelled");
      }
      const message = error instanceof Error ? error.message : String(error);
      return fail(error instanceof BatchSetupError ? message : describeBatchError(error, "SubmitJob").message, "infrastructure");
    }
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
