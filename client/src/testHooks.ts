// The test hooks of the extension's API (api.ts), read from the services.
import type { FlowlensTestHooks } from "./api";
import type { CardRendered } from "./cards/cardPanel";
import type { RenderedComparison } from "./compare/comparePanel";
import { findArtifact, runSnapshot } from "./explorer/testHooks";
import type { RunManager } from "./runs/runManager";
import type { Services } from "./services";
import { summarize } from "./runs/summary";

export function testHooks({ explorer, runs, cards, timeline, compare }: Services): FlowlensTestHooks {
  return {
    explorerModel: () => explorer.model(),
    runSnapshot: (flow, runId) => runSnapshot(explorer, flow, runId),
    findArtifact: (flow, runId, step, name) => findArtifact(explorer, flow, runId, step, name),
    revealRun: (flow, runId) => explorer.revealRun(flow, runId),
    runCount: () => runs.runs.length,
    latestRun: () => {
      const run = runs.latest();
      return run ? summarize(run.session, run.pane.text()) : undefined;
    },
    whenTaskRunning: (afterRuns) => waitForRunningTask(runs, afterRuns),
    nextCardRender: () =>
      new Promise<CardRendered>((resolve) => {
        const sub = cards.panels.onDidRender((m) => {
          sub.dispose();
          resolve(m);
        });
      }),
    openCardTabs: () => cards.panels.openKeys(),
    findLatestCard: (flow, step) => cards.findLatest(flow, step),
    nextComparisonRender: () =>
      new Promise<RenderedComparison>((resolve) => {
        const sub = compare.onDidRender((m) => {
          sub.dispose();
          resolve(m);
        });
      }),
    whenTimelineDrawn: (ref, bars) => timeline.whenDrawn(ref, bars),
  };
}

function waitForRunningTask(manager: RunManager, afterRuns: number): Promise<string> {
  const check = (): string | undefined => {
    const run = manager.runs[afterRuns];
    if (!run) return undefined;
    if (run.session.done) return run.session.status;
    return [...run.session.tasks.values()].some((t) => t.state === "running" && t.ref.step !== "_parameters") ? "running" : undefined;
  };
  const now = check();
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const sub = manager.onDidChange(() => {
      const state = check();
      if (state) {
        sub.dispose();
        resolve(state);
      }
    });
  });
}
