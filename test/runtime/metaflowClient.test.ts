// Metaflow's own client reads a run made by Flowlens: `Flow`, `Run`, `Task`, `get_cards` and
// `python flow.py card get`, under a real Metaflow. Metaflow is not a dependency of the
// repository, so this runs only when FLOWLENS_METAFLOW_SRC names a Metaflow source tree (the
// folder with `metaflow/`); otherwise it is skipped and says why.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { datastore, flowlens, repo, workspace } from "./cli";

const source = process.env.FLOWLENS_METAFLOW_SRC;
const python = process.env.FLOWLENS_PYTHON ?? "python3";
// Metaflow refuses to guess a user called root; both sides then agree on this one.
const user = { METAFLOW_USER: "flowlens-tester" };

function underMetaflow(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, ...user, PYTHONPATH: source ?? "", METAFLOW_DEFAULT_METADATA: "local", METAFLOW_DEFAULT_DATASTORE: "local" };
  const r = spawnSync(python, args, { cwd, env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

void test("Metaflow's client reads a Flowlens run: runs, tasks, retries, artifacts, cards, logs, `card get`, `logs`", { timeout: 240_000 }, async (t) => {
  if (!source || !existsSync(join(source, "metaflow", "__init__.py"))) {
    const reason = source ? `FLOWLENS_METAFLOW_SRC=${source} has no metaflow/__init__.py` : "FLOWLENS_METAFLOW_SRC is not set (a Metaflow source tree to test against)";
    console.log(`metaflowClient: SKIPPED: ${reason}`);
    t.skip(reason);
    return;
  }
  const { dir, files } = workspace("test/runtime/fixtures/metaflow-client/flow.py");
  const flowFile = files[0] ?? "";
  const run = await flowlens(["run", flowFile, "--tag", "nightly"], dir, user);
  assert.equal(run.code, 0, run.stderr);

  const check = underMetaflow([join(repo, "test/runtime/fixtures/metaflow-client/check_with_metaflow.py")], dirname(flowFile));
  assert.equal(check.code, 0, check.stderr);
  // The time stamps Flowlens stored, as its own reader sees them: Metaflow's `loglines` must give the same.
  const [endTask] = await datastore(dir, "ClientFlow").listTasks("1", "end");
  const stamps = (await datastore(dir, "ClientFlow").readLogLines("1", "end", endTask ?? "", 0, "stdout")).map((l) => l.stamp);
  assert.equal(stamps.length, 2);
  const seen = JSON.parse(check.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
  assert.deepEqual(seen, {
    run: "1",
    successful: true,
    finished: true,
    steps: ["each", "end", "join", "start"],
    end: { successful: true, total: 14, attempt: 0, ds_type: "local" },
    join_attempt: 1,
    each: [
      [1, 1, ["default"]],
      [2, 4, ["default"]],
      [3, 9, ["default"]],
    ],
    report: [["blank", "report", true]],
    parameters_name: "ClientFlow",
    tags: { user: ["nightly"], task_is_run: true, artifact_is_run: true, runtime: true },
    logs: { end: "total is 14\n  [indented] | with | bars ]\n", end_err: "a warning\n", each: ["", "", ""], stamps, lines: ["total is 14", "  [indented] | with | bars ]"] },
    metadata: ["attempt", "attempt-done", "attempt_ok", "ds-root", "ds-type"],
    artifacts: { each: ["index", "input", "items", "name", "sq"], dated: true },
  });

  // Metaflow's own `logs` command prints each line as the task printed it (stdout, then stderr, both on its stdout).
  const logs = underMetaflow([flowFile, "logs", "1/end"], dirname(flowFile));
  assert.equal(logs.code, 0, logs.stderr);
  assert.equal(logs.stdout, "total is 14\n  [indented] | with | bars ]\na warning\n");

  const out = join(dir, "report.html");
  const [taskId] = await datastore(dir, "ClientFlow").listTasks("1", "end");
  assert.ok(taskId !== undefined, "the end task is stored");
  const get = underMetaflow([flowFile, "card", "get", `1/end/${taskId}`, "--id", "report", out], dirname(flowFile));
  assert.equal(get.code, 0, get.stderr);
  assert.match(readFileSync(out, "utf8"), /total is 14/);
});
