// KubernetesExecutor against loopback S3 (moto) and the loopback Kubernetes API server, which
// validates each Job against the Kubernetes schema and runs its pod's command as a local process:
// the Job as Metaflow builds it, the pod's states with their reasons, logs streamed from S3,
// artifacts, Metaflow's metadata records copied locally, failures (exit code, OOMKilled, image
// pull, deadline, eviction), stop, and a watch that survives the server expiring it. runTask is
// called task by task, as the scheduler does.
import { after, before, describe, test, type TestContext } from "node:test";
import { spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import { once } from "node:events";
import type { V1Job } from "@kubernetes/client-node";
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testCredentials } from "./servers/moto";
import { Outputs } from "./batchEnv";
import { podSpec, startKubernetesEnv, token, type KubernetesEnv } from "./kubernetesEnv";

let env: KubernetesEnv;
before(async () => {
  env = await startKubernetesEnv("kube-e2e", { secondScaleMs: 200 });
});
after(async () => {
  await env.stop();
});

const signal = new AbortController().signal;
const submitted = (name: string): V1Job => env.k8s.calls.find((c) => c.method === "POST" && (c.body as V1Job | undefined)?.metadata?.name === name)?.body as V1Job;
const lastState = (o: Outputs) => o.all.filter((x) => x.kind === "state").at(-1);

/** Runs _parameters and start of run `runId`, so that a `work` task has its input. */
async function upToStart(runId: string): Promise<void> {
  const executor = env.executor();
  assert.equal((await executor.runTask(podSpec("_parameters", "0", [], { parameters: { n: "3" } }, runId), () => undefined, signal)).ok, true);
  const start = await executor.runTask(podSpec("start", "1", [`${runId}/_parameters/0`], {}, runId), () => undefined, signal);
  assert.equal(start.ok, true, JSON.stringify(start));
  await executor.close();
}

const work = (runId: string, extra: Parameters<typeof podSpec>[3] = {}) => podSpec("work", "2", [`${runId}/start/1`], { splitIndex: 0, ...extra }, runId);

async function aTaskIsOneJob(): Promise<void> {
  const executor = env.executor();
  const p = await executor.runTask(podSpec("_parameters", "0", [], { parameters: { n: "3" } }), new Outputs().sink, signal);
  assert.equal(p.ok, true, JSON.stringify(p));
  const s = new Outputs();
  const decorators = [
    {
      name: "kubernetes",
      attributes: {
        cpu: 2, memory: 2048, disk: 20000, gpu: 1, qos: "Guaranteed", use_tmpfs: true, shared_memory: 256, secrets: ["db"], image_pull_policy: "IfNotPresent",
        persistent_volume_claims: { data: "/mnt/data" }, labels: { team: "ml platform" }, annotations: { note: "hello" },
        tolerations: [{ key: "gpu", operator: "Exists", effect: "NoSchedule" }], node_selector: "kubernetes.io/os=linux",
      },
    },
    { name: "resources", attributes: { memory: 3000 } },
  ];
  const leaky = { AWS_SECRET_ACCESS_KEY: testCredentials.AWS_SECRET_ACCESS_KEY, AWS_ACCESS_KEY_ID: testCredentials.AWS_ACCESS_KEY_ID };
  const start = await executor.runTask(podSpec("start", "1", ["1/_parameters/0"], { decorators, env: leaky, timeoutSeconds: 600 }), s.sink, signal);
  assert.equal(start.ok, true, JSON.stringify(start));
  assert.deepEqual(start.transition, { next: ["work"], foreachCount: 3 });
  assert.deepEqual(s.statuses(), ["Created", "Pending", "ContainerCreating", "Running", "Succeeded"]);
  assert.deepEqual(s.all.flatMap((o) => (o.kind === "state" ? [o.state] : [])), ["pending", "pending", "pending", "running", "succeeded"]);
  const name = executor.created.at(-1) ?? "";
  assert.ok(s.lines().some((l) => l.startsWith(`pod: ${name}-`)), `the downward API gave the pod's name: ${s.lines().join("\n")}`);
  assert.ok(s.lines().includes("namespace: flows"));
  assert.ok(s.all.some((o) => o.kind === "artifact" && o.name === "items"), "artifacts reported");
  // Metaflow's metadata records, written in the pod, copied into the local folder.
  const records = await env.records.listChildren("PodFlow/1/start/1/_meta/");
  assert.ok(records.some((k) => /\/sysmeta_attempt-done_\d+\.json$/.test(k)), records.join("\n"));
  const items = JSON.parse((await env.records.get("PodFlow/1/start/1/_meta/0_artifact_items.json"))?.toString() ?? "{}") as { location?: string; ds_type?: string };
  assert.deepEqual([items.location, items.ds_type], [":root:s3://kube-e2e/root", "s3"]);
  assert.ok(await env.records.exists("PodFlow/1/_meta/_self.json"), "the run's record");

  const job = submitted(name);
  assert.equal(job.spec?.backoffLimit, 0);
  assert.equal(job.spec?.activeDeadlineSeconds, 600);
  assert.ok((job.spec?.ttlSecondsAfterFinished ?? 0) > 0);
  const pod = job.spec?.template.spec;
  assert.equal(pod?.restartPolicy, "Never");
  const c = pod?.containers[0];
  assert.equal(c?.image, "python:3.11");
  assert.equal(c?.imagePullPolicy, "IfNotPresent");
  assert.deepEqual(c?.resources?.requests, { cpu: "2", memory: "3000M", "ephemeral-storage": "20000M" });
  assert.deepEqual(c?.resources?.limits, { cpu: "2", memory: "3000M", "ephemeral-storage": "20000M", "nvidia.com/gpu": "1" });
  assert.deepEqual(c?.envFrom, [{ secretRef: { name: "db" } }]);
  assert.deepEqual(c?.volumeMounts?.map((m) => m.mountPath), ["/metaflow_temp", "/dev/shm", "/mnt/data"]);
  assert.deepEqual(pod?.volumes?.map((v) => [v.emptyDir?.medium ?? v.persistentVolumeClaim?.claimName, v.emptyDir?.sizeLimit]), [["Memory", "1500Mi"], ["Memory", "256Mi"], ["data", undefined]]);
  assert.deepEqual(pod?.nodeSelector, { "kubernetes.io/os": "linux" });
  assert.deepEqual(pod?.tolerations, [{ key: "gpu", operator: "Exists", effect: "NoSchedule" }]);
  assert.equal(job.metadata?.labels?.team, "ml-platform", "label values are made valid");
  assert.equal(job.metadata?.labels?.["flowlens.dev/run-id"], "1");
  assert.deepEqual(
    Object.fromEntries(Object.entries(job.metadata?.annotations ?? {}).filter(([k]) => k.startsWith("flowlens.dev/"))),
    { "flowlens.dev/flow-name": "PodFlow", "flowlens.dev/run-id": "1", "flowlens.dev/step-name": "start", "flowlens.dev/task-id": "1", "flowlens.dev/attempt": "0", "flowlens.dev/user": "tester" },
  );
  assert.equal(job.metadata?.annotations?.note, "hello");
  const names = (c?.env ?? []).map((e) => e.name);
  for (const n of ["FLOWLENS_CODE_PACKAGE_URL", "FLOWLENS_DATASTORE_ROOT", "METAFLOW_KUBERNETES_POD_NAME", "METAFLOW_TEMPDIR"]) assert.ok(names.includes(n), n);
  assert.equal(c?.env?.find((e) => e.name === "METAFLOW_KUBERNETES_POD_NAME")?.valueFrom?.fieldRef?.fieldPath, "metadata.name");
  const wire = JSON.stringify(env.k8s.calls);
  assert.ok(!wire.includes(testCredentials.AWS_SECRET_ACCESS_KEY) && !wire.includes(testCredentials.AWS_ACCESS_KEY_ID), "no credential is sent in a Job");
  assert.deepEqual(env.k8s.rejected, [], "every Job passed the schema");
  // One list+watch for the run's pods, however many tasks.
  assert.equal(env.k8s.calls.filter((x) => x.method === "GET" && x.path.includes("/pods") && !x.path.includes("watch=true")).length, 1);
  await executor.close();
}

async function theSchemaRefuses(): Promise<void> {
  const res = await fetch(`${env.k8s.endpoint}/apis/batch/v1/namespaces/flows/jobs`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "bad" }, spec: { backoffLimit: "none", template: { spec: { restartPolicy: "Never", containers: [{ image: "x" }] } } } }),
  });
  assert.equal(res.status, 422);
  assert.match(((await res.json()) as { message: string }).message, /backoffLimit must be integer/);
}

async function failuresSayWhy(): Promise<void> {
  await upToStart("20");
  const executor = env.executor();
  const user = new Outputs();
  const failed = await executor.runTask(work("20", { env: { FLOWLENS_TEST_FAIL: "1" } }), user.sink, signal);
  assert.equal(failed.ok, false);
  assert.equal(failed.failure?.kind, "user");
  assert.match(failed.failure?.headline ?? "", /ValueError: work failed on purpose/);
  const last = lastState(user);
  assert.equal(last?.kind === "state" ? last.reason : "", "exit code 1 (Error)");
  assert.ok(user.all.some((o) => o.kind === "log" && o.stream === "stderr" && /ValueError/.test(o.line)), "the traceback streamed from S3");

  const oom = await executor.runTask(work("20", { ref: { flow: "PodFlow", runId: "20", step: "work", taskId: "2", attempt: 1 }, decorators: [{ name: "kubernetes", attributes: { memory: 1024, qos: "Guaranteed" } }, { name: "environment", attributes: { vars: { FAKE_OOM: "1", FLOWLENS_TEST_SLEEP: "30" } } }] }), new Outputs().sink, signal);
  assert.equal(oom.failure?.kind, "infrastructure");
  assert.match(oom.failure?.headline ?? "", /OOMKilled: the task used more than its memory limit of 1024M/);

  const late = await executor.runTask(work("20", { ref: { flow: "PodFlow", runId: "20", step: "work", taskId: "2", attempt: 2 }, timeoutSeconds: 2, env: { FLOWLENS_TEST_SLEEP: "30" } }), new Outputs().sink, signal);
  assert.equal(late.failure?.kind, "timeout", JSON.stringify(late));
  assert.match(late.failure?.headline ?? "", /deadline exceeded/);

  const evicted = new Outputs();
  const running = evicted.waitFor((o) => o.kind === "state" && o.state === "running");
  const pending = executor.runTask(work("20", { ref: { flow: "PodFlow", runId: "20", step: "work", taskId: "2", attempt: 3 }, env: { FLOWLENS_TEST_SLEEP: "30" } }), evicted.sink, signal);
  await running;
  env.k8s.evict(executor.created.at(-1) ?? "");
  const e = await pending;
  assert.equal(e.failure?.kind, "infrastructure");
  assert.match(e.failure?.headline ?? "", /evicted: The node was low on resource: memory/);
  await executor.close();
}

async function pendingSaysWhy(): Promise<void> {
  await upToStart("30");
  const executor = env.executor({ imagePullGraceMs: 300 });
  const pull = new Outputs();
  const r = await executor.runTask(work("30", { decorators: [{ name: "kubernetes", attributes: { image: "registry.example/missing:1" } }] }), pull.sink, signal);
  assert.equal(r.failure?.kind, "infrastructure");
  assert.match(r.failure?.headline ?? "", /image pull error \((ErrImagePull|ImagePullBackOff)\): .*registry\.example\/missing:1/);
  assert.ok(pull.all.some((o) => o.kind === "state" && o.state === "pending" && /^image pull error/.test(o.reason ?? "")), "the pending state says why");
  assert.equal(env.k8s.jobs.has(`flows/${executor.created.at(-1) ?? ""}`), false, "the job was deleted");

  const big = new Outputs();
  const stop = new AbortController();
  const unschedulable = big.waitFor((o) => o.kind === "state" && o.remote?.status === "Unschedulable");
  const waiting = executor.runTask(work("30", { ref: { flow: "PodFlow", runId: "30", step: "work", taskId: "2", attempt: 1 }, decorators: [{ name: "kubernetes", attributes: { cpu: 64 } }] }), big.sink, stop.signal);
  await unschedulable;
  const reason = big.all.find((o) => o.kind === "state" && o.remote?.status === "Unschedulable");
  assert.match(reason?.kind === "state" ? (reason.reason ?? "") : "", /^unschedulable: 0\/1 nodes are available: 1 Insufficient cpu/);
  stop.abort();
  const cancelled = await waiting;
  assert.equal(cancelled.failure?.kind, "cancelled");
  assert.equal(env.k8s.jobs.has(`flows/${executor.created.at(-1) ?? ""}`), false, "stop deleted the job");
  assert.ok(env.k8s.calls.some((c) => c.method === "DELETE" && c.path.includes(executor.created.at(-1) ?? "?") && c.path.includes("propagationPolicy=Background")), "deleted with its pods");
  await executor.close();
}

async function quotaSaysWhy(): Promise<void> {
  await upToStart("35");
  env.k8s.setQuota("flows", { name: "compute", cpu: 2 });
  try {
    const executor = env.executor({ podCreateGraceMs: 1_500 }, { jobCheckMs: 100 });
    const big = (attempt: number) => work("35", { ref: { flow: "PodFlow", runId: "35", step: "work", taskId: "2", attempt }, decorators: [{ name: "kubernetes", attributes: { cpu: 4 } }] });
    const o = new Outputs();
    const r = await executor.runTask(big(0), o.sink, signal);
    const pending = o.all.find((x) => x.kind === "state" && x.remote?.status === "QuotaExceeded");
    assert.equal(pending?.kind === "state" ? `${pending.state}: ${pending.reason ?? ""}` : "", "pending: quota exceeded: compute, requested: cpu=4, used: cpu=0, limited: cpu=2");
    assert.equal(r.failure?.kind, "infrastructure");
    assert.match(r.failure?.headline ?? "", /quota exceeded: compute, .*no pod after 1.5 s; the job was deleted/);
    assert.equal(env.k8s.jobs.has(`flows/${executor.created.at(-1) ?? ""}`), false, "the job was deleted");

    // The quota grows while the task waits: the controller's next try creates the pod.
    const patient = env.executor({}, { jobCheckMs: 100 });
    const again = new Outputs();
    const refused = again.waitFor((x) => x.kind === "state" && x.remote?.status === "QuotaExceeded");
    const task = patient.runTask(big(1), again.sink, signal);
    await refused;
    env.k8s.setQuota("flows", { name: "compute", cpu: 8 });
    const ok = await task;
    assert.equal(ok.ok, true, JSON.stringify(ok));
    assert.deepEqual(again.statuses().slice(0, 2), ["Created", "QuotaExceeded"]);
    await Promise.all([executor.close(), patient.close()]);
  } finally {
    env.k8s.setQuota("flows", undefined);
  }
}

async function stopAndExpiredWatch(): Promise<void> {
  await upToStart("40");
  // No periodic job reads: after the expiry, only a watch listed again can finish the task.
  const executor = env.executor({}, { jobCheckMs: 600_000 });
  const o = new Outputs();
  const stop = new AbortController();
  const running = o.waitFor((x) => x.kind === "state" && x.state === "running");
  const task = executor.runTask(work("40", { env: { FLOWLENS_TEST_SLEEP: "30" } }), o.sink, stop.signal);
  await running;
  const name = executor.created.at(-1) ?? "";
  const proc = env.k8s.jobs.get(`flows/${name}`)?.pod?.process;
  stop.abort();
  const r = await task;
  assert.equal(r.failure?.kind, "cancelled");
  assert.equal(env.k8s.jobs.has(`flows/${name}`), false);
  assert.ok(proc, "the pod had a process");
  // Deleting the job killed it; a process still alive would keep this test from ending.
  if (proc.exitCode === null && proc.signalCode === null) await once(proc, "exit");

  const lists = (): number => env.k8s.calls.filter((x) => x.method === "GET" && x.path.includes("/pods") && !x.path.includes("watch=true")).length;
  const before = lists();
  const again = new Outputs();
  const started = again.waitFor((x) => x.kind === "state" && x.state === "running");
  const next = executor.runTask(work("40", { ref: { flow: "PodFlow", runId: "40", step: "work", taskId: "2", attempt: 1 }, env: { FLOWLENS_TEST_SLEEP: "2" } }), again.sink, signal);
  await started;
  env.k8s.expireWatches();
  const ok = await next;
  assert.equal(ok.ok, true, JSON.stringify(ok));
  assert.ok(lists() > before, "the pods were listed again after 410 Gone");
  await executor.close();
}

/**
 * Python code run at each interpreter's start in the pod: one line per interpreter ("start") and
 * one per HTTP request any of its processes sends ("s3 <method> <path>", forks included) in the
 * file FLOWLENS_TEST_PROCESS_LOG names.
 */
const countingSite = `import os, sys
if os.environ.get("FLOWLENS_TEST_PROCESS_LOG"):
    _log = os.environ["FLOWLENS_TEST_PROCESS_LOG"]
    def _write(line):
        with open(_log, "a") as f:
            f.write(line + "\\n")
    _write("start %d" % os.getpid())
    def _request(event, args):
        if event == "http.client.send" and isinstance(args[1], (bytes, bytearray)):
            first = bytes(args[1]).split(b"\\r\\n", 1)[0].decode("latin-1").split(" ")
            if len(first) == 3 and first[2].startswith("HTTP/"):
                _write("s3 %s %s" % (first[0], first[1].split("?")[0]))
    sys.addaudithook(_request)
`;

async function onePythonAndFewRequests(): Promise<void> {
  await upToStart("50");
  const dir = mkdtempSync(join(tmpdir(), "flowlens-site-"));
  writeFileSync(join(dir, "sitecustomize.py"), countingSite);
  const processes = join(dir, "processes.txt");
  const executor = env.executor();
  const o = new Outputs();
  const r = await executor.runTask(work("50", { env: { PYTHONPATH: dir, FLOWLENS_TEST_PROCESS_LOG: processes } }), o.sink, signal);
  await executor.close();
  assert.equal(r.ok, true, JSON.stringify(r));
  const lines = readFileSync(processes, "utf8").trim().split("\n");
  // One interpreter: the harness is a fork of the bootstrap, and it finished the attempt itself.
  assert.equal(lines.filter((l) => l.startsWith("start ")).length, 1, lines.join("\n"));
  assert.ok(await env.store.exists("PodFlow/50/work/2/0.DONE.lock"), "DONE.lock");
  const records = await env.records.listChildren("PodFlow/50/work/2/_meta/");
  assert.ok(records.some((k) => /\/sysmeta_attempt-done_\d+\.json$/.test(k)), records.join("\n"));
  assert.ok(records.some((k) => /\/0_artifact_square\.json$/.test(k)), records.join("\n"));
  // The task's S3 requests: Metaflow's records as one object, written at the start and at the
  // end (not a request a record); no blob checked twice; about half the 49 a task made before.
  const requests = lines.filter((l) => l.startsWith("s3 ")).map((l) => l.slice(3));
  const keyed = (re: RegExp) => requests.filter((x) => re.test(x));
  assert.deepEqual(keyed(/\/_meta\//), [], requests.join("\n"));
  assert.equal(keyed(/^PUT .*\/work\/2\/0\.metaflow_records\.json$/).length, 2, requests.join("\n"));
  const heads = keyed(/^HEAD /);
  assert.equal(new Set(heads).size, heads.length, requests.join("\n"));
  assert.ok(requests.length <= 27, `${requests.length} requests:\n${requests.join("\n")}`);
}

/** Metaflow's own client (FLOWLENS_METAFLOW_SRC) reads the pods' tasks from the records the launcher unpacked. */
async function metaflowReadsThePods(t: TestContext): Promise<void> {
  const source = process.env.FLOWLENS_METAFLOW_SRC;
  if (!source || !existsSync(join(source, "metaflow", "__init__.py"))) {
    t.skip("FLOWLENS_METAFLOW_SRC is not set (a Metaflow source tree to test against)");
    return;
  }
  await upToStart("60");
  const executor = env.executor();
  assert.equal((await executor.runTask(work("60"), () => undefined, signal)).ok, true);
  await executor.close();
  // Metaflow's local provider reads <METAFLOW_DATASTORE_SYSROOT_LOCAL>/.metaflow.
  const sysroot = mkdtempSync(join(tmpdir(), "flowlens-mf-"));
  symlinkSync(env.records.root, join(sysroot, ".metaflow"));
  const code = [
    "from metaflow import Flow, namespace",
    "namespace(None)",
    'run = Flow("PodFlow")["60"]',
    "for s in sorted(run, key=lambda s: s.id):",
    "    for t in s:",
    '        print(t.pathspec, t.successful, t.finished, t.current_attempt, ",".join(sorted(a.id for a in t)))',
    'print("square", run["work"]["2"]["square"].data, "user:tester" in run.system_tags)',
  ].join("\n");
  const r = spawnSync(process.env.FLOWLENS_PYTHON ?? "python3", ["-c", code], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, ...env.moto.env, PYTHONPATH: source, METAFLOW_USER: "tester", METAFLOW_DEFAULT_METADATA: "local", METAFLOW_DATASTORE_SYSROOT_LOCAL: sysroot, METAFLOW_DEFAULT_DATASTORE: "s3", METAFLOW_DATASTORE_SYSROOT_S3: "s3://kube-e2e/root", METAFLOW_S3_ENDPOINT_URL: env.moto.endpoint },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split("\n"), ["PodFlow/60/start/1 True True 0 items,n,name", "PodFlow/60/work/2 True True 0 index,input,items,n,name,square", "square 0 True"]);
}

void describe("KubernetesExecutor.runTask", () => {
  void test("a task runs as one batch/v1 Job built as Metaflow builds it; its pod's states, logs and artifacts come back", aTaskIsOneJob);
  void test("the test server refuses a Job the schema refuses", theSchemaRefuses);
  void test("failures say why: the exit code and the exception, OOMKilled with the limit, a deadline, an eviction", failuresSayWhy);
  void test("pending says why: an image that cannot be pulled fails the task after the grace period; an unschedulable pod waits until stopped, and stop deletes its job", pendingSaysWhy);
  void test("a pod the namespace's quota refuses: pending with the quota's words, failed after the grace period; created once the quota allows it", quotaSaysWhy);
  void test("a pod starts one Python interpreter (the harness is its fork) and makes few S3 requests: Metaflow's records travel as one object", onePythonAndFewRequests);
  void test("Metaflow's own client reads the pods' tasks, artifacts and attempts from the records unpacked locally", metaflowReadsThePods);
  void test("stopping a running task deletes its job and kills its pod; a watch the server expires is listed again", stopAndExpiredWatch);
});
