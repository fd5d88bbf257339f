// A webview's real page outside VS Code: its HTML at `/`, stand-ins for the theme's CSS variables
// at `/theme.css`, the bundles under `/dist/`, served from a local HTTP server and opened in
// headless Chromium. Shared by the graph page (webviewPage.ts) and the timeline page
// (timelinePage.ts); the page's prelude script records what it posts in `window.__posted`.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { chromiumArgs, chromiumPath, repoRoot } from "./environment";
import { darkThemeCss, themeCss } from "./themeCss";

const types: Record<string, string> = { ".js": "text/javascript", ".css": "text/css", ".html": "text/html" };

export interface ServedPage {
  server: Server;
  browser: Browser;
  page: Page;
}

/**
 * Serves the page whose HTML `html(origin)` makes (it links /theme.css after its own styles), opens
 * it and resolves once the page has posted its `ready` message.
 */
export async function servePage(html: (origin: string) => string, size: { width: number; height: number }, theme: "light" | "dark"): Promise<ServedPage> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? "/").split("?")[0]!));
    if (path === "/") {
      const page = html(`http://${req.headers.host ?? "127.0.0.1"}`).replace("</head>", `<link rel="stylesheet" href="/theme.css"></head>`);
      res.writeHead(200, { "content-type": "text/html" }).end(page);
      return;
    }
    if (path === "/theme.css") {
      res.writeHead(200, { "content-type": "text/css" }).end(theme === "dark" ? darkThemeCss : themeCss);
      return;
    }
    if (!path.startsWith("/dist/")) {
      res.writeHead(404).end();
      return;
    }
    readFile(join(repoRoot, path)).then(
      (body) => res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const page = await browser.newPage({ viewport: size });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === "ready"));
  return { server, browser, page };
}

export async function closeServedPage(served: ServedPage): Promise<void> {
  await served.browser.close();
  await new Promise<void>((resolve) => served.server.close(() => resolve()));
}
