// The built `flowlens check` / `flowlens show` as whole processes (bin/flowlens.js -> dist/cli.js
// -> dist/cli-analysis.js through the code cache): same output and exit codes with a cold, warm
// or unusable cache, and all output written before the process ends early (runtime/src/cli/main.ts).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const root = join(__dirname, "..", "..", "..");
const cli = join(root, "bin", "flowlens.js");
assert.ok(existsSync(join(root, "dist", "cli-analysis.js")), "dist/cli-analysis.js is missing: run `npm run build` first");

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new, empty folder to use as XDG_CACHE_HOME. */
function cacheHome(): string {
  const dir = mkdtempSync(join(tmpdir(), "flowlens-xdg-"));
  made.push(dir);
  return dir;
}

function flowlens(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, FLOWLENS_TIMING: "", ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

void test("check gives the same output with a cold and a warm code cache, and the warm run uses the cache", () => {
  const home = cacheHome();
  const env = { XDG_CACHE_HOME: home, FLOWLENS_TIMING: "1" };
  const file = "test/fixtures/fl010-unknown-target/flow.py";
  const cold = flowlens(["check", file], env);
  assert.equal(cold.status, 1);
  assert.match(cold.stdout, /flow\.py:6:24: error FL010 /);
  assert.match(cold.stderr, /cli-analysis\.js compiled \(code cache miss\)/);
  assert.equal(readdirSync(join(home, "flowlens", "code-cache")).filter((f) => f.startsWith("cli-analysis.js-")).length, 1);
  const warm = flowlens(["check", file], env);
  assert.equal(warm.status, 1);
  assert.equal(warm.stdout, cold.stdout);
  assert.match(warm.stderr, /cli-analysis\.js compiled \(code cache hit\)/);
});

void test("check works when the cache folder cannot be made, and with the cache turned off", () => {
  const dir = cacheHome();
  writeFileSync(join(dir, "flowlens"), "a file where the cache folder would go");
  const blocked = flowlens(["check", "examples/hello/flow.py"], { XDG_CACHE_HOME: dir });
  assert.equal(blocked.status, 0, blocked.stderr);
  assert.equal(blocked.stdout, "1 file, 1 flow: 0 errors, 0 warnings\n");
  assert.equal(blocked.stderr, "");
  const off = flowlens(["check", "examples/hello/flow.py"], { FLOWLENS_CODE_CACHE: "0", XDG_CACHE_HOME: dir });
  assert.equal(off.status, 0, off.stderr);
  assert.equal(off.stdout, blocked.stdout);
});

void test("a long --json report through a pipe is complete when the process exits", () => {
  const fixtures = readdirSync(join(root, "test", "fixtures")).map((d) => join("test", "fixtures", d, "flow.py")).filter((f) => existsSync(join(root, f)));
  // Each file many times over: a report far larger than a pipe's buffer (64 KiB on Linux).
  const files = Array.from({ length: 12 }, () => fixtures).flat();
  const r = flowlens(["check", "--json", ...files], { XDG_CACHE_HOME: cacheHome() });
  assert.equal(r.status, 1);
  assert.ok(r.stdout.length > 128 * 1024, `report only ${r.stdout.length} bytes`);
  const report = JSON.parse(r.stdout) as { files: { file: string }[] };
  assert.equal(report.files.length, files.length);
});

void test("show prints the steps and exits 0; errors in arguments still exit 2 with usage", () => {
  const env = { XDG_CACHE_HOME: cacheHome() };
  const shown = flowlens(["show", "examples/hello/flow.py"], env);
  assert.equal(shown.status, 0, shown.stderr);
  assert.match(shown.stdout, /^HelloFlow$/m);
  assert.match(shown.stdout, /^Step shout \(linear\)$/m);
  const usage = flowlens(["check", "--bogus", "examples/hello/flow.py"], env);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /unknown option --bogus/);
});

void test("a reader that stops early (`| head`) ends check quietly with status 141, not an EPIPE stack trace", async () => {
  const { spawn } = await import("node:child_process");
  const fixtures = readdirSync(join(root, "test", "fixtures")).map((f) => join("test", "fixtures", f, "flow.py"));
  // Enough output to fill the pipe several times over, so writes are still pending when it closes.
  const files = Array.from({ length: 20 }, () => fixtures).flat();
  const child = spawn(process.execPath, [cli, "check", ...files], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout.once("data", () => child.stdout.destroy());
  const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  assert.equal(stderr, "");
  assert.equal(status, 141);
});
