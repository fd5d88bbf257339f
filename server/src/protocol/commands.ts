// The editor commands Flowlens offers, and the arguments the language server's CodeLens pass to
// them: declared once here, read by the server (which places the lenses) and by the client (which
// registers the commands). Commands are the user's edge only (palette, menus, CodeLens, links in
// a webview): features of the client reach each other through its typed services
// (client/src/services.ts), never through a command. package.json's `contributes.commands` must
// list exactly `contributedCommands` (test/unit/protocol/commands.test.ts).

/** Every command in the palette, a menu or a CodeLens, by the name the client code uses. */
export const contributedCommands = {
  showGraph: "flowlens.showGraph",
  runFlow: "flowlens.runFlow",
  runStep: "flowlens.runStep",
  runFromHere: "flowlens.runFromHere",
  debugStep: "flowlens.debugStep",
  stopRun: "flowlens.stopRun",
  resumeRun: "flowlens.resumeRun",
  graphFit: "flowlens.graph.fit",
  graphZoomIn: "flowlens.graph.zoomIn",
  graphZoomOut: "flowlens.graph.zoomOut",
  graphExportSvg: "flowlens.graph.exportSvg",
  graphExportPng: "flowlens.graph.exportPng",
  graphStepLogs: "flowlens.graph.stepLogs",
  graphStepArtifacts: "flowlens.graph.stepArtifacts",
  restartServer: "flowlens.restartServer",
  showLog: "flowlens.showLog",
  showRunLogs: "flowlens.showRunLogs",
  filterLogs: "flowlens.logs.filter",
  refreshRuns: "flowlens.explorer.refresh",
  openRunCode: "flowlens.run.openCode",
  compareRunWithWorkingCopy: "flowlens.run.compareWithWorkingCopy",
  resumeFromRunsView: "flowlens.run.resume",
  showTaskLogs: "flowlens.task.showLogs",
  previewArtifact: "flowlens.artifact.preview",
  copyArtifactSnippet: "flowlens.artifact.copySnippet",
  compareArtifact: "flowlens.artifact.compareWith",
  openStepCard: "flowlens.openCard",
  openCard: "flowlens.card.open",
  showRunTimeline: "flowlens.showRunTimeline",
  gettingStarted: "flowlens.gettingStarted",
  compareRuns: "flowlens.compareRuns",
  compareWithRun: "flowlens.run.compareWith",
  compareWithPrevious: "flowlens.run.compareWithPrevious",
} as const;

/**
 * Commands reached only through a `command:` link inside a webview (paging in an artifact
 * preview). They are registered but not contributed: a palette entry would have no arguments.
 */
export const linkCommands = {
  artifactPage: "flowlens.artifact.page",
} as const;

export type CommandId = (typeof contributedCommands)[keyof typeof contributedCommands] | (typeof linkCommands)[keyof typeof linkCommands];

/** The commands a CodeLens of the language server invokes (each with `LensArguments`). */
export const lensCommands = {
  runFlow: contributedCommands.runFlow,
  showGraph: contributedCommands.showGraph,
  runStep: contributedCommands.runStep,
  runFromHere: contributedCommands.runFromHere,
  debugStep: contributedCommands.debugStep,
  openCard: contributedCommands.openStepCard,
} as const;

/** What a CodeLens passes: the document, its path, the flow and, on a step's lens, the step. */
export interface LensArguments {
  uri: string;
  file: string;
  flow: string;
  step?: string;
}

/** Command arguments arrive as `unknown` (anyone may call a command), so they are checked once, here. */
export function parseLensArguments(x: unknown): LensArguments | undefined {
  if (typeof x !== "object" || x === null) return undefined;
  const o = x as Record<string, unknown>;
  if (typeof o.uri !== "string" || typeof o.file !== "string" || typeof o.flow !== "string") return undefined;
  if (o.step !== undefined && typeof o.step !== "string") return undefined;
  return { uri: o.uri, file: o.file, flow: o.flow, step: o.step };
}
