// `npm run fuzz [-- --edits N --seed S --dist]`: the bounded LSP fuzz (test/lsp/fuzzer.ts) against a
// real server over stdio, printed as a table. Exit 1 when the server crashed, answered with an
// internal error, logged a failure, accepted params of the wrong shape or its incremental analysis
// differed from a fresh one; 2 for a bad option.
import { clean, formatReport, runFuzz } from "./fuzzer";

const usage = "Usage: npm run fuzz -- [--edits N] [--seed S] [--dist]   (defaults: 100000 edits, seed 1; --dist: the built dist/server.js instead of the source)";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(value) || value < 1) {
    console.error(`fuzz: --${name} needs a positive whole number\n${usage}`);
    process.exit(2);
  }
  return value;
}

const known = new Set(["--edits", "--seed", "--dist"]);
const unknown = process.argv.slice(2).filter((a, i, all) => a.startsWith("--") && !known.has(a) && !(i > 0 && ["--edits", "--seed"].includes(all[i - 1] ?? "")));
if (unknown.length > 0 || process.argv.includes("--help")) {
  console.error(unknown.length > 0 ? `fuzz: unknown option ${unknown.join(" ")}\n${usage}` : usage);
  process.exit(unknown.length > 0 ? 2 : 0);
}

async function main(): Promise<void> {
  const report = await runFuzz({ edits: option("edits", 100000), seed: option("seed", 1), kind: process.argv.includes("--dist") ? "dist" : "source", progress: (m) => console.error(m) });
  console.log(formatReport(report));
  process.exitCode = clean(report) ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(`fuzz: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
