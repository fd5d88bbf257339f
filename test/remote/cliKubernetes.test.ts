// `flowlens run FLOW --datastore s3` with @kubernetes and `--with kubernetes`, end to end: the
// CLI (scheduler, plan, local and Kubernetes executors wired by the registry) against moto and the
// loopback Kubernetes API server. Also the refusals before anything runs, one line per problem.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { V1Job } from "@kubernetes/client-node";
import { parseRunEvent, type RunEvent } from "../../server/src/protocol/runEvents";
import { podFlowFile, startKubernetesEnv, type KubernetesEnv } from "./kubernetesEnv";

let env: KubernetesEnv;
before(async () => {
  env = await startKubernetesEnv("cli-kube");
});
after(async () => {
  await env.stop();
});

const cli = join(__dirname, "..", "..", "runtime", "src", "cli", "main.ts");
// Remote tasks mostly wait: more of them at once than the machine has cores.
const s3 = ["--datastore", "s3", "--datastore-root", "s3://cli-kube/root", "--max-workers", "8"];

const built = join(__dirname, "..", "..", "bin", "flowlens.js");

async function flowlens(args: string[], extraEnv: Record<string, string> = {}, entry: string[] = ["--import", "tsx", cli]): Promise<{ code: number; events: RunEvent[]; stderr: string }> {
  const childEnv = { ...process.env, ...env.env, FLOWLENS_KUBERNETES_NAMESPACE: "flows", FLOWLENS_KUBERNETES_IMAGE: "python:3.11", ...extraEnv } as NodeJS.ProcessEnv;
  const res = await promisify(execFile)(process.execPath, [...entry, ...args], { env: childEnv, cwd: join(podFlowFile, ".."), maxBuffer: 16 << 20, timeout: 300_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" }),
  );
  const events = res.stdout.split("\n").flatMap((l) => {
    const ev = parseRunEvent(l);
    return ev ? [ev] : [];
  });
  return { code: res.code, events, stderr: res.stderr };
}

const created = (): V1Job[] => env.k8s.calls.flatMap((c) => (c.method === "POST" && c.path.endsWith("/jobs") ? [c.body as V1Job] : []));
const remoteSteps = (events: RunEvent[]): string[] => events.flatMap((e) => (e.type === "task-state" && e.remote?.backend === "kubernetes" && e.state === "succeeded" ? [`${e.task.step}/${e.task.taskId}`] : []));

async function packageKeys(): Promise<string[]> {
  const out = await env.store.client.send(new ListObjectsV2Command({ Bucket: "cli-kube", Prefix: "root/PodFlow/data/" }));
  return (out.Contents ?? []).map((o) => `${o.Key ?? ""}@${o.LastModified?.toISOString() ?? ""}`).sort();
}

void test("the Kubernetes client is a bundle of its own, which no other bundle contains", () => {
  const dist = join(__dirname, "..", "..", "dist");
  const marker = "loadFromClusterAndUser"; // a KubeConfig method of @kubernetes/client-node
  assert.ok(readFileSync(join(dist, "kubernetes.js"), "utf8").includes(marker), "npm run build makes dist/kubernetes.js");
  for (const other of readdirSync(dist).filter((f) => f.endsWith(".js") && f !== "kubernetes.js")) assert.ok(!readFileSync(join(dist, other), "utf8").includes(marker), `${other} does not carry the Kubernetes client`);
  assert.ok(!readFileSync(join(dist, "kubernetes.js"), "utf8").includes("var S3Client"), "the S3 client comes from dist/aws.js, not a second copy");
});

void test("a flow whose start step has @kubernetes: start runs as a Kubernetes job, the rest here (the built CLI)", async () => {
  const r = await flowlens(["run", "flow.py", ...s3, "--n", "3", "--json"], {}, [built]);
  const finished = r.events.find((e) => e.type === "run-finished");
  assert.ok(finished?.type === "run-finished" && finished.status === "succeeded", `exit ${r.code}\n${r.stderr}\n${JSON.stringify(r.events.slice(-5))}`);
  assert.deepEqual(remoteSteps(r.events).map((s) => s.split("/")[0]), ["start"]);
  const states = r.events.flatMap((e) => (e.type === "task-state" && e.task.step === "start" && e.remote ? [e.remote.status] : []));
  assert.deepEqual(states, ["Created", "Pending", "ContainerCreating", "Running", "Succeeded"]);
  assert.ok(r.events.some((e) => e.type === "log" && e.line === "namespace: flows"), "logs streamed from S3 into the event stream");
  assert.ok(r.events.some((e) => e.type === "log" && e.line === "total is 5"));
  assert.equal(created().length, 1);
});

/** Runs the flow with `args`, asserts it succeeded, and returns its Kubernetes tasks and the Jobs it created. */
async function succeeds(args: string[]): Promise<{ events: RunEvent[]; tasks: string[]; jobs: V1Job[] }> {
  const before = created().length;
  const r = await flowlens(["run", "flow.py", ...s3, ...args, "--json"]);
  const done = r.events.find((e) => e.type === "run-finished");
  assert.ok(done?.type === "run-finished" && done.status === "succeeded", `exit ${r.code}\n${r.stderr}\n${JSON.stringify(r.events.slice(-5))}`);
  return { events: r.events, tasks: remoteSteps(r.events), jobs: created().slice(before) };
}

const packageSha = (j: V1Job): string | undefined => j.spec?.template.spec?.containers[0]?.env?.find((v) => v.name === "FLOWLENS_CODE_PACKAGE_SHA")?.value;
const stepJob = (jobs: V1Job[], step: string): V1Job | undefined => jobs.find((j) => j.metadata?.annotations?.["flowlens.dev/step-name"] === step);

void test("--with kubernetes runs a 20-way foreach as one job per task; an unchanged flow run again uploads nothing, again makes one job per task, and --with kubernetes:cpu=2 gives every step those arguments", async () => {
  const first = await succeeds(["--with", "kubernetes"]);
  assert.equal(first.tasks.length, 23, first.tasks.join(" "));
  assert.equal(first.tasks.filter((t) => t.startsWith("work/")).length, 20);
  assert.ok(first.events.some((e) => e.type === "log" && e.line === "total is 2470"));
  assert.equal(first.jobs.length, 23, "one job per task");
  const keys = await packageKeys();

  // Again, with one foreach item (the count was proven above) and arguments for every step.
  const second = await succeeds(["--n", "1", "--with", "kubernetes:cpu=2,memory=1500"]);
  const sha = packageSha(first.jobs[0] ?? {}) ?? "?";
  assert.ok(keys.some((k) => k.includes(`/${sha}@`)), `the code package ${sha} is in the datastore`);
  // The new parameter makes new artifacts; nothing stored before was written again.
  const after = new Set(await packageKeys());
  assert.deepEqual(keys.filter((k) => !after.has(k)), [], "the unchanged code package (and every object already stored) was not uploaded again");
  assert.equal(second.tasks.length, 4, second.tasks.join(" "));
  assert.equal(second.jobs.length, 4, "one job per task again, no more");
  assert.equal(new Set([...first.jobs, ...second.jobs].map(packageSha)).size, 1, "both runs ship the same package");
  assert.deepEqual(stepJob(second.jobs, "work")?.spec?.template.spec?.containers[0]?.resources?.requests, { cpu: "2", memory: "1500M", "ephemeral-storage": "10240M" });
  // start keeps its own @kubernetes(cpu=1, memory=1024), as in Metaflow.
  assert.equal(stepJob(second.jobs, "start")?.spec?.template.spec?.containers[0]?.resources?.requests?.cpu, "1");
  assert.deepEqual(env.k8s.rejected, []);
});

void test("a @project flow's Job carries the project and its branch in labels and annotations, as Metaflow's pods do", async () => {
  const before = created().length;
  const r = await flowlens(["run", "projectflow.py", ...s3, "--branch", "exp_7", "--json"]);
  const done = r.events.find((e) => e.type === "run-finished");
  assert.ok(done?.type === "run-finished" && done.status === "succeeded", `exit ${r.code}\n${r.stderr}`);
  const jobs = created().slice(before);
  assert.equal(jobs.length, 1);
  const meta = jobs[0]?.spec?.template.metadata;
  assert.deepEqual([meta?.labels?.["flowlens.dev/project"], meta?.labels?.["flowlens.dev/branch"]], ["ml_ranking", "test.exp_7"]);
  const notes = meta?.annotations ?? {};
  assert.deepEqual([notes["flowlens.dev/project-name"], notes["flowlens.dev/branch-name"], notes["flowlens.dev/project-flow-name"]], ["ml_ranking", "test.exp_7", "ml_ranking.test.exp_7.ProjectPodFlow"]);
  assert.ok(r.events.some((e) => e.type === "log" && e.line === "project flow: ml_ranking.test.exp_7.ProjectPodFlow"), "the pod's current agrees");
  // A flow without @project gets no project labels.
  assert.ok(created().slice(0, before).every((j) => j.metadata?.labels?.["flowlens.dev/project"] === undefined));
});

void test("problems are refused before any task, one line each: unsupported arguments and the local datastore; an unknown namespace; bad credentials", async () => {
  const before = created().length;
  const local = await flowlens(["run", "flow.py", "--with", "kubernetes:port=8080,compute_pool=gpu,colour=red", "--json"]);
  const refused = local.events.find((e) => e.type === "run-refused");
  assert.ok(refused?.type === "run-refused", `expected run-refused, got ${JSON.stringify(local.events)}\n${local.stderr}`);
  const lines = refused.headline.split("\n");
  assert.match(lines[0] ?? "", /^cannot send tasks to Kubernetes: step work: @kubernetes\(port=\.\.\.\) is not supported: Flowlens opens no port/);
  assert.ok(!lines.some((l) => l.includes("step start:")), "start keeps its own @kubernetes, which has no such argument");
  assert.ok(lines.some((l) => /step work: @kubernetes\(compute_pool=\.\.\.\) is not supported/.test(l)), refused.headline);
  assert.ok(lines.some((l) => /step work: @kubernetes takes no argument "colour"/.test(l)), refused.headline);
  assert.ok(lines.some((l) => /needs the S3 datastore/.test(l)), refused.headline);
  assert.ok(!local.events.some((e) => e.type === "task-state"), "no task started");

  const ns = await flowlens(["run", "flow.py", ...s3, "--kubernetes-namespace", "nope", "--json"]);
  const nsRefused = ns.events.find((e) => e.type === "run-refused");
  assert.ok(nsRefused?.type === "run-refused", ns.stderr);
  assert.match(nsRefused.headline, /namespace "nope" does not exist in the cluster at http:\/\/127\.0\.0\.1:\d+: create it \(kubectl create namespace nope\)/);

  env.k8s.deny("delete", "batch", "jobs");
  env.k8s.deny("watch", "", "pods");
  const rbac = await flowlens(["run", "flow.py", ...s3, "--json"]).finally(() => {
    env.k8s.deny("delete", "batch", "jobs", false);
    env.k8s.deny("watch", "", "pods", false);
  });
  const rbacRefused = rbac.events.find((e) => e.type === "run-refused");
  assert.ok(rbacRefused?.type === "run-refused", rbac.stderr);
  const missing = rbacRefused.headline.split("\n").filter((l) => l.includes("not allowed to"));
  assert.equal(missing.length, 2, rbacRefused.headline);
  assert.match(missing[0] ?? "", /not allowed to delete jobs in namespace "flows" \(needed to stop a task\): add the verb "delete" on "jobs" in API group "batch" to the launcher's Role/);
  assert.match(missing[1] ?? "", /not allowed to watch pods in namespace "flows" \(needed to follow the tasks' pods\): add the verb "watch" on "pods" in API group ""/);
  assert.equal(env.k8s.calls.filter((c) => c.path.includes("selfsubjectaccessreviews")).length >= 5, true, "every permission was asked");

  const { writeFile, readFile } = await import("node:fs/promises");
  const badConfig = `${env.env.KUBECONFIG ?? ""}.bad`;
  await writeFile(badConfig, (await readFile(env.env.KUBECONFIG ?? "", "utf8")).replace(/token: .*/, "token: expired"));
  const auth = await flowlens(["run", "flow.py", ...s3, "--json"], { KUBECONFIG: badConfig });
  const authRefused = auth.events.find((e) => e.type === "run-refused");
  assert.ok(authRefused?.type === "run-refused", auth.stderr);
  assert.match(authRefused.headline, /refused the credentials \(401\)/);
  assert.ok(!authRefused.headline.includes("expired"), "the token is not repeated");

  const none = await flowlens(["run", "flow.py", ...s3, "--json"], { KUBECONFIG: "", HOME: "/nonexistent-home" });
  const noneRefused = none.events.find((e) => e.type === "run-refused");
  assert.ok(noneRefused?.type === "run-refused", none.stderr);
  assert.match(noneRefused.headline, /no Kubernetes configuration found: set KUBECONFIG/);
  assert.equal(created().length, before, "nothing was submitted");

  const batchToo = await flowlens(["run", "flow.py", ...s3, "--with", "batch:queue=q", "--json"]);
  assert.equal(batchToo.code, 2);
  assert.match(batchToo.stderr, /AWS Batch takes no arguments here/);
});
