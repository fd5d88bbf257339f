// Hover shows data: hovering `self.x` in a flow file adds, below what the analysis says (the
// language server's hover), the value of `x` from the latest run of a step that sets it. The
// language server says which artifact and which steps (`flowlens/artifactAt`); the Runs view's model
// finds the stored artifact; the previews' loader loads it, only in a trusted workspace, once per
// content hash.
import * as vscode from "vscode";
import { artifactAtRequest } from "../../../server/src/protocol/requests";
import type { ExplorerModel } from "../explorer/treeModel";
import { loadArtifactValue } from "../previews/loadValue";
import type { PreviewResult } from "../previews/previewResult";
import type { Services } from "../services";
import { noRunMarkdown, restrictedMarkdown, valueMarkdown } from "./hoverText";
import { ValueCache, ValueLookup } from "./valueLookup";

export function registerHoverValues(deps: Services): vscode.Disposable[] {
  const pythonDir = vscode.Uri.joinPath(deps.context.extensionUri, "dist", "python").fsPath;
  const model = (): Promise<ExplorerModel> => deps.explorer.model();
  const values = new ValueCache<PreviewResult>();
  let lookup: { model: ExplorerModel; lookup: ValueLookup } | undefined;

  async function provide(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    // A hover never starts the server, but it waits for one that is starting: opening a flow file
    // starts it, and a hover right after the file opens would otherwise show only the static part.
    if (!deps.server.requested) return undefined;
    const client = await deps.server.start();
    const at = await client?.sendRequest(artifactAtRequest, { textDocument: { uri: doc.uri.toString() }, position: { line: position.line, character: position.character } });
    if (!at) return undefined;
    const current = await model();
    // The model is rebuilt when the datastore setting changes; so is what was read through it.
    if (lookup?.model !== current) lookup = { model: current, lookup: new ValueLookup(current) };
    const artifact = await lookup.lookup.find(at.flow, at.setBy, at.name).catch((err: unknown) => {
      deps.log.warn(`hover value of ${at.flow}.${at.name}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    const range = new vscode.Range(at.range.start.line, at.range.start.character, at.range.end.line, at.range.end.character);
    let text: string;
    if (!artifact) text = deps.trust.trusted ? noRunMarkdown(at.flow, at.setBy) : restrictedMarkdown(undefined);
    else {
      const a = artifact;
      const gated = await deps.trust.run("preview", () => values.get(`${a.flow}/${a.sha}`, () => loadArtifactValue({ interpreter: deps.interpreter, log: deps.log, pythonDir, model }, a, { offset: 0, limit: 5 })));
      text = gated.allowed ? valueMarkdown(a, gated.value, `command:flowlens.artifact.preview?${encodeURIComponent(JSON.stringify([a]))}`) : restrictedMarkdown(a);
    }
    const md = new vscode.MarkdownString(text);
    md.isTrusted = { enabledCommands: ["flowlens.artifact.preview"] };
    return new vscode.Hover(md, range);
  }

  return [
    vscode.languages.registerHoverProvider([{ scheme: "file", language: "python" }], {
    provideHover: (doc, position) =>
      provide(doc, position).catch((err: unknown) => {
        deps.log.error(`hover value: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }),
    }),
  ];
}
