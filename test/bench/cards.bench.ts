// Benchmark of opening a big card: 10,000 table rows and a 5 MB image. Two parts, as a card tab
// opens: the extension host reads the page from the datastore and takes its data out
// (runtime/src/datastore/cardPage.ts), then the card panel's real page (client/src/cards/cardHtml.ts
// + dist/cardPanel.js) draws it in headless Chromium until the browser has laid it out. Also the
// same card as a standalone page (the renderer inlined in the file) opened from disk. Prints
// figures; asserts nothing. Target: under 1 s from open to drawn.
//   node --import tsx test/bench/cards.bench.ts        (after npm run build)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { cardHtmlText } from "../../client/src/cards/cardHtml";
import { readCardPage } from "../../runtime/src/datastore/cardPage";
import { listTaskCards, readCardHtml } from "../../runtime/src/datastore/cards";
import { LocalObjectStore } from "../../runtime/src/datastore/local";
import type { HostToCardPanel } from "../../server/src/protocol/cards";
import { chromiumArgs, chromiumPath, missing, repoRoot } from "../e2e/support/environment";
import { flowlensCardPage, pngDataUri, writeCardFile, type TaskSpot } from "../support/cardPages";
import { median } from "./stats";

interface PageGlobals {
  __posted: { type: string; ms?: number; components?: number }[];
  __postedAt: number[];
  __sentAt: number;
  postMessage(message: unknown, targetOrigin: string): void;
}

function bigImage(): string {
  // Noise does not compress: 1,300 × 1,300 RGB pixels make a PNG of about 5 MB.
  let seed = 12345;
  const next = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) >>> 16) & 0xff;
  return pngDataUri(1300, 1300, () => [next(), next(), next()]);
}

function components(image: string): Record<string, unknown>[] {
  return [
    { type: "title", text: "Big card" },
    { type: "markdown", source: "10,000 rows and a 5 MB image." },
    { type: "table", columns: ["row", "name", "score", "group"], data: Array.from({ length: 10_000 }, (_, i) => [i, `item ${i}`, Math.round(Math.sin(i) * 1e6) / 1e6, `g${i % 17}`]) },
    { type: "image", src: image, label: "noise" },
  ] as Record<string, unknown>[];
}

/** Extension host: list the task's cards, read the page, take the data out (five times; the median is printed). */
async function hostRead(store: LocalObjectStore, t: TaskSpot): Promise<{ message: HostToCardPanel; hostMs: number }> {
  const hostTimes: number[] = [];
  let message: HostToCardPanel | undefined;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const [card] = await listTaskCards(store, t);
    const html = (await readCardHtml(store, card as never)) ?? "";
    const page = readCardPage(html);
    if (page.kind !== "components") throw new Error(`the big card did not parse: ${page.kind}`);
    message = { type: "card", doc: page.doc, source: page.source, list: [] };
    hostTimes.push(performance.now() - t0);
  }
  console.log(`cards bench: host read + data extraction: median ${median(hostTimes).toFixed(0)} ms (${hostTimes.map((x) => x.toFixed(0)).join(", ")})`);
  if (!message) throw new Error("the big card was not read");
  return { message, hostMs: median(hostTimes) };
}

async function main(): Promise<void> {
  const reason = missing({ chromium: true, dist: ["dist/cardPanel.js", "dist/media/cardPanel.css", "dist/python/flowlens/cards/assets/card-renderer.js"] });
  if (reason) {
    console.log(`cards bench: skipped: ${reason}`);
    return;
  }
  const root = mkdtempSync(join(tmpdir(), "flowlens-cards-bench-"));
  try {
    const t: TaskSpot = { root, flow: "BigCardFlow", run: "1", step: "start", task: "1" };
    const image = bigImage();
    const assets = { js: readFileSync(join(repoRoot, "dist/python/flowlens/cards/assets/card-renderer.js"), "utf8"), css: readFileSync(join(repoRoot, "dist/python/flowlens/cards/assets/card-renderer.css"), "utf8") };
    const path = writeCardFile(t, "default-b16ca4d0.html", flowlensCardPage({ pathspec: "BigCardFlow/1/start/1", final: true, components: components(image) as never, assets }));
    const size = readFileSync(path).length;
    console.log(`cards bench: page ${(size / 1e6).toFixed(1)} MB (image ${((image.length * 3) / 4 / 1e6).toFixed(1)} MB as PNG), 10,000 table rows`);

    const { message, hostMs } = await hostRead(new LocalObjectStore(root), t);
    const json = JSON.stringify(message);
    const server = createServer((req, res) => {
      const url = (req.url ?? "/").split("?")[0] ?? "/";
      if (url === "/") {
        const prelude = "window.__posted=[];window.__postedAt=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>{window.__posted.push(m);window.__postedAt.push(performance.now())}});";
        res.writeHead(200, { "content-type": "text/html" }).end(cardHtmlText({ nonce: "benchnonce", cspSource: `http://${req.headers.host ?? ""}`, scriptUri: "/dist/cardPanel.js", cssUri: "/dist/media/cardPanel.css", preludeScript: prelude }));
      } else if (url === "/dist/cardPanel.js" || url === "/dist/media/cardPanel.css") {
        res.writeHead(200, { "content-type": url.endsWith(".js") ? "text/javascript" : "text/css" }).end(readFileSync(join(repoRoot, url)));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    try {
      const panelTimes: number[] = [];
      const imageTimes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
        await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__posted.some((m) => m.type === "ready"));
        // The message crosses as a structured clone in a real webview; here it is parsed in the page, inside the timing.
        await page.evaluate((text: string) => {
          const g = globalThis as unknown as PageGlobals;
          g.__sentAt = performance.now();
          g.postMessage(JSON.parse(text), "*");
        }, json);
        await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__posted.some((m) => m.type === "rendered"));
        const ms = await page.evaluate(() => {
          const g = globalThis as unknown as PageGlobals;
          const at = g.__posted.findIndex((m) => m.type === "rendered");
          return (g.__postedAt[at] ?? Number.NaN) - g.__sentAt;
        });
        panelTimes.push(ms);
        // The image sits below the table's first page and loads lazily: the reader scrolls to it.
        const t1 = Date.now();
        await page.locator(".c-image img").scrollIntoViewIfNeeded();
        await page.waitForFunction(() => ((globalThis as unknown as { document: { querySelector(s: string): { naturalWidth: number } | null } }).document.querySelector(".c-image img")?.naturalWidth ?? 0) > 0);
        imageTimes.push(Date.now() - t1);
        await page.close();
      }
      console.log(`cards bench: card tab, message → drawn and laid out: median ${median(panelTimes).toFixed(0)} ms (${panelTimes.map((x) => x.toFixed(0)).join(", ")})`);
      console.log(`cards bench: card tab, scrolled to the 5 MB image → decoded and shown: median ${median(imageTimes).toFixed(0)} ms (${imageTimes.join(", ")})`);
      console.log(`cards bench: open → drawn (host + tab medians): ${(hostMs + median(panelTimes)).toFixed(0)} ms (target < 1000 ms)`);

      const standalone: number[] = [];
      const tableAt: number[] = [];
      for (let i = 0; i < 3; i++) {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const t0 = Date.now();
        await page.goto(pathToFileURL(path).href, { waitUntil: "commit" });
        await page.locator(".c-table tbody tr").first().waitFor({ state: "attached" });
        tableAt.push(Date.now() - t0);
        // The image loads lazily (it sits below 10,000 rows): scroll to it, as a reader would.
        await page.locator(".c-image img").scrollIntoViewIfNeeded();
        await page.waitForFunction(() => ((globalThis as unknown as { document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null } }).document.querySelector(".c-image img")?.naturalWidth ?? 0) > 0);
        standalone.push(Date.now() - t0);
        await page.close();
      }
      console.log(`cards bench: standalone page from disk, navigation → table drawn: median ${median(tableAt).toFixed(0)} ms (${tableAt.join(", ")}); then scrolled to the image and it decoded: median ${median(standalone).toFixed(0)} ms (${standalone.join(", ")})`);
    } finally {
      await browser.close();
      server.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
