// Finding a webview's document in code-server's page. A webview is two nested iframes, and its
// content is drawn some time after its frame navigates; so a search that re-checks only when a
// frame navigates can miss a graph drawn later into a frame it already looked at (this happened
// on a loaded CI machine). Here the wait is on both events: a frame navigating, or the content
// appearing in any frame that exists. No polling on a timer.
import type { Frame, Locator, Page } from "playwright-core";

export interface FrameQuery {
  /** What the document must contain, e.g. "svg#graph". */
  selector: string;
  /** Text the document's body must contain too (a graph panel of one flow among several). */
  text?: string;
  /** The content must be visible, not just attached (a hidden tab's webview is attached). */
  visible?: boolean;
  /** When several frames match, the one created last (the tab opened last). */
  last?: boolean;
}

/** The frame whose document matches `query`, waited for up to `ms`; undefined when none came. */
export async function findFrame(page: Page, query: FrameQuery, ms = 20_000): Promise<Frame | undefined> {
  const deadline = Date.now() + ms;
  const state = query.visible ? "visible" : "attached";
  const target = (frame: Frame): Locator => {
    const found = frame.locator(query.selector).first();
    return query.text === undefined ? found : frame.locator("body", { hasText: query.text }).locator(query.selector).first();
  };
  for (;;) {
    const frames = query.last ? page.frames().reverse() : page.frames();
    for (const frame of frames) {
      const hit = target(frame);
      const there = state === "visible" ? await hit.isVisible().catch(() => false) : (await hit.count().catch(() => 0)) > 0;
      if (there) return frame;
    }
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    // Whichever comes first: a frame navigates (a new webview), or the content shows up in one.
    // Each wait is bounded so that a frame created meanwhile is looked at too.
    const slice = Math.min(left, 2_000);
    await Promise.any([
      page.waitForEvent("framenavigated", { timeout: slice }),
      ...frames.map((frame) => target(frame).waitFor({ state, timeout: slice })),
    ]).catch(() => undefined);
  }
}

/** `findFrame`, failing with `what` when no frame matched. */
export async function requireFrame(page: Page, query: FrameQuery, what: string, ms = 20_000): Promise<Frame> {
  const frame = await findFrame(page, query, ms);
  if (!frame) throw new Error(`no webview shows ${what} within ${ms / 1000} s`);
  return frame;
}
