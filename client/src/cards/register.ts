// Card commands: open a card from the Runs view, and "Open card" for a step (its CodeLens), which
// opens the latest run's card of that step. The work is the cards service's (service.ts).
import * as vscode from "vscode";
import { contributedCommands as ids, parseLensArguments } from "../../../server/src/protocol/commands";
import type { Services } from "../services";
import { refFromKey, type CardRef } from "./cardRefs";

/** A tree item ({kind: "card", ref}) or {key} (a link, a test) to the card it names. */
function refArgument(x: unknown): CardRef | undefined {
  if (typeof x !== "object" || x === null) return undefined;
  const o = x as { kind?: unknown; ref?: { key?: unknown }; key?: unknown };
  const key = o.kind === "card" ? o.ref?.key : o.key;
  return typeof key === "string" ? refFromKey(key) : undefined;
}

/** The step named by a CodeLens ({uri, file, flow, step}) or {flow, step}. */
function stepArgument(x: unknown): { flow: string; step: string } | undefined {
  const lens = parseLensArguments(x);
  if (lens?.step !== undefined) return { flow: lens.flow, step: lens.step };
  const o = x as { flow?: unknown; step?: unknown } | undefined;
  return typeof o?.flow === "string" && typeof o.step === "string" ? { flow: o.flow, step: o.step } : undefined;
}

export function registerCards({ cards }: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ids.openCard, (raw: unknown) => {
      const ref = refArgument(raw);
      if (ref) return cards.open(ref);
      void vscode.window.showInformationMessage("Flowlens: pick a card under a task's Cards node in the Runs view.");
      return undefined;
    }),
    vscode.commands.registerCommand(ids.openStepCard, (raw: unknown) => {
      const target = stepArgument(raw);
      if (target) return cards.openStepCard(target.flow, target.step);
      void vscode.window.showInformationMessage('Flowlens: Open Card opens a step\'s card: use the "Open card" CodeLens above a step with @card, the card badge on the graph, or a task\'s Cards node in the Runs view.');
      return undefined;
    }),
  ];
}
