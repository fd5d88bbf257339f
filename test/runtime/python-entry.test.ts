// `python flow.py <command>` under Flowlens: Metaflow's command line (top-level options before the
// command, the command's after), handed to the runtime for run/resume and done on the client API
// for dump/logs/tag, with Metaflow's output where scripts parse it.
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { metaflowTopOptions, project, pyJson, python, tagFlow } from "./entry/python";

const dir = project({ "flow.py": tagFlow });
let runId = "";

void test("python flow.py run with Metaflow's top-level options runs the flow, with tags, parameters and a run-id file", async () => {
  const out = await python(["flow.py", ...metaflowTopOptions, "run", "--run-id-file", "run-id", "--max-workers=50", "--max-num-splits=10000", "--tag=first", "--tag", "刺身", "--alpha", "3"], dir);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, "", "--quiet keeps the run's progress off stdout");
  runId = readFileSync(join(dir, "run-id"), "utf8").trim();
  assert.match(runId, /^\d+$/);
  const got = await pyJson(
    `from metaflow import Run, namespace\nnamespace(None)\nr = Run("EntryFlow/${runId}")\nprint(json.dumps({"ok": r.successful, "y": r.data.y, "tags": sorted(r.user_tags)}))`,
    dir,
  );
  assert.deepEqual(got, { ok: true, y: 7, tags: ["first", "刺身"] });
});

void test("options Flowlens cannot honour are refused by name before anything runs (exit 2)", async () => {
  const before = readdirSync(join(dir, ".metaflow", "EntryFlow")).length;
  for (const [args, word] of [
    [["--metadata=service", "run"], "--metadata=service"],
    [["--environment", "conda", "run"], "--environment=conda"],
    [["run", "--max-log-size", "5"], "--max-log-size"],
    [["--nonsense", "run"], "--nonsense"],
    [["resume", "--clone-only"], "--clone-only"],
  ] as const) {
    const out = await python(["flow.py", ...args], dir);
    assert.equal(out.code, 2, `${args.join(" ")}: ${out.stderr}`);
    assert.ok(out.stderr.includes(word), `${args.join(" ")} names ${word}: ${out.stderr}`);
    assert.equal(out.stderr.trim().split("\n").length, 1, "one line, no traceback");
  }
  assert.equal(readdirSync(join(dir, ".metaflow", "EntryFlow")).length, before, "no run was started");
});

void test("python flow.py show and check go to Flowlens's analysis", async () => {
  const show = await python(["flow.py", "show"], dir);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /Says hello/);
  assert.match(show.stdout, /middle/);
  const check = await python(["flow.py", "--no-pylint", "check"], dir);
  assert.equal(check.code, 0, check.stderr);
});

void test("dump --file writes a pickle of {RUN/STEP/TASK: {name: value}}, with --include and --private", async () => {
  const got = await pyJson(
    `import subprocess, sys, pickle
def dump(*extra):
    subprocess.run([sys.executable, "flow.py", "--quiet", "dump", "--max-value-size", "100000000000", *extra, "--file", "d.pkl", "${runId}/start"], check=True)
    with open("d.pkl", "rb") as f:
        return pickle.load(f)
one = dump("--include", "x")
private = dump("--private", "--include", "_hidden,x")
public = dump("--include", "_hidden,x")
print(json.dumps({"one": one, "private": private, "public": public}))`,
    dir,
  );
  const key = Object.keys(got.one as object)[0] ?? "";
  assert.match(key, new RegExp(`^${runId}/start/\\d+$`));
  assert.deepEqual(got.one, { [key]: { x: 6 } });
  assert.deepEqual(got.private, { [key]: { x: 6, _hidden: "private" } });
  assert.deepEqual(got.public, { [key]: { x: 6 } }, "private artifacts only with --private");
});

void test("logs --stdout / --stderr print the task's own lines, exactly", async () => {
  const stdout = await python(["flow.py", "--quiet", "logs", "--stdout", `${runId}/start`], dir);
  assert.equal(stdout.code, 0, stdout.stderr);
  assert.equal(stdout.stdout, "hello 3\nsecond line\n");
  const stderr = await python(["flow.py", "--quiet", "logs", "--stderr", `${runId}/start`], dir);
  assert.equal(stderr.stdout, "to stderr\n");
  const missing = await python(["flow.py", "logs", `${runId}/nostep`], dir);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nostep/);
});

void test("tag add/remove/replace change user tags; tag list --flat prints them on stderr after one banner line; system tags stay", async () => {
  const flat = async (...extra: string[]) => {
    const out = await python(["flow.py", "tag", "list", "--flat", ...extra, "--run-id", runId], dir);
    assert.equal(out.code, 0, out.stderr);
    return new Set(out.stderr.split("\n").slice(1).filter((l) => l !== ""));
  };
  assert.deepEqual(await flat("--hide-system-tags"), new Set(["first", "刺身"]));
  const all = await flat();
  const system = [...all].filter((t) => t !== "first" && t !== "刺身");
  assert.ok(system.some((t) => t.startsWith("user:")), `a user: system tag among ${[...all].join(", ")}`);

  const tag = (...args: string[]) => python(["flow.py", "tag", ...args], dir);
  assert.equal((await tag("add", "--run-id", runId, "tag_along", ...system)).code, 0);
  assert.deepEqual(await flat("--hide-system-tags"), new Set(["first", "刺身", "tag_along"]), "a system tag is not added as a user tag");
  const refused = await tag("remove", "--run-id", runId, "tag_along", system[0] ?? "");
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /system tag/);
  assert.deepEqual(await flat("--hide-system-tags"), new Set(["first", "刺身", "tag_along"]), "all or nothing");
  assert.equal((await tag("replace", "--run-id", runId, "--remove", "tag_along", "--remove", "first", "--add", "first", "--add", "new")).code, 0);
  assert.deepEqual(await flat("--hide-system-tags"), new Set(["first", "刺身", "new"]), "removals first, then additions");
  assert.equal((await tag("remove", "--run-id", runId, "new")).code, 0);
  assert.equal((await tag("add", "--run-id", runId, "")).code, 1, "an empty tag is refused");
  const quiet = await python(["flow.py", "--quiet", "tag", "list", "--run-id", runId], dir);
  assert.match(quiet.stderr, new RegExp(`^EntryFlow/${runId} ; [^;]*user:[^;]* ; first,刺身\\n$`));
});

void test("resume re-runs what failed, from the latest run or --origin-run-id, and resume STEP from that step", async () => {
  const failed = await python(["flow.py", "--quiet", "run", "--run-id-file", "failed-id"], dir, { FAIL: "1" });
  assert.equal(failed.code, 1);
  const failedId = readFileSync(join(dir, "failed-id"), "utf8").trim();
  const resumed = await python(["flow.py", "--quiet", "resume", "--run-id-file", "resumed-id", "--origin-run-id", failedId], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  const fromEnd = await python(["flow.py", "--quiet", "resume", "end", "--run-id-file", "end-id"], dir);
  assert.equal(fromEnd.code, 0, fromEnd.stderr);
  const ids = ["resumed-id", "end-id"].map((f) => readFileSync(join(dir, f), "utf8").trim());
  const got = await pyJson(
    `from metaflow import Run, namespace\nnamespace(None)\nrs = [Run("EntryFlow/%s" % i) for i in ${JSON.stringify(ids)}]\nprint(json.dumps([[r.successful, r.origin_run_id, r.data.y] for r in rs]))`,
    dir,
  );
  assert.deepEqual(got, [
    [true, failedId, 3],
    [true, ids[0], 3],
  ]);
});

void test("without Node.js (none on PATH, no FLOWLENS_NODE) run says what is missing in one line, exit 1", async () => {
  const interpreter = execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();
  const out = await python(["flow.py", "run"], dir, { PATH: join(dir, "no-such-folder"), FLOWLENS_NODE: "" }, interpreter);
  assert.equal(out.code, 1);
  assert.equal(out.stderr, "flowlens: Node.js is needed to run flows with Flowlens: put `node` on PATH or set FLOWLENS_NODE to its path\n");
});

void test("card list of a task without cards gives Metaflow's headline (exit 1); an unknown command is a usage error", async () => {
  const card = await python(["flow.py", "card", "list", `${runId}/start`], dir);
  assert.equal(card.code, 1);
  assert.match(card.stderr, /^flowlens: Card not found in datastore: No card found for EntryFlow\/\d+\/start\/\d+\.$/m);
  const unknown = await python(["flow.py", "frobnicate"], dir);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /frobnicate/);
});

// What Metaflow's first tutorials do, in flows of our own: a data file read with IncludeFile, a
// parameter from the command line, a foreach, and a second flow that reads the first flow's latest
// successful run through the client API, each run as `python flow.py run` by the same user.
const statsFlow = `from metaflow import FlowSpec, IncludeFile, Parameter, step


class ScoresFlow(FlowSpec):
    """Averages scores by group."""

    table = IncludeFile("table", default="scores.csv")
    scale = Parameter("scale", default=1)

    @step
    def start(self):
        rows = [line.split(",") for line in self.table.splitlines()[1:] if line]
        self.groups = sorted(set(r[0] for r in rows))
        self.rows = rows
        self.next(self.average, foreach="groups")

    @step
    def average(self):
        values = [int(r[1]) * self.scale for r in self.rows if r[0] == self.input]
        self.mean = (self.input, sum(values) / len(values))
        self.next(self.join)

    @step
    def join(self, inputs):
        self.means = dict(i.mean for i in inputs)
        self.next(self.end)

    @step
    def end(self):
        print("means %s" % sorted(self.means.items()))


if __name__ == "__main__":
    ScoresFlow()
`;

const readerFlow = `from metaflow import Flow, FlowSpec, get_namespace, step


class ReaderFlow(FlowSpec):
    @step
    def start(self):
        run = Flow("ScoresFlow").latest_successful_run
        self.source = run.pathspec
        self.best = max(run.data.means, key=run.data.means.get)
        self.namespace = get_namespace()
        self.next(self.end)

    @step
    def end(self):
        print("best group %s from %s" % (self.best, self.source))


if __name__ == "__main__":
    ReaderFlow()
`;

void test("tutorial-style flows: IncludeFile, a parameter and a foreach; a second flow reads the first one's latest run", async () => {
  const tut = project({ "scores.py": statsFlow, "reader.py": readerFlow, "scores.csv": "group,score\na,1\nb,5\na,3\nb,7\n" });
  const env = { METAFLOW_USER: "tutor" };
  const show = await python(["scores.py", "show"], tut, env);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /Averages scores by group/);
  const scores = await python(["scores.py", "run", "--scale", "2"], tut, env);
  assert.equal(scores.code, 0, scores.stderr);
  assert.match(scores.stdout, /means \[\('a', 4\.0\), \('b', 12\.0\)\]/);
  const reader = await python(["reader.py", "run"], tut, env);
  assert.equal(reader.code, 0, reader.stderr);
  assert.match(reader.stdout, /best group b from ScoresFlow\/1/);
});
