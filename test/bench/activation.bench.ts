// Benchmark: the cost of loading the extension's bundle (dist/client.js), which VS Code pays before
// calling activate(). `vscode` is replaced by a stand-in whose every member is an empty class
// (vscode-languageclient extends some API classes while loading).
// The activate() body itself is measured inside a real VS Code by the e2e suite (test/e2e/extension.test.ts).
//   node --import tsx test/bench/activation.bench.ts
import { existsSync, statSync } from "node:fs";
import Module from "node:module";
import { join } from "node:path";
import { repoRoot } from "../e2e/support/environment";

const bundle = join(repoRoot, "dist", "client.js");
if (!existsSync(bundle)) {
  console.log(`activation bench: skipped: ${bundle} is missing (run: npm run build)`);
} else {
  const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const original = loader._load.bind(loader);
  const standIn = new Proxy({}, { get: () => class {} });
  loader._load = (request, parent, isMain) => (request === "vscode" ? standIn : original(request, parent, isMain));
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ext = require(bundle) as { activate?: unknown };
  const ms = performance.now() - t0;
  loader._load = original;
  console.log(`activation bench: loading dist/client.js (${(statSync(bundle).size / 1024).toFixed(0)} KB) took ${ms.toFixed(1)} ms; exports activate: ${typeof ext.activate === "function"}`);
}
