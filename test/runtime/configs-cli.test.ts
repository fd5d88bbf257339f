// Configs, @project branches and the user through the real CLI: `--config`, `--config-value`,
// `--branch`, `--production`, METAFLOW_USER and METAFLOW_RUN_<NAME>, then read back the way any
// reader would (run.json, artifacts, and the client's tags and namespaces).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifact, datastore, finished, flowlens, repo, runIdOf } from "./cli";

const fixture = join(repo, "test/runtime/fixtures/configs");

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-configs-"));
  cpSync(fixture, dir, { recursive: true });
  mkdirSync(join(dir, ".metaflow"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** What the client API says about the latest ShopFlow run, as JSON. */
function client(dir: string, env: NodeJS.ProcessEnv, code: string): unknown {
  const script = `import json\nfrom metaflow import Flow, namespace, get_namespace\n${code}`;
  const out = spawnSync("python3", ["-c", script], { cwd: dir, env: { ...process.env, PYTHONPATH: join(repo, "runtime/python"), ...env }, encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout.trim().split("\n").at(-1) ?? "null");
}

void test("configs from the command line reach decorators, parameter defaults and the run's record; the user and project tag the run", async () => {
  const dir = project();
  const env = { METAFLOW_USER: "ana", METAFLOW_RUN_NOTE: "from-env" };
  const args = ["run", "flow.py", "--json", "--config", "shop", "big.json", "--config-value", "extra", '{"k": 2}', "--branch", "feat"];
  const r = await flowlens(args, dir, env);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const run = runIdOf(r.events);
  const ds = datastore(dir, "ShopFlow");
  assert.equal(await artifact(ds, run, "start", "color"), "blue");
  assert.equal(await artifact(ds, run, "start", "branch"), "test.feat");
  assert.equal(await artifact(ds, run, "end", "total"), 20);
  assert.equal(await artifact(ds, run, "end", "note"), "from-env");
  assert.deepEqual(await artifact(ds, run, "end", "shop"), { project: "shop", rows: 10, color: "blue" });
  const record = JSON.parse(readFileSync(join(dir, ".metaflow/ShopFlow", run, "_flowlens/run.json"), "utf8")) as { user: string };
  assert.equal(record.user, "ana");

  const seen = client(dir, { METAFLOW_USER: "ana" }, `
r = Flow("ShopFlow").latest_run
namespace("project_branch:test.feat")
by_branch = [x.id for x in Flow("ShopFlow")]
print(json.dumps({"ns": get_namespace(), "tags": sorted(r.system_tags), "by_branch": by_branch}))`);
  const answer = seen as { ns: string; tags: string[]; by_branch: string[] };
  assert.equal(answer.ns, "project_branch:test.feat");
  assert.deepEqual(answer.by_branch, [run]);
  const tags = answer.tags;
  for (const t of ["user:ana", "project:shop", "project_branch:test.feat", "runtime:flowlens"]) assert.ok(tags.includes(t), `${t} in ${tags.join(", ")}`);

  // Another user's default namespace does not see ana's run; the global namespace does.
  const other = client(dir, { METAFLOW_USER: "bob" }, `
default_runs = [x.id for x in Flow("ShopFlow")]
namespace(None)
print(json.dumps({"default": default_runs, "all": [x.id for x in Flow("ShopFlow")]}))`);
  assert.deepEqual(other, { default: [], all: [run] });
});

void test("defaults apply without options; --production picks the prod branch; a resume keeps the origin's configs", async () => {
  const dir = project();
  const first = await flowlens(["run", "flow.py", "--json", "--production"], dir, { METAFLOW_USER: "ana" });
  assert.equal(first.code, 0, first.stderr + first.stdout);
  const ds = datastore(dir, "ShopFlow");
  const run = runIdOf(first.events);
  assert.equal(await artifact(ds, run, "start", "color"), "red");
  assert.equal(await artifact(ds, run, "start", "branch"), "prod");
  assert.equal(await artifact(ds, run, "end", "total"), 3);

  const refused = await flowlens(["resume", "flow.py", "--config", "shop", "big.json"], dir, { METAFLOW_USER: "ana" });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /cannot be used with resume/);

  // The default file changes after the run: the resumed run still sees the origin's values.
  cpSync(join(dir, "big.json"), join(dir, "shop.json"));
  const resumed = await flowlens(["resume", "flow.py", "start", "--json"], dir, { METAFLOW_USER: "ana" });
  assert.equal(finished(resumed.events)?.status, "succeeded", resumed.stderr + resumed.stdout);
  const again = runIdOf(resumed.events);
  assert.equal(await artifact(ds, again, "start", "color"), "red");
  assert.equal(await artifact(ds, again, "end", "total"), 3);
  assert.equal(await artifact(ds, again, "start", "branch"), "user.ana");
});

void test("a bad config value fails the run before any step, naming the config", async () => {
  const dir = project();
  const r = await flowlens(["run", "flow.py", "--json", "--config-value", "extra", "{not json"], dir, { METAFLOW_USER: "ana" });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /configuration value for 'extra' is not valid JSON/);
  assert.equal(finished(r.events)?.tasks.succeeded, 0);
});
