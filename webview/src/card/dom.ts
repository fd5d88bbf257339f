// DOM building for cards: elements with attributes and text children only. Card data reaches the
// page as text nodes (textContent), never as markup, so nothing in a card can inject HTML.

export type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) e.setAttribute(name, String(value));
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(typeof c === "string" ? document.createTextNode(c) : c);
  return e;
}

const svgNs = "http://www.w3.org/2000/svg";

export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attrs)) e.setAttribute(name, String(value));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Only images embedded in the card itself: no request ever leaves the page. */
export function isDataImage(src: unknown): src is string {
  return typeof src === "string" && /^data:image\/(png|jpe?g|gif|webp|bmp|svg\+xml);base64,/i.test(src);
}

/** Any value as display text: strings as they are, other JSON values as compact JSON. */
export function displayText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    // A cycle cannot come from JSON data; say so rather than print [object Object].
    return "(unprintable value)";
  }
}
