// Runs every test/bench/*.bench.ts with `node --import tsx` and prints their figures.
//   node test/bench/run.mjs            every benchmark
//   node test/bench/run.mjs analysis   only benchmarks whose file name contains "analysis"
// Benchmarks print figures; they never fail on time. Exit code 1 if a benchmark crashed.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error("test/bench/run.mjs: no benchmark matched");
  process.exit(1);
}
let failed = 0;
for (const f of files) {
  const path = join(here, f);
  console.log(`\n== ${relative(process.cwd(), path)}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", path], { stdio: "inherit" });
  console.log(`== ${f}: ${r.status === 0 ? "done" : `FAILED (exit ${r.status ?? r.signal})`} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
