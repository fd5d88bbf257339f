// Metaflow's Runner API and the client's tag changes, with real Python: runs started from Python
// go through `python flow.py` (and so through Flowlens's runtime), and a tag a step adds to its
// own run is still there when the run has ended.
import { test } from "node:test";
import assert from "node:assert/strict";
import { project, pyJson, tagFlow } from "./entry/python";

const selfTagging = `from metaflow import FlowSpec, Task, current, step


class SelfTagFlow(FlowSpec):
    @step
    def start(self):
        run = Task(current.pathspec).parent.parent
        run.add_tag("from_step")
        run.add_tags(["gone", "also_gone"])
        run.remove_tags(["gone", "also_gone"])
        self.seen = sorted(run.user_tags)
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    SelfTagFlow()
`;

const dir = project({ "flow.py": tagFlow, "selftag.py": selfTagging });

void test("Runner.run returns the finished run; .resume re-runs from a step; output and logs are kept", async () => {
  const got = await pyJson(
    `from metaflow import Runner
with Runner("flow.py", show_output=False, quiet=True) as runner:
    first = runner.run(alpha=5, tags=["via_runner"], max_workers=2, run_id_file="rid")
    again = runner.resume(step_to_rerun="middle", origin_run_id=first.run.id)
    logs = first.command_obj.log_files
    print(json.dumps({
        "status": [first.status, first.returncode, first.command_obj.process.returncode],
        "y": first.run.data.y, "tags": sorted(first.run.user_tags), "rid": open("rid").read() == first.run.id,
        "resumed": [again.status, again.run.origin_run_id == first.run.id, again.run.data.y],
        "logs": sorted(logs), "command": first.command_obj.command[2:4],
    }))`,
    dir,
  );
  assert.deepEqual(got, {
    status: ["successful", 0, 0],
    y: 11,
    tags: ["via_runner"],
    rid: true,
    resumed: ["successful", true, 11],
    logs: ["stderr", "stdout"],
    command: ["--quiet", "run"],
  });
});

void test("Runner: a failed run is 'failed' with its stderr; a refused option raises before a run starts", async () => {
  const got = await pyJson(
    `from metaflow import Runner
with Runner("flow.py", show_output=False, env={"FAIL": "1"}) as runner:
    failed = runner.run()
    refused = None
    try:
        Runner("flow.py", show_output=False, metadata="service").run()
    except RuntimeError as e:
        refused = str(e)
    print(json.dumps({"status": failed.status, "code": failed.returncode, "successful": failed.run.successful,
                      "stderr": "failing on purpose" in failed.stderr, "refused": refused}))`,
    dir,
  );
  assert.equal(got.status, "failed");
  assert.equal(got.code, 1);
  assert.equal(got.successful, false);
  assert.equal(got.stderr, true);
  assert.match(String(got.refused), /--metadata=service is not supported/);
});

void test("Runner.async_run returns while the run runs; wait() and stream_log() follow it", async () => {
  const got = await pyJson(
    `import asyncio
from metaflow import Runner
async def main():
    async with Runner("flow.py", show_output=False) as runner:
        running = await runner.async_run(alpha=2)
        started = running.run.id
        await running.wait()
        lines = [line async for _, line in running.stream_log("stdout")]
        return {"started": started == running.run.id, "status": running.status, "y": running.run.data.y,
                "hello": any(l.endswith("hello 2") for l in lines)}
print(json.dumps(asyncio.run(main())))`,
    dir,
  );
  assert.deepEqual(got, { started: true, status: "successful", y: 5, hello: true });
});

void test("Run.add_tag in a step changes the run's tags for good; system tags cannot be removed through the client; steps, tasks and artifacts have their run's tags, a flow none", async () => {
  const got = await pyJson(
    `from metaflow import Runner, Run, namespace
with Runner("selftag.py", show_output=False) as runner:
    run = runner.run().run
namespace(None)
run = Run(run.pathspec)
kept = sorted(run.user_tags)
error = None
try:
    run.remove_tag(sorted(run.system_tags)[0])
except Exception as e:
    error = type(e).__name__
run.replace_tag("from_step", "replaced")
task = run["start"].task
below = [sorted(x.user_tags) == ["replaced"] and x.tags == Run(run.pathspec).tags and x.system_tags == run.system_tags for x in (run["start"], task, task["seen"])]
print(json.dumps({"below": below, "flow": sorted(run.parent.tags), "seen": run.data.seen, "kept": kept, "after": sorted(Run(run.pathspec).user_tags), "error": error,
                  "system_kept": run.system_tags <= Run(run.pathspec).tags}))`,
    dir,
  );
  assert.deepEqual(got, { below: [true, true, true], flow: [], seen: ["from_step"], kept: ["from_step"], after: ["replaced"], error: "MetaflowTaggingError", system_kept: true });
});
