// Card commands: open a card from the Runs view, and "Open card" for a step (its CodeLens and the
// card badge on the graph), which opens the latest run's card of that step or says there is none
// yet. Cards are read from the datastore the Runs view reads (local folder or S3).
import * as vscode from "vscode";
import { FlowDatastore } from "../../../runtime/src/datastore/layout";
import type { ObjectStore } from "../../../runtime/src/datastore/types";
import type { ExplorerModel } from "../explorer/treeModel";
import { parseLensArguments } from "../lensArguments";
import { CardPanels } from "./cardPanel";
import { latestStepCards, refFromKey, type CardRef } from "./cardRefs";
import { openCardCommand } from "./cardTreeItems";

export const openStepCardCommand = "flowlens.openCard";

async function currentStore(): Promise<ObjectStore | undefined> {
  const model = await vscode.commands.executeCommand<ExplorerModel | undefined>("flowlens.explorer.model");
  return model?.store;
}

/** A tree item ({kind: "card", ref}) or {key} (tests, other commands) to the card it names. */
function refArgument(x: unknown): CardRef | undefined {
  if (typeof x !== "object" || x === null) return undefined;
  const o = x as { kind?: unknown; ref?: { key?: unknown }; key?: unknown };
  const key = o.kind === "card" ? o.ref?.key : o.key;
  return typeof key === "string" ? refFromKey(key) : undefined;
}

/** The step named by a CodeLens ({uri, file, flow, step}) or the graph's badge ({flow, step}). */
function stepArgument(x: unknown): { flow: string; step: string } | undefined {
  const lens = parseLensArguments(x);
  if (lens?.step !== undefined) return { flow: lens.flow, step: lens.step };
  const o = x as { flow?: unknown; step?: unknown } | undefined;
  return typeof o?.flow === "string" && typeof o.step === "string" ? { flow: o.flow, step: o.step } : undefined;
}

export function registerCards(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const panels = new CardPanels(context.extensionUri, log);

  async function withStore<T>(f: (store: ObjectStore) => Promise<T>): Promise<T | undefined> {
    const store = await currentStore().catch(() => undefined);
    if (!store) {
      void vscode.window.showErrorMessage("Flowlens: the datastore cannot be opened, so its cards cannot be read (see the Flowlens log).");
      return undefined;
    }
    return f(store);
  }

  async function openStepCard(raw: unknown): Promise<string | undefined> {
    const target = stepArgument(raw);
    if (!target) {
      void vscode.window.showInformationMessage("Flowlens: Open Card opens a step's card: use the \"Open card\" CodeLens above a step with @card, the card badge on the graph, or a task's Cards node in the Runs view.");
      return undefined;
    }
    return withStore(async (store) => {
      const latest = await new FlowDatastore(store, target.flow).latestRun();
      const found = await latestStepCards(store, target.flow, latest, target.step);
      if (found.cards.length === 0) {
        const where = found.run === undefined ? `${target.flow} has no runs yet` : `step ${target.step} of run ${found.run} has no card yet`;
        const earlier = found.earlierRun !== undefined ? `Open run ${found.earlierRun}'s card` : undefined;
        const pick = await vscode.window.showInformationMessage(`Flowlens: ${where}.`, ...(earlier ? [earlier] : []));
        if (pick && found.earlierRun !== undefined) return openStepCardOfRun(store, target.flow, found.earlierRun, target.step);
        return undefined;
      }
      return choose(store, found.cards);
    });
  }

  async function openStepCardOfRun(store: ObjectStore, flow: string, run: string, step: string): Promise<string | undefined> {
    const found = await latestStepCards(store, flow, run, step);
    return choose(store, found.cards);
  }

  async function choose(store: ObjectStore, cards: CardRef[]): Promise<string | undefined> {
    let ref = cards.length === 1 ? cards[0] : undefined;
    if (cards.length > 1) {
      const items = cards.map((c) => ({ label: `task ${c.task} · ${c.type}${c.id !== undefined ? ` ${c.id}` : ""}`, description: c.hash.slice(0, 8), ref: c }));
      ref = (await vscode.window.showQuickPick(items, { placeHolder: "Which card?" }))?.ref;
    }
    if (!ref) return undefined;
    panels.open(store, ref);
    return ref.key;
  }

  return [
    panels,
    vscode.commands.registerCommand(openCardCommand, async (raw: unknown) => {
      const ref = refArgument(raw);
      if (!ref) {
        void vscode.window.showInformationMessage("Flowlens: pick a card under a task's Cards node in the Runs view.");
        return undefined;
      }
      return withStore((store) => {
        panels.open(store, ref);
        return Promise.resolve(ref.key);
      });
    }),
    vscode.commands.registerCommand(openStepCardCommand, openStepCard),
    // For tests: the next drawing of a card tab (its key, title, component count, live/final, time).
    vscode.commands.registerCommand("flowlens.card.nextRender", () => new Promise((resolve) => {
      const sub = panels.onDidRender((m) => {
        sub.dispose();
        resolve(m);
      });
    })),
    vscode.commands.registerCommand("flowlens.card.openTabs", () => panels.openKeys()),
    // For tests: the key of the latest run's first card of a step, without opening it.
    vscode.commands.registerCommand("flowlens.card.findLatest", async (flow: unknown, step: unknown) => {
      if (typeof flow !== "string" || typeof step !== "string") return undefined;
      const store = await currentStore().catch(() => undefined);
      if (!store) return undefined;
      const found = await latestStepCards(store, flow, await new FlowDatastore(store, flow).latestRun(), step);
      return found.cards[0]?.key;
    }),
  ];
}
