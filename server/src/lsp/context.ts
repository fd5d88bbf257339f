// What every position-based feature receives: the analysed document and a way to locate spans
// that belong to other files (steps and parameters inherited from a base flow).
import type { Location } from "vscode-languageserver";
import type { AnalysisResult, Span } from "../analysis/model";
import { fileToUri } from "./paths";
import { toRange, type PositionMap } from "./positions";

export interface FeatureContext {
  uri: string;
  file: string;
  text: string;
  map: PositionMap;
  result: AnalysisResult;
  /** Position map of another file (open document or disk), when it can be read. */
  mapOf(file: string): PositionMap | undefined;
}

/** A span as a location: in this document, or in `file` when given. */
export function locationOf(ctx: FeatureContext, span: Span, file?: string): Location | undefined {
  if (file === undefined || file === ctx.file) return { uri: ctx.uri, range: toRange(ctx.map, span) };
  const map = ctx.mapOf(file);
  return map ? { uri: fileToUri(file), range: toRange(map, span) } : undefined;
}
