// A small Markdown reader for card text: it turns source into a tree of blocks and inline spans,
// with no HTML pass-through (raw HTML in the source stays literal text) and no DOM here, so it
// is tested on its own. What it reads: ATX headings, paragraphs, fenced and indented code,
// bullet and numbered lists (nested by indentation), block quotes, rules, pipe tables; inline
// code, strong, emphasis, strike-through, links, autolinks and images.

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  | { kind: "strong" | "em" | "del"; children: Inline[] }
  | { kind: "link"; href: string; children: Inline[] }
  | { kind: "image"; src: string; alt: string }
  | { kind: "break" };

export type Block =
  | { kind: "heading"; level: number; children: Inline[] }
  | { kind: "paragraph"; children: Inline[] }
  | { kind: "code"; lang: string; text: string }
  | { kind: "list"; ordered: boolean; start: number; items: Block[][] }
  | { kind: "quote"; children: Block[] }
  | { kind: "rule" }
  | { kind: "table"; align: ("left" | "right" | "center" | null)[]; head: Inline[][]; rows: Inline[][][] };

const fence = /^ {0,3}(```+|~~~+)\s*([^\s`]*)/;
const heading = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const rule = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const bullet = /^( *)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const quote = /^ {0,3}> ?(.*)$/;
const tableSep = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

export function parseMarkdown(source: string): Block[] {
  return parseBlocks(source.replace(/\r\n?/g, "\n").split("\n"));
}

function parseBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === "") {
      i++;
      continue;
    }
    const f = fence.exec(line);
    if (f) {
      const marker = f[1] as string;
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] as string).trimStart().startsWith(marker)) body.push(lines[i++] as string);
      i++;
      blocks.push({ kind: "code", lang: f[2] ?? "", text: body.join("\n") });
      continue;
    }
    const h = heading.exec(line);
    if (h) {
      blocks.push({ kind: "heading", level: (h[1] as string).length, children: parseInline(h[2] ?? "") });
      i++;
      continue;
    }
    if (rule.test(line)) {
      blocks.push({ kind: "rule" });
      i++;
      continue;
    }
    if (quote.test(line)) {
      const body: string[] = [];
      for (; i < lines.length && (lines[i] as string).trim() !== ""; i++) body.push(quote.exec(lines[i] as string)?.[1] ?? (lines[i] as string));
      blocks.push({ kind: "quote", children: parseBlocks(body) });
      continue;
    }
    if (bullet.test(line)) {
      i = readList(lines, i, blocks);
      continue;
    }
    if (/^( {4}|\t)/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && (/^( {4}|\t)/.test(lines[i] as string) || (lines[i] as string).trim() === "")) body.push((lines[i++] as string).replace(/^( {4}|\t)/, ""));
      blocks.push({ kind: "code", lang: "", text: body.join("\n").replace(/\n+$/, "") });
      continue;
    }
    if (line.includes("|") && i + 1 < lines.length && tableSep.test(lines[i + 1] as string)) {
      i = readTable(lines, i, blocks);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== "" && !startsBlock(lines[i] as string)) para.push((lines[i++] as string).trim());
    if (para.length === 0) para.push((lines[i++] as string).trim());
    blocks.push({ kind: "paragraph", children: parseInline(para.join("\n")) });
  }
  return blocks;
}

function startsBlock(line: string): boolean {
  return fence.test(line) || heading.test(line) || rule.test(line) || quote.test(line) || bullet.test(line);
}

/** A list: items start at the list's indentation; deeper lines (and lazy continuations) belong to the item. */
function readList(lines: string[], start: number, out: Block[]): number {
  const first = bullet.exec(lines[start] as string) as RegExpExecArray;
  const indent = (first[1] as string).length;
  const ordered = /\d/.test(first[2] as string);
  const items: string[][] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i] as string;
    const m = bullet.exec(line);
    const sameLevel = m !== null && (m[1] as string).length === indent;
    if (sameLevel && /\d/.test(m[2] as string) === ordered) {
      items.push([m[3] as string]);
    } else if (line.trim() === "") {
      const next = lines[i + 1];
      const nextItem = next === undefined ? null : bullet.exec(next);
      const continues = next !== undefined && (next.startsWith(" ".repeat(indent + 2)) || (nextItem !== null && (nextItem[1] as string).length === indent && /\d/.test(nextItem[2] as string) === ordered));
      if (!continues) break;
      items.at(-1)?.push("");
    } else if (sameLevel || (m && (m[1] as string).length < indent)) break;
    else if (!m && startsBlock(line) && !line.startsWith(" ".repeat(indent + 2))) break;
    else items.at(-1)?.push(line.startsWith(" ".repeat(indent + 2)) ? line.slice(indent + 2) : line.trimStart());
    i++;
  }
  out.push({ kind: "list", ordered, start: ordered ? Number.parseInt(first[2] as string, 10) : 1, items: items.map((body) => parseBlocks(body)) });
  return i;
}

function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}

function readTable(lines: string[], start: number, out: Block[]): number {
  const head = splitRow(lines[start] as string);
  const align = splitRow(lines[start + 1] as string).map((c) => (c.startsWith(":") && c.endsWith(":") ? "center" : c.endsWith(":") ? "right" : c.startsWith(":") ? "left" : null));
  let i = start + 2;
  const rows: Inline[][][] = [];
  while (i < lines.length && (lines[i] as string).includes("|") && (lines[i] as string).trim() !== "") {
    const cells = splitRow(lines[i++] as string);
    rows.push(head.map((_, c) => parseInline(cells[c] ?? "")));
  }
  out.push({ kind: "table", align, head: head.map((h) => parseInline(h)), rows });
  return i;
}

// Inline spans, tried in this order at each position; the first match wins.
const inlineRules: { re: RegExp; make: (m: RegExpExecArray) => Inline }[] = [
  { re: /^\\([\\`*_{}[\]()#+\-.!|~<>])/, make: (m) => ({ kind: "text", text: m[1] as string }) },
  { re: /^(`+)([\s\S]*?[^`])\1(?!`)/, make: (m) => ({ kind: "code", text: (m[2] as string).replace(/^ (.*) $/s, "$1") }) },
  { re: /^!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/, make: (m) => ({ kind: "image", alt: m[1] as string, src: m[2] as string }) },
  { re: /^\[((?:\[[^\]]*\]|[^\]])*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/, make: (m) => ({ kind: "link", href: m[2] as string, children: parseInline(m[1] as string) }) },
  { re: /^<((?:https?|mailto):[^>\s]+)>/, make: (m) => ({ kind: "link", href: m[1] as string, children: [{ kind: "text", text: m[1] as string }] }) },
  { re: /^(\*\*|__)(?=\S)([\s\S]*?\S)\1/, make: (m) => ({ kind: "strong", children: parseInline(m[2] as string) }) },
  { re: /^~~(?=\S)([\s\S]*?\S)~~/, make: (m) => ({ kind: "del", children: parseInline(m[1] as string) }) },
  { re: /^\*(?=[^\s*])([\s\S]*?[^\s*])\*(?!\*)/, make: (m) => ({ kind: "em", children: parseInline(m[1] as string) }) },
  { re: /^\b_(?=\S)([\s\S]*?\S)_\b/, make: (m) => ({ kind: "em", children: parseInline(m[1] as string) }) },
  { re: /^( {2,}|\\)\n/, make: () => ({ kind: "break" }) },
];

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = "";
  let i = 0;
  // Rules are anchored at the current position; slicing keeps them simple and is fine at card sizes.
  outer: while (i < text.length) {
    const c = text[i] as string;
    // An underscore inside a word (snake_case) never opens emphasis.
    const intraword = c === "_" && i > 0 && /\w/.test(text[i - 1] as string);
    if ("\\`![<*_~ ".includes(c) && !intraword) {
      const rest = text.slice(i);
      for (const rule of inlineRules) {
        const m = rule.re.exec(rest);
        if (!m) continue;
        if (plain) out.push({ kind: "text", text: plain });
        plain = "";
        out.push(rule.make(m));
        i += m[0].length;
        continue outer;
      }
    }
    plain += c;
    i++;
  }
  if (plain) out.push({ kind: "text", text: plain });
  return out;
}
