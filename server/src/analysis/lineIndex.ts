// Offsets <-> 0-based line/character, both in UTF-16 code units (what JavaScript strings,
// tree-sitter's startIndex on a JS string, and LSP all use). Built once per text.

export interface LineCharacter {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 character within the line. */
  character: number;
}

export class LineIndex {
  /** Offset of the first character of every line; lineStarts[0] is 0. */
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    let i = text.indexOf("\n");
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf("\n", i + 1);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The line and character of an offset (clamped into the text). */
  position(offset: number): LineCharacter {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.lineStarts[lo] ?? 0) };
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
    return this.position(offset).line + 1;
  }
}
