// A loopback AWS Batch endpoint for tests. It speaks the REST-JSON protocol that
// @aws-sdk/client-batch uses (POST /v1/<operation>, JSON bodies, x-amzn-errortype errors),
// validates requests as the service does (required fields, job name rules, resource types,
// environment names, a 60 s minimum timeout), and RUNS each job's container command as a local
// process (no Docker here) with the job's environment, moving it through SUBMITTED, PENDING,
// RUNNABLE, STARTING, RUNNING and SUCCEEDED/FAILED. Timeouts are scaled (`secondScaleMs`) so a
// 60 s attempt duration can expire in a test.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import { randomUUID } from "node:crypto";
import { listenLoopback } from "../../support/loopback";

type Json = Record<string, unknown>;

interface Job {
  jobId: string;
  jobName: string;
  jobQueue: string;
  jobDefinition: string;
  status: string;
  statusReason?: string;
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  command: string[];
  environment: Record<string, string>;
  resources: { type: string; value: string }[];
  timeoutSeconds?: number;
  exitCode?: number;
  containerReason?: string;
  process?: ChildProcess;
  output: string;
  timer?: NodeJS.Timeout;
  /** Whether a DescribeJobs has reported the current status (see `holdUntilObserved`). */
  observed: boolean;
}

interface Definition {
  jobDefinitionName: string;
  jobDefinitionArn: string;
  revision: number;
  status: "ACTIVE" | "INACTIVE";
  type: string;
  containerProperties: Json;
  platformCapabilities: string[];
}

export interface BatchServerOptions {
  /** Queues that exist (ENABLED, VALID). */
  queues: string[];
  /** Environment every container gets from its "instance" (credentials via the job role, PATH). */
  containerEnv: Record<string, string>;
  /** What the compute environment can place; bigger jobs stay RUNNABLE, as on a real queue. */
  capacity?: { vcpus: number; memoryMiB: number };
  /** Real milliseconds per Batch second, for timeouts. */
  secondScaleMs?: number;
  /** Milliseconds between status moves before RUNNING. */
  stepMs?: number;
  /**
   * Keep each status until a DescribeJobs has reported it, so a test can assert the whole
   * sequence (the real service moves on regardless; pollers may miss short states). Default true.
   */
  holdUntilObserved?: boolean;
}

export interface BatchServer {
  endpoint: string;
  jobs: Map<string, Job>;
  definitions: Definition[];
  /** Every call, by operation name, for assertions. */
  calls: { operation: string; body: Json }[];
  stop(): Promise<void>;
}

class ClientException extends Error {}

function running(job: Job): boolean {
  return job.process !== undefined && job.process.exitCode === null && job.process.signalCode === null;
}

const region = "us-east-1";
const account = "123456789012";

function str(body: Json, field: string, required = true): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) {
    if (required) throw new ClientException(`${field} is a required field`);
    return undefined;
  }
  if (typeof v !== "string" || v === "") throw new ClientException(`${field} must be a non-empty string`);
  return v;
}

function checkResources(list: unknown, where: string): { type: string; value: string }[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ClientException(`${where}.resourceRequirements must be a list`);
  return list.map((r: unknown) => {
    const { type, value } = (r ?? {}) as { type?: unknown; value?: unknown };
    if (type !== "VCPU" && type !== "MEMORY" && type !== "GPU") throw new ClientException(`${where}: resource requirement type ${String(type)} is not one of VCPU, MEMORY, GPU`);
    if (typeof value !== "string" || !/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new ClientException(`${where}: ${type} value "${String(value)}" is not a positive number`);
    if ((type === "MEMORY" || type === "GPU") && !/^\d+$/.test(value)) throw new ClientException(`${where}: ${type} must be a whole number`);
    return { type, value };
  });
}

export async function startBatchServer(options: BatchServerOptions): Promise<BatchServer> {
  const jobs = new Map<string, Job>();
  const definitions: Definition[] = [];
  const calls: BatchServer["calls"] = [];
  const scale = options.secondScaleMs ?? 1000;
  const stepMs = options.stepMs ?? 15;
  const capacity = options.capacity ?? { vcpus: 16, memoryMiB: 65536 };

  const findDefinition = (ref: string): Definition | undefined => {
    const [name, rev] = ref.startsWith("arn:") ? (ref.split("/").pop() ?? "").split(":") : ref.split(":");
    const candidates = definitions.filter((d) => d.jobDefinitionName === name && d.status === "ACTIVE");
    if (rev) return candidates.find((d) => d.revision === Number(rev));
    return candidates.sort((a, b) => b.revision - a.revision)[0];
  };

  // A container stops as a whole: signal the job's process group, as `docker stop/kill` would.
  const killContainer = (job: Job, sig: NodeJS.Signals): void => {
    const pid = job.process?.pid;
    if (pid === undefined || !running(job)) return;
    try {
      process.kill(-pid, sig);
    } catch {
      job.process?.kill(sig);
    }
  };

  const finish = (job: Job, status: "SUCCEEDED" | "FAILED", reason?: string): void => {
    if (job.status === "SUCCEEDED" || job.status === "FAILED") return;
    if (job.timer) clearTimeout(job.timer);
    job.status = status;
    if (reason) job.statusReason = reason;
    job.stoppedAt = Date.now();
  };

  const run = (job: Job): void => {
    job.status = "RUNNING";
    job.startedAt = Date.now();
    const [cmd, ...args] = job.command;
    const child = spawn(cmd ?? "false", args, { env: { ...options.containerEnv, ...job.environment, AWS_BATCH_JOB_ID: job.jobId, AWS_BATCH_JQ_NAME: job.jobQueue }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    job.process = child;
    child.stdout?.on("data", (c: Buffer) => (job.output += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (job.output += c.toString()));
    child.on("error", (e) => {
      job.containerReason = `CannotStartContainerError: ${e.message}`;
      finish(job, "FAILED", "Task failed to start");
    });
    child.on("exit", (code, sig) => {
      job.exitCode = code ?? (sig ? 137 : 1);
      // Like the other statuses, RUNNING is held until a DescribeJobs has seen it, so a test can
      // assert the whole sequence however fast the container and however slow the poller.
      const end = (): void => {
        if (job.status !== "RUNNING") return;
        if ((options.holdUntilObserved ?? true) && !job.observed) {
          setTimeout(end, stepMs).unref();
          return;
        }
        if (code === 0) finish(job, "SUCCEEDED", "Essential container in task exited");
        else finish(job, "FAILED", "Essential container in task exited");
      };
      end();
    });
    if (job.timeoutSeconds !== undefined) {
      job.timer = setTimeout(() => {
        finish(job, "FAILED", "Job attempt duration exceeded timeout");
        killContainer(job, "SIGKILL");
      }, job.timeoutSeconds * scale);
    }
  };

  const advance = (job: Job): void => {
    const order = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING"];
    const i = order.indexOf(job.status);
    if (i < 0) return;
    if ((options.holdUntilObserved ?? true) && !job.observed) {
      job.timer = setTimeout(() => advance(job), stepMs);
      return;
    }
    if (job.status === "RUNNABLE") {
      const vcpus = Number(job.resources.find((r) => r.type === "VCPU")?.value ?? 1);
      const mem = Number(job.resources.find((r) => r.type === "MEMORY")?.value ?? 1024);
      // Like a compute environment whose instances are all too small: the job waits for ever.
      if (vcpus > capacity.vcpus || mem > capacity.memoryMiB) return;
    }
    job.observed = false;
    if (job.status === "STARTING") {
      run(job);
      return;
    }
    job.status = order[i + 1] ?? "RUNNING";
    job.timer = setTimeout(() => advance(job), stepMs);
  };

  const handlers: Record<string, (body: Json) => Json> = {
    registerjobdefinition(body) {
      const name = str(body, "jobDefinitionName") ?? "";
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(name)) throw new ClientException(`jobDefinitionName ${name} does not match the required pattern`);
      if (str(body, "type") !== "container") throw new ClientException("type must be container");
      const cp = body.containerProperties as Json | undefined;
      if (!cp || typeof cp.image !== "string") throw new ClientException("containerProperties.image is required");
      checkResources(cp.resourceRequirements, "containerProperties");
      const revision = definitions.filter((d) => d.jobDefinitionName === name).length + 1;
      const def: Definition = {
        jobDefinitionName: name,
        jobDefinitionArn: `arn:aws:batch:${region}:${account}:job-definition/${name}:${revision}`,
        revision,
        status: "ACTIVE",
        type: "container",
        containerProperties: cp,
        platformCapabilities: (body.platformCapabilities as string[] | undefined) ?? ["EC2"],
      };
      definitions.push(def);
      return { jobDefinitionName: name, jobDefinitionArn: def.jobDefinitionArn, revision };
    },
    describejobdefinitions(body) {
      const name = str(body, "jobDefinitionName", false);
      const status = str(body, "status", false);
      return { jobDefinitions: definitions.filter((d) => (!name || d.jobDefinitionName === name) && (!status || d.status === status)) };
    },
    describejobqueues(body) {
      const wanted = (body.jobQueues as string[] | undefined) ?? options.queues;
      return {
        jobQueues: options.queues
          .filter((q) => wanted.includes(q) || wanted.includes(`arn:aws:batch:${region}:${account}:job-queue/${q}`))
          .map((q, i) => ({ jobQueueName: q, jobQueueArn: `arn:aws:batch:${region}:${account}:job-queue/${q}`, state: "ENABLED", status: "VALID", priority: i + 1, computeEnvironmentOrder: [] })),
      };
    },
    submitjob(body) {
      const jobName = str(body, "jobName") ?? "";
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(jobName)) throw new ClientException(`jobName "${jobName}" must be 1-128 letters, numbers, hyphens or underscores, starting with a letter or number`);
      const queue = (str(body, "jobQueue") ?? "").split("/").pop() ?? "";
      if (!options.queues.includes(queue)) throw new ClientException(`JobQueue ${queue} not found`);
      const defRef = str(body, "jobDefinition") ?? "";
      const def = findDefinition(defRef);
      if (!def) throw new ClientException(`JobDefinition ${defRef} not found or not ACTIVE`);
      const overrides = (body.containerOverrides ?? {}) as Json;
      const environment: Record<string, string> = {};
      for (const e of (overrides.environment as { name?: unknown; value?: unknown }[] | undefined) ?? []) {
        if (typeof e.name !== "string" || e.name === "") throw new ClientException("environment variable without a name");
        if (e.name.startsWith("AWS_BATCH")) throw new ClientException(`environment variable names starting with AWS_BATCH are reserved: ${e.name}`);
        environment[e.name] = typeof e.value === "string" ? e.value : "";
      }
      const resources = checkResources(overrides.resourceRequirements, "containerOverrides");
      const timeout = (body.timeout as { attemptDurationSeconds?: unknown } | undefined)?.attemptDurationSeconds;
      if (timeout !== undefined && (typeof timeout !== "number" || timeout < 60)) throw new ClientException("timeout.attemptDurationSeconds must be at least 60 seconds");
      if (JSON.stringify(body).length > 30 * 1024) throw new ClientException("SubmitJob request is larger than 30 KiB");
      const command = (overrides.command as string[] | undefined) ?? (def.containerProperties.command as string[] | undefined) ?? [];
      const job: Job = { jobId: randomUUID(), jobName, jobQueue: queue, jobDefinition: def.jobDefinitionArn, status: "SUBMITTED", createdAt: Date.now(), command, environment, resources, output: "", observed: false };
      if (typeof timeout === "number") job.timeoutSeconds = timeout;
      jobs.set(job.jobId, job);
      job.timer = setTimeout(() => advance(job), stepMs);
      return { jobName, jobId: job.jobId, jobArn: `arn:aws:batch:${region}:${account}:job/${job.jobId}` };
    },
    describejobs(body) {
      const ids = body.jobs;
      if (!Array.isArray(ids)) throw new ClientException("jobs is a required field");
      return {
        jobs: ids
          .map((id) => jobs.get(String(id)))
          .filter((j): j is Job => j !== undefined)
          .map((j) => {
            j.observed = true;
            return j;
          })
          .map((j) => ({
            jobId: j.jobId,
            jobName: j.jobName,
            jobArn: `arn:aws:batch:${region}:${account}:job/${j.jobId}`,
            jobQueue: `arn:aws:batch:${region}:${account}:job-queue/${j.jobQueue}`,
            jobDefinition: j.jobDefinition,
            status: j.status,
            ...(j.statusReason ? { statusReason: j.statusReason } : {}),
            createdAt: j.createdAt,
            ...(j.startedAt ? { startedAt: j.startedAt } : {}),
            ...(j.stoppedAt ? { stoppedAt: j.stoppedAt } : {}),
            container: { command: j.command, resourceRequirements: j.resources, ...(j.exitCode !== undefined ? { exitCode: j.exitCode } : {}), ...(j.containerReason ? { reason: j.containerReason } : {}) },
          })),
      };
    },
    terminatejob(body) {
      const id = str(body, "jobId") ?? "";
      const reason = str(body, "reason") ?? "";
      const job = jobs.get(id);
      if (!job) throw new ClientException(`Job ${id} not found`);
      finish(job, "FAILED", reason);
      killContainer(job, "SIGTERM");
      return {};
    },
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const operation = (req.url ?? "").replace(/^\/v1\//, "").split("?")[0] ?? "";
      const reply = (status: number, body: Json, errorType?: string): void => {
        const text = JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/json", ...(errorType ? { "x-amzn-errortype": errorType } : {}) });
        res.end(text);
      };
      const handler = handlers[operation];
      if (req.method !== "POST" || !handler) {
        reply(404, { message: `unknown operation ${req.method} ${req.url}` }, "ClientException");
        return;
      }
      if (!/AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization ?? "")) {
        reply(403, { message: "Missing Authentication Token" }, "UnrecognizedClientException");
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as Json;
        calls.push({ operation, body });
        reply(200, handler(body));
      } catch (error) {
        reply(400, { message: error instanceof Error ? error.message : String(error) }, "ClientException");
      }
    });
  });
  const port = await listenLoopback(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    jobs,
    definitions,
    calls,
    async stop() {
      for (const job of jobs.values()) {
        if (job.timer) clearTimeout(job.timer);
        if (job.process && running(job)) {
          const exited = once(job.process, "exit");
          killContainer(job, "SIGKILL");
          await exited;
        }
      }
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
