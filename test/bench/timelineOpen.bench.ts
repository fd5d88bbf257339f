// Benchmark of opening the timeline of a stored 10,000-task run, as the editor does for any run it
// did not start (or once its run ended): read the run back from a local datastore, then draw it in
// headless Chromium on the timeline's real page (target: under 500 ms in all). The run is built as
// the runtime leaves it: each task's attempt record, previews and DONE.lock, and the run's task
// index written by the runtime's own writer from the run's events (runtime/src/timeline/taskIndex.ts).
// Cold: the read in a fresh Node process (as after a window reload); warm: again in this one. Also: the same run without its
// index (a run made by Metaflow, or before the index existed), read from the task files.
// Prints figures with the load average; asserts nothing.
//   node --import tsx test/bench/timelineOpen.bench.ts        (after npm run build)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ExplorerModel } from "../../client/src/explorer/treeModel";
import { readStoredTimeline, readTimeline } from "../../client/src/timeline/fromDatastore";
import { FlowDatastore } from "../../runtime/src/datastore/layout";
import { LocalObjectStore } from "../../runtime/src/datastore/local";
import { TaskIndexWriter, taskIndexKey } from "../../runtime/src/timeline/taskIndex";
import type { TimelineMessage } from "../../server/src/protocol/timeline";
import { missing } from "../e2e/support/environment";
import { TimelinePage } from "../e2e/support/timelinePage";
import { median } from "./stats";

const width = 10_000;
const flow = "BigFlow";

function load(): string {
  return `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
}

/** A stored run of `width` foreach tasks: per-task files as the Python side writes them, and the index from the run's events. */
async function storedRun(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "flowlens-timeline-open-"));
  const ds = new FlowDatastore(new LocalObjectStore(root), flow);
  const index = new TaskIndexWriter(ds, "1");
  const task = (step: string, id: string, start: number, i?: number): void => {
    const folder = join(root, flow, "1", step, id);
    mkdirSync(folder, { recursive: true });
    const extra = i === undefined ? {} : { index: { type: "int", size: 1, repr: String(i), json: i }, input: { type: "str", size: 8, repr: `'item-${i}'` } };
    writeFileSync(join(folder, "0.attempt.json"), JSON.stringify({ time: start }));
    writeFileSync(join(folder, "0.previews.json"), JSON.stringify({ _task_ok: { type: "bool", size: 1, repr: "True", json: true }, ...extra }));
    writeFileSync(join(folder, "0.DONE.lock"), JSON.stringify({ time: start + 1.5 }));
    const ref = { flow, runId: "1", step, taskId: id, attempt: 0 };
    const foreach = i === undefined ? {} : { foreach: { index: i, count: width } };
    index.accept({ type: "task-state", ts: start * 1000, task: ref, state: "running", ...foreach });
    index.accept({ type: "task-state", ts: (start + 1.5) * 1000, task: ref, state: "succeeded", ...foreach });
  };
  task("start", "1", 1000);
  for (let i = 0; i < width; i++) task("work", String(i + 2), 1001 + i / 100, i);
  task("end", String(width + 2), 1001 + width / 100 + 2);
  await index.close();
  await ds.writeRunRecord({ flow, run_id: "1", file: "flow.py", started_at: 999, finished_at: 1200, status: "succeeded", parameters: {}, parameters_given: {}, mode: "run", code_package: { sha: "", key: "" }, python: { executable: "python3", version: "3.11", packages: {} }, user: "bench", tags: [] });
  return root;
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await f();
  return { ms: performance.now() - t, value };
}

/** The child process of a cold read: prints how long reading the run took, in ms. */
async function coldRead(root: string): Promise<void> {
  const read = await timed(() => readStoredTimeline(new ExplorerModel(new LocalObjectStore(root)), flow, "1"));
  console.log(JSON.stringify({ ms: read.ms, tasks: read.value.message.tasks.length }));
}

function coldReadIn(root: string): number {
  const child = spawnSync(process.execPath, ["--import", "tsx", __filename, "--read", root], { encoding: "utf8" });
  const out = JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}") as { ms?: number; tasks?: number };
  if (out.tasks !== width + 2 || out.ms === undefined) throw new Error(`the cold read failed: ${child.stderr}`);
  return out.ms;
}

async function main(): Promise<void> {
  const reason = missing({ chromium: true, dist: ["dist/timeline.js", "dist/media/timeline.css"] });
  console.log(`timeline open bench: building a stored ${width.toLocaleString("en")}-task run (${load()})`);
  const root = await storedRun();
  const page = reason ? undefined : await TimelinePage.open({ width: 1200, height: 800 });
  if (reason) console.log(`timeline open bench: drawing skipped: ${reason}`);
  try {
    const store = new LocalObjectStore(root);
    const opens: { read: number; draw: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const read = await timed(() => readStoredTimeline(new ExplorerModel(store), flow, "1"));
      const message: TimelineMessage = read.value.message;
      if (message.tasks.length !== width + 2) throw new Error(`read ${message.tasks.length} tasks`);
      // The first drawing is the page's cold one; the first read is made cold in a child process.
      const draw = page ? (await page.send({ ...message, now: message.now + i })).ms : Number.NaN;
      opens.push({ read: i === 0 ? coldReadIn(root) : read.ms, draw });
    }
    const say = (o: { read: number; draw: number }): string => `${(o.read + (Number.isNaN(o.draw) ? 0 : o.draw)).toFixed(0)} ms (read ${o.read.toFixed(0)} + message to drawing ${o.draw.toFixed(0)})`;
    const warm = opens.slice(1);
    const mid = { read: median(warm.map((o) => o.read)), draw: median(warm.map((o) => o.draw)) };
    console.log(`timeline open bench: open with the run's task index: cold ${say(opens[0]!)}; warm median ${say(mid)} (${load()}; target < 500 ms)`);
    const inputs = await timed(() => readStoredTimeline(new ExplorerModel(store), flow, "1").then((s) => s.withInputs?.()));
    console.log(`timeline open bench: the foreach inputs for the hover, read after the first drawing: ${inputs.ms.toFixed(0)} ms (${load()})`);
    rmSync(join(root, ...taskIndexKey(new FlowDatastore(store, flow), "1").split("/")));
    const files = await timed(() => readTimeline(new ExplorerModel(store), flow, "1"));
    console.log(`timeline open bench: the same run without an index (made by Metaflow), from the task files: read ${files.ms.toFixed(0)} ms (${load()})`);
  } finally {
    await page?.close();
    rmSync(root, { recursive: true, force: true });
  }
}

(process.argv[2] === "--read" ? coldRead(process.argv[3] ?? "") : main()).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
