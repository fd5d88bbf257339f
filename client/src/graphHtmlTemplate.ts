// The graph panel's HTML: a bundled script with a nonce, a strict CSP (no remote content,
// no inline script or style), every resource from dist/ through asWebviewUri. No `vscode` import
// here, so the webview benchmark serves exactly this page from a local server.
import { webviewPageText } from "./webviewPage";

export interface GraphHtmlParts {
  nonce: string;
  cspSource: string;
  scriptUri: string;
  workerUri: string;
  cssUri: string;
  /** Extra script for test pages (e.g. a stand-in for acquireVsCodeApi); runs before the bundle. */
  preludeScript?: string;
}

export function graphHtmlText(p: GraphHtmlParts): string {
  return webviewPageText({
    nonce: p.nonce,
    csp: [
      "default-src 'none'",
      `script-src 'nonce-${p.nonce}'`,
      `style-src ${p.cspSource}`,
      `img-src ${p.cspSource} blob: data:`,
      `font-src ${p.cspSource}`,
      // The layout worker's script is fetched from dist/ and started from a blob: URL.
      `connect-src ${p.cspSource}`,
      "worker-src blob:",
    ],
    cssUri: p.cssUri,
    scriptUri: p.scriptUri,
    title: "Flow graph",
    bodyAttributes: ` data-worker-uri="${p.workerUri}"`,
    body: `<div id="toolbar" role="toolbar" aria-label="Graph">
  <select id="flow" class="hidden" aria-label="Flow"></select>
  <button data-command="fit" title="Fit the graph (0)">Fit</button>
  <button data-command="zoomIn" title="Zoom in (+)">+</button>
  <button data-command="zoomOut" title="Zoom out (-)">−</button>
  <button data-command="exportSvg" title="Export as SVG">SVG</button>
  <button data-command="exportPng" title="Export as PNG">PNG</button>
  <button data-command="timeline" title="Show the timeline of the run shown">Timeline</button>
  <span id="status">Waiting for the flow graph…</span>
</div>
<div id="banner" class="banner hidden" role="status"></div>
<div id="empty" class="hidden"></div>
<svg id="graph" tabindex="0" role="application" aria-label="Flow graph: arrow keys move between steps, Enter opens the step">
  <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>
</svg>`,
    ...(p.preludeScript !== undefined ? { preludeScript: p.preludeScript } : {}),
  });
}
