// The comparison tab's HTML: one bundled script with a nonce and a strict CSP (no inline script or
// style, no remote content, no images or frames). No `vscode` import, so tests can serve the page.
import { baseCsp, pageTitle, webviewPageText } from "../webviewPage";

export interface CompareHtmlParts {
  nonce: string;
  cspSource: string;
  scriptUri: string;
  cssUri: string;
  title: string;
}

export function compareHtmlText(p: CompareHtmlParts): string {
  return webviewPageText({
    nonce: p.nonce,
    csp: baseCsp(p.nonce, p.cspSource),
    cssUri: p.cssUri,
    scriptUri: p.scriptUri,
    title: pageTitle(p.title),
    body: `<main id="comparison" aria-live="polite"><p class="note">Comparing the runs…</p></main>`,
  });
}
