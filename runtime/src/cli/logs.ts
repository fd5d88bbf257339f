// `flowlens logs PATHSPEC [--stdout|--stderr] [--stream] [--timestamps]`: a task's output,
// each line tagged `[run/step/task]`; `--stream` follows it until the run finishes.

import { parseArgs } from "./args";
import type { Command, CliIo } from "./command";
import type { FlowDatastore, LogStream } from "../datastore/layout";
import { NotFound, resolveTarget, storeOptions } from "./pathspec";
import { isDamagedData } from "../datastore/damaged";
import { formatLogLine } from "../datastore/logLines";
import { processColors } from "./printer";
import { sanitizeTerminalText } from "../../../server/src/protocol/terminalText";

export const logsCmd: Command = {
  name: "logs",
  usage: `Usage: flowlens logs Flow/run/step[/task] [options]

Prints the output of every task of the step (or of one task), from its latest attempt.
"latest" may stand for the run id.

Options:
  --stdout | --stderr       only that stream
  --stream                  keep printing new lines until the run finishes
  --timestamps              keep each line's timestamp
  --datastore local|s3      where to read (default local)
  --datastore-root ROOT     a local folder or s3://bucket/prefix`,
  run: async (args, io) => {
    const parsed = parseArgs(args, { options: storeOptions, flags: ["stdout", "stderr", "stream", "timestamps"] }, false);
    try {
      const target = await resolveTarget(parsed, io);
      const streams: LogStream[] = parsed.flags.has("stdout") && !parsed.flags.has("stderr") ? ["stdout"] : parsed.flags.has("stderr") && !parsed.flags.has("stdout") ? ["stderr"] : ["stdout", "stderr"];
      const printed = new Map<string, number>();
      const keep = parsed.flags.has("timestamps");
      for (;;) {
        const running = parsed.flags.has("stream") && (await stillRunning(target.ds, target.run, io));
        const tasks = parsed.positional[0]?.split("/").length === 4 ? target.tasks : await target.ds.listTasks(target.run, target.step);
        for (const task of tasks) await printTask(target.ds, target.run, target.step, task, streams, printed, keep, io);
        if (!running) return 0;
        await new Promise((r) => setTimeout(r, 250));
      }
    } catch (error) {
      if (error instanceof NotFound) {
        io.stderr(`flowlens logs: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

/** Whether `--stream` should keep following: the run is going. A crashed run, or one whose record is damaged, is said once and not followed. */
async function stillRunning(ds: FlowDatastore, run: string, io: CliIo): Promise<boolean> {
  let record;
  try {
    record = await ds.readRunRecord(run);
  } catch (error) {
    if (!isDamagedData(error)) throw error;
    io.stderr(`flowlens logs: not following: ${error.message}\n`);
    return false;
  }
  if (!record) return false;
  const { state, reason } = await ds.runState(run, record);
  if (state === "crashed") io.stderr(`flowlens logs: run ${ds.flow}/${run} crashed (${reason ?? "its process is gone"}); \`flowlens resume\` continues it\n`);
  return state === "running";
}

async function printTask(ds: FlowDatastore, run: string, step: string, task: string, streams: LogStream[], printed: Map<string, number>, keep: boolean, io: CliIo): Promise<void> {
  const attempts = await ds.listAttempts(run, step, task);
  const attempt = attempts.filter((a) => a.done).at(-1)?.attempt ?? attempts.at(-1)?.attempt ?? 0;
  for (const stream of streams) {
    const id = `${task}/${attempt}/${stream}`;
    const lines = await ds.readLogLines(run, step, task, attempt, stream);
    const from = printed.get(id) ?? 0;
    for (const line of lines.slice(from)) {
      const body = formatLogLine(line, keep);
      (stream === "stderr" ? io.stderr : io.stdout)(`[${run}/${step}/${task}] ${sanitizeTerminalText(body, { colors: processColors(io.env)[stream] })}\n`);
    }
    printed.set(id, Math.max(from, lines.length));
  }
}
