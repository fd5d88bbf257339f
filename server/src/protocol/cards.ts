// A card's content as the renderer takes it, and the messages between the extension host
// (client/src/cards) and the card panel (webview/src/card). Components are dicts in Metaflow's UI
// component schema ({"type": "markdown", "source": ...}); the renderer checks each field itself,
// so a component stays `unknown`-valued here and nothing from a card page is trusted.

export interface ComponentData {
  type: string;
  id?: string;
  [field: string]: unknown;
}

export interface CardDocument {
  title: string;
  pathspec: string;
  /** ISO-8601 when known. */
  createdOn?: string;
  /** false while the task still refreshes the card; undefined when the page does not say. */
  final?: boolean;
  components: ComponentData[];
}

/** One entry of the panel's card list: other cards of the task and the step's cards of earlier runs. */
export interface CardListEntry {
  key: string;
  label: string;
  current: boolean;
}

/** Host → panel: show a card made of components (rendered by our own code). */
export interface ShowCardMessage {
  type: "card";
  doc: CardDocument;
  /** "flowlens" or "metaflow": which tool wrote the page. */
  source: string;
  list: CardListEntry[];
}

/** Host → panel: a card that is its own HTML (html type, custom types), shown in a sandboxed frame without scripts. */
export interface ShowHtmlMessage {
  type: "html";
  title: string;
  html: string;
  list: CardListEntry[];
}

/** Host → panel: the card cannot be shown (gone, unreadable): one line. */
export interface ShowProblemMessage {
  type: "problem";
  message: string;
  list: CardListEntry[];
}

export type HostToCardPanel = ShowCardMessage | ShowHtmlMessage | ShowProblemMessage;

/** Panel → host: a drawing finished (for tests and the benchmark). */
export interface CardRenderedMessage {
  type: "rendered";
  title: string;
  components: number;
  final: boolean | null;
  ms: number;
}

/** Panel → host: open an http(s) link of the card in the browser (the host checks the scheme again). */
export interface OpenLinkMessage {
  type: "openLink";
  href: string;
}

/** Panel → host: open another card of the list. */
export interface OpenCardMessage {
  type: "openCard";
  key: string;
}

export interface CardPanelReadyMessage {
  type: "ready";
}

export type CardPanelToHost = CardRenderedMessage | OpenLinkMessage | OpenCardMessage | CardPanelReadyMessage;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isList(x: unknown): x is CardListEntry[] {
  return Array.isArray(x) && x.every((e) => isObject(e) && typeof e.key === "string" && typeof e.label === "string" && typeof e.current === "boolean");
}

export function isHostToCardPanel(x: unknown): x is HostToCardPanel {
  if (!isObject(x) || !isList(x.list)) return false;
  switch (x.type) {
    case "card":
      return isObject(x.doc) && Array.isArray(x.doc.components) && typeof x.doc.title === "string" && typeof x.source === "string";
    case "html":
      return typeof x.html === "string" && typeof x.title === "string";
    case "problem":
      return typeof x.message === "string";
    default:
      return false;
  }
}

export function isCardPanelToHost(x: unknown): x is CardPanelToHost {
  if (!isObject(x)) return false;
  switch (x.type) {
    case "rendered":
      return typeof x.title === "string" && typeof x.components === "number" && typeof x.ms === "number" && (x.final === null || typeof x.final === "boolean");
    case "openLink":
      return typeof x.href === "string";
    case "openCard":
      return typeof x.key === "string";
    case "ready":
      return true;
    default:
      return false;
  }
}

/** Only http(s) links leave a card; anything else (javascript:, file:, command:) is shown as text. */
export function isWebLink(href: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(href);
}
