// The graph panel's real page (client/src/graphHtmlTemplate.ts + dist/webview.js + the layout
// worker) served and opened in headless Chromium (pageServer.ts), with a stand-in for
// acquireVsCodeApi that records what the page posts. Used by the webview tests and benchmark.
import type { Page } from "playwright-core";
import { graphHtmlText } from "../../../client/src/graphHtmlTemplate";
import type { HostToWebview, WebviewToHost } from "../../../server/src/protocol/webview";
import type { ServedPage } from "./pageServer";
import { closeServedPage, servePage } from "./pageServer";

// Records each posted message and when (page clock), so latencies are measured inside the page.
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
  readonly page: Page;

  private constructor(private readonly served: ServedPage) {
    this.page = served.page;
  }

  static async open(size = { width: 1000, height: 800 }, theme: "light" | "dark" = "light"): Promise<WebviewPage> {
    const html = (origin: string): string => graphHtmlText({ nonce: "benchnonce", cspSource: origin, scriptUri: "/dist/webview.js", workerUri: "/dist/layoutWorker.js", cssUri: "/dist/media/graph.css", preludeScript: prelude });
    return new WebviewPage(await servePage(html, size, theme));
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

  close(): Promise<void> {
    return closeServedPage(this.served);
  }
}
