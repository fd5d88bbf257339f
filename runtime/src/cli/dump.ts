// `flowlens dump Flow/run/step[/task] [--json] [--all]`: a task's artifacts — name, type,
// size and a preview; with --json, values that are JSON-native are included as JSON.

import { isDamagedData } from "../datastore/damaged";
import { stringifyExact } from "../datastore/exactJson";
import type { ArtifactPreview, FlowDatastore } from "../datastore/layout";
import { parseArgs } from "./args";
import type { CliIo, Command } from "./command";
import { NotFound, resolveTarget, storeOptions } from "./pathspec";

interface DumpedArtifact {
  sha: string;
  type: string;
  size: number;
  encoding: string;
  repr?: string;
  shape?: number[];
  dtype?: string;
  value?: unknown;
}

export const dumpCmd: Command = {
  name: "dump",
  usage: `Usage: flowlens dump Flow/run/step[/task] [options]

Shows the artifacts of every task of the step (or of one task), from its latest finished
attempt. "latest" may stand for the run id.

Options:
  --json                    one JSON object: {pathspec: {attempt, artifacts: {name: {...}}}}
  --all                     include internal artifacts (names starting with "_")
  --datastore local|s3      where to read (default local)
  --datastore-root ROOT     a local folder or s3://bucket/prefix`,
  run: async (args, io) => {
    const parsed = parseArgs(args, { options: storeOptions, flags: ["json", "all"] }, false);
    try {
      const { ds, run, step, tasks } = await resolveTarget(parsed, io);
      const out: Record<string, { attempt: number; artifacts: Record<string, DumpedArtifact> }> = {};
      const damaged: string[] = [];
      for (const task of tasks) {
        const attempt = await ds.finishedAttempt(run, step, task);
        const pathspec = `${ds.flow}/${run}/${step}/${task}`;
        if (attempt === undefined) {
          if (tasks.length === 1) throw new NotFound(`${pathspec} has no finished attempt`);
          continue;
        }
        try {
          out[pathspec] = { attempt, artifacts: await taskArtifacts(ds, run, step, task, attempt, parsed.flags.has("all"), damaged) };
        } catch (error) {
          if (!isDamagedData(error)) throw error;
          damaged.push(`${pathspec}: ${error.message}; its logs can still be read (flowlens logs ${pathspec})`);
        }
      }
      if (parsed.flags.has("json")) io.stdout(stringifyExact(out, 2) + "\n");
      else printTable(out, io);
      for (const line of damaged) io.stderr(`flowlens dump: ${line}\n`);
      return damaged.length > 0 ? 1 : 0;
    } catch (error) {
      if (error instanceof NotFound) {
        io.stderr(`flowlens dump: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

/** One task's artifacts. Damaged previews are said in `damaged` and left out: names, types and sizes come from data.json. */
async function taskArtifacts(ds: FlowDatastore, run: string, step: string, task: string, attempt: number, all: boolean, damaged: string[]): Promise<Record<string, DumpedArtifact>> {
  const data = await ds.readDataJson(run, step, task, attempt);
  let previews: Record<string, ArtifactPreview> = {};
  try {
    previews = await ds.readPreviews(run, step, task, attempt, { exact: true });
  } catch (error) {
    if (!isDamagedData(error)) throw error;
    damaged.push(`${ds.flow}/${run}/${step}/${task}: ${error.message}; shown without previews (names, types and sizes come from data.json)`);
  }
  const artifacts: Record<string, DumpedArtifact> = {};
  for (const [name, sha] of Object.entries(data?.objects ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (name.startsWith("_") && !all) continue;
    const info = data?.info[name];
    const preview = previews[name] ?? (await ds.previewBySha(run, sha, { exact: true }));
    const a: DumpedArtifact = { sha, type: info?.type ?? preview?.type ?? "?", size: info?.size ?? preview?.size ?? 0, encoding: info?.encoding ?? "?" };
    if (preview?.repr !== undefined) a.repr = preview.repr;
    if (preview?.shape) a.shape = preview.shape;
    if (preview?.dtype) a.dtype = preview.dtype;
    if (preview && "json" in preview) a.value = preview.json;
    artifacts[name] = a;
  }
  return artifacts;
}

function printTable(out: Record<string, { attempt: number; artifacts: Record<string, DumpedArtifact> }>, io: CliIo): void {
  for (const [pathspec, { attempt, artifacts }] of Object.entries(out)) {
    io.stdout(`${pathspec} (attempt ${attempt})\n`);
    const rows = Object.entries(artifacts).map(([name, a]) => [name, shortType(a.type) + (a.shape ? ` ${JSON.stringify(a.shape)}` : ""), size(a.size), oneLine(a.repr ?? "")]);
    const w0 = Math.max(4, ...rows.map((r) => (r[0] ?? "").length));
    const w1 = Math.max(4, ...rows.map((r) => (r[1] ?? "").length));
    for (const [n, t, s, v] of rows) io.stdout(`  ${(n ?? "").padEnd(w0)}  ${(t ?? "").padEnd(w1)}  ${(s ?? "").padStart(8)}  ${v ?? ""}\n`);
    if (rows.length === 0) io.stdout("  (no artifacts)\n");
  }
}

function shortType(t: string): string {
  return /^<class '(.*)'>$/.exec(t)?.[1] ?? t;
}

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, " ");
  return flat.length > 80 ? flat.slice(0, 77) + "..." : flat;
}
