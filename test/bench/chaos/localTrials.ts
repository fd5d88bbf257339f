// kill -9 and corruption trials on a local datastore, with the fragile fixture flow (a foreach of
// `count` tasks, a join, an end whose `total` is the sum of squares).
import { cpSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { artifact, datastore, finished, flowlens, runIdOf, start, workspace } from "../../runtime/cli";
import { damagedTasks, judgeCommand, localStore, outcome, type Outcome } from "./outcome";
import { clientReads } from "./pythonClient";

export const fixture = "test/runtime/fixtures/fragile/flow.py";
const flow = "FragileFlow";
const count = 3;
const total = 0 + 1 + 4;

/** Runs the flow and kills it with SIGKILL at its `at`-th event; then resume must finish it with the right total. */
export async function killTrial(at: number): Promise<Outcome> {
  const o = outcome("kill", `kill -9 at event ${at}`);
  const { dir, files } = workspace(fixture);
  const file = files[0] ?? "";
  const running = start(["run", file, "--json", "--count", String(count)], dir, { FRAGILE_SLEEP: "0.05" });
  let seen = 0;
  running.onEvent(() => {
    if (++seen === at) running.child.kill("SIGKILL");
  });
  const first = await running.done;
  const ds = datastore(dir, flow);
  const run = first.events.find((e) => e.type === "run-started");
  if (first.code === null && run?.type === "run-started") {
    const record = await ds.readRunRecord(run.runId);
    if (record && (await ds.runState(run.runId, record)).state === "running") {
      o.leftRunning++;
      o.notes.push(`killed run ${run.runId} still reads as running`);
    }
  } else judgeCommand(o, "run", first, true);
  const again = await flowlens(["resume", file, "--json"], dir);
  judgeCommand(o, "resume", again, true);
  if (finished(again.events)?.status === "succeeded") await checkSucceeded(o, dir, runIdOf(again.events));
  else if (first.events.length > 0) o.notes.push(`resume did not succeed: ${again.stderr.slice(0, 200)}`);
  return o;
}

async function checkSucceeded(o: Outcome, dir: string, run: string): Promise<void> {
  const damaged = await damagedTasks(localStore(dir), flow, run);
  const got = await artifact(datastore(dir, flow), run, "end", "total").catch((e: unknown) => `unreadable: ${String(e)}`);
  if (damaged.length > 0 || got !== total) {
    o.damagedAsSucceeded++;
    o.notes.push(`run ${run} succeeded with ${damaged.length > 0 ? damaged.join("; ") : `total ${JSON.stringify(got)}`}`);
  }
}

/** A clean run to copy for corruption trials (one per chaos session). */
export async function cleanTemplate(): Promise<string> {
  const { dir, files } = workspace(fixture);
  const r = await flowlens(["run", files[0] ?? "", "--json", "--count", String(count)], dir);
  if (r.code !== 0) throw new Error(`the clean run failed: ${r.stderr}`);
  return dir;
}

const damages = ["flip", "truncate", "empty"] as const;

function filesOf(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/(\/data\/[0-9a-f]{2}\/[0-9a-f]{40}$|\.data\.json$|\.previews\.json$|\.DONE\.lock$|\.attempt\.json$|run\.json$|\/tasks\/[^/]+\.json$)/.test(p)) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

/** Damages one file of a copy of the clean run (`pick` and `how` choose which and how), then dump, resume and the Python client. */
export async function corruptTrial(template: string, pick: number, how: number, where: number): Promise<Outcome> {
  const { dir, files } = workspace(fixture);
  cpSync(join(template, ".metaflow"), join(dir, ".metaflow"), { recursive: true });
  const candidates = filesOf(join(dir, ".metaflow", flow));
  const victim = candidates[Math.floor(pick * candidates.length)] ?? "";
  const damage = damages[Math.floor(how * damages.length)] ?? "flip";
  const size = statSync(victim).size;
  if (damage === "empty") writeFileSync(victim, "");
  else if (damage === "truncate") truncateSync(victim, Math.floor(where * size));
  else if (size > 0) {
    const bytes = readFileSync(victim);
    const at = Math.floor(where * size);
    bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(where * 8));
    writeFileSync(victim, bytes);
  }
  const o = outcome("corrupt", `${damage} ${relative(dir, victim)}`);
  const file = files[0] ?? "";
  for (const step of ["start", "work", "join", "end"]) judgeCommand(o, `dump ${step}`, await flowlens(["dump", `${flow}/1/${step}`, "--json"], dir), false);
  judgeCommand(o, "logs", await flowlens(["logs", `${flow}/1/work`], dir), false);
  const again = await flowlens(["resume", file, "--json"], dir);
  judgeCommand(o, "resume", again, true);
  if (finished(again.events)?.status === "succeeded") await checkSucceeded(o, dir, runIdOf(again.events));
  const client = clientReads(dir, flow, "1");
  if (client.raw.length > 0) {
    o.stackTraces++;
    o.notes.push(`Python client: ${client.raw.join("; ")}`);
  }
  return o;
}
