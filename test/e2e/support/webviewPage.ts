// The graph panel's real page (client/src/graphHtmlTemplate.ts + dist/webview.js + the layout
// worker) served from a local HTTP server and opened in headless Chromium, with a stand-in for
// acquireVsCodeApi that records what the page posts. Used by the webview tests and benchmark.
import { createServer } from "node:http";
import type { Server } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { graphHtmlText } from "../../../client/src/graphHtmlTemplate";
import type { HostToWebview, WebviewToHost } from "../../../server/src/protocol/webview";
import { chromiumArgs, chromiumPath, repoRoot } from "./environment";

const types: Record<string, string> = { ".js": "text/javascript", ".css": "text/css", ".html": "text/html" };

/** Light-theme stand-ins for the CSS variables VS Code sets in a real webview. */
export const themeCss = `:root{--vscode-editor-background:#ffffff;--vscode-foreground:#333;--vscode-editor-foreground:#222;
--vscode-editorWidget-background:#f3f3f3;--vscode-editorWidget-border:#c8c8c8;--vscode-editorLineNumber-foreground:#888;
--vscode-charts-green:#388a34;--vscode-charts-red:#e51400;--vscode-charts-blue:#1a85ff;--vscode-charts-purple:#652d90;
--vscode-charts-orange:#d18616;--vscode-badge-background:#c4c4c4;--vscode-badge-foreground:#333;--vscode-editorError-foreground:#e51400;
--vscode-editorWarning-foreground:#bf8803;--vscode-focusBorder:#0090f1;--vscode-font-family:sans-serif;--vscode-font-size:13px;
--vscode-editor-font-family:monospace;--vscode-inputValidation-errorBackground:#f2dede;--vscode-inputValidation-warningBackground:#f6f5d2;}`;

// Records each posted message and when (page clock), so latencies are measured inside the page.
/** Dark-theme stand-ins: the same variables with a dark palette. */
export const darkThemeCss = themeCss
  .replace("--vscode-editor-background:#ffffff", "--vscode-editor-background:#1f1f1f")
  .replace("--vscode-foreground:#333", "--vscode-foreground:#cccccc")
  .replace("--vscode-editor-foreground:#222", "--vscode-editor-foreground:#d4d4d4")
  .replace("--vscode-editorWidget-background:#f3f3f3", "--vscode-editorWidget-background:#2b2b2b")
  .replace("--vscode-badge-background:#c4c4c4", "--vscode-badge-background:#616161")
  .replace("--vscode-badge-foreground:#333", "--vscode-badge-foreground:#f8f8f8");

const prelude = `window.__posted=[];window.__postedAt=[];let __state;window.acquireVsCodeApi=()=>({postMessage:(m)=>{window.__posted.push(m);window.__postedAt.push(performance.now())},getState:()=>__state,setState:(s)=>{__state=s}});`;

/** The page's globals as the tests see them (the test code is compiled without the DOM library). */
export interface PageGlobals {
  __posted: WebviewToHost[];
  __postedAt: number[];
  __sentAt: number;
  postMessage(message: unknown, targetOrigin: string): void;
}

/** The part of a DOM element the tests read. */
export interface DomNode {
  getAttribute(name: string): string | null;
  textContent: string | null;
}

export class WebviewPage {
  private constructor(
    private readonly server: Server,
    private readonly browser: Browser,
    readonly page: Page,
  ) {}

  static async open(size = { width: 1000, height: 800 }, theme: "light" | "dark" = "light"): Promise<WebviewPage> {
    const server = createServer((req, res) => {
      const path = normalize(decodeURIComponent((req.url ?? "/").split("?")[0]!));
      if (path === "/") {
        const origin = `http://${req.headers.host ?? "127.0.0.1"}`;
        const html = graphHtmlText({ nonce: "benchnonce", cspSource: origin, scriptUri: "/dist/webview.js", workerUri: "/dist/layoutWorker.js", cssUri: "/dist/media/graph.css", preludeScript: prelude })
          .replace("</head>", `<link rel="stylesheet" href="/theme.css"></head>`);
        res.writeHead(200, { "content-type": "text/html" }).end(html);
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
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__posted.some((m) => m.type === "ready"));
    return new WebviewPage(server, browser, page);
  }

  /** Posts a message as the host would and, for a graph, waits for its `rendered` answer. */
  async send(message: HostToWebview): Promise<Extract<WebviewToHost, { type: "rendered" }> | undefined> {
    const before = await this.posted().then((p) => p.length);
    // Sent as JSON text: Playwright's argument typing of the deep message union is too costly for tsc.
    await this.page.evaluate((json: string) => {
      (globalThis as unknown as PageGlobals).__sentAt = performance.now();
      (globalThis as unknown as PageGlobals).postMessage(JSON.parse(json), "*");
    }, JSON.stringify(message));
    if (message.type !== "graph") return undefined;
    await this.page.waitForFunction(
      (n) => (globalThis as unknown as PageGlobals).__posted.slice(n).some((m) => m.type === "rendered" || m.type === "error"),
      before,
    );
    const after = (await this.posted()).slice(before);
    const error = after.find((m) => m.type === "error");
    if (error && error.type === "error") throw new Error(`webview error: ${error.message}`);
    return after.find((m): m is Extract<WebviewToHost, { type: "rendered" }> => m.type === "rendered");
  }

  /** Page-clock milliseconds from the last `send` to the last `rendered` message. */
  lastLatency(): Promise<number> {
    return this.page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      const i = g.__posted.map((m) => m.type).lastIndexOf("rendered");
      return (g.__postedAt[i] ?? Number.NaN) - g.__sentAt;
    });
  }

  posted(): Promise<WebviewToHost[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageGlobals).__posted);
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
