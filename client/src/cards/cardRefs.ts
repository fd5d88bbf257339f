// Which card a panel shows, and the list of cards it offers (the task's other cards, the step's
// cards in earlier runs). Pure over an ObjectStore: no `vscode`, so unit tests use a real folder.
import { cardRoot, listCardRuns, listStepCards, listTaskCards, parseCardFileName, type CardFile } from "../../../runtime/src/datastore/cards";
import type { ObjectStore } from "../../../runtime/src/datastore/types";
import type { CardListEntry } from "../../../server/src/protocol/cards";

export interface CardRef {
  flow: string;
  run: string;
  step: string;
  task: string;
  type: string;
  id?: string;
  hash: string;
  key: string;
}

const keyPattern = new RegExp(`^${cardRoot.replace(".", "\\.")}/([^/]+)/runs/([^/]+)/steps/([^/]+)/tasks/([^/]+)/cards/([^/]+)$`);

/** A store key back to its card, or undefined for anything that is not a card page. */
export function refFromKey(key: string): CardRef | undefined {
  const m = keyPattern.exec(key);
  if (!m) return undefined;
  const parsed = parseCardFileName(m[5] as string);
  if (!parsed) return undefined;
  return { flow: m[1] as string, run: m[2] as string, step: m[3] as string, task: m[4] as string, ...parsed, key };
}

export function refOf(card: CardFile): CardRef {
  return { flow: card.flow, run: card.run, step: card.step, task: card.task, type: card.type, ...(card.id !== undefined ? { id: card.id } : {}), hash: card.hash, key: card.key };
}

export function cardTitle(ref: CardRef): string {
  return `${ref.step} card${ref.type !== "default" ? ` (${ref.id ?? ref.type})` : ref.id !== undefined ? ` (${ref.id})` : ""} · run ${ref.run}`;
}

const earlierRuns = 10;
const maxEntries = 60;

/** The panel's list: this task's cards, then the step's cards in the newest runs (at most 10 runs, 60 cards). */
export async function cardList(store: ObjectStore, ref: CardRef): Promise<CardListEntry[]> {
  const own = await listTaskCards(store, ref);
  const runs = (await listCardRuns(store, ref.flow)).reverse().filter((r) => r !== ref.run).slice(0, earlierRuns);
  const earlier = (await Promise.all(runs.map((run) => listStepCards(store, ref.flow, run, ref.step)))).flat();
  const entries = [...own, ...earlier].slice(0, maxEntries).map((c) => ({ key: c.key, label: `run ${c.run} · task ${c.task} · ${c.type}${c.id !== undefined ? ` ${c.id}` : ""}`, current: c.key === ref.key }));
  if (!entries.some((e) => e.current)) entries.unshift({ key: ref.key, label: `run ${ref.run} · task ${ref.task} · ${ref.type}`, current: true });
  return entries;
}

/** The cards of a step in the flow's latest run (as FlowDatastore picks it), for "Open card". */
export async function latestStepCards(store: ObjectStore, flow: string, latestRun: string | undefined, step: string): Promise<{ run?: string; cards: CardRef[]; earlierRun?: string }> {
  if (latestRun === undefined) return { cards: [] };
  const cards = (await listStepCards(store, flow, latestRun, step)).map(refOf);
  if (cards.length > 0) return { run: latestRun, cards };
  // Nothing yet in the latest run: name the newest earlier run that has one, one click away.
  for (const run of (await listCardRuns(store, flow)).reverse().slice(0, 20)) {
    if (run === latestRun) continue;
    if ((await listStepCards(store, flow, run, step)).length > 0) return { run: latestRun, cards: [], earlierRun: run };
  }
  return { run: latestRun, cards: [] };
}
