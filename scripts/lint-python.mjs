// Lints the repository's Python with Ruff's default rules (pyflakes and the pycodestyle errors:
// unused imports and variables, undefined names, syntax errors, ...). Ruff comes from npm as
// WebAssembly (@astral-sh/ruff-wasm-nodejs), so `npm ci` is all it needs; pyright type-checks the
// same code (pyrightconfig.json). Fixture flows are inputs of the tests (some broken on purpose)
// and are left out. Then the size limits (files ≤ 300 lines, functions ≤ 80), which Ruff has no
// rule for: scripts/python_sizes.py, run with python3. Prints `file:line:col: CODE message` per
// finding; exit 1 when there is any.
//   node scripts/lint-python.mjs            the whole repository
//   node scripts/lint-python.mjs FILE...    these files
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PositionEncoding, Workspace } from "@astral-sh/ruff-wasm-nodejs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const roots = ["runtime/python", "test", "examples"];
const skipped = new Set(["fixtures", "__pycache__", "node_modules"]);

function pythonFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!skipped.has(name) && !name.startsWith(".")) out.push(...pythonFiles(p));
    } else if (name.endsWith(".py")) out.push(p);
  }
  return out;
}

const asked = process.argv.slice(2);
const files = asked.length > 0 ? asked.map((f) => resolve(f)) : roots.flatMap((r) => pythonFiles(join(root, r)));
// Python 3.8 is the oldest interpreter the bundled Python side supports.
const workspace = new Workspace({ "target-version": "py38", lint: { select: ["E4", "E7", "E9", "F"] } }, PositionEncoding.Utf16);
let findings = 0;
for (const file of files) {
  /** @type {import("@astral-sh/ruff-wasm-nodejs").Diagnostic[]} */
  const diagnostics = workspace.check(readFileSync(file, "utf8"));
  for (const d of diagnostics) {
    // A module's __init__ imports names to re-export them, which is not an unused import.
    if (d.code === "F401" && file.endsWith("__init__.py")) continue;
    findings++;
    console.log(`${relative(process.cwd(), file)}:${d.start_location.row}:${d.start_location.column}: ${d.code ?? "syntax"} ${d.message}`);
  }
}
// Files let over the size limits until the work that owns them splits them: none today, and none to be added.
/** @type {string[]} */
const sizeAllowed = [];
const sizes = spawnSync("python3", [join(root, "scripts", "python_sizes.py"), ...sizeAllowed.flatMap((f) => ["--allow", relative(process.cwd(), join(root, f))]), ...files.map((f) => relative(process.cwd(), f))], { encoding: "utf8" });
if (sizes.error || (sizes.status !== 0 && sizes.status !== 1)) {
  console.log(`lint-python: the size check could not run (python3 scripts/python_sizes.py): ${sizes.error?.message ?? sizes.stderr.trim()}`);
  process.exit(1);
}
for (const line of sizes.stdout.split("\n").filter(Boolean)) {
  findings++;
  console.log(line);
}
if (findings > 0) {
  console.log(`lint-python: ${findings} finding${findings === 1 ? "" : "s"} in ${files.length} files`);
  process.exit(1);
}
console.log(`lint-python: ${files.length} files clean`);
