// The server's document features, one entry each (feature.ts says what an entry holds). Adding a
// feature is its own file of conversions plus one entry here: registration, the advertised
// capability and the params check follow from the entry.
import {
  CodeActionKind,
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
} from "vscode-languageserver";
import { artifactAtRequest } from "../protocol/requests";
import { artifactAt } from "./artifactAt";
import { codeActions } from "./codeActions";
import { codeLenses } from "./codeLens";
import { completion } from "./completion";
import type { FeatureContext } from "./context";
import { definition } from "./definition";
import { documentFeature, type DocumentFeature } from "./feature";
import { hover } from "./hover";
import { array, atPosition, bool, diagnostic, object, position, range, str, textDocument } from "./paramChecks";
import { references } from "./references";
import { prepareRename, renameEdits } from "./rename";
import { documentSymbols } from "./symbols";

const at = (ctx: FeatureContext, p: { position: { line: number; character: number } }): number => ctx.map.offsetAt(p.position);

export const documentFeatures: readonly DocumentFeature[] = [
  documentFeature({ name: "document symbols", type: DocumentSymbolRequest.type, capabilities: { documentSymbolProvider: true }, params: object({ textDocument }), empty: [], answer: (ctx) => documentSymbols(ctx.result, ctx.map) }),
  documentFeature({ name: "definition", type: DefinitionRequest.type, capabilities: { definitionProvider: true }, params: atPosition, empty: [], answer: (ctx, p) => definition(ctx, at(ctx, p)) }),
  documentFeature({
    name: "references",
    type: ReferencesRequest.type,
    capabilities: { referencesProvider: true },
    params: object({ textDocument, position, context: object({ includeDeclaration: bool }) }),
    empty: [],
    answer: (ctx, p) => references(ctx, at(ctx, p), p.context.includeDeclaration),
  }),
  documentFeature({ name: "hover", type: HoverRequest.type, capabilities: { hoverProvider: true }, params: atPosition, empty: null, answer: (ctx, p) => hover(ctx, at(ctx, p)) }),
  documentFeature({
    name: "completion",
    type: CompletionRequest.type,
    capabilities: { completionProvider: { triggerCharacters: [".", "(", "@", '"', "'", ",", " "] } },
    params: atPosition,
    empty: [],
    answer: (ctx, p) => completion(ctx, at(ctx, p)),
  }),
  documentFeature({
    name: "code actions",
    type: CodeActionRequest.type,
    capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } },
    params: object({ textDocument, range, context: object({ diagnostics: array(diagnostic) }) }),
    empty: [],
    answer: (ctx, p) => codeActions(ctx, p.context.diagnostics),
  }),
  documentFeature({ name: "code lens", type: CodeLensRequest.type, capabilities: { codeLensProvider: { resolveProvider: false } }, params: object({ textDocument }), empty: [], answer: (ctx) => codeLenses(ctx.result, ctx.map, ctx.uri, ctx.file) }),
  // Rename advertises `prepareProvider` once, with the rename entry; a refused name reaches the user as an error.
  documentFeature({ name: "prepare rename", type: PrepareRenameRequest.type, capabilities: {}, params: atPosition, empty: null, answer: (ctx, p) => prepareRename(ctx, at(ctx, p)) }),
  documentFeature({ name: "artifact at", type: artifactAtRequest, capabilities: {}, params: atPosition, empty: null, answer: (ctx, p) => artifactAt(ctx, at(ctx, p)) }),
  documentFeature({ name: "rename", type: RenameRequest.type, capabilities: { renameProvider: { prepareProvider: true } }, params: object({ textDocument, position, newName: str }), empty: null, answer: (ctx, p) => renameEdits(ctx, at(ctx, p), p.newName) }),
];
