// Shared setup of the Kubernetes tests: moto for S3, the loopback Kubernetes API server, a
// kubeconfig pointing at it, a bucket, and task specs of the fixture flow.
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalObjectStore } from "../../runtime/src/datastore/local";
import { S3ObjectStore } from "../../runtime/src/datastore/s3/store";
import { KubernetesExecutor } from "../../runtime/src/executors/kubernetes/executor";
import type { KubernetesSettingsInput } from "../../runtime/src/executors/kubernetes/settings";
import type { TaskSpec } from "../../runtime/src/executors/types";
import { snapshotRuntime } from "./batchEnv";
import { startKubernetesServer, type KubernetesServer, type KubernetesServerOptions } from "./servers/kubernetesServer";
import { startMoto, type MotoServer } from "./servers/moto";

export const podFlowFile = join(__dirname, "fixtures", "k8sflow", "flow.py");
export const token = "loopback-token-7f3a";

export interface KubernetesEnv {
  moto: MotoServer;
  k8s: KubernetesServer;
  store: S3ObjectStore;
  /** The local folder Metaflow's metadata records of the pods are copied into. */
  records: LocalObjectStore;
  /** The launcher's environment: moto's credentials and KUBECONFIG. */
  env: NodeJS.ProcessEnv;
  executor(settings?: KubernetesSettingsInput, more?: { stepArguments?: ReadonlyMap<string, Record<string, unknown>>; jobCheckMs?: number }): KubernetesExecutor;
  stop(): Promise<void>;
}

export async function startKubernetesEnv(bucket: string, server: Partial<KubernetesServerOptions> = {}): Promise<KubernetesEnv> {
  const moto = await startMoto();
  // The "node" of the fixture's pods: the host's PATH and Python, and S3 access as a service
  // account would give it (moto's credentials, never sent in a Job).
  const hostEnv = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith("AWS_") && k !== "KUBECONFIG")) as Record<string, string>;
  const k8s = await startKubernetesServer({ token, namespaces: ["default", "flows"], nodeEnv: { ...hostEnv, ...moto.env }, oomVariable: "FAKE_OOM", badImages: ["registry.example/missing:1"], secrets: { "flows/db": { DB_PASSWORD: "from-a-secret" } }, ...server });
  const dir = mkdtempSync(join(tmpdir(), "flowlens-kube-"));
  const kubeconfig = await k8s.kubeconfig(dir);
  const pythonRuntimeDir = snapshotRuntime();
  const env: NodeJS.ProcessEnv = { ...moto.env, KUBECONFIG: kubeconfig, HOME: dir };
  const store = new S3ObjectStore({ root: `s3://${bucket}/root`, env });
  await store.client.send(new CreateBucketCommand({ Bucket: bucket }));
  const records = new LocalObjectStore(mkdtempSync(join(tmpdir(), "flowlens-records-")));
  return {
    moto,
    k8s,
    store,
    records,
    env,
    executor: (settings = {}, more = {}) =>
      new KubernetesExecutor({ store, env, pythonRuntimeDir, records, ...more, settings: { namespace: "flows", logIntervalSeconds: 0.2, image: "python:3.11", ...settings } }),
    async stop() {
      await k8s.stop();
      await moto.stop();
    },
  };
}

export function podSpec(step: string, taskId: string, inputPaths: string[], extra: Partial<TaskSpec> = {}, runId = "1"): TaskSpec {
  const attempt = extra.ref?.attempt ?? 0;
  return {
    ref: { flow: "PodFlow", runId, step, taskId, attempt },
    flowFile: podFlowFile,
    flowName: "PodFlow",
    inputPaths,
    retryCount: attempt,
    decorators: [],
    env: {},
    pathspec: `PodFlow/${runId}/${step}/${taskId}`,
    user: "tester",
    tags: [],
    ...extra,
  };
}
