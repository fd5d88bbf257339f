// One walk over a step's body:
// artifact writes and reads, `self.next` calls, `merge_artifacts`, hasattr/getattr guards.
import { stringValue } from "../literal";
import type { ArtifactAccess, Span } from "../model";
import { selfAttribute, spanOf, type Node } from "../syntax";
import { fastPath, plainSelf, selfMentions, type BodySource, type TextWalker, type Verdict } from "./bodyText";
import { mergeCall } from "./merge";
import { isNextCall } from "./transition";

export interface MergeCall {
  span: Span;
  include?: string[];
  exclude?: string[];
  guarded?: boolean;
}

export interface BodyFacts {
  writes: ArtifactAccess[];
  /** End offset of the statement that performs each write (parallel to `writes`): a read is
   * satisfied by a write of the step itself only when it comes after this point. */
  writeEnds: number[];
  reads: ArtifactAccess[];
  nextCalls: Span[];
  mergeArtifacts: MergeCall[];
  /** Names tested with `hasattr(self, "x")` or read with `getattr(self, "x", default)`. */
  guarded: string[];
  /** Methods called on self (`self.helper()`): not artifact reads. */
  selfCalls: string[];
}

const interesting = new Set(["call", "attribute", "assignment", "augmented_assignment", "for_statement", "for_in_clause"]);
/** Named node types of the Python grammar that are tokens: asking for their children is a wasted call. */
const leafTypes = new Set(["identifier", "integer", "float", "true", "false", "none", "comment", "string_start", "string_content", "string_end", "escape_sequence"]);
const patternTypes = new Set(["pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "parenthesized_expression", "list_splat_pattern"]);

export function walkBody(body: Node, source: BodySource, selfName: string, inputsName: string | undefined): BodyFacts {
  return new BodyWalker(body, source, selfName, inputsName).walk();
}

/** The walk's state: the facts so far, and what it learned on the way (skipped offsets, loop variables over inputs). */
class BodyWalker implements TextWalker {
  readonly facts: BodyFacts = { writes: [], writeEnds: [], reads: [], nextCalls: [], mergeArtifacts: [], guarded: [], selfCalls: [] };
  /** Start offsets of `self.x` nodes already recorded as something else (a write target, a method, a step). */
  private readonly skip = new Set<number>();
  private readonly iterVars = new Set<string>();
  private readonly candidates: { object: string; name: string; span: Span }[] = [];
  private readonly fast: (node: Node, type: string, start: number, end: number) => Verdict;
  private readonly mentionsSelf: (start: number, end: number) => boolean;
  private readonly plain: (node: Node, type?: string) => string | undefined;
  private readonly bodyEnd: number;
  /** Outside joins, in a body without syntax errors, a statement `self.x = value` is decided from its text (bodyText.ts). */
  private readonly plainStatements: boolean;
  private readonly maybeWrite: (start: number, bound: number) => boolean;

  constructor(
    private readonly body: Node,
    source: BodySource,
    private readonly selfName: string,
    private readonly inputsName: string | undefined,
  ) {
    this.bodyEnd = source.base + source.src.length;
    this.plainStatements = inputsName === undefined && !source.hasError;
    const selfDot = `${selfName}.`;
    // A statement that does not start with `self.`, or has no `=` before the next one, is no `self.x = value`.
    this.maybeWrite = (start, bound) => {
      const at = start - source.base;
      if (!source.src.startsWith(selfDot, at)) return false;
      const eq = source.src.indexOf("=", at);
      return eq !== -1 && eq < bound - source.base;
    };
    this.mentionsSelf = selfMentions(source, selfName);
    this.plain = plainSelf(source, selfName);
    this.fast = fastPath(this, source, selfName, inputsName, this.mentionsSelf);
  }

  /** Depth first in document order (a parent before its children, which `skip` relies on), with
   * an explicit stack so that deeply nested code cannot overflow the call stack. Each node's
   * children come from one call into the wasm module; a tree cursor would take about five calls
   * per node (type, start, end, moves), and on a large file this walk is most of the analysis.
   * A child's end is only needed for interesting nodes: the pruning test uses the next sibling's
   * start (or the parent's end) instead, a bound that can only make it enter more, never less.
   * Every call into the wasm module costs (a Node made, its handle copied in and out): nodes
   * are pruned from their offsets before their type is asked, a whole `self.x` is not entered,
   * nor a statement `self.x = value` decided from its text, nor a `self.next` whose arguments
   * are all targets. (A tree-sitter query, or descendantsOfType, returns the nodes in one call
   * but walks every node of the body inside the wasm module: slower than this pruned walk.) */
  walk(): BodyFacts {
    const { inputsName } = this;
    const nodes: Node[] = [this.body];
    const ends: number[] = [this.bodyEnd];
    for (;;) {
      const node = nodes.pop();
      const bound = ends.pop();
      if (node === undefined || bound === undefined) break;
      const start = node.startIndex;
      // Outside joins, a subtree whose text never mentions `self` holds nothing to record: it is
      // not entered, and its type is not even asked. (In a join, `i.x` for a loop variable over
      // inputs must be seen everywhere.)
      if (inputsName === undefined && !this.mentionsSelf(start, bound)) continue;
      const type = node.type;
      let end = bound;
      if (interesting.has(type) || (type === "expression_statement" && this.plainStatements && this.maybeWrite(start, bound))) {
        end = node.endIndex;
        const verdict = this.fast(node, type, start, end);
        if (verdict === "whole" || (verdict === "visit" && this.visit(node, type, end))) continue;
      }
      if (leafTypes.has(type) || (inputsName === undefined && !this.mentionsSelf(start, end))) continue;
      // Only named children: the anonymous ones are tokens (punctuation, keywords), never parents.
      const kids = node.namedChildren;
      for (let i = kids.length - 1; i >= 0; i--) {
        const kid = kids[i];
        if (!kid) continue;
        nodes.push(kid);
        ends.push(i + 1 < kids.length ? (kids[i + 1]?.startIndex ?? end) : end);
      }
    }
    for (const c of this.candidates) {
      if (this.iterVars.has(c.object)) this.facts.reads.push({ name: c.name, span: c.span, via: "inputs-iter" });
    }
    this.facts.reads.sort((a, b) => a.span.start - b.span.start);
    return this.facts;
  }

  /** Records a `self.x` read found by the text-only fast path, unless it was already taken. */
  readAt(start: number, name: string, end: number): void {
    if (!this.skip.has(start)) this.facts.reads.push({ name, span: { start: end - name.length, end }, via: "self" });
  }

  /** Records a `self.x = value` write found by the fast path: `nameEnd` ends the target, `end` the statement. */
  writeAt(start: number, name: string, nameEnd: number, end: number): void {
    this.facts.writes.push({ name, span: { start: nameEnd - name.length, end: nameEnd }, via: "self", writeKind: "assign" });
    this.facts.writeEnds.push(end);
    this.skip.add(start);
  }

  /** Records a `self.m(...)` method call found by the fast path. */
  selfCallAt(start: number, name: string): void {
    this.facts.selfCalls.push(name);
    this.skip.add(start);
  }

  private addWriteTargets(target: Node | null, kind: "assign" | "tuple", end: number): void {
    if (!target) return;
    const name = selfAttribute(target, this.selfName);
    if (name) {
      this.facts.writes.push({ name: name.text, span: spanOf(name), via: "self", writeKind: kind });
      this.facts.writeEnds.push(end);
      this.skip.add(target.startIndex);
      return;
    }
    if (patternTypes.has(target.type)) {
      for (const c of target.namedChildren) this.addWriteTargets(c, "tuple", end);
    }
  }

  /** Records what `node` holds; true when nothing inside it is left to see. */
  private visit(node: Node, type: string, end: number): boolean {
    switch (type) {
      case "assignment": {
        const left = node.childForFieldName("left");
        if (node.childForFieldName("right") || node.childForFieldName("type")) this.addWriteTargets(left, left && selfAttribute(left, this.selfName) ? "assign" : "tuple", end);
        return false;
      }
      case "augmented_assignment": {
        const name = selfAttribute(node.childForFieldName("left"), this.selfName);
        if (name) {
          this.facts.writes.push({ name: name.text, span: spanOf(name), via: "self", writeKind: "augmented" });
          this.facts.writeEnds.push(end);
        }
        return false;
      }
      case "for_statement":
      case "for_in_clause":
        this.visitFor(node);
        return false;
      case "call":
        return this.visitCall(node, end);
      case "attribute":
        this.visitAttribute(node);
        return false;
      default:
        return false;
    }
  }

  /** A loop over a join's inputs: its variable's attributes are reads of the inputs. */
  private visitFor(node: Node): void {
    const { inputsName } = this;
    if (!inputsName) return;
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    if (!left || !right) return;
    if (right.type === "identifier" && right.text === inputsName && left.type === "identifier") this.iterVars.add(left.text);
    // for i, inp in enumerate(inputs)
    if (right.type === "call" && right.childForFieldName("function")?.text === "enumerate") {
      const first = right.childForFieldName("arguments")?.namedChild(0);
      const last = left.namedChildren[left.namedChildren.length - 1];
      if (first?.type === "identifier" && first.text === inputsName && last?.type === "identifier") this.iterVars.add(last.text);
    }
  }

  /** True when nothing inside the call is left to see (see visitNext). */
  private visitCall(node: Node, end: number): boolean {
    const fn = node.childForFieldName("function");
    if (!fn) return false;
    // `self.next` written plainly is read from the text; other spellings ask the tree.
    const plain = this.plain(fn);
    if (plain === "next" || (plain === undefined && isNextCall(node, this.selfName))) return this.visitNext(node, fn, end);
    const method = plain ?? selfAttribute(fn, this.selfName)?.text;
    if (method !== undefined) {
      this.skip.add(fn.startIndex);
      if (method === "merge_artifacts") this.visitMerge(node);
      else this.facts.selfCalls.push(method);
      return false;
    }
    if (fn.type === "identifier" && (fn.text === "hasattr" || fn.text === "getattr" || fn.text === "setattr")) this.visitAttrBuiltin(node, fn.text);
    return false;
  }

  /** Records a `self.next` call and skips its targets. True (outside joins) when every argument
   * is a target or never mentions `self`: nothing inside the call is left to record then. */
  private visitNext(node: Node, fn: Node, end: number): boolean {
    this.facts.nextCalls.push({ start: node.startIndex, end });
    this.skip.add(fn.startIndex);
    let rest = this.inputsName === undefined;
    // Targets (`self.a`, and switch case values) name steps, not artifacts.
    const args = node.childForFieldName("arguments")?.namedChildren ?? [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (!a) continue;
      const type = a.type;
      if (this.plain(a, type) !== undefined || selfAttribute(a, this.selfName)) this.skip.add(a.startIndex);
      else if (rest && this.mentionsSelf(a.startIndex, args[i + 1]?.startIndex ?? end)) rest = false;
      if (type === "dictionary") {
        for (const pair of a.namedChildren) {
          const v = pair?.type === "pair" ? pair.childForFieldName("value") : null;
          if (v && selfAttribute(v, this.selfName)) this.skip.add(v.startIndex);
        }
      }
    }
    return rest;
  }

  private visitMerge(node: Node): void {
    this.facts.mergeArtifacts.push(mergeCall(node, this.body));
  }

  /** `hasattr(self, "x")` and `getattr(self, "x", default)` guard x; `getattr(self, "x")` reads it; `setattr(self, "x", v)` writes it. */
  private visitAttrBuiltin(node: Node, fn: string): void {
    const args = (node.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is Node => a !== null && a.type !== "comment");
    const obj = args[0];
    const key = args[1];
    if (obj?.type !== "identifier" || obj.text !== this.selfName || !key) return;
    const name = stringValue(key);
    if (name === undefined) return;
    if (fn === "hasattr" || (fn === "getattr" && args.length >= 3)) this.facts.guarded.push(name);
    else if (fn === "getattr") this.facts.reads.push({ name, span: spanOf(key), via: "self" });
    else {
      this.facts.writes.push({ name, span: spanOf(key), via: "self", writeKind: "assign" });
      this.facts.writeEnds.push(node.endIndex);
    }
  }

  private visitAttribute(node: Node): void {
    const obj = node.childForFieldName("object");
    // Only the outermost attribute at this offset is skipped (`self.x` in `self.x = 1`);
    // nested ones start at the same offset but are a different node type chain.
    if (this.skip.has(node.startIndex) && obj?.type === "identifier") return;
    const attr = node.childForFieldName("attribute");
    if (!obj || !attr) return;
    const { inputsName } = this;
    if (obj.type === "identifier") {
      if (obj.text === this.selfName) {
        if (!this.skip.has(node.startIndex)) this.facts.reads.push({ name: attr.text, span: spanOf(attr), via: "self" });
      } else if (inputsName && obj.text !== inputsName) {
        this.candidates.push({ object: obj.text, name: attr.text, span: spanOf(attr) });
      }
      return;
    }
    if (!inputsName) return;
    if (obj.type === "attribute") {
      const base = obj.childForFieldName("object");
      const step = obj.childForFieldName("attribute");
      if (base?.type === "identifier" && base.text === inputsName && step) {
        this.facts.reads.push({ name: attr.text, span: spanOf(attr), via: "inputs-step", fromStep: step.text });
      }
    } else if (obj.type === "subscript") {
      const base = obj.childForFieldName("value");
      if (base?.type === "identifier" && base.text === inputsName) this.facts.reads.push({ name: attr.text, span: spanOf(attr), via: "inputs-index" });
    }
  }
}
