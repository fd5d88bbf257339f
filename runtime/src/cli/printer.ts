// Prints run events: `--json` gives exactly one RunEvent per line; the terminal form names
// run/step/task on every line (`[42/train/3] line`) and ends with a one-line summary. Text that
// comes from a task (its output, its exception in a reason) is sanitized for the terminal: it
// keeps its colours only when that stream is a terminal, and nothing else that a terminal acts on.

import { relative } from "node:path";
import { describeState, describeTaskCounts, totalTasks, type RunEvent } from "../../../server/src/protocol/runEvents";
import { describeMark } from "../../../server/src/protocol/runStates";
import { stringifyExact } from "../datastore/exactJson";
import { sanitizeTerminalText } from "../../../server/src/protocol/terminalText";
import type { CliIo } from "./command";

export type Printer = (event: RunEvent) => void;

export function jsonPrinter(io: CliIo): Printer {
  return (event) => io.stdout(stringifyExact(event) + "\n");
}

/** Whether each stream shows colours: a terminal, unless NO_COLOR is set (https://no-color.org). */
export interface TerminalColors {
  stdout: boolean;
  stderr: boolean;
}

export function processColors(env: NodeJS.ProcessEnv): TerminalColors {
  const allowed = (env.NO_COLOR ?? "") === "";
  return { stdout: allowed && process.stdout.isTTY === true, stderr: allowed && process.stderr.isTTY === true };
}

export function terminalPrinter(io: CliIo, colors: TerminalColors = processColors(io.env)): Printer {
  const startedAt = new Map<string, number>();
  let file = "";
  const clean = (stream: "stdout" | "stderr", text: string | undefined): string => sanitizeTerminalText(text ?? "", { colors: colors[stream] });
  return (event) => {
    switch (event.type) {
      case "run-started": {
        file = event.file;
        const origin = event.originRunId ? ` (reusing run ${event.originRunId})` : "";
        io.stdout(`Flowlens ${event.mode} of ${event.flow}: run ${event.runId}${origin}, datastore ${event.datastore}\n`);
        const params = Object.entries(event.parameters);
        // JSON escapes C0 controls but not C1 ones (U+0080-U+009F): a value is sanitized too.
        if (params.length > 0) io.stdout(`[${event.runId}] parameters: ${clean("stdout", params.map(([k, v]) => `${k}=${stringifyExact(v)}`).join(", "))}\n`);
        break;
      }
      case "log": {
        const tag = `[${event.task.runId}/${event.task.step}/${event.task.taskId}]`;
        (event.stream === "stderr" ? io.stderr : io.stdout)(`${tag} ${clean(event.stream, event.line)}\n`);
        break;
      }
      case "task-state": {
        const t = event.task;
        const tag = `[${t.runId}/${t.step}/${t.taskId}]`;
        const id = `${t.step}/${t.taskId}`;
        // The parameters pseudo-task is bookkeeping: shown only when it fails.
        if (t.step === "_parameters" && event.state !== "failed") break;
        const where = event.foreach ? ` (split ${event.foreach.index + 1} of ${event.foreach.count})` : "";
        if (event.state === "running") {
          startedAt.set(id, event.ts);
          io.stdout(`${tag} task started${where}${t.attempt > 0 ? `, attempt ${t.attempt + 1}` : ""}\n`);
        } else if (event.state === "succeeded") {
          const took = startedAt.has(id) ? ` in ${seconds(event.ts - (startedAt.get(id) ?? event.ts))}` : "";
          const how = event.reason ?? (t.attempt > 0 ? describeMark("retried", { attempt: t.attempt }) : undefined);
          io.stdout(`${tag} task finished${took}${how ? ` (${clean("stdout", how)})` : ""}\n`);
        } else if (event.state === "cancelled") {
          // Stopped by Ctrl-C or Stop run: not a failure of the step's code.
          io.stderr(`${tag} task ${describeState("cancelled")}\n`);
        } else if (event.state === "failed" || event.state === "retrying") {
          io.stderr(`${tag} task ${event.state === "failed" ? describeState("failed") : "will retry"}: ${clean("stderr", event.reason)}\n`);
        } else if (event.state === "cloned") {
          io.stdout(`${tag} ${clean("stdout", event.reason ?? "cloned")}\n`);
        } else if (event.state === "skipped") {
          io.stdout(`${tag} skipped: ${clean("stdout", event.reason)}\n`);
        } else if (event.remote) {
          io.stdout(`${tag} ${event.remote.backend} ${event.remote.status}${event.reason ? `: ${clean("stdout", event.reason)}` : ""}\n`);
        }
        // An attempt that ended needs no start time: the map holds only running tasks, not the run.
        if (event.state !== "running" && event.state !== "pending") startedAt.delete(id);
        break;
      }
      case "artifact":
        break;
      case "run-finished": {
        const c = event.tasks;
        const total = totalTasks(c);
        const counts = describeTaskCounts(c, event.marks);
        const stream = event.status === "succeeded" ? "stdout" : "stderr";
        const error = event.error ? ` — ${clean(stream, event.error.headline)}${event.error.location ? ` (${clean(stream, event.error.location)})` : ""}` : "";
        const line = `Run ${event.flow}/${event.runId} ${describeState(event.status)} in ${seconds(event.durationMs)}: ${total} task${total === 1 ? "" : "s"} (${counts})${error}\n`;
        io[stream](line);
        if (event.status !== "succeeded" && file) io.stderr(`Continue it with: flowlens resume ${relative(io.cwd, file) || file}\n`);
        break;
      }
      case "run-refused": {
        const only = event.problems.length === 1 ? event.problems[0] : undefined;
        if (only && only.message === event.headline) {
          io.stderr(`flowlens: ${clean("stderr", `${only.location ? `${only.location}: ` : ""}${only.message}`)}\n`);
          break;
        }
        io.stderr(`flowlens: ${clean("stderr", event.headline)}\n`);
        for (const p of event.problems) io.stderr(`  ${clean("stderr", `${p.location ? `${p.location}: ` : ""}${p.message}`)}\n`);
        break;
      }
    }
  };
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}
