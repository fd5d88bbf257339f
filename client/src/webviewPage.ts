// The page every Flowlens webview serves: a CSP meta, one stylesheet, the body, and one bundled
// script carrying a nonce (after an optional test prelude with the same nonce). The panels differ
// only in their CSP directives, title and body. No `vscode` import here, so benchmarks and
// tests serve exactly these pages from a local server.

export interface WebviewPageParts {
  nonce: string;
  /** The page's Content-Security-Policy directives, joined with "; ". */
  csp: string[];
  cssUri: string;
  scriptUri: string;
  title: string;
  /** Attributes written into the `<body>` tag, e.g. ` data-worker-uri="..."` (with its leading space). */
  bodyAttributes?: string;
  /** The markup between `<body>` and the scripts. */
  body: string;
  /** Extra script for test pages (e.g. a stand-in for acquireVsCodeApi); runs before the bundle. */
  preludeScript?: string;
}

/**
 * The directives every page starts from: nothing by default, its one nonce script, styles and
 * fonts from the extension only. A page adds what it needs beyond that (images, frames, a worker).
 */
export function baseCsp(nonce: string, cspSource: string): string[] {
  return ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src ${cspSource}`, `font-src ${cspSource}`];
}

/** A title safe inside `<title>`: the markup characters dropped. */
export function pageTitle(text: string): string {
  return text.replace(/[<>&"]/g, "");
}

export function webviewPageText(p: WebviewPageParts): string {
  const prelude = p.preludeScript ? `<script nonce="${p.nonce}">${p.preludeScript}</script>\n` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${p.csp.join("; ")}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${p.cssUri}">
<title>${p.title}</title>
</head>
<body${p.bodyAttributes ?? ""}>
${p.body}
${prelude}<script nonce="${p.nonce}" src="${p.scriptUri}"></script>
</body>
</html>`;
}
