// A 100-way foreach on Kubernetes: `flowlens run --with kubernetes` (the built CLI) against the
// loopback Kubernetes API server and moto. Every task is one Job whose pod is a local python3
// process running the real bootstrap and harness (S3 download of the code package, boto3, the
// step, artifacts and logs to S3), so on a small machine most of the figure is those processes'
// CPU, not the launcher. Prints the wall time, jobs created, and the load it was measured at.
// Run: node --import tsx test/bench/kubernetes.bench.ts [--n 100] [--workers 100]
import { execFile } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { podFlowFile, startKubernetesEnv } from "../remote/kubernetesEnv";
import { option, secs, timed } from "./remote/common";

async function main(): Promise<void> {
  const n = option("n", 100);
  const workers = option("workers", 100);
  const env = await startKubernetesEnv("bench-kube", { stepMs: 5 });
  try {
    const bin = join(__dirname, "..", "..", "bin", "flowlens.js");
    const args = [bin, "run", "flow.py", "--datastore", "s3", "--datastore-root", "s3://bench-kube/root", "--with", "kubernetes", "--n", String(n), "--max-workers", String(workers), "--json"];
    const childEnv = { ...process.env, ...env.env, FLOWLENS_KUBERNETES_NAMESPACE: "flows", FLOWLENS_KUBERNETES_IMAGE: "python:3.11" };
    const load = loadavg()[0]?.toFixed(1) ?? "?";
    const [ms] = await timed(() => promisify(execFile)(process.execPath, args, { env: childEnv, cwd: join(podFlowFile, ".."), maxBuffer: 64 << 20 }));
    const jobs = env.k8s.calls.filter((c) => c.method === "POST" && c.path.endsWith("/jobs")).length;
    const watches = env.k8s.calls.filter((c) => c.method === "GET" && c.path.includes("watch=true")).length;
    console.log(`kubernetes: ${n}-way foreach with --with kubernetes, ${jobs} jobs (${watches} pod watch requests), --max-workers ${workers}: ${secs(ms)} wall (load average ${load} on ${cpus().length} cores before the run; every pod is a local python3 process)`);
  } finally {
    await env.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
