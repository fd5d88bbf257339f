// The loopback Batch endpoint's jobs (batchServer.ts): job definitions, and each job's way through
// SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING and SUCCEEDED/FAILED, its container command run as
// a local process group.
import { spawn, type ChildProcess } from "node:child_process";
import type { BatchServerOptions } from "./batchServer";

export type Json = Record<string, unknown>;

export interface Job {
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

export interface Definition {
  jobDefinitionName: string;
  jobDefinitionArn: string;
  revision: number;
  status: "ACTIVE" | "INACTIVE";
  type: string;
  containerProperties: Json;
  platformCapabilities: string[];
}

export function running(job: Job): boolean {
  return job.process !== undefined && job.process.exitCode === null && job.process.signalCode === null;
}

export class BatchJobs {
  readonly jobs = new Map<string, Job>();
  readonly definitions: Definition[] = [];
  private readonly scale: number;
  readonly stepMs: number;
  private readonly capacity: { vcpus: number; memoryMiB: number };

  constructor(private readonly options: BatchServerOptions) {
    this.scale = options.secondScaleMs ?? 1000;
    this.stepMs = options.stepMs ?? 15;
    this.capacity = options.capacity ?? { vcpus: 16, memoryMiB: 65536 };
  }

  findDefinition(ref: string): Definition | undefined {
    const [name, rev] = ref.startsWith("arn:") ? (ref.split("/").pop() ?? "").split(":") : ref.split(":");
    const candidates = this.definitions.filter((d) => d.jobDefinitionName === name && d.status === "ACTIVE");
    if (rev) return candidates.find((d) => d.revision === Number(rev));
    return candidates.sort((a, b) => b.revision - a.revision)[0];
  }

  /** A container stops as a whole: signal the job's process group, as `docker stop/kill` would. */
  killContainer(job: Job, sig: NodeJS.Signals): void {
    const pid = job.process?.pid;
    if (pid === undefined || !running(job)) return;
    try {
      process.kill(-pid, sig);
    } catch {
      job.process?.kill(sig);
    }
  }

  finish(job: Job, status: "SUCCEEDED" | "FAILED", reason?: string): void {
    if (job.status === "SUCCEEDED" || job.status === "FAILED") return;
    if (job.timer) clearTimeout(job.timer);
    job.status = status;
    if (reason) job.statusReason = reason;
    job.stoppedAt = Date.now();
  }

  private get hold(): boolean {
    return this.options.holdUntilObserved ?? true;
  }

  private run(job: Job): void {
    job.status = "RUNNING";
    job.startedAt = Date.now();
    const [cmd, ...args] = job.command;
    const child = spawn(cmd ?? "false", args, { env: { ...this.options.containerEnv, ...job.environment, AWS_BATCH_JOB_ID: job.jobId, AWS_BATCH_JQ_NAME: job.jobQueue }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    job.process = child;
    child.stdout?.on("data", (c: Buffer) => (job.output += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (job.output += c.toString()));
    child.on("error", (e) => {
      job.containerReason = `CannotStartContainerError: ${e.message}`;
      this.finish(job, "FAILED", "Task failed to start");
    });
    child.on("exit", (code, sig) => {
      job.exitCode = code ?? (sig ? 137 : 1);
      // Like the other statuses, RUNNING is held until a DescribeJobs has seen it, so a test can
      // assert the whole sequence however fast the container and however slow the poller.
      const end = (): void => {
        if (job.status !== "RUNNING") return;
        if (this.hold && !job.observed) {
          setTimeout(end, this.stepMs).unref();
          return;
        }
        this.finish(job, code === 0 ? "SUCCEEDED" : "FAILED", "Essential container in task exited");
      };
      end();
    });
    if (job.timeoutSeconds !== undefined) {
      job.timer = setTimeout(() => {
        this.finish(job, "FAILED", "Job attempt duration exceeded timeout");
        this.killContainer(job, "SIGKILL");
      }, job.timeoutSeconds * this.scale);
    }
  }

  /** Moves a job one status on (held until observed, and at RUNNABLE until it fits the capacity). */
  advance(job: Job): void {
    const order = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING"];
    const i = order.indexOf(job.status);
    if (i < 0) return;
    if (this.hold && !job.observed) {
      job.timer = setTimeout(() => this.advance(job), this.stepMs);
      return;
    }
    if (job.status === "RUNNABLE") {
      const vcpus = Number(job.resources.find((r) => r.type === "VCPU")?.value ?? 1);
      const mem = Number(job.resources.find((r) => r.type === "MEMORY")?.value ?? 1024);
      // Like a compute environment whose instances are all too small: the job waits for ever.
      if (vcpus > this.capacity.vcpus || mem > this.capacity.memoryMiB) return;
    }
    job.observed = false;
    if (job.status === "STARTING") {
      this.run(job);
      return;
    }
    job.status = order[i + 1] ?? "RUNNING";
    job.timer = setTimeout(() => this.advance(job), this.stepMs);
  }
}
