// Runs the test suites with Node's own test runner (TypeScript through tsx).
//   node test/run.mjs                 every suite
//   node test/run.mjs unit lsp        only these suites
// Suites are folders under test/: unit, lsp, runtime, remote, e2e. Each `*.test.ts` is a test file.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const allSuites = ["unit", "lsp", "runtime", "remote", "e2e"];
const asked = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const suites = asked.length > 0 ? asked : allSuites;
for (const s of suites) {
  if (!allSuites.includes(s)) {
    console.error(`test/run.mjs: unknown suite "${s}" (known: ${allSuites.join(", ")})`);
    process.exit(2);
  }
}

function collect(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const files = suites.flatMap((s) => collect(join(here, s)));
if (files.length === 0) {
  console.error(`test/run.mjs: no test files in ${suites.join(", ")}`);
  process.exit(1);
}
console.log(`test/run.mjs: ${files.length} test files in ${suites.join(", ")}`);
// The preview tests of data frames and images need a Python with pandas and Pillow;
// `npm run setup:e2e` (scripts/setup-e2e.sh) makes one here.
const pandasPython = join(here, "..", ".vscode-test", "pandas-venv", "bin", "python");
const extraEnv = !process.env.FLOWLENS_PANDAS_PYTHON && existsSync(pandasPython) ? { FLOWLENS_PANDAS_PYTHON: pandasPython } : {};
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", "--test-concurrency=2", ...files.map((f) => relative(process.cwd(), f))],
  // The AWS SDK's Node-version warning (see runtime/src/cli/main.ts) is noise in the tests' logs too.
  { stdio: "inherit", env: { ...process.env, FLOWLENS_TEST: "1", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...extraEnv } },
);
process.exit(result.status ?? 1);
