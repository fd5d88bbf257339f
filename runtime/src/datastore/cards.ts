// Cards in Metaflow's card layout, read over any ObjectStore (a local `.metaflow` folder or the S3
// datastore root; Metaflow's card root is that root + "/mf.cards"):
//   mf.cards/<Flow>/runs/<run>/steps/<step>/tasks/<task>/cards/<type>[-<id>]-<hash>.html
// The editor (client/src/cards) and the CLI (`flowlens card`) both list and read cards here.
import type { ObjectStore } from "./types";

export const cardRoot = "mf.cards";

export interface TaskPath {
  flow: string;
  run: string;
  step: string;
  task: string;
}

export interface CardFile extends TaskPath {
  type: string;
  /** The card's user id (`@card(id=...)`), when it has one. */
  id?: string;
  hash: string;
  /** The store key of the HTML page. */
  key: string;
  size: number;
  /** Milliseconds since the epoch. */
  modified: number;
}

export interface CardFilter {
  type?: string;
  id?: string;
  /** A prefix of the card's hash, as Metaflow matches it. */
  hash?: string;
}

/** The folder (key prefix, ending in "/") that holds a task's card pages. */
export function taskCardsPrefix(t: TaskPath): string {
  return `${cardRoot}/${t.flow}/runs/${t.run}/steps/${t.step}/tasks/${t.task}/cards/`;
}

/**
 * `<type>-<hash>.html` or `<type>-<id>-<hash>.html` → its parts; undefined for any other file
 * (temporary files of an atomic write, data files). Split on "-" as Metaflow does: two parts are
 * type and hash, three are type, id and hash.
 */
export function parseCardFileName(name: string): { type: string; id?: string; hash: string } | undefined {
  if (!name.endsWith(".html") || name.startsWith(".")) return undefined;
  const parts = name.slice(0, -".html".length).split("-");
  if (parts.some((p) => p === "")) return undefined;
  if (parts.length === 2) return { type: parts[0] as string, hash: parts[1] as string };
  if (parts.length === 3) return { type: parts[0] as string, id: parts[1] as string, hash: parts[2] as string };
  return undefined;
}

export function matchesFilter(card: { type: string; id?: string; hash: string }, filter: CardFilter): boolean {
  if (filter.type !== undefined && card.type !== filter.type) return false;
  if (filter.id !== undefined && card.id !== filter.id) return false;
  if (filter.hash !== undefined && !card.hash.startsWith(filter.hash)) return false;
  return true;
}

/** A task's cards, oldest first (by write time, then name), filtered. */
export async function listTaskCards(store: ObjectStore, t: TaskPath, filter: CardFilter = {}): Promise<CardFile[]> {
  const prefix = taskCardsPrefix(t);
  const objects = await store.list(prefix);
  const cards: CardFile[] = [];
  for (const o of objects) {
    const name = o.key.slice(prefix.length);
    if (name.includes("/")) continue;
    const parsed = parseCardFileName(name);
    if (!parsed || !matchesFilter(parsed, filter)) continue;
    // Only the task's four names: `t` may be a richer object (another card of the task).
    cards.push({ flow: t.flow, run: t.run, step: t.step, task: t.task, ...parsed, key: o.key, size: o.size, modified: o.modified });
  }
  return cards.sort((a, b) => a.modified - b.modified || (a.key < b.key ? -1 : 1));
}

/** Task ids of a step that have a cards folder (Metaflow writes cards for tasks only). */
export async function listCardTasks(store: ObjectStore, flow: string, run: string, step: string): Promise<string[]> {
  const prefix = `${cardRoot}/${flow}/runs/${run}/steps/${step}/tasks/`;
  const children = await store.listChildren(prefix);
  return children
    .filter((c) => c.endsWith("/"))
    .map((c) => c.slice(prefix.length, -1))
    .sort(byId);
}

/** Run ids that have cards for a flow, oldest first. */
export async function listCardRuns(store: ObjectStore, flow: string): Promise<string[]> {
  const prefix = `${cardRoot}/${flow}/runs/`;
  const children = await store.listChildren(prefix);
  return children
    .filter((c) => c.endsWith("/"))
    .map((c) => c.slice(prefix.length, -1))
    .sort(byId);
}

/** Every card of a step in one run, task by task. */
export async function listStepCards(store: ObjectStore, flow: string, run: string, step: string, filter: CardFilter = {}): Promise<CardFile[]> {
  const tasks = await listCardTasks(store, flow, run, step);
  const lists = await Promise.all(tasks.map((task) => listTaskCards(store, { flow, run, step, task }, filter)));
  return lists.flat();
}

/** The page's text, or undefined when it is gone (a newer write replaced the file, a task was deleted). */
export async function readCardHtml(store: ObjectStore, card: { key: string }): Promise<string | undefined> {
  return (await store.get(card.key))?.toString("utf8");
}

/** `flow/run/step/task type[-id]`: how a card is named in lists and messages. */
export function cardLabel(card: CardFile): string {
  return `${card.flow}/${card.run}/${card.step}/${card.task} ${card.type}${card.id !== undefined ? ` id=${card.id}` : ""} ${card.hash.slice(0, 8)}`;
}

function byId(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
