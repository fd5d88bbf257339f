// The card panel's HTML: one bundled script with a nonce and a strict CSP. No remote content;
// images only from data: URIs; no inline script or style; frames only for raw-HTML cards, whose
// iframe is sandboxed without scripts (webview/src/card/panel.ts). No `vscode` import here, so the
// benchmark serves exactly this page from a local server.
import { baseCsp, webviewPageText } from "../webviewPage";

export interface CardHtmlParts {
  nonce: string;
  cspSource: string;
  scriptUri: string;
  cssUri: string;
  /** Extra script for test pages (a stand-in for acquireVsCodeApi); runs before the bundle. */
  preludeScript?: string;
}

export function cardHtmlText(p: CardHtmlParts): string {
  return webviewPageText({
    nonce: p.nonce,
    csp: [...baseCsp(p.nonce, p.cspSource), "img-src data:", "frame-src 'self' about:"],
    cssUri: p.cssUri,
    scriptUri: p.scriptUri,
    title: "Card",
    body: `<div id="toolbar"><select id="cards" aria-label="Cards of this task and earlier runs" hidden></select></div>
<main id="card" aria-live="polite"><p class="note">Loading the card…</p></main>`,
    ...(p.preludeScript !== undefined ? { preludeScript: p.preludeScript } : {}),
  });
}
