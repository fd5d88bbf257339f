// A whole card: its header (title, pathspec, live or final) and its components. Re-rendering the
// same card (a live update) keeps each table's sort and page and the reader's scroll position.
import type { CardDocument } from "../../../server/src/protocol/cards";
import { children } from "./components";
import type { CardState } from "./context";
import { el } from "./dom";

export function newCardState(): CardState {
  return { tables: new Map() };
}

export function cardHeader(doc: CardDocument): HTMLElement {
  const state = doc.final === false ? "live" : doc.final === true ? "final" : undefined;
  return el("header", { class: "card-header" },
    el("div", { class: "card-name" }, doc.title),
    doc.pathspec && doc.pathspec !== doc.title ? el("div", { class: "card-path" }, doc.pathspec) : null,
    state ? el("span", { class: `card-state ${state}`, title: state === "live" ? "The task is still running: this card updates as it refreshes" : "The task finished: this is the final card" }, state) : null,
    doc.createdOn ? el("span", { class: "card-time" }, doc.createdOn) : null,
  );
}

/** Draws the card into `root`, replacing what was there; returns the number of top-level components. */
export function renderCard(root: HTMLElement, doc: CardDocument, state: CardState): number {
  const scroll = { x: window.scrollX, y: window.scrollY };
  const body = el("div", { class: "card-body" }, ...children(doc.components, { key: "", state }));
  if (doc.components.length === 0) body.append(el("p", { class: "note" }, "This card has no components yet."));
  root.replaceChildren(cardHeader(doc), body);
  window.scrollTo(scroll.x, scroll.y);
  return doc.components.length;
}
