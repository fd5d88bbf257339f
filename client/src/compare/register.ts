// "Compare runs…": from the command palette (pick a flow, then its latest run against the one
// before, or two runs of one's choice), and on a run in the Runs view ("Compare with…" another
// run of its flow, "Compare with Previous Run"). Each opens a comparison tab (comparePanel.ts). Runs are read from the datastore the Runs view reads.
import * as vscode from "vscode";
import { previousRun } from "../../../runtime/src/compare";
import { contributedCommands as ids } from "../../../server/src/protocol/commands";
import type { ExplorerService } from "../explorer/service";
import type { ExplorerModel, RunItem } from "../explorer/treeModel";
import type { Services } from "../services";

interface RunRef {
  flow: string;
  runId: string;
}

function runArgument(x: unknown): RunRef | undefined {
  const o = x as Partial<RunItem> | undefined;
  return typeof o?.flow === "string" && typeof o.runId === "string" ? { flow: o.flow, runId: o.runId } : undefined;
}

async function modelOf(explorer: ExplorerService): Promise<ExplorerModel | undefined> {
  const model = await explorer.model().catch(() => undefined);
  if (!model) void vscode.window.showErrorMessage("Flowlens: the datastore cannot be opened, so runs cannot be compared (see the Flowlens log).");
  return model;
}

export function registerCompare({ explorer, compare }: Services): vscode.Disposable[] {
  const explorerModel = (): Promise<ExplorerModel | undefined> => modelOf(explorer);

  /** Opens the tab for runs a (A) and b (B) of a flow; returns "flow/a..b" or undefined when nothing opened. */
  async function open(flow: string, a: string, b: string): Promise<string | undefined> {
    const model = await explorerModel();
    if (!model) return undefined;
    compare.open({ ds: model.ds(flow), a, b });
    return `${flow}/${a}..${b}`;
  }

  /** A quick pick of a flow's runs, newest first, without `except`. */
  async function pickRun(model: ExplorerModel, flow: string, placeHolder: string, except?: string): Promise<string | undefined> {
    const runs = (await model.runs(flow)).filter((r): r is RunItem => r.kind === "run" && r.runId !== except);
    if (runs.length === 0) {
      void vscode.window.showInformationMessage(`Flowlens: ${flow} has no ${except ? "other " : ""}run to compare with.`);
      return undefined;
    }
    const items = runs.map((r) => ({ label: r.runId, description: [r.status, r.startedAt ? new Date(r.startedAt).toLocaleString() : "", r.record?.tags.join(", ") ?? ""].filter(Boolean).join(" · "), runId: r.runId }));
    return (await vscode.window.showQuickPick(items, { placeHolder }))?.runId;
  }

  return [
    // Palette: flow, then A, then B. Tests pass (flow, a, b) and skip the pickers.
    vscode.commands.registerCommand(ids.compareRuns, async (flowArg?: unknown, aArg?: unknown, bArg?: unknown) => {
      if (typeof flowArg === "string" && typeof aArg === "string" && typeof bArg === "string") return open(flowArg, aArg, bArg);
      const model = await explorerModel();
      if (!model) return undefined;
      const flows = (await model.flows()).flatMap((f) => (f.kind === "flow" ? [f.flow] : []));
      if (flows.length === 0) {
        void vscode.window.showInformationMessage(`Flowlens: the datastore (${model.store.root}) has no runs yet.`);
        return undefined;
      }
      const flow = flows.length === 1 ? flows[0] : await vscode.window.showQuickPick(flows, { placeHolder: "Compare runs of which flow?" });
      if (!flow) return undefined;
      const latestFirst = { label: "The latest run against the one before it", latest: true };
      const how = await vscode.window.showQuickPick([latestFirst, { label: "Two runs of my choice…", latest: false }], { placeHolder: `Compare which runs of ${flow}?` });
      if (!how) return undefined;
      if (how.latest) {
        const ds = model.ds(flow);
        const latest = await ds.latestRun();
        const before = latest === undefined ? undefined : await previousRun(ds, latest);
        if (latest === undefined || before === undefined) {
          void vscode.window.showInformationMessage(`Flowlens: ${flow} has ${latest === undefined ? "no runs" : "only one run"}: there is nothing to compare.`);
          return undefined;
        }
        return open(flow, before, latest);
      }
      const a = await pickRun(model, flow, `${flow}: the first run (A)`);
      if (!a) return undefined;
      const b = await pickRun(model, flow, `${flow}: compare run ${a} with (B)`, a);
      return b ? open(flow, a, b) : undefined;
    }),
    vscode.commands.registerCommand(ids.compareWithRun, async (raw: unknown) => {
      const run = runArgument(raw);
      const model = run ? await explorerModel() : undefined;
      if (!run || !model) return undefined;
      const other = await pickRun(model, run.flow, `Compare ${run.flow}/${run.runId} with which run?`, run.runId);
      return other ? open(run.flow, other, run.runId) : undefined;
    }),
    vscode.commands.registerCommand(ids.compareWithPrevious, async (raw: unknown) => {
      const run = runArgument(raw);
      const model = run ? await explorerModel() : undefined;
      if (!run || !model) return undefined;
      const before = await previousRun(model.ds(run.flow), run.runId);
      if (!before) {
        void vscode.window.showInformationMessage(`Flowlens: ${run.flow}/${run.runId} is the first run of ${run.flow}: there is no run before it.`);
        return undefined;
      }
      return open(run.flow, before, run.runId);
    }),
  ];
}
