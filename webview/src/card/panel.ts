// The card panel's script (dist/cardPanel.js), inside the editor's webview. The extension sends a
// card as components (drawn here with the same renderer as the standalone page) or as HTML (shown
// in an iframe sandboxed without scripts); nothing from a card is ever run. Links go back to the
// extension, which opens only http(s) addresses.
import { isHostToCardPanel, isWebLink, type CardListEntry, type CardPanelToHost, type HostToCardPanel } from "../../../server/src/protocol/cards";
import { el } from "./dom";
import { newCardState, renderCard } from "./render";

interface VsCodeApi {
  postMessage(message: CardPanelToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById("card") as HTMLElement;
const picker = document.getElementById("cards") as HTMLSelectElement;
let state = newCardState();
let shownKey: string | undefined;

function showList(list: CardListEntry[]): void {
  picker.replaceChildren(...list.map((e) => {
    const o = el("option", { value: e.key }, e.label);
    o.selected = e.current;
    return o;
  }));
  picker.hidden = list.length < 2;
  const current = list.find((e) => e.current)?.key;
  // Another card: its tables start at page one, unsorted.
  if (current !== shownKey) state = newCardState();
  shownKey = current;
}

function show(message: HostToCardPanel): void {
  const t0 = performance.now();
  showList(message.list);
  let components = 0;
  let final: boolean | null = null;
  let title = "";
  if (message.type === "card") {
    components = renderCard(root, message.doc, state);
    final = message.doc.final ?? null;
    title = message.doc.title;
  } else if (message.type === "html") {
    const frame = el("iframe", { class: "html-card", sandbox: "", title: message.title || "Card", referrerpolicy: "no-referrer" });
    frame.srcdoc = message.html;
    root.replaceChildren(el("p", { class: "note" }, "This card is its own HTML page, shown without running its scripts."), frame);
    title = message.title;
    final = true;
  } else {
    root.replaceChildren(el("p", { class: "note unknown", role: "alert" }, message.message));
  }
  document.title = title || "Card";
  // Measured once the browser has laid the card out, so the figure includes layout, not just DOM building.
  requestAnimationFrame(() => vscode.postMessage({ type: "rendered", title, components, final, ms: Math.round(performance.now() - t0) }));
}

window.addEventListener("message", (event: MessageEvent<unknown>) => {
  if (isHostToCardPanel(event.data)) show(event.data);
});

root.addEventListener("click", (event) => {
  const link = (event.target as Element).closest("a");
  if (!link) return;
  event.preventDefault();
  const href = link.getAttribute("href") ?? "";
  if (isWebLink(href)) vscode.postMessage({ type: "openLink", href });
});

picker.addEventListener("change", () => vscode.postMessage({ type: "openCard", key: picker.value }));

vscode.postMessage({ type: "ready" });
