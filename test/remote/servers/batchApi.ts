// The operations of the loopback Batch endpoint (batchServer.ts), validated as the service does:
// required fields, job name rules, resource types, environment names, a 60 s minimum timeout.
import { randomUUID } from "node:crypto";
import type { BatchJobs, Definition, Job, Json } from "./batchJobs";
import type { BatchServerOptions } from "./batchServer";

export class ClientException extends Error {}

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

export type Handlers = Record<string, (body: Json) => Json>;

/** Every operation, by its lower-case name in the URL. */
export function batchHandlers(state: BatchJobs, options: BatchServerOptions): Handlers {
  return { ...definitionHandlers(state, options), ...jobHandlers(state, options) };
}

function definitionHandlers(state: BatchJobs, options: BatchServerOptions): Handlers {
  return {
    registerjobdefinition(body) {
      const name = str(body, "jobDefinitionName") ?? "";
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(name)) throw new ClientException(`jobDefinitionName ${name} does not match the required pattern`);
      if (str(body, "type") !== "container") throw new ClientException("type must be container");
      const cp = body.containerProperties as Json | undefined;
      if (!cp || typeof cp.image !== "string") throw new ClientException("containerProperties.image is required");
      checkResources(cp.resourceRequirements, "containerProperties");
      const revision = state.definitions.filter((d) => d.jobDefinitionName === name).length + 1;
      const def: Definition = {
        jobDefinitionName: name,
        jobDefinitionArn: `arn:aws:batch:${region}:${account}:job-definition/${name}:${revision}`,
        revision,
        status: "ACTIVE",
        type: "container",
        containerProperties: cp,
        platformCapabilities: (body.platformCapabilities as string[] | undefined) ?? ["EC2"],
      };
      state.definitions.push(def);
      return { jobDefinitionName: name, jobDefinitionArn: def.jobDefinitionArn, revision };
    },
    describejobdefinitions(body) {
      const name = str(body, "jobDefinitionName", false);
      const status = str(body, "status", false);
      return { jobDefinitions: state.definitions.filter((d) => (!name || d.jobDefinitionName === name) && (!status || d.status === status)) };
    },
    describejobqueues(body) {
      const wanted = (body.jobQueues as string[] | undefined) ?? options.queues;
      return {
        jobQueues: options.queues
          .filter((q) => wanted.includes(q) || wanted.includes(`arn:aws:batch:${region}:${account}:job-queue/${q}`))
          .map((q, i) => ({ jobQueueName: q, jobQueueArn: `arn:aws:batch:${region}:${account}:job-queue/${q}`, state: "ENABLED", status: "VALID", priority: i + 1, computeEnvironmentOrder: [] })),
      };
    },
  };
}

function jobHandlers(state: BatchJobs, options: BatchServerOptions): Handlers {
  return {
    submitjob(body) {
      const jobName = str(body, "jobName") ?? "";
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(jobName)) throw new ClientException(`jobName "${jobName}" must be 1-128 letters, numbers, hyphens or underscores, starting with a letter or number`);
      const queue = (str(body, "jobQueue") ?? "").split("/").pop() ?? "";
      if (!options.queues.includes(queue)) throw new ClientException(`JobQueue ${queue} not found`);
      const defRef = str(body, "jobDefinition") ?? "";
      const def = state.findDefinition(defRef);
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
      state.jobs.set(job.jobId, job);
      job.timer = setTimeout(() => state.advance(job), state.stepMs);
      return { jobName, jobId: job.jobId, jobArn: `arn:aws:batch:${region}:${account}:job/${job.jobId}` };
    },
    describejobs(body) {
      const ids = body.jobs;
      if (!Array.isArray(ids)) throw new ClientException("jobs is a required field");
      return {
        jobs: ids
          .map((id) => state.jobs.get(String(id)))
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
      const job = state.jobs.get(id);
      if (!job) throw new ClientException(`Job ${id} not found`);
      state.finish(job, "FAILED", reason);
      state.killContainer(job, "SIGTERM");
      return {};
    },
  };
}
