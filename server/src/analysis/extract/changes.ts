// Text changes of an open document as offset maps: where an offset of the previous text is now,
// and whether a range of the new text is untouched (so what was derived from it still holds).

/** One text change as offsets into the text before it (sequential changes apply in order). */
export interface OffsetChange {
  start: number;
  end: number;
  /** Length of the inserted text. */
  inserted: number;
}

/** Where an old offset is after the changes; undefined inside a replaced range. The map is
 * strictly increasing where defined, so it keeps the order of any offsets it maps. */
export function mapOffset(x: number, changes: readonly OffsetChange[]): number | undefined {
  let y = x;
  for (const c of changes) {
    if (y >= c.end) y += c.inserted - (c.end - c.start);
    else if (y > c.start || (y === c.start && c.end > c.start)) return undefined;
  }
  return y;
}

/** For a range [start, end) of the new text that no single change touches, where it started in
 * the old text (its text there is the same); undefined otherwise or for several changes. */
export function unchangedOrigin(start: number, end: number, changes: readonly OffsetChange[]): number | undefined {
  if (changes.length === 0) return start;
  const c = changes.length === 1 ? changes[0] : undefined;
  if (!c) return undefined;
  if (end <= c.start) return start;
  const after = c.start + c.inserted;
  if (start >= after) return start - (c.inserted - (c.end - c.start));
  return undefined;
}
