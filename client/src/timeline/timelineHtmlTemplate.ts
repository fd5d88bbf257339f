// The run timeline's HTML: the shared webview page (webviewPage.ts) with a strict CSP (nonce
// script, styles from dist/ only, no remote content). No `vscode` import here, so the benchmark
// serves exactly this page from a local server.
import { baseCsp, pageTitle, webviewPageText } from "../webviewPage";

export interface TimelineHtmlParts {
  nonce: string;
  cspSource: string;
  scriptUri: string;
  cssUri: string;
  title: string;
  /** Extra script for test pages (a stand-in for acquireVsCodeApi); runs before the bundle. */
  preludeScript?: string;
}

export function timelineHtmlText(p: TimelineHtmlParts): string {
  return webviewPageText({
    nonce: p.nonce,
    csp: baseCsp(p.nonce, p.cspSource),
    cssUri: p.cssUri,
    scriptUri: p.scriptUri,
    title: pageTitle(p.title),
    body: `<div id="toolbar" role="toolbar" aria-label="Timeline">
  <button data-command="graph" title="Show the flow graph of this run">Graph</button>
  <button data-command="fit" title="Fit the whole run (0)">Fit</button>
  <button data-command="zoomIn" title="Zoom in (+, Ctrl+wheel)">+</button>
  <button data-command="zoomOut" title="Zoom out (-, Ctrl+wheel)">−</button>
  <span id="legend" aria-hidden="true"><span class="ok">succeeded</span><span class="error">failed</span><span class="retried">retried</span><span class="caught">caught</span><span class="busy">running</span><span class="stopped">stopped</span></span>
  <span id="status">Waiting for the run…</span>
</div>
<div id="stage"><canvas id="timeline" tabindex="0" role="img" aria-label="Run timeline"></canvas><div id="tip" class="hidden" role="tooltip"></div></div>`,
    ...(p.preludeScript !== undefined ? { preludeScript: p.preludeScript } : {}),
  });
}
