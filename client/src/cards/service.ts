// The cards service: open a card by its key (the Runs view's Cards nodes), or a step's latest card
// (its CodeLens, the card badge on the graph), which says so when there is none yet. Cards are read
// from the datastore the Runs view reads (local folder or S3), through the explorer service.
import * as vscode from "vscode";
import { FlowDatastore } from "../../../runtime/src/datastore/layout";
import type { ObjectStore } from "../../../runtime/src/datastore/types";
import type { ExplorerModel } from "../explorer/treeModel";
import { CardPanels } from "./cardPanel";
import { latestStepCards, type CardRef } from "./cardRefs";

export class CardService implements vscode.Disposable {
  readonly panels: CardPanels;

  constructor(
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
    private readonly datastore: () => Promise<ExplorerModel>,
  ) {
    this.panels = new CardPanels(extensionUri, log);
  }

  /** Opens the card `ref` in its tab; its key, or undefined when the datastore cannot be opened. */
  open(ref: CardRef): Promise<string | undefined> {
    return this.withStore((store) => {
      this.panels.open(store, ref);
      return Promise.resolve(ref.key);
    });
  }

  /** Opens the latest run's card of a step (a pick when it has several); says so when there is none. */
  openStepCard(flow: string, step: string): Promise<string | undefined> {
    return this.withStore(async (store) => {
      const latest = await new FlowDatastore(store, flow).latestRun();
      const found = await latestStepCards(store, flow, latest, step);
      if (found.cards.length > 0) return this.choose(store, found.cards);
      const where = found.run === undefined ? `${flow} has no runs yet` : `step ${step} of run ${found.run} has no card yet`;
      const earlier = found.earlierRun !== undefined ? `Open run ${found.earlierRun}'s card` : undefined;
      const pick = await vscode.window.showInformationMessage(`Flowlens: ${where}.`, ...(earlier ? [earlier] : []));
      if (!pick || found.earlierRun === undefined) return undefined;
      return this.choose(store, (await latestStepCards(store, flow, found.earlierRun, step)).cards);
    });
  }

  /** The key of the latest run's first card of a step, without opening it. */
  async findLatest(flow: string, step: string): Promise<string | undefined> {
    const store = await this.store();
    if (!store) return undefined;
    const found = await latestStepCards(store, flow, await new FlowDatastore(store, flow).latestRun(), step);
    return found.cards[0]?.key;
  }

  private async store(): Promise<ObjectStore | undefined> {
    return (await this.datastore().catch(() => undefined))?.store;
  }

  private async withStore<T>(f: (store: ObjectStore) => Promise<T>): Promise<T | undefined> {
    const store = await this.store();
    if (!store) {
      void vscode.window.showErrorMessage("Flowlens: the datastore cannot be opened, so its cards cannot be read (see the Flowlens log).");
      return undefined;
    }
    return f(store);
  }

  private async choose(store: ObjectStore, cards: CardRef[]): Promise<string | undefined> {
    let ref = cards.length === 1 ? cards[0] : undefined;
    if (cards.length > 1) {
      const items = cards.map((c) => ({ label: `task ${c.task} · ${c.type}${c.id !== undefined ? ` ${c.id}` : ""}`, description: c.hash.slice(0, 8), ref: c }));
      ref = (await vscode.window.showQuickPick(items, { placeHolder: "Which card?" }))?.ref;
    }
    if (!ref) return undefined;
    this.panels.open(store, ref);
    return ref.key;
  }

  dispose(): void {
    this.panels.dispose();
  }
}
