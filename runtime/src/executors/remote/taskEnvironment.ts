// The environment a remote task's container gets: everything the bootstrap (batch/bootstrap.ts)
// reads, the datastore's own variables, and @environment's. One builder for every executor that
// runs the bootstrap, so Batch and Kubernetes containers see exactly the same variables.
import { relative, dirname } from "node:path";
import type { S3ObjectStore } from "../../datastore/s3/store";
import type { ObjectStore } from "../../datastore/types";
import { recordsEnvironment } from "./metadataRecords";
import { environmentVars } from "../batch/resources";
import type { TaskSpec } from "../types";

/** Never sent to a container: credentials (the job's role or service account provides them) and names Batch reserves. */
export const withheld = /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_SECURITY_TOKEN|AWS_PROFILE|AWS_BATCH.*)$/;

export function withoutCredentials(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !withheld.test(name)));
}

export interface BootstrapInputs {
  spec: TaskSpec;
  store: S3ObjectStore;
  pkg: { sha: string; key: string };
  /** The executor's name, as the harness sees it in FLOWLENS_EXECUTOR. */
  executor: string;
  harnessArgv: string[];
  logIntervalSeconds: number;
  installBoto3: boolean;
  /** The local folder of Metaflow's records (metadataRecords.ts), so the container can be told what it has. */
  records?: ObjectStore;
}

/** `<Flow>/<run>/<step>/<task>/<attempt>.`: where the attempt's logs and result go. */
export function attemptPrefix(spec: TaskSpec): string {
  const { ref } = spec;
  return `${ref.flow}/${ref.runId}/${ref.step}/${ref.taskId}/${ref.attempt}.`;
}

/** The container's variables, credentials removed. */
export async function bootstrapEnvironment(o: BootstrapInputs): Promise<Record<string, string>> {
  const { spec, store, pkg } = o;
  const prefix = attemptPrefix(spec);
  return withoutCredentials({
    ...environmentVars(spec.decorators),
    ...spec.env,
    ...store.pythonEnvironment(),
    FLOWLENS_CODE_PACKAGE_URL: store.url(pkg.key),
    FLOWLENS_CODE_PACKAGE_SHA: pkg.sha,
    FLOWLENS_FLOW_FILE: relative(dirname(spec.flowFile), spec.flowFile).split("\\").join("/"),
    ...(await specVariable(spec, store, prefix)),
    FLOWLENS_HARNESS_ARGV: JSON.stringify(o.harnessArgv),
    FLOWLENS_LOG_PREFIX: store.url(prefix),
    FLOWLENS_LOG_INTERVAL: String(o.logIntervalSeconds),
    FLOWLENS_INSTALL_BOTO3: o.installBoto3 ? "1" : "0",
    FLOWLENS_RUN_ID: spec.ref.runId,
    FLOWLENS_EXECUTOR: o.executor,
    ...(await recordsEnvironment(o.records, spec.ref)),
  });
}

/**
 * The TaskSpec travels in the container's environment; a big one (a large graph) would break the
 * services' size limits (30 KiB for a Batch job, 1.5 MiB for a Kubernetes object), so it goes to
 * the datastore beside the attempt and the container gets its URL.
 */
async function specVariable(spec: TaskSpec, store: S3ObjectStore, prefix: string): Promise<Record<string, string>> {
  // The spec travels with the job, so its env loses credentials like the job's own environment.
  const json = JSON.stringify({ ...spec, env: withoutCredentials(spec.env) });
  if (json.length <= 8 * 1024) return { FLOWLENS_TASK_SPEC: json };
  const key = `${prefix}flowlens_task.json`;
  await store.put(key, json);
  return { FLOWLENS_TASK_SPEC_URL: store.url(key) };
}
