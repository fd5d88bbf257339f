// The one place where the core's positions (UTF-16 offsets in a `Span`) become LSP positions
// and ranges, and where LSP positions become offsets again. Every feature goes through here,
// so a change of position encoding touches only this file.
import type { Position, Range } from "vscode-languageserver";
import type { Span } from "../analysis/model";

/** What the adapter needs from a text: the two conversions `TextDocument` already provides. */
export interface PositionMap {
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
}

/** A core span as an LSP range in the text it was computed from. */
export function toRange(map: PositionMap, span: Span): Range {
  return { start: map.positionAt(span.start), end: map.positionAt(Math.max(span.start, span.end)) };
}

/** An LSP position as an offset into the text (clamped by `TextDocument` to the text's bounds). */
export function toOffset(map: PositionMap, position: Position): number {
  return map.offsetAt(position);
}

/** An LSP range as a core span. */
export function toSpan(map: PositionMap, range: Range): Span {
  return { start: map.offsetAt(range.start), end: map.offsetAt(range.end) };
}

/** A zero-length range at an offset, for insertions. */
export function pointRange(map: PositionMap, offset: number): Range {
  const p = map.positionAt(offset);
  return { start: p, end: p };
}
