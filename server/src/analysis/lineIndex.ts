// Offsets <-> 0-based line/character, both in UTF-16 code units (what JavaScript strings,
// tree-sitter's startIndex on a JS string, and LSP all use). Built once per text; an open
// document derives the next index from the previous one (see `afterChange`), which spares
// scanning and reallocating on every keystroke.

export interface LineCharacter {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 character within the line. */
  character: number;
}

function scanLineStarts(text: string): Uint32Array {
  let count = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  const starts = new Uint32Array(count);
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts[n++] = i + 1;
  return starts;
}

export class LineIndex {
  /** Offset of the first character of every line; lineStarts[0] is 0. */
  readonly lineStarts: Uint32Array;

  constructor(
    readonly text: string,
    lineStarts?: Uint32Array,
  ) {
    this.lineStarts = lineStarts ?? scanLineStarts(text);
  }

  /**
   * The index of `text`, which is this index's text with [start, end) replaced by `inserted`.
   * When neither the removed nor the inserted text holds a line break, every line start after
   * the change just moves by the length difference: one typed-array copy instead of a scan.
   */
  afterChange(text: string, start: number, end: number, inserted: string): LineIndex {
    if (inserted.includes("\n") || this.text.lastIndexOf("\n", end - 1) >= start) return new LineIndex(text);
    const delta = inserted.length - (end - start);
    const starts = this.lineStarts.slice();
    if (delta !== 0) {
      // The first line start after `start`: lines starting at or before it are unmoved.
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((starts[mid] as number) <= start) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < starts.length; i++) starts[i] = (starts[i] as number) + delta;
    }
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The line and character of an offset (clamped into the text). */
  position(offset: number): LineCharacter {
    const o = this.clamp(offset);
    const line = this.lineAt(o);
    return { line, character: o - (this.lineStarts[line] ?? 0) };
  }

  private clamp(offset: number): number {
    return Math.max(0, Math.min(offset, this.text.length));
  }

  /** The 0-based line holding an offset already within the text. */
  private lineAt(o: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The offset of a line and character (clamped to the line's end, excluding its newline). */
  offset(line: number, character: number): number {
    if (line < 0) return 0;
    if (line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[line] ?? 0;
    const next = this.lineStarts[line + 1];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.min(start + Math.max(0, character), Math.max(start, end));
  }

  /** 1-based line of an offset (Metaflow's `line` fields and the CLI's output). */
  lineNumber(offset: number): number {
    return this.lineAt(this.clamp(offset)) + 1;
  }
}
