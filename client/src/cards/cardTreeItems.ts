// The Runs view's card nodes: a "Cards" node under a task that has cards, and one child per card
// that opens it in a tab. Read from the same store as the rest of the tree.
import { listTaskCards } from "../../../runtime/src/datastore/cards";
import type { ObjectStore } from "../../../runtime/src/datastore/types";
import { refOf, type CardRef } from "./cardRefs";

export interface CardsItem {
  kind: "cards";
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  count: number;
}

export interface CardItem {
  kind: "card";
  ref: CardRef;
  modified: number;
}

/** The "Cards" node for a task, or nothing when the task has no cards (or they cannot be listed). */
export async function cardsNode(store: ObjectStore, t: { flow: string; runId: string; step: string; taskId: string }): Promise<CardsItem[]> {
  try {
    const cards = await listTaskCards(store, { flow: t.flow, run: t.runId, step: t.step, task: t.taskId });
    return cards.length > 0 ? [{ kind: "cards", flow: t.flow, runId: t.runId, step: t.step, taskId: t.taskId, count: cards.length }] : [];
  } catch {
    return [];
  }
}

export async function cardItems(store: ObjectStore, c: CardsItem): Promise<CardItem[]> {
  const cards = await listTaskCards(store, { flow: c.flow, run: c.runId, step: c.step, task: c.taskId });
  return cards.map((card) => ({ kind: "card", ref: refOf(card), modified: card.modified }));
}

export function cardItemText(item: CardsItem | CardItem): { label: string; description?: string; tooltip?: string; icon: string } {
  if (item.kind === "cards") return { label: "Cards", description: String(item.count), icon: "preview" };
  const r = item.ref;
  return {
    label: r.id !== undefined ? `${r.type}: ${r.id}` : r.type,
    description: r.hash.slice(0, 8),
    tooltip: `${r.flow}/${r.run}/${r.step}/${r.task} · ${r.type}${r.id !== undefined ? ` id=${r.id}` : ""} · written ${new Date(item.modified).toISOString()}\nClick to open the card`,
    icon: "file-media",
  };
}

export function cardItemId(item: CardsItem | CardItem): string {
  return item.kind === "cards" ? `cards:${item.flow}/${item.runId}/${item.step}/${item.taskId}` : `card:${item.ref.key}`;
}
