// Bundles the extension-host integration tests (test/e2e/extension-tests/index.ts) into one CommonJS
// file that both code-server's extension host and @vscode/test-electron load as extensionTestsPath.
import { join } from "node:path";
import * as esbuild from "esbuild";
import { repoRoot } from "./environment";

export async function bundleExtensionTests(): Promise<string> {
  const outfile = join(repoRoot, "out", "e2e-tests", "index.js");
  await esbuild.build({
    entryPoints: [join(repoRoot, "test", "e2e", "extension-tests", "index.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["vscode"],
    outfile,
    logLevel: "warning",
  });
  return outfile;
}
