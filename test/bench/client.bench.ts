// Client API figures: a temp datastore with 1,000 runs of one flow (written exactly as
// runtime/README.md lays them out, by the pytest suite's builder), then, in fresh python3
// processes: the import, listing every run through Flow(...), and loading one small artifact
// of the latest run (Flow(...).latest_run.data.x, which finds the latest run first).
// Targets: listing <= 0.5 s, artifact <= 50 ms after import. Figures are printed, not asserted.
// Run: node --import tsx test/bench/client.bench.ts [--runs 1000] [--repeat 5]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./stats";

const repoRoot = join(import.meta.dirname, "..", "..");
const pythonRoot = join(repoRoot, "runtime", "python");
const builderDir = join(repoRoot, "test", "runtime", "python-client");

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function python(code: string, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync("python3", ["-c", code], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: [pythonRoot, builderDir].join(":"), METAFLOW_USER: "bench", ...env },
  });
  if (result.status !== 0) throw new Error(`client.bench.ts: python3 failed (exit ${String(result.status)}):\n${result.stderr}`);
  return result.stdout;
}


function generateRuns(root: string, runs: number): number {
  const t0 = performance.now();
  python(
    `
import sys, time
from datastore_builder import DatastoreBuilder, LocalWriter
root, n = ${JSON.stringify(root)}, ${runs}
b = DatastoreBuilder(LocalWriter(root), "BenchFlow")
shared = {}
for i in range(1, n + 1):
    rid = str(i)
    started = b.tick()
    b.record(rid, status="running", user="bench", started_at=started)
    for step, tid, arts in (("start", "1", {"x": 1, "big": list(range(100))}), ("end", "2", {"x": 1, "big": list(range(100)), "msg": "run %d" % i})):
        blobs = {k: shared[k] for k in arts if k in shared and k != "msg"}
        objs = b.attempt(rid, step, tid, arts, blobs=blobs)
        shared.update({k: (objs[k], 0) for k in ("x", "big") if k in objs})
    b.record(rid, status="succeeded", user="bench", started_at=started)
`,
  );
  return performance.now() - t0;
}

interface Figures {
  importMs: number;
  listMs: number;
  count: number;
  artifactMs: number;
  value: string;
  warmArtifactMs: number;
}

const measure = `
import json, time
t0 = time.perf_counter()
import flowlens.client as c
t1 = time.perf_counter()
runs = list(c.Flow("BenchFlow"))
t2 = time.perf_counter()
value = c.Flow("BenchFlow").latest_run.data.msg
t3 = time.perf_counter()
c.Flow("BenchFlow").latest_run.data.msg
t4 = time.perf_counter()
print(json.dumps({"importMs": (t1 - t0) * 1e3, "listMs": (t2 - t1) * 1e3, "count": len(runs),
                  "artifactMs": (t3 - t2) * 1e3, "value": value, "warmArtifactMs": (t4 - t3) * 1e3}))
`;

const runs = option("runs", 1000);
const repeat = option("repeat", 5);
const root = mkdtempSync(join(tmpdir(), "flowlens-client-bench-"));
try {
  const genMs = generateRuns(join(root, "ds"), runs);
  console.log(`client: generated ${runs} runs in ${root} in ${(genMs / 1000).toFixed(1)} s`);
  const all: Figures[] = [];
  for (let i = 0; i < repeat; i++) {
    // Bytecode is cached (outside the repository), as in an installed extension: the first
    // process compiles the client, the others load it.
    const env = { FLOWLENS_DATASTORE_ROOT: join(root, "ds"), PYTHONDONTWRITEBYTECODE: "", PYTHONPYCACHEPREFIX: join(root, "pycache") };
    all.push(JSON.parse(python(measure, env)) as Figures);
  }
  const first = all[0];
  if (first === undefined || first.count !== runs || first.value !== `run ${runs}`) {
    throw new Error(`client.bench.ts: expected ${runs} runs and "run ${runs}", got ${JSON.stringify(first)}`);
  }
  const fmt = (pick: (f: Figures) => number): string =>
    `median ${median(all.map(pick)).toFixed(1)} ms, min ${Math.min(...all.map(pick)).toFixed(1)} ms, max ${Math.max(...all.map(pick)).toFixed(1)} ms`;
  console.log(`client: import flowlens.client: ${fmt((f) => f.importMs)} (${repeat} fresh processes)`);
  console.log(`client: list ${runs} runs, list(Flow(...)): ${fmt((f) => f.listMs)} (target <= 500 ms)`);
  console.log(`client: Flow(...).latest_run.data.msg, first call after import: ${fmt((f) => f.artifactMs)} (target <= 50 ms)`);
  console.log(`client: the same, second call in the process: ${fmt((f) => f.warmArtifactMs)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
