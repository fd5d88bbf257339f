// Markdown blocks (markdown.ts) to DOM. Links keep their text; only http(s) targets become links,
// opened by whoever hosts the card (the extension checks the scheme again); anything else is text.
// Images show only when embedded as data: URIs.
import { el, isDataImage } from "./dom";
import { parseMarkdown, type Block, type Inline } from "./markdown";
import { isWebLink } from "../../../server/src/protocol/cards";

export function renderMarkdown(source: string): HTMLElement {
  const box = el("div", { class: "md" });
  for (const b of parseMarkdown(source)) box.append(block(b));
  return box;
}

function block(b: Block): HTMLElement {
  switch (b.kind) {
    case "heading":
      return el(`h${Math.min(6, Math.max(1, b.level))}` as "h1", {}, ...inlines(b.children));
    case "paragraph":
      return el("p", {}, ...inlines(b.children));
    case "code":
      return el("pre", { class: "code" }, el("code", b.lang ? { "data-lang": b.lang } : {}, b.text));
    case "rule":
      return el("hr");
    case "quote":
      return el("blockquote", {}, ...b.children.map(block));
    case "list": {
      const list = b.ordered ? el("ol", b.start !== 1 ? { start: b.start } : {}) : el("ul");
      for (const item of b.items) list.append(el("li", {}, ...item.map(tightBlock)));
      return list;
    }
    case "table": {
      const head = el("tr", {}, ...b.head.map((h, i) => aligned(el("th", {}, ...inlines(h)), b.align[i])));
      const rows = b.rows.map((r) => el("tr", {}, ...r.map((c, i) => aligned(el("td", {}, ...inlines(c)), b.align[i]))));
      return el("table", { class: "md-table" }, el("thead", {}, head), el("tbody", {}, ...rows));
    }
  }
}

/** Alignment through the CSSOM: the panel's CSP allows no style attributes. */
function aligned(cell: HTMLElement, align: string | null | undefined): HTMLElement {
  if (align) cell.style.textAlign = align;
  return cell;
}

/** A list item's single paragraph is shown without paragraph margins. */
function tightBlock(b: Block): HTMLElement {
  return b.kind === "paragraph" ? el("span", {}, ...inlines(b.children)) : block(b);
}

function inlines(list: Inline[]): Node[] {
  return list.map(inline);
}

function inline(s: Inline): Node {
  switch (s.kind) {
    case "text":
      return document.createTextNode(s.text);
    case "code":
      return el("code", {}, s.text);
    case "strong":
      return el("strong", {}, ...inlines(s.children));
    case "em":
      return el("em", {}, ...inlines(s.children));
    case "del":
      return el("del", {}, ...inlines(s.children));
    case "break":
      return el("br");
    case "image":
      return isDataImage(s.src) ? el("img", { src: s.src, alt: s.alt }) : el("span", { class: "md-missing", title: "only images embedded in the card are shown" }, `[image: ${s.alt || s.src}]`);
    case "link":
      if (!isWebLink(s.href)) return el("span", { class: "md-link-text" }, ...inlines(s.children));
      return el("a", { href: s.href, title: s.href, rel: "noopener noreferrer", target: "_blank" }, ...inlines(s.children));
  }
}
