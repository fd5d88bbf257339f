// What the extension exports from activate(): read by the end-to-end tests and the activation
// benchmark (and available to other extensions). The test hooks read the services' state; they
// replace the test-only commands an earlier version registered, so the command palette holds
// only what a user can run.
import type * as vscode from "vscode";
import type { CardRendered } from "./cards/cardPanel";
import type { RunSnapshot } from "./explorer/testHooks";
import type { ArtifactItem, ExplorerModel } from "./explorer/treeModel";
import type { RenderedMessage } from "./graphPanel";
import type { RunSummary } from "./runs/summary";
import type { RenderedComparison } from "./compare/comparePanel";
import type { TimelineDrawn } from "./timeline/timelinePanel";

export interface FlowlensTestHooks {
  /** The Runs view's datastore model (the same object the view reads). */
  explorerModel(): Promise<ExplorerModel>;
  /** One run as the Runs view shows it when expanded (or the view's flows or runs, when it is not there). */
  runSnapshot(flow: string, runId: string): Promise<RunSnapshot>;
  /** The Runs view's item for an artifact of the first task of a step, to pass to a command. */
  findArtifact(flow: string, runId: string, step: string, name: string): Promise<ArtifactItem | undefined>;
  /** Shows the Runs view with the run selected; false when the datastore has no such run. */
  revealRun(flow: string, runId: string): Promise<boolean>;
  /** How many runs the editor started since activation. */
  runCount(): number;
  /** The latest run started from the editor, as plain JSON. */
  latestRun(): RunSummary | undefined;
  /** Resolves once run number `afterRuns + 1` has a running task (or has ended: its status), on run events. */
  whenTaskRunning(afterRuns: number): Promise<string>;
  /** The next drawing of a card tab (its key, title, component count, live/final, time). */
  nextCardRender(): Promise<CardRendered>;
  /** The keys of the open card tabs. */
  openCardTabs(): string[];
  /** The key of the latest run's first card of a step, without opening it. */
  findLatestCard(flow: string, step: string): Promise<string | undefined>;
  /** The open timeline tab of a run, once its drawing shows at least `bars` bars (undefined when no such tab is open). */
  /** The next drawing of a comparison tab (its runs, difference count, time). */
  nextComparisonRender(): Promise<RenderedComparison>;
  whenTimelineDrawn(ref: { flow: string; runId: string }, bars: number): Promise<TimelineDrawn | undefined>;
}

export interface FlowlensApi {
  activationMs: number;
  serverRunning(): boolean;
  graphPanelVisible(): boolean;
  /** Fires when the graph panel finished a drawing (flow, node and edge counts, time). */
  onDidRenderGraph: vscode.Event<RenderedMessage>;
  test: FlowlensTestHooks;
}
