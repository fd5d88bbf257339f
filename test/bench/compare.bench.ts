// Benchmark of comparing two runs with 1,000 artifacts each (4 steps of 250, half of them changed,
// each with a stored preview, and a code package of 50 files): the comparison as the editor makes
// it (in process: read both runs, compare hashes, diff the code) and `flowlens compare --json` as a
// process (after npm run build). Prints figures; asserts nothing. Target: under 1 s.
//   node --import tsx test/bench/compare.bench.ts
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { storeCodePackage } from "../../runtime/src/datastore/codePackage";
import { FlowDatastore } from "../../runtime/src/datastore/layout";
import { LocalObjectStore } from "../../runtime/src/datastore/local";
import { tarGz } from "../../runtime/src/datastore/tar";
import { compareTwoRuns } from "../../runtime/src/compare";
import { repo } from "../runtime/cli";
import { median } from "./stats";

const steps = ["start", "a", "b", "end"];
const perStep = 250;

async function writeRun(ds: FlowDatastore, run: string, variant: number): Promise<void> {
  const files = Array.from({ length: 50 }, (_, i) => ({ path: `pkg/mod${i}.py`, body: Buffer.from(`# module ${i}\n${"x = 1\n".repeat(100)}${i === 7 ? `v = ${variant}\n` : ""}`) }));
  const archive = tarGz(files);
  const { createHash } = await import("node:crypto");
  const code = await storeCodePackage(ds.store, ds.flow, archive, createHash("sha1").update(archive).digest("hex"));
  let t = 1_700_000_000 + variant * 1000;
  for (const step of ["_parameters", ...steps]) {
    const objects: Record<string, string> = {};
    const info: Record<string, { size: number; type: string; encoding: string }> = {};
    const previews: Record<string, { type: string; size: number; repr: string; json: unknown }> = {};
    const count = step === "_parameters" ? 3 : perStep;
    for (let i = 0; i < count; i++) {
      const name = step === "_parameters" ? `p${i}` : `${step}_v${i}`;
      const value = { i, step, changed: i % 2 === 0 ? variant : 0 };
      const bytes = Buffer.from(JSON.stringify(value));
      objects[name] = await ds.writeBlob(bytes, false);
      info[name] = { size: bytes.length, type: "<class 'dict'>", encoding: "gzip+pickle-v4" };
      previews[name] = { type: "dict", size: bytes.length, repr: JSON.stringify(value), json: value };
    }
    const prefix = ds.taskPrefix(run, step, step === "_parameters" ? "0" : String(steps.indexOf(step) + 1));
    await ds.store.put(`${prefix}0.attempt.json`, JSON.stringify({ time: (t += 1) }));
    await ds.store.put(`${prefix}0.data.json`, JSON.stringify({ datastore: "local", version: "1.0", attempt: 0, objects, info }));
    await ds.store.put(`${prefix}0.previews.json`, JSON.stringify(previews));
    await ds.store.put(`${prefix}0.DONE.lock`, JSON.stringify({ time: (t += 2) }));
  }
  await ds.writeRunRecord({ flow: ds.flow, run_id: run, file: "/w/flow.py", started_at: t - 100, finished_at: t, status: "succeeded", parameters: { p0: 0 }, mode: "run", code_package: { sha: code.sha, key: code.key }, python: { executable: "python3", version: "3.11", packages: {} }, user: "bench", tags: [`v${variant}`] });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), "flowlens-compare-bench-"));
  try {
    const ds = new FlowDatastore(new LocalObjectStore(join(dir, ".metaflow")), "BigFlow");
    await writeRun(ds, "1", 1);
    await writeRun(ds, "2", 2);
    const inProcess: number[] = [];
    let artifacts = 0;
    for (let i = 0; i < 7; i++) {
      const fresh = new FlowDatastore(new LocalObjectStore(join(dir, ".metaflow")), "BigFlow");
      const t0 = performance.now();
      const c = await compareTwoRuns(fresh, "1", "2");
      inProcess.push(performance.now() - t0);
      artifacts = c.steps.reduce((n, s) => n + s.artifacts.length, 0);
    }
    const cli: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [join(repo, "dist/cli.js"), "compare", "BigFlow/1", "BigFlow/2", "--json"], { cwd: dir, encoding: "utf8" });
      cli.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`flowlens compare failed: ${r.stderr}`);
    }
    console.log(`compare: load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores (wall-clock on a shared machine)`);
    console.log(`compare: two runs of ${artifacts} artifacts each in ${steps.length} steps, 50-file code packages`);
    console.log(`compare: in process (read both runs, compare, diff code): median ${median(inProcess).toFixed(0)} ms (n=${inProcess.length}); target < 1000 ms`);
    console.log(`compare: flowlens compare --json as a process: median ${median(cli).toFixed(0)} ms (n=${cli.length}), node start included`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
