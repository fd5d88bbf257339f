// The run timeline's real page (client/src/timeline/timelineHtmlTemplate.ts + dist/timeline.js)
// served and opened in headless Chromium (pageServer.ts), with a stand-in for
// acquireVsCodeApi that records what the page posts. Used by the timeline page test and benchmark.
import type { Page } from "playwright-core";
import { timelineHtmlText } from "../../../client/src/timeline/timelineHtmlTemplate";
import type { TimelineMessage, TimelineWebviewToHost } from "../../../server/src/protocol/timeline";
import type { ServedPage } from "./pageServer";
import { closeServedPage, servePage } from "./pageServer";

const prelude = `window.__posted=[];window.__postedAt=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>{window.__posted.push(m);window.__postedAt.push(performance.now())},setState:(s)=>{window.__state=s}});`;

/** The page's globals as the tests see them (compiled without the DOM library). */
export interface TimelineGlobals {
  __posted: TimelineWebviewToHost[];
  __postedAt: number[];
  __sentAt: number;
  __message: unknown;
  postMessage(message: unknown, targetOrigin: string): void;
}

export class TimelinePage {
  readonly page: Page;

  private constructor(private readonly served: ServedPage) {
    this.page = served.page;
  }

  static async open(size = { width: 1200, height: 800 }, theme: "light" | "dark" = "light"): Promise<TimelinePage> {
    const html = (origin: string): string => timelineHtmlText({ nonce: "benchnonce", cspSource: origin, scriptUri: "/dist/timeline.js", cssUri: "/dist/media/timeline.css", title: "Timeline", preludeScript: prelude });
    return new TimelinePage(await servePage(html, size, theme));
  }

  /**
   * Posts a timeline as the host would and waits for the drawing that follows. The message is
   * parsed inside the page first, so the time measured is the page's own: delivery, layout and drawing.
   */
  async send(message: TimelineMessage): Promise<{ drawn: Extract<TimelineWebviewToHost, { type: "drawn" }>; ms: number }> {
    await this.page.evaluate((json: string) => {
      (globalThis as unknown as TimelineGlobals).__message = JSON.parse(json);
    }, JSON.stringify(message));
    const before = (await this.posted()).length;
    await this.page.evaluate(() => {
      const g = globalThis as unknown as TimelineGlobals;
      g.__sentAt = performance.now();
      g.postMessage(g.__message, "*");
    });
    await this.page.waitForFunction((n) => (globalThis as unknown as TimelineGlobals).__posted.slice(n).some((m) => m.type === "drawn" || m.type === "error"), before);
    const { posted, at, sentAt } = await this.page.evaluate(() => {
      const g = globalThis as unknown as TimelineGlobals;
      return { posted: g.__posted, at: g.__postedAt, sentAt: g.__sentAt };
    });
    const i = posted.findIndex((m, k) => k >= before && (m.type === "drawn" || m.type === "error"));
    const m = posted[i]!;
    if (m.type !== "drawn") throw new Error(`timeline page: ${m.type === "error" ? m.message : m.type}`);
    return { drawn: m, ms: at[i]! - sentAt };
  }

  posted(): Promise<TimelineWebviewToHost[]> {
    return this.page.evaluate(() => (globalThis as unknown as TimelineGlobals).__posted);
  }

  close(): Promise<void> {
    return closeServedPage(this.served);
  }
}

/** A synthetic run: start, a foreach of `width` tasks over `span` ms (every 50th retried once, every 97th failed, a few still running), a join and end. */
export function syntheticRun(width: number, now = 1_700_000_000_000): TimelineMessage {
  const t0 = now - 600_000;
  const tasks: TimelineMessage["tasks"] = [{ step: "start", taskId: "1", attempts: [{ attempt: 0, state: "succeeded", start: t0, end: t0 + 2000 }] }];
  for (let i = 0; i < width; i++) {
    const start = t0 + 2000 + ((i * 7919) % 500_000);
    const length = 800 + ((i * 104_729) % 60_000);
    const id = String(i + 2);
    if (i % 50 === 49) {
      tasks.push({ step: "work", taskId: id, index: i, input: `'item-${i}'`, attempts: [{ attempt: 0, state: "retrying", start, end: start + length / 2, reason: "ConnectionError: busy" }, { attempt: 1, state: "succeeded", start: start + length / 2, end: start + length * 1.5 }] });
    } else if (i % 97 === 96) {
      tasks.push({ step: "work", taskId: id, index: i, input: `'item-${i}'`, attempts: [{ attempt: 0, state: "failed", start, end: start + length, reason: "ValueError: bad item" }] });
    } else if (i >= width - 5) {
      tasks.push({ step: "work", taskId: id, index: i, input: `'item-${i}'`, attempts: [{ attempt: 0, state: "running", start }] });
    } else {
      tasks.push({ step: "work", taskId: id, index: i, input: `'item-${i}'`, attempts: [{ attempt: 0, state: "succeeded", start, end: start + length }] });
    }
  }
  return { type: "timeline", flow: "BigFlow", runId: "7", status: "running", steps: ["start", "work", "join", "end"], tasks, now };
}
