// A 100-way foreach on Kubernetes: `flowlens run --with kubernetes` (the built CLI) against the
// loopback Kubernetes API server and moto. Every task is one Job whose pod is a local python3
// process running the real bootstrap and harness (S3 download of the code package, boto3, the
// step, artifacts and logs to S3). Besides the wall time it prints where the time went, so the
// launcher's share can be told from the fake pods' own work:
// - CPU seconds of the launcher (the CLI process), of the pods (their processes, summed), of the
//   API server (this process) and of moto (S3 for both);
// - per task, medians and p90s of: the launcher before the job (the task's first event to the
//   job's create request arriving here), this API server accepting it (request arrived to job
//   stored: body parsed, schema validated, under this process's load), the fake cluster (job
//   created to process started), the pod's process, and the launcher after the pod (process exit
//   to the task's final event: watch, result, metadata records).
// - the launcher's calls to the API server by kind, and the connections they took.
// Run: node --import tsx test/bench/kubernetes.bench.ts [--n 100] [--workers 100] [--cli other/bin/flowlens.js]
// (--cli runs another build of the CLI against the same servers: two builds compared on one machine.)
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { promisify } from "node:util";
import { parseRunEvent, type RunEvent } from "../../server/src/protocol/runEvents";
import { podFlowFile, startKubernetesEnv } from "../remote/kubernetesEnv";
import type { Job } from "../remote/servers/kubernetesPods";
import { median, option, processCpuSeconds, secs, timed } from "./remote/common";

/** CPU seconds of this process's reaped children so far (cutime + cstime of /proc/self/stat). */
function childrenCpuSeconds(): number {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;
const ms = (v: number): string => `${Math.round(v)} ms`;

/** Per task (by job name): the first event's and the final event's times in the CLI's stream. */
function taskTimes(events: RunEvent[]): Map<string, { first: number; done: number }> {
  const firstByTask = new Map<string, number>();
  const out = new Map<string, { first: number; done: number }>();
  for (const e of events) {
    if (e.type !== "task-state") continue;
    const key = `${e.task.step}/${e.task.taskId}/${e.task.attempt}`;
    if (!firstByTask.has(key)) firstByTask.set(key, e.ts);
    const job = e.remote?.jobId;
    if (job && (e.state === "succeeded" || e.state === "failed")) out.set(job, { first: firstByTask.get(key) ?? e.ts, done: e.ts });
  }
  return out;
}

const spread = (values: number[]): string => `${ms(median(values))} (p90 ${ms(percentile(values, 0.9))})`;

function report(jobs: Job[], events: RunEvent[], arrivals: Map<string, number>): string {
  const times = taskTimes(events);
  const before: number[] = [];
  const accept: number[] = [];
  const cluster: number[] = [];
  const pod: number[] = [];
  const after: number[] = [];
  const slowest: { task: string; ms: number }[] = [];
  for (const j of jobs) {
    const t = times.get(j.name);
    const p = j.pod;
    const arrived = arrivals.get(j.name);
    if (!t || arrived === undefined || p?.startedAt === undefined || p.exitedAt === undefined) continue;
    before.push(arrived - t.first);
    const a = j.body.metadata?.annotations ?? {};
    slowest.push({ task: `${a["flowlens.dev/step-name"] ?? "?"}/${a["flowlens.dev/task-id"] ?? "?"}`, ms: arrived - t.first });
    accept.push(j.createdAt - arrived);
    cluster.push(p.startedAt - j.createdAt);
    pod.push(p.exitedAt - p.startedAt);
    after.push(t.done - p.exitedAt);
  }
  const created = jobs.map((j) => j.createdAt);
  return [
    `  per task, median (p90) of ${pod.length}: launcher before the job's request ${spread(before)}, API server accepting it ${spread(accept)}, fake cluster to the pod's process ${spread(cluster)}, pod process ${spread(pod)}, launcher after the pod (its process's exit to the task's end) ${spread(after)}`,
    `  launcher totals: ${secs(before.reduce((a, b) => a + b, 0))} before jobs + ${secs(after.reduce((a, b) => a + b, 0))} after pods (summed over tasks; they overlap); pods' processes ${secs(pod.reduce((a, b) => a + b, 0))} summed`,
    `  jobs created over ${secs(Math.max(...created) - Math.min(...created))}; the longest waits before a job's request: ${slowest.sort((x, y) => y.ms - x.ms).slice(0, 5).map((x) => `${x.task} ${ms(x.ms)}`).join(", ")}`,
  ].join("\n");
}

async function main(): Promise<void> {
  const n = option("n", 100);
  const workers = option("workers", 100);
  let podsCpu = 0;
  const cpu0 = childrenCpuSeconds();
  const env = await startKubernetesEnv("bench-kube", { stepMs: 5, onPodExit: () => (podsCpu = childrenCpuSeconds() - cpu0) });
  try {
    const cliAt = process.argv.indexOf("--cli");
    const bin = cliAt >= 0 ? (process.argv[cliAt + 1] ?? "") : join(__dirname, "..", "..", "bin", "flowlens.js");
    // --cpu-prof DIR: the CLI writes a V8 CPU profile there (to see where the launcher's CPU goes).
    const at = process.argv.indexOf("--cpu-prof");
    const prof = at >= 0 ? process.argv[at + 1] : undefined;
    const args = [...(prof ? ["--cpu-prof", "--cpu-prof-dir", prof] : []), bin, "run", "flow.py", "--datastore", "s3", "--datastore-root", "s3://bench-kube/root", "--with", "kubernetes", "--n", String(n), "--max-workers", String(workers), "--json"];
    const childEnv = { ...process.env, ...env.env, FLOWLENS_KUBERNETES_NAMESPACE: "flows", FLOWLENS_KUBERNETES_IMAGE: "python:3.11" };
    const load = loadavg()[0]?.toFixed(1) ?? "?";
    const self0 = process.cpuUsage();
    // This process is the API server and the node spawning every pod: how late its event loop ran
    // bounds how late it could read a create request that the launcher had already sent.
    const loop = monitorEventLoopDelay({ resolution: 20 });
    loop.enable();
    const moto0 = processCpuSeconds(env.moto.pid);
    const [wall, out] = await timed(() =>
      promisify(execFile)(process.execPath, args, { env: childEnv, cwd: join(podFlowFile, ".."), maxBuffer: 64 << 20 }).catch((error: { stdout?: string; stderr?: string }) => {
        // A failed run: why, in its own words (the failed tasks' last events and the CLI's stderr), not its whole output.
        const failed = (error.stdout ?? "").split("\n").filter((l) => l.includes('"failed"') || l.includes("run-finished"));
        throw new Error(`the run failed:\n${failed.slice(-8).join("\n")}\n${(error.stderr ?? "").slice(-2000)}`);
      }),
    );
    const self = process.cpuUsage(self0);
    const launcherCpu = childrenCpuSeconds() - cpu0 - podsCpu;
    const events = out.stdout.split("\n").flatMap((l) => {
      const e = parseRunEvent(l);
      return e ? [e] : [];
    });
    const jobs = env.k8s.calls.filter((c) => c.method === "POST" && c.path.endsWith("/jobs")).length;
    const watches = env.k8s.calls.filter((c) => c.method === "GET" && c.path.includes("watch=true")).length;
    const jobReads = env.k8s.calls.filter((c) => c.method === "GET" && /\/jobs\/[^/?]+(\?|$)/.test(c.path)).length;
    const loadAfter = loadavg()[0]?.toFixed(1) ?? "?";
    console.log(`kubernetes: ${n}-way foreach with --with kubernetes, ${jobs} jobs (${watches} pod watch requests), --max-workers ${workers}: ${secs(wall)} wall (load average ${load} before, ${loadAfter} after, on ${cpus().length} cores; every pod is a local python3 process)`);
    console.log(
      `  CPU: launcher (CLI) ${launcherCpu.toFixed(1)} s (${(launcherCpu / Math.max(1, jobs)).toFixed(3)} s a task), pods ${podsCpu.toFixed(1)} s (${(podsCpu / Math.max(1, jobs)).toFixed(2)} s each), API server ${((self.user + self.system) / 1e6).toFixed(1)} s, moto ${(processCpuSeconds(env.moto.pid) - moto0).toFixed(1)} s`,
    );
    const arrivals = new Map(env.k8s.calls.flatMap((c) => (c.method === "POST" && c.path.endsWith("/jobs") ? [[(c.body as { metadata?: { name?: string } } | undefined)?.metadata?.name ?? "", c.at] as const] : [])));
    loop.disable();
    console.log(`  API calls of the launcher: ${env.k8s.calls.length} (${jobs} job creations, ${jobReads} job reads, ${watches} watches, ${env.k8s.calls.length - jobs - jobReads - watches} others) over ${env.k8s.connections()} connections`);
    console.log(report([...env.k8s.jobs.values()], events, arrivals));
    console.log(`  this process's event loop (API server, pods' spawns and output): delay p50 ${ms(loop.percentile(50) / 1e6)}, p99 ${ms(loop.percentile(99) / 1e6)}, max ${ms(loop.max / 1e6)}`);
  } finally {
    await env.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
