// Loading one artifact's value through the bundled preview script, with the flow's interpreter and
// the runs' datastore: shared by the preview tabs and the hover. It unpickles, so every caller goes
// through the trust gate first (client/src/trust).
import * as vscode from "vscode";
import type { ExplorerModel, ArtifactItem } from "../explorer/treeModel";
import type { InterpreterService } from "../interpreter";
import { datastoreConfig } from "../runs/datastoreConfig";
import type { PreviewResult, TableSort } from "./previewResult";
import { runPreview } from "./previewRunner";

export interface ValueLoaderDeps {
  interpreter: InterpreterService;
  log: vscode.LogOutputChannel;
  /** dist/python: the bundled Python side. */
  pythonDir: string;
  /** The Runs view's datastore model (the run record names the flow file, hence the interpreter). */
  model(): Promise<ExplorerModel>;
}

export async function loadArtifactValue(deps: ValueLoaderDeps, a: ArtifactItem, page: { offset: number; limit: number; sort?: TableSort }): Promise<PreviewResult> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const store = datastoreConfig(folder);
  const model = await deps.model();
  const record = await model.ds(a.flow).readRunRecord(a.runId).catch(() => undefined);
  const flowFile = record?.file;
  const python = (await deps.interpreter.resolve(flowFile ? vscode.Uri.file(flowFile) : folder)).path;
  const t0 = Date.now();
  const result = await runPreview({ python, pythonDir: deps.pythonDir, datastore: store, flow: a.flow, sha: a.sha, offset: page.offset, limit: page.limit, ...(flowFile ? { flowFile } : {}), ...(page.sort ? { sort: page.sort } : {}) });
  deps.log.info(`preview ${a.flow}/${a.runId}/${a.step}/${a.taskId}.${a.name}: ${result.kind} in ${Date.now() - t0} ms`);
  return result;
}
