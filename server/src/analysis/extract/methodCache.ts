// Method extractions reused across analyses: by the method's text, and in an open document also
// by position, which spares slicing and hashing the text of every method on every keystroke.
import type { Node } from "../syntax";
import { unchangedOrigin, type OffsetChange } from "./changes";
import type { ImportTable } from "./imports";
import { extractMethod, type ExtractedMethod } from "./method";
import { resolveMethod } from "./resolve";
import { relocate } from "./offsets";

interface Entry {
  /** Where the method started when `method` was made: its offsets minus `at` are relative to the
   * method, and placing it elsewhere moves them all alike (extract/offsets.ts). */
  at: number;
  /** The method's source text (the lookup key). */
  text: string;
  method: ExtractedMethod | undefined;
}

export class MethodCache {
  private current = new Map<string, Entry>();
  private previous = new Map<string, Entry>();
  /** Last round's entries by their start offset, valid with `changes` (document sessions only). */
  private byStart = new Map<number, Entry>();
  private nextByStart = new Map<number, Entry>();
  /** Changes since the last round; undefined while unknown (then only text lookups are used). */
  private changes: OffsetChange[] | undefined;
  private tracking = false;
  private scope = "";

  /** A document session reports every change (`noteChange`), so positions can be trusted. */
  trackChanges(): void {
    this.tracking = true;
  }

  noteChange(c: OffsetChange): void {
    this.changes?.push(c);
  }

  /** The text changed in a way not described by changes. */
  invalidate(): void {
    this.changes = undefined;
  }

  /** Set once per analysis: when the module's imports change, every resolved method is stale. */
  setScope(scope: string): void {
    if (scope === this.scope) return;
    this.scope = scope;
    this.current = new Map();
    this.previous = new Map();
    this.byStart = new Map();
    this.nextByStart = new Map();
  }

  /** The method spanning [start, end) of `text`; `node` is only called when the method is new,
   * or when `mayHaveErrors` (its class contains a syntax error). */
  get(text: string, start: number, end: number, node: () => Node, imports: ImportTable, mayHaveErrors = false): ExtractedMethod | undefined {
    if (mayHaveErrors && node().hasError) {
      // The parser's recovery inside a method with an error depends on the text after it, not
      // only on its own text: such an extraction is neither reused nor kept.
      const raw = extractMethod(node(), { start, end });
      return raw ? resolveMethod(raw, imports) : undefined;
    }
    let hit: Entry | undefined;
    const origin = this.changes ? unchangedOrigin(start, end, this.changes) : undefined;
    if (origin !== undefined) {
      const old = this.byStart.get(origin);
      if (old && old.text.length === end - start) hit = old;
    }
    const source = hit ? hit.text : text.slice(start, end);
    hit ??= this.current.get(source) ?? this.previous.get(source);
    let entry: Entry;
    if (hit) entry = { at: start, text: hit.text, method: hit.method && relocate(hit.method, start - hit.at) };
    else {
      const raw = extractMethod(node(), { start, end });
      // A slice of a long string keeps all of it alive in V8; an entry lives across many edits,
      // so its key must not pin the whole document of the round that made it. Slicing a
      // concatenation copies just this method's text.
      entry = { at: start, text: (" " + source).slice(1), method: raw ? resolveMethod(raw, imports) : undefined };
    }
    this.current.set(entry.text, entry);
    this.nextByStart.set(start, entry);
    return entry.method;
  }

  /** Called after each analysis: entries unused since the last round are dropped. */
  endRound(): void {
    this.previous = this.current;
    this.current = new Map();
    this.byStart = this.nextByStart;
    this.nextByStart = new Map();
    this.changes = this.tracking ? [] : undefined;
  }
}
