// Batch settings: from the executor's options (CLI flags, editor settings), then environment
// variables (FLOWLENS_BATCH_*, or Metaflow's METAFLOW_BATCH_* names), then defaults.
import { packageSuffixes } from "../../datastore/codePackage";
import { execFileSync } from "node:child_process";

export interface BatchSettings {
  /** Job queue name or ARN; a step's @batch(queue=...) wins. */
  queue?: string;
  /** Container image; default python:<major>.<minor> of the local interpreter. */
  image: string;
  /** IAM role the job runs as (S3 access); optional on EC2 when the instance role has it. */
  jobRole?: string;
  /** ECS execution role; required on Fargate. */
  executionRole?: string;
  platform: "EC2" | "FARGATE";
  /** File suffixes of the flow directory that go into the code package. */
  packageSuffixes: string[];
  /** Install boto3 in the container when the image lacks it. */
  installBoto3: boolean;
  /** Seconds between log uploads from the container. */
  logIntervalSeconds: number;
  /** DescribeJobs polling: first and longest pause, milliseconds. */
  pollMinMs: number;
  pollMaxMs: number;
  /** After this long in RUNNABLE the launcher explains what RUNNABLE means. */
  runnableWarningMs: number;
  /** The Python command inside the container. */
  containerPython: string;
}

export type BatchSettingsInput = Partial<BatchSettings>;

let cachedPythonVersion: string | undefined;

/** `<major>.<minor>` of the local interpreter, so the container runs the Python the flow was written for. */
export function localPythonVersion(python = "python3"): string {
  if (cachedPythonVersion) return cachedPythonVersion;
  try {
    cachedPythonVersion = execFileSync(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8", timeout: 10_000 }).trim();
  } catch {
    cachedPythonVersion = "3.11";
  }
  return cachedPythonVersion;
}

function envFirst(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v.trim() !== "") return v.trim();
  }
  return undefined;
}

export function resolveBatchSettings(input: BatchSettingsInput = {}, env: NodeJS.ProcessEnv = process.env, python = "python3"): BatchSettings {
  const platform = (input.platform ?? envFirst(env, "FLOWLENS_BATCH_PLATFORM") ?? "EC2").toUpperCase() === "FARGATE" ? "FARGATE" : "EC2";
  const settings: BatchSettings = {
    image: input.image ?? envFirst(env, "FLOWLENS_BATCH_IMAGE", "METAFLOW_BATCH_CONTAINER_IMAGE") ?? `python:${localPythonVersion(python)}`,
    platform,
    packageSuffixes: input.packageSuffixes && input.packageSuffixes.length > 0 ? input.packageSuffixes : packageSuffixes(env),
    installBoto3: input.installBoto3 ?? envFirst(env, "FLOWLENS_BATCH_INSTALL_BOTO3") !== "0",
    logIntervalSeconds: input.logIntervalSeconds ?? 3,
    pollMinMs: input.pollMinMs ?? 1_000,
    pollMaxMs: input.pollMaxMs ?? 10_000,
    runnableWarningMs: input.runnableWarningMs ?? 5 * 60_000,
    containerPython: input.containerPython ?? "python3",
  };
  const queue = "queue" in input ? input.queue : envFirst(env, "FLOWLENS_BATCH_QUEUE", "METAFLOW_BATCH_JOB_QUEUE");
  if (queue) settings.queue = queue;
  const jobRole = input.jobRole ?? envFirst(env, "FLOWLENS_BATCH_JOB_ROLE", "METAFLOW_ECS_S3_ACCESS_IAM_ROLE");
  if (jobRole) settings.jobRole = jobRole;
  const executionRole = input.executionRole ?? envFirst(env, "FLOWLENS_BATCH_EXECUTION_ROLE", "METAFLOW_ECS_FARGATE_EXECUTION_ROLE");
  if (executionRole) settings.executionRole = executionRole;
  return settings;
}
