// The renderer inlined into every card page Flowlens writes (bundled by scripts/build.mjs as
// flowlens/cards/assets/card-renderer.js): it reads the page's JSON data block and draws the card.
// The page follows the system's light or dark scheme (card.css, prefers-color-scheme).
import { readFlowlensCardJson } from "../../../runtime/src/datastore/cardData";
import { el } from "./dom";
import { newCardState, renderCard } from "./render";

function show(): void {
  const root = document.getElementById("flowlens-card");
  if (!root) return;
  const block = document.getElementById("flowlens-card-data");
  const read = block ? readFlowlensCardJson(block.textContent ?? "") : { reason: "the page has no card data block" };
  if ("reason" in read) {
    root.replaceChildren(el("p", { class: "note unknown" }, `This card cannot be shown: ${read.reason}.`));
    return;
  }
  document.title = read.doc.title;
  renderCard(root, read.doc, newCardState());
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
else show();
