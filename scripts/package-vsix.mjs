// Packages the VSIX from the bundles already in dist/ (build first): `npm run package` and the
// UI tests both call this, so the tests install exactly what users get.
//   node scripts/package-vsix.mjs [OUT.vsix]      default: flowlens.vsix
// The VSIX's README is client/MARKETPLACE.md: the repository README links to files in the
// repository, which do not travel with the extension.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? join(root, "flowlens.vsix"));
const vsce = join(root, "node_modules", "@vscode", "vsce", "vsce");
const args = ["package", "--no-dependencies", "--allow-missing-repository", "--skip-license", "--readme-path", "client/MARKETPLACE.md", "--out", out];
const result = spawnSync(process.execPath, [vsce, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
if (result.status !== 0 || !existsSync(out)) {
  process.stderr.write(`package-vsix: vsce ${args.join(" ")} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}\n`);
  process.exit(1);
}
process.stdout.write(`package-vsix: ${out}\n`);
