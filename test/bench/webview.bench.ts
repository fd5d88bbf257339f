// Benchmark of the graph panel: layout (elkjs in the worker) + SVG drawing of 10, 50, 200 and 500-step
// flows in headless Chromium on the panel's real page, cold and warm; a live update of a 50-step flow;
// and the VSIX's size when one was packaged. Prints figures; asserts nothing.
//   node --import tsx test/bench/webview.bench.ts        (after npm run build; npm run package for the size)
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { GraphMessage } from "../../server/src/protocol/webview";
import { missing, repoRoot } from "../e2e/support/environment";
import { WebviewPage } from "../e2e/support/webviewPage";
import { bigFlow } from "../unit/webview/sampleGraphs";
import { median } from "./stats";

function message(steps: number, version: number): GraphMessage {
  return {
    type: "graph",
    uri: `file:///bench/flow${steps}.py`,
    fileName: `flow${steps}.py`,
    version,
    flows: [bigFlow(steps)],
    broken: false,
    errorCount: 0,
    options: { showDecorators: true, nodeSpacing: 24 },
  };
}

async function main(): Promise<void> {
  const reason = missing({ chromium: true, dist: ["dist/webview.js", "dist/layoutWorker.js"] });
  if (reason) {
    console.log(`webview bench: skipped: ${reason}`);
  } else {
    const view = await WebviewPage.open({ width: 1200, height: 900 });
    try {
      const first = await view.send(message(10, 0));
      console.log(`webview bench: first drawing (worker start + elkjs warm-up), 10 steps: ${first?.ms} ms`);
      for (const steps of [10, 50, 200, 500]) {
        const times: number[] = [];
        const wall: number[] = [];
        for (let i = 1; i <= 5; i++) {
          const r = await view.send(message(steps, i));
          wall.push(await view.lastLatency());
          times.push(r?.ms ?? Number.NaN);
        }
        const nodes = await view.page.$$eval("#graph .node", (els) => els.length);
        console.log(
          `webview bench: ${String(steps).padStart(3)} steps (${nodes} nodes drawn): layout+render median ${median(times)} ms (min ${Math.min(...times)}, max ${Math.max(...times)}); message received→rendered posted ${Math.round(median(wall))} ms`,
        );
      }
    } finally {
      await view.close();
    }
  }

  const vsix = join(repoRoot, "flowlens.vsix");
  if (existsSync(vsix)) {
    const mb = statSync(vsix).size / (1024 * 1024);
    console.log(`vsix: ${vsix} is ${mb.toFixed(2)} MB (target ≤ 10 MB)`);
  } else {
    console.log("vsix: not packaged (run npm run package to measure its size)");
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
