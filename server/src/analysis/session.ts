// An open document analysed incrementally: the previous tree is edited and re-parsed, and
// methods whose text did not change are reused from a cache instead of re-walked.
import type { Edit, Parser, Point, Tree } from "web-tree-sitter";
import { analyzeTree, type AnalyzeOptions, type ModuleCache } from "./analyze";
import { MethodCache } from "./extract/module";
import { LineIndex } from "./lineIndex";
import type { AnalysisResult } from "./model";
import { RuleMemo } from "./ruleMemo";

/** One change, as offsets into the text before it. Sequential changes apply one after another. */
export interface TextChange {
  start: number;
  end: number;
  /** The inserted text (`text` is accepted as a synonym). */
  newText?: string;
  text?: string;
}

function point(lines: LineIndex, offset: number): Point {
  const p = lines.position(offset);
  return { row: p.line, column: p.character };
}

/** The single change between two texts: common prefix and suffix (cheap, exact). */
export function diffTexts(a: string, b: string): TextChange | undefined {
  if (a === b) return undefined;
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  return { start, end: endA, newText: b.slice(start, endB) };
}

export class DocumentSession {
  private tree: Tree | null = null;
  private text: string;
  private cached: AnalysisResult | undefined;
  private readonly methods = new MethodCache();
  /** Each class's findings of the last result, reused while an edit only moves offsets. */
  private readonly memo = new RuleMemo();
  private disposed = false;
  /** Line index of `text`, built once per text and shared by edits and the analysis. */
  private lines: LineIndex | undefined;

  private lineIndex(): LineIndex {
    if (!this.lines || this.lines.text !== this.text) this.lines = new LineIndex(this.text);
    return this.lines;
  }

  constructor(
    private readonly parser: Parser,
    private readonly modules: ModuleCache,
    private readonly options: AnalyzeOptions,
    text: string,
  ) {
    this.text = text;
    this.methods.trackChanges();
  }

  /** The current text. */
  get currentText(): string {
    return this.text;
  }

  /**
   * Replaces the text. With `edits` (each relative to the text after the previous one) the old
   * tree is edited in place; without, the change is computed by diffing the two texts. If the
   * edits do not reproduce `newText`, the diff is used instead, so a wrong edit list never
   * corrupts the tree.
   */
  update(newText: string, edits?: TextChange[]): void {
    if (this.disposed) return;
    this.cached = undefined;
    if (!this.tree) {
      this.memo.invalidate();
      this.methods.invalidate();
      this.text = newText;
      return;
    }
    try {
      let text = this.text;
      const changes: TextChange[] = [];
      let ok = edits !== undefined && edits.length > 0;
      if (ok && edits) {
        for (const [i, e] of edits.entries()) {
          const inserted = e.newText ?? e.text ?? "";
          changes.push({ start: e.start, end: e.end, newText: inserted });
          // The last edit is checked against the new text in place, without building it.
          if (i === edits.length - 1) ok = reproduces(text, e.start, e.end, inserted, newText);
          else if (inRange(text, e.start, e.end)) text = text.slice(0, e.start) + inserted + text.slice(e.end);
          else ok = false;
          if (!ok) break;
        }
      }
      if (!ok) {
        changes.length = 0;
        const d = diffTexts(this.text, newText);
        if (d) changes.push(d);
      }
      text = this.text;
      for (const c of changes) {
        const inserted = c.newText ?? "";
        const before = text === this.text ? this.lineIndex() : new LineIndex(text);
        const after = changes.length === 1 ? newText : text.slice(0, c.start) + inserted + text.slice(c.end);
        const afterLines = changes.length === 1 ? undefined : new LineIndex(after);
        const newEnd = c.start + inserted.length;
        const edit: Edit = {
          startIndex: c.start,
          oldEndIndex: c.end,
          newEndIndex: newEnd,
          startPosition: point(before, c.start),
          oldEndPosition: point(before, c.end),
          newEndPosition: afterLines ? point(afterLines, newEnd) : newEndPoint(point(before, c.start), inserted),
        } as Edit;
        this.tree.edit(edit);
        // One change (a keystroke): the next line index is derived from this one.
        if (changes.length === 1 && before === this.lines) this.lines = before.afterChange(newText, c.start, c.end, inserted);
        this.memo.noteChange({ start: c.start, end: c.end, inserted: inserted.length });
        this.methods.noteChange({ start: c.start, end: c.end, inserted: inserted.length });
        text = after;
      }
      this.text = newText;
    } catch {
      // Fall back to a full parse on the next result().
      this.memo.invalidate();
      this.methods.invalidate();
      this.tree?.delete();
      this.tree = null;
      this.text = newText;
    }
  }

  /** The analysis of the current text (computed on first call after an update). */
  result(): AnalysisResult {
    if (this.cached) return this.cached;
    if (this.disposed) return { flows: [], diagnostics: [], dependencies: [] };
    try {
      const tree = this.parser.parse(this.text, this.tree);
      if (tree) {
        this.tree?.delete();
        this.tree = tree;
      }
    } catch {
      this.tree?.delete();
      this.tree = this.parser.parse(this.text);
    }
    if (!this.tree) {
      return { flows: [], diagnostics: [{ code: "FL000", severity: "error", span: { start: 0, end: 0 }, message: "Flowlens internal error: the parser returned no tree." }], dependencies: [] };
    }
    this.cached = analyzeTree(this.parser, this.tree, this.text, this.options, this.methods, this.modules, this.lineIndex(), this.memo);
    this.methods.endRound();
    this.memo.endRound();
    return this.cached;
  }

  /** Forgets the cached result, e.g. after a module in `dependencies` changed on disk: the next
   * result() re-resolves base classes (the text and tree are kept). */
  refresh(): void {
    this.cached = undefined;
    this.memo.invalidate();
  }

  /** Frees the tree. The session answers with an empty result afterwards. */
  dispose(): void {
    this.disposed = true;
    this.tree?.delete();
    this.tree = null;
    this.cached = undefined;
  }
}

function inRange(text: string, start: number, end: number): boolean {
  return start >= 0 && start <= end && end <= text.length;
}

/** Whether replacing [start, end) of `old` by `inserted` gives `now`, compared in place: building
 * the edited text to compare would copy the whole document on every keystroke. */
function reproduces(old: string, start: number, end: number, inserted: string, now: string): boolean {
  if (!inRange(old, start, end)) return false;
  if (now.length !== old.length - (end - start) + inserted.length) return false;
  // Equality of slices compares memory directly; startsWith/endsWith go character by character
  // (about 25 times slower on a large document).
  const insertedEnd = start + inserted.length;
  return now.slice(start, insertedEnd) === inserted && now.slice(0, start) === old.slice(0, start) && now.slice(insertedEnd) === old.slice(end);
}

function newEndPoint(start: Point, inserted: string): Point {
  const lastNl = inserted.lastIndexOf("\n");
  if (lastNl === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf("\n"); i !== -1; i = inserted.indexOf("\n", i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastNl - 1 };
}
