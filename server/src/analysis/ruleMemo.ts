// Reuses a class's rule findings across edits of an open document. Typing inside one step
// rarely changes what the rules see apart from offsets, yet every rule (data flow above all)
// would otherwise re-run over all steps on every keystroke.
//
// Why reuse is exact: the rules read offsets only to copy them into findings and to compare
// them with each other (never arithmetic, never constants). If the new input equals the old one
// with every offset x replaced by f(x), where f is the edit's strictly increasing offset map,
// then the new findings are the old ones with every offset replaced by f(x). The check is
// explicit: same position-free key, and every new offset equal to f(old offset).
import { mapOffset, type OffsetChange } from "./extract/changes";
import type { BuiltClass } from "./flows";
import type { ImportTable } from "./extract/imports";
import type { ExtractedMethod } from "./extract/method";
import { importsKey } from "./extract/resolve";
import type { GraphInfo, Span, StepModel } from "./model";
import type { FlowGraph } from "./graph/structure";
import type { Finding } from "./rules/context";
import { methodSignature, walkValue, type MethodSignature, type Signature } from "./signature";

/** What the rules read about one class: the methods' own signatures (shared, compared by
 * reference first) with the offset each is relative to, and the rest as one key with offsets. */
export interface ClassSignature {
  methods: MethodSignature[];
  bases: number[];
  /** The module's import table as one string: it holds no offsets, and every class of a module
   * shares it, so it is keyed once per table rather than walked into each class's key (a module
   * of a thousand classes lists a thousand local names). */
  imports: string;
  rest: Signature;
}

const importKeys = new WeakMap<ImportTable, string>();

function importsSignature(t: ImportTable): string {
  let key = importKeys.get(t);
  if (key === undefined) {
    key = importsKey(t);
    importKeys.set(t, key);
  }
  return key;
}

/** The signature of a class; undefined when it inherits from another file (those offsets do not
 * move with this text, so the offset map cannot describe them). */
export function classSignature(c: BuiltClass, library: boolean, broken: boolean): ClassSignature | undefined {
  const methods: MethodSignature[] = [];
  const bases: number[] = [];
  const inherited: string[] = [];
  const add = (m: BuiltClass["steps"][number]): boolean => {
    const from = m.step.inheritedFrom;
    if (from?.file !== undefined) return false;
    if (from) inherited.push(`${methods.length}:${from.flow}`);
    methods.push(methodSignature(m));
    bases.push(m.step.span.start);
    return true;
  };
  for (const m of c.steps) if (!add(m)) return undefined;
  for (const m of c.ownMethods) if (!add(m)) return undefined;
  for (const m of c.helpers.values()) if (!add(m)) return undefined;
  if (c.parameters.some((p) => p.inheritedFrom?.file !== undefined)) return undefined;
  const key: string[] = [String(library), String(broken), String(c.steps.length), String(c.ownMethods.length), ...inherited, ...c.helpers.keys()];
  const pos: number[] = [];
  // Every other field of the class is walked, so a field added later is part of the key by
  // default. No rule reads the class's docstring: leaving it out keeps the findings while
  // typing in it. (A rule that starts reading it must remove this exception.)
  const { facts, steps: _steps, ownMethods: _own, helpers: _helpers, imports, ...others } = c;
  const { methods: _methods, docstring: _docstring, ...classFacts } = facts;
  walkValue([classFacts, others], key, pos, 0);
  return { methods, bases, imports: importsSignature(imports), rest: { key: key.join("\u0002"), pos } };
}

/** True when every old offset maps to the new one at the same place. */
function offsetsMove(old: readonly number[], oldBase: number, now: readonly number[], newBase: number, changes: readonly OffsetChange[]): boolean {
  if (old.length !== now.length) return false;
  for (let i = 0; i < old.length; i++) if (mapOffset((old[i] as number) + oldBase, changes) !== (now[i] as number) + newBase) return false;
  return true;
}

/** For one change, the map is the identity before it and a constant shift after it: a method
 * wholly on one side moved correctly if its base did (every offset moves alike). */
function uniformlyMoved(sig: MethodSignature, oldBase: number, newBase: number, changes: readonly OffsetChange[]): boolean {
  const c = changes.length === 1 ? changes[0] : undefined;
  if (!c) return false;
  if (oldBase + sig.hi < c.start) return newBase === oldBase;
  if (oldBase + sig.lo >= c.end) return newBase === oldBase + c.inserted - (c.end - c.start);
  return false;
}

/** Whether `now` is `old` with its offsets moved by the changes (and nothing else different). */
function sameButMoved(old: ClassSignature, now: ClassSignature, changes: readonly OffsetChange[]): boolean {
  if (old.rest.key !== now.rest.key || old.imports !== now.imports || old.methods.length !== now.methods.length) return false;
  if (!offsetsMove(old.rest.pos, 0, now.rest.pos, 0, changes)) return false;
  for (let i = 0; i < now.methods.length; i++) {
    const a = old.methods[i] as MethodSignature;
    const b = now.methods[i] as MethodSignature;
    if (a !== b && a.key !== b.key) return false;
    if (a === b && uniformlyMoved(a, old.bases[i] as number, now.bases[i] as number, changes)) continue;
    if (!offsetsMove(a.rel, old.bases[i] as number, b.rel, now.bases[i] as number, changes)) return false;
  }
  return true;
}

function moveSpan(s: Span, changes: readonly OffsetChange[]): Span | undefined {
  const start = mapOffset(s.start, changes);
  const end = mapOffset(s.end, changes);
  return start === undefined || end === undefined ? undefined : { start, end };
}

/** The findings with every offset moved, or undefined if one cannot be (then the rules run). */
function moveFindings(list: readonly Finding[], changes: readonly OffsetChange[]): Finding[] | undefined {
  const out: Finding[] = [];
  for (const f of list) {
    const span = moveSpan(f.span, changes);
    if (!span) return undefined;
    const g: Finding = { ...f, span };
    if (f.related) {
      const related = [];
      for (const r of f.related) {
        const s = r.file === undefined ? moveSpan(r.span, changes) : r.span;
        if (!s) return undefined;
        related.push({ ...r, span: s });
      }
      g.related = related;
    }
    out.push(g);
  }
  return out;
}

/** What one round made for a class, kept for the next round. */
export interface ClassRound {
  findings: Finding[];
  /** The class's graph and graph info: neither holds an offset (the graph's step objects are
   * only read for names, types and edges once the findings are reused). */
  graph: FlowGraph;
  info: GraphInfo;
  docstring: string | undefined;
}

interface Entry extends ClassRound {
  sig: ClassSignature;
}

/** Per-session memo of each class's findings, keyed by class name. */
export class RuleMemo {
  private entries = new Map<string, Entry>();
  private next = new Map<string, Entry>();
  private typed = new Map<ExtractedMethod, StepModel>();
  private typedBefore = new Map<ExtractedMethod, StepModel>();
  /** Changes since the entries were made; undefined when unknown (the memo is then unusable). */
  private changes: OffsetChange[] | undefined = [];

  /** Records a text change applied after the last round. */
  noteChange(c: OffsetChange): void {
    this.changes?.push(c);
  }

  /** The text changed in a way not described by changes: forget everything. */
  invalidate(): void {
    this.changes = undefined;
  }

  /** The last round of this class with its findings moved to the current text, if still valid. */
  lookup(name: string, sig: ClassSignature): ClassRound | undefined {
    const e = this.entries.get(name);
    const changes = this.changes;
    if (!e || !changes || !sameButMoved(e.sig, sig, changes)) return undefined;
    const findings = moveFindings(e.findings, changes);
    return findings && { findings, graph: e.graph, info: e.info, docstring: e.docstring };
  }

  /** A method's typed step depends only on the method, and a method that did not move is the same
   * object in the next analysis of a session: its typed step is then reused. (Plain maps renewed
   * each round rather than a WeakMap: many weak entries slow every garbage collection.) */
  typedStep(m: ExtractedMethod, make: (m: ExtractedMethod) => StepModel): StepModel {
    let s = this.typed.get(m) ?? this.typedBefore.get(m);
    s ??= make(m);
    this.typed.set(m, s);
    return s;
  }

  store(name: string, sig: ClassSignature, round: ClassRound): void {
    this.next.set(name, { sig, ...round });
  }

  /** Ends an analysis round: only this round's classes are kept, relative to the current text. */
  endRound(): void {
    this.entries = this.next;
    this.next = new Map();
    this.typedBefore = this.typed;
    this.typed = new Map();
    this.changes = [];
  }
}
