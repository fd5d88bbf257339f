// Card tabs: one webview panel per card, showing it with the card renderer (dist/cardPanel.js)
// and following it live: when the task rewrites the page the panel re-renders it (the renderer
// keeps the scroll position and each table's page and sort). Card data is only ever parsed here
// (runtime/src/datastore/cardPage.ts) and posted as JSON; raw-HTML cards go to a sandboxed frame.
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import { readCardPage } from "../../../runtime/src/datastore/cardPage";
import { readCardHtml } from "../../../runtime/src/datastore/cards";
import type { ObjectStore } from "../../../runtime/src/datastore/types";
import { isCardPanelToHost, isWebLink, type CardRenderedMessage, type HostToCardPanel } from "../../../server/src/protocol/cards";
import { cardHtmlText } from "./cardHtml";
import { cardList, cardTitle, refFromKey, type CardRef } from "./cardRefs";
import { watchCard, type CardWatch } from "./cardWatcher";

export const cardViewType = "flowlens.card";

export interface CardRendered extends CardRenderedMessage {
  key: string;
}

export class CardPanels implements vscode.Disposable {
  private readonly panels = new Map<string, CardPanel>();
  private readonly renderedEmitter = new vscode.EventEmitter<CardRendered>();
  /** Fires each time a card tab finished drawing (tests and the benchmark wait for it). */
  readonly onDidRender = this.renderedEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens the card in its tab (or shows the tab it already has). */
  open(store: ObjectStore, ref: CardRef): void {
    const existing = this.panels.get(ref.key);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const dist = vscode.Uri.joinPath(this.extensionUri, "dist");
    const panel = vscode.window.createWebviewPanel(cardViewType, cardTitle(ref), vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [dist], retainContextWhenHidden: true });
    const w = panel.webview;
    w.html = cardHtmlText({ nonce: randomBytes(16).toString("base64"), cspSource: w.cspSource, scriptUri: w.asWebviewUri(vscode.Uri.joinPath(dist, "cardPanel.js")).toString(), cssUri: w.asWebviewUri(vscode.Uri.joinPath(dist, "media", "cardPanel.css")).toString() });
    const card = new CardPanel(panel, store, ref, this.log, {
      rendered: (m) => this.renderedEmitter.fire({ ...m, key: ref.key }),
      openOther: (key) => {
        const other = refFromKey(key);
        if (other) this.open(store, other);
      },
    });
    this.panels.set(ref.key, card);
    panel.onDidDispose(() => {
      card.dispose();
      this.panels.delete(ref.key);
    });
  }

  /** The keys of the open card tabs (for tests). */
  openKeys(): string[] {
    return [...this.panels.keys()];
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.renderedEmitter.dispose();
  }
}

class CardPanel {
  private readonly watch: CardWatch;
  private ready = false;
  private loading: Promise<void> | undefined;
  private pending = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly store: ObjectStore,
    private readonly ref: CardRef,
    private readonly log: vscode.LogOutputChannel,
    private readonly hooks: { rendered: (m: CardRenderedMessage) => void; openOther: (key: string) => void },
  ) {
    this.watch = watchCard(store, ref.key, () => this.reload());
    this.subscriptions.push(panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
  }

  private receive(m: unknown): void {
    if (!isCardPanelToHost(m)) return;
    switch (m.type) {
      case "ready":
        this.ready = true;
        this.reload();
        break;
      case "rendered":
        this.hooks.rendered(m);
        break;
      case "openLink":
        if (isWebLink(m.href)) void vscode.env.openExternal(vscode.Uri.parse(m.href, true));
        break;
      case "openCard":
        this.hooks.openOther(m.key);
        break;
    }
  }

  /** Loads and posts the card; a reload asked for while one runs happens once after it. */
  reload(): void {
    if (!this.ready) return;
    if (this.loading) {
      this.pending = true;
      return;
    }
    this.loading = this.load()
      .catch((err: unknown) => this.log.error(`card ${this.ref.key}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.loading = undefined;
        if (this.pending) {
          this.pending = false;
          this.reload();
        }
      });
  }

  private async load(): Promise<void> {
    const [html, list] = await Promise.all([readCardHtml(this.store, this.ref), cardList(this.store, this.ref).catch(() => [])]);
    let message: HostToCardPanel;
    if (html === undefined) message = { type: "problem", message: `This card is no longer in the datastore (${this.ref.key}).`, list };
    else {
      const page = readCardPage(html);
      if (page.kind === "components") message = { type: "card", doc: page.doc, source: page.source, list };
      else if (page.kind === "html") message = { type: "html", title: page.title, html, list };
      else message = { type: "problem", message: `This card cannot be shown: ${page.reason}.`, list };
      const live = page.kind === "components" && page.doc.final === false;
      this.watch.setFinal(!live);
      this.panel.title = `${cardTitle(this.ref)}${live ? " (live)" : ""}`;
    }
    await this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.watch.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
