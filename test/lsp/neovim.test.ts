// A second real LSP client: Debian's Neovim (0.7) runs `flowlens lsp --stdio` (the built CLI)
// on a broken flow, exactly as docs/lsp.md tells Neovim users to, and must receive diagnostics.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { onPath, skipIfMissing } from "../support/missingTool";
import { repoRoot } from "./client";
import { brokenFlow, positionOf } from "./fixtures";

void it("Neovim receives Flowlens diagnostics and hovers over stdio", { timeout: 120000 }, async (t) => {
  if (skipIfMissing(t, "lsp", onPath("nvim") ? undefined : "Neovim (nvim) is not on PATH (run: npm run setup:e2e)")) return;
  assert.ok(existsSync(join(repoRoot, "dist", "cli.js")), "dist/cli.js is missing: run `npm run build` first");
  const dir = join(repoRoot, "test-output", "lsp", "nvim");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "broken_flow.py");
  const out = join(dir, "result.json");
  writeFileSync(file, brokenFlow);
  writeFileSync(out, "");
  const env = {
    ...process.env,
    FLOWLENS_FILE: file,
    FLOWLENS_OUT: out,
    FLOWLENS_CMD: JSON.stringify([process.execPath, join(repoRoot, "bin", "flowlens.js"), "lsp", "--stdio"]),
    FLOWLENS_HOVER_LINE: String(positionOf(brokenFlow, "def middle").line),
  };
  const nvim = spawn("nvim", ["--headless", "--clean", "-u", "NONE", "-c", `luafile ${join(__dirname, "nvim_diagnostics.lua")}`], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  nvim.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    nvim.once("error", reject);
    nvim.once("exit", resolve);
  });
  assert.equal(code, 0, stderr);
  const result = JSON.parse(readFileSync(out, "utf8")) as { arrived: boolean; diagnostics: { code: string; lnum: number; source: string }[]; hover: string };
  assert.equal(result.arrived, true, "no diagnostics arrived in Neovim");
  const fl008 = result.diagnostics.find((d) => d.code === "FL008");
  assert.ok(fl008, JSON.stringify(result.diagnostics));
  assert.equal(fl008.lnum, positionOf(brokenFlow, "def middle").line);
  assert.equal(fl008.source, "flowlens");
  assert.match(result.hover, /middle/);
});
