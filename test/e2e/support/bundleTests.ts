// Bundles extension-host test cases (test/e2e/extension-tests/index.ts, test/e2e/runs-tests/index.ts)
// into one CommonJS file each, which code-server's extension host (and @vscode/test-electron) load
// as extensionTestsPath.
import { join } from "node:path";
import * as esbuild from "esbuild";
import { repoRoot } from "./environment";

/** `folder`: the cases' folder under test/e2e; `out`: the bundle's folder under out/. */
export async function bundleTestCases(folder: string, out: string): Promise<string> {
  const outfile = join(repoRoot, "out", out, "index.js");
  await esbuild.build({
    entryPoints: [join(repoRoot, "test", "e2e", folder, "index.ts")],
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

export function bundleExtensionTests(): Promise<string> {
  return bundleTestCases("extension-tests", "e2e-tests");
}
