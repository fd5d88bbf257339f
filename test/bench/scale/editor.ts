// The editor during a wide run: the extension's own run-event handling (RunManager: the log pane,
// the status bar, the graph panel's node marks, the change events the Runs view and the timeline
// follow) fed a 10,000-task foreach's event stream at the full rate of a child process's pipe.
// Measures the longest block of the event loop (perf_hooks' event-loop delay, 1 ms resolution;
// target < 50 ms), the handling's CPU time, and how many messages would cross to the editor's UI.
// On a loaded machine a block's wall time stretches with the load, so the CPU time of the longest
// block is printed too (a 1 ms ticker: the CPU this process spent between two of its ticks, its
// garbage-collection threads included, so it can exceed the wall time).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunEvent } from "../../../server/src/protocol/runEvents";
import { installFakeVscode, uiMessages } from "./fakeVscode";
import { load, ms } from "./common";

/** The event lines of a run: start, an N-way foreach (each task: running, one log line, succeeded), a join, end. */
function eventLines(tasks: number): string[] {
  const flow = "WideFlow";
  const runId = "1";
  let ts = Date.now();
  let taskId = 0;
  const out: RunEvent[] = [{ type: "run-started", ts, flow, runId, file: "flow.py", datastore: "/tmp/.metaflow", parameters: {}, mode: "run" }];
  const task = (step: string, foreach?: { index: number; count: number }) => {
    const ref = { flow, runId, step, taskId: String(++taskId), attempt: 0 };
    out.push({ type: "task-state", ts: ts++, task: ref, state: "running", ...(foreach ? { foreach } : {}) });
    out.push({ type: "log", ts: ts++, task: ref, stream: "stdout", line: `working on item ${foreach?.index ?? 0}` });
    out.push({ type: "task-state", ts: ts++, task: ref, state: "succeeded", ...(foreach ? { foreach } : {}) });
  };
  task("start");
  for (let i = 0; i < tasks; i++) task("work", { index: i, count: tasks });
  task("join");
  task("end");
  const total = tasks + 3;
  out.push({ type: "run-finished", ts, flow, runId, status: "succeeded", durationMs: ts - out[0]!.ts, tasks: { succeeded: total, failed: 0, cloned: 0, skipped: 0, cancelled: 0 } });
  return out.map((e) => JSON.stringify(e));
}

/** The most CPU time this process spent between two ticks of a 1 ms interval: the longest block's CPU. */
function blockTicker(): { stop(): number } {
  let last = process.cpuUsage();
  let most = 0;
  const timer = setInterval(() => {
    const used = process.cpuUsage(last);
    last = process.cpuUsage();
    most = Math.max(most, (used.user + used.system) / 1000);
  }, 1);
  return {
    stop: () => {
      clearInterval(timer);
      return most;
    },
  };
}

export async function editorRun(tasks: number): Promise<void> {
  installFakeVscode();
  const { RunManager } = await import("../../../client/src/runs/runManager");
  const dir = mkdtempSync(join(tmpdir(), "flowlens-scale-editor-"));
  // The "CLI" replays the recorded stream as fast as the pipe takes it.
  mkdirSync(join(dir, "dist"));
  writeFileSync(join(dir, "dist", "cli.js"), `require("node:fs").createReadStream(process.env.FLOWLENS_BENCH_EVENTS).pipe(process.stdout);\n`);
  const lines = eventLines(tasks);
  writeFileSync(join(dir, "events.jsonl"), `${lines.join("\n")}\n`);
  writeFileSync(join(dir, "flow.py"), "");
  let graphPosts = 0;
  let changes = 0;
  const manager = new RunManager({
    extensionUri: { fsPath: dir } as never,
    interpreter: { resolve: () => Promise.resolve({ path: "python3", source: "the benchmark" }) } as never,
    log: { info: () => undefined } as never,
    // A webview post serialises the message.
    graph: { postRunStatus: (m) => void (graphPosts += JSON.stringify(m).length > 0 ? 1 : 0) },
    endActions: { openArtifacts: () => Promise.resolve(), resume: () => Promise.resolve() },
  });
  const sub = manager.onDidChange(() => void changes++);
  Object.assign(uiMessages, { terminalWrites: 0, terminalBytes: 0, statusTexts: 0 });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const blocks = blockTicker();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const run = await manager.start({ mode: "run", file: join(dir, "flow.py"), flow: "WideFlow" }, { env: { FLOWLENS_BENCH_EVENTS: join(dir, "events.jsonl") } });
  const session = await run.finished;
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  delay.disable();
  const longestCpu = blocks.stop();
  sub.dispose();
  manager.dispose();
  rmSync(dir, { recursive: true, force: true });
  if (session.status !== "succeeded" || session.tasks.size !== tasks + 3) throw new Error(`the replayed run ended ${session.status} with ${session.tasks.size} tasks`);
  const longest = delay.max / 1e6;
  console.log(
    `editor with a ${tasks.toLocaleString("en")}-task run: ${lines.length.toLocaleString("en")} events in ${ms(wall)} (handling CPU ${ms((cpu.user + cpu.system) / 1000)}); ` +
      `longest event-loop block ${ms(longest)} wall, ${ms(longestCpu)} CPU (p99 ${ms(delay.percentile(99) / 1e6)}; target < 50 ms); to the UI: ${uiMessages.terminalWrites} log-pane writes, ` +
      `${uiMessages.statusTexts} status-bar texts, ${graphPosts} graph posts, ${changes} change events; ${load()}`,
  );
}
