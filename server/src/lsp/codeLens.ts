// CodeLens above each flow class ("Run flow", "Show graph") and each step ("Run step",
// "Run from here", "Debug step", and "Open card" on a step with @card). The client owns the
// commands; the server only places them, with the IDs and arguments of protocol/commands.ts. Run
// lenses go on the file's main flow only (the core's `mainFlow`, which `flowlens run` runs).
import type { CodeLens } from "vscode-languageserver";
import type { AnalysisResult } from "../analysis/model";
import { ownSteps } from "../analysis/ide";
import { lensCommands, type LensArguments } from "../protocol/commands";
import { toRange, type PositionMap } from "./positions";

export function codeLenses(result: AnalysisResult, map: PositionMap, uri: string, file: string): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const flow of result.flows) {
    // The lens sits on the line where the class starts (its first decorator, if any).
    const flowRange = toRange(map, { start: flow.span.start, end: flow.span.start });
    const flowArgs: LensArguments = { uri, file, flow: flow.name };
    // Only the file's main flow can be run from it (`flowlens run` runs that one): another flow
    // gets its graph and a line that says why it has no Run lenses.
    if (flow.name !== result.mainFlow) {
      lenses.push({ range: flowRange, command: { title: "Show graph", command: lensCommands.showGraph, arguments: [flowArgs] } });
      lenses.push({ range: flowRange, command: { title: notMainTitle(result.mainFlow), command: "" } });
      continue;
    }
    lenses.push({ range: flowRange, command: { title: "▶ Run flow", command: lensCommands.runFlow, arguments: [flowArgs] } });
    lenses.push({ range: flowRange, command: { title: "Show graph", command: lensCommands.showGraph, arguments: [flowArgs] } });
    for (const step of ownSteps(flow)) {
      if (!step.isStep) continue;
      const range = toRange(map, { start: step.span.start, end: step.span.start });
      const args: LensArguments = { uri, file, flow: flow.name, step: step.name };
      lenses.push({ range, command: { title: "▶ Run step", command: lensCommands.runStep, arguments: [args] } });
      lenses.push({ range, command: { title: "Run from here", command: lensCommands.runFromHere, arguments: [args] } });
      lenses.push({ range, command: { title: "Debug step", command: lensCommands.debugStep, arguments: [args] } });
      // The latest run's card of the step (the client says when there is none yet).
      if (step.decorators.some((d) => d.name === "card")) lenses.push({ range, command: { title: "Open card", command: lensCommands.openCard, arguments: [args] } });
    }
  }
  return lenses;
}

/** Why a flow has no Run lens: the file runs another flow, or it does not say which one. */
function notMainTitle(main: string | undefined): string {
  return main !== undefined ? `Not run by this file (it runs ${main})` : 'Not run: several flows and no call under if __name__ == "__main__"';
}
