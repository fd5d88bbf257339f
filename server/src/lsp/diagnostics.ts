// Core findings -> LSP diagnostics, with related locations (possibly in a base flow's file).
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type DiagnosticRelatedInformation } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { AnalysisResult, Severity } from "../analysis/model";
import { fileToUri } from "./paths";
import { toRange, type PositionMap } from "./positions";

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toLspDiagnostics(
  result: AnalysisResult,
  map: PositionMap,
  uri: string,
  readText: (file: string) => string | undefined,
): LspDiagnostic[] {
  const others = new Map<string, PositionMap | undefined>();
  const mapFor = (file: string): PositionMap | undefined => {
    if (!others.has(file)) {
      const text = readText(file);
      others.set(file, text === undefined ? undefined : TextDocument.create(fileToUri(file), "python", 0, text));
    }
    return others.get(file);
  };
  return result.diagnostics.map((d) => {
    const related: DiagnosticRelatedInformation[] = [];
    for (const r of d.related ?? []) {
      const m = r.file === undefined ? map : mapFor(r.file);
      if (!m) continue;
      related.push({ message: r.message, location: { uri: r.file === undefined ? uri : fileToUri(r.file), range: toRange(m, r.span) } });
    }
    const out: LspDiagnostic = {
      range: toRange(map, d.span),
      severity: severities[d.severity],
      code: d.code,
      source: "flowlens",
      message: d.message,
    };
    if (related.length > 0) out.relatedInformation = related;
    if (d.flow !== undefined || d.step !== undefined) out.data = { flow: d.flow, step: d.step };
    return out;
  });
}
