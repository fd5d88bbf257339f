// Artifact data flow, Flowlens's own checks: FL201 a read of self.x that is not set on every path
// into the step, FL202 foreach=/condition= naming an artifact never set, FL203 a join reading
// self.x that only exists in its branches.
//
// Available artifacts are computed as a forward "must" analysis: a step sees the intersection,
// over its incoming edges, of what its predecessors end with; a join sees nothing on self (as in
// Metaflow, where a join task starts empty apart from parameters) until merge_artifacts copies
// the union of its branches' artifacts. Loops (switch self-edges) are handled by iterating to a
// fixed point from an optimistic start. To stay free of false positives on realistic flows:
// reads after the step's own write, names guarded with hasattr/getattr(self, "x", default),
// parameters, configs and other class attributes, methods, and Metaflow's own attributes are never
// reported; flows with base classes Flowlens cannot read or with a user flow decorator (a
// FlowMutator may change anything) are not checked, and a step with a user step decorator may set
// any artifact (its own reads are not checked, and what follows it may see anything).
import { reachable } from "../graph/cycles";
import { isUserDecorator } from "../knownDecorators";
import type { StepModel } from "../model";
import { Bits, W } from "./bits";
import type { Rule, RuleContext } from "./context";

const flowSpecAttributes = new Set(["name", "input", "index", "script_name", "foreach_stack", "merge_artifacts", "next", "tags", "cmd"]);

interface NameSet {
  has(name: string): boolean;
}

interface Sets {
  get(step: string): NameSet | undefined;
}

interface Flow {
  inSet: Sets;
  branchUnion: Sets;
  merged: Sets;
  out: Sets;
}

/** Steps whose user decorators may set artifacts the analysis cannot see. */
export function stepsWithUserDecorators(steps: Iterable<StepModel>): Set<string> {
  const out = new Set<string>();
  for (const s of steps) if (s.decorators.some(isUserDecorator)) out.add(s.name);
  return out;
}

function catchVar(step: StepModel): string | undefined {
  const d = step.decorators.find((x) => x.name === "catch" && x.origin !== "other");
  const v = d?.args.find((a) => a.name === "var")?.value;
  return typeof v === "string" ? v : undefined;
}

/** Artifacts set by the helper methods a step calls on self, following helper calls a few levels deep. */
function helperWrites(ctx: RuleContext, calls: string[]): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  let frontier = calls;
  for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const name of frontier) {
      if (seen.has(name)) continue;
      seen.add(name);
      const h = ctx.built.helpers.get(name);
      if (!h) continue;
      for (const w of h.facts.writes) out.add(w.name);
      next.push(...h.facts.selfCalls);
    }
    frontier = next;
  }
  return out;
}

function writesOf(ctx: RuleContext, step: StepModel, calls: string[]): Set<string> {
  const out = new Set(step.writes.map((w) => w.name));
  const c = catchVar(step);
  if (c) out.add(c);
  for (const w of helperWrites(ctx, calls)) out.add(w);
  return out;
}

/** Reverse post-order from start: predecessors come first, so one pass settles acyclic flows. */
function forwardOrder(ctx: RuleContext, live: Set<string>): string[] {
  const g = ctx.graph;
  const seen = new Set<string>();
  const post: string[] = [];
  const stack: { name: string; i: number }[] = [];
  if (g.start !== undefined) {
    stack.push({ name: g.start, i: 0 });
    seen.add(g.start);
  }
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { name: string; i: number };
    const next = g.steps.get(top.name)?.next ?? [];
    if (top.i < next.length) {
      const n = next[top.i++] as string;
      if (!seen.has(n) && g.steps.has(n)) {
        seen.add(n);
        stack.push({ name: n, i: 0 });
      }
    } else {
      post.push(top.name);
      stack.pop();
    }
  }
  return post.reverse().filter((n) => live.has(n));
}

function computeFlow(ctx: RuleContext, live: Set<string>, opaque: Set<string>): Flow {
  const g = ctx.graph;
  const ids = new Map<string, number>();
  const names: string[] = [];
  const writeBits = new Map<string, Bits>();
  const idOf = (x: string) => {
    let i = ids.get(x);
    if (i === undefined) {
      i = names.length;
      ids.set(x, i);
      names.push(x);
    }
    return i;
  };
  const stepWrites = new Map<string, number[]>();
  for (const { step, method } of ctx.methods.values()) stepWrites.set(step.name, [...writesOf(ctx, step, method.facts.selfCalls)].map(idOf));
  const words = Math.max(1, Math.ceil(names.length / W));
  for (const [name, list] of stepWrites) {
    const b = Bits.empty(words);
    for (const i of list) b.set(i);
    writeBits.set(name, b);
  }
  const out = new Map<string, Bits>();
  for (const n of g.order) out.set(n, Bits.full(words));
  const inBits = new Map<string, Bits>();
  const unionBits = new Map<string, Bits>();
  const mergedBits = new Map<string, Bits>();
  const order = forwardOrder(ctx, live);
  for (let iter = 0, changed = true; changed && iter < 100; iter++) {
    changed = false;
    for (const name of order) {
      const step = g.steps.get(name);
      if (!step) continue;
      const preds = name === g.start ? [] : (g.incoming.get(name) ?? []).filter((p) => live.has(p));
      let inter: Bits | undefined;
      const union = Bits.empty(words);
      for (const p of preds) {
        const o = out.get(p) ?? Bits.empty(words);
        union.or(o);
        if (inter) inter.and(o);
        else inter = o.copy();
      }
      const available = inter ?? Bits.empty(words);
      inBits.set(name, available);
      unionBits.set(name, union);
      const result = (writeBits.get(name) ?? Bits.empty(words)).copy();
      if (step.type === "join") {
        const m = Bits.empty(words);
        for (const call of step.mergeArtifacts) {
          const add = union.copy();
          if (call.include) {
            const inc = Bits.empty(words);
            for (const x of call.include) {
              const i = ids.get(x);
              if (i !== undefined) inc.set(i);
            }
            add.and(inc);
          }
          for (const x of call.exclude ?? []) {
            const i = ids.get(x);
            if (i !== undefined) add.clear(i);
          }
          m.or(add);
        }
        mergedBits.set(name, m);
        result.or(m);
      } else {
        result.or(available);
      }
      // What a user decorator sets is unknown: after such a step, any artifact may be there.
      if (opaque.has(name)) result.or(Bits.full(words));
      const prev = out.get(name);
      if (!prev || !prev.equals(result)) {
        out.set(name, result);
        changed = true;
      }
    }
  }
  // Views over the bit sets: membership by name without building a Set per step.
  const lazy = (m: Map<string, Bits>): Sets => ({
    get(k: string) {
      const b = m.get(k);
      if (!b) return undefined;
      return {
        has(x: string) {
          const i = ids.get(x);
          return i !== undefined && b.has(i);
        },
      };
    },
  });
  return { inSet: lazy(inBits), branchUnion: lazy(unionBits), merged: lazy(mergedBits), out: lazy(out) };
}

export const artifactDataFlow: Rule = {
  name: "artifact-data-flow",
  codes: {
    FL201: { severity: "error", summary: "a read of `self.x` that is not set on every path into the step", at: "the attribute name read" },
    FL202: { severity: "error", summary: "`foreach=` or `condition=` naming an artifact that is never set", at: "the `foreach=` or `condition=` value" },
    FL203: { severity: "error", summary: "a join reading `self.x` that only its branches set (without `merge_artifacts`)", at: "the attribute name read" },
  },
  requires: ["parsed", "flow", "resolvedBases", "start"],
  run(ctx, report) {
    // A user flow decorator (a FlowMutator) may add parameters, steps' decorators, anything.
    if (ctx.built.mutated) return;
    const live = reachable(ctx.graph);
    const opaque = stepsWithUserDecorators([...ctx.methods.values()].map((m) => m.step));
    const flow = computeFlow(ctx, live, opaque);
    const params = new Set(ctx.flow.parameters.map((p) => p.attribute));
    const known = (x: string) => params.has(x) || ctx.built.members.has(x) || flowSpecAttributes.has(x) || x.startsWith("_");

    for (const { step, method } of ctx.methods.values()) {
      if (!live.has(step.name) || !ctx.isLocal(step) || opaque.has(step.name)) continue;
      const join = step.type === "join";
      const none: NameSet = { has: () => false };
      const available = flow.inSet.get(step.name) ?? none;
      const branches = flow.branchUnion.get(step.name) ?? none;
      const merged = flow.merged.get(step.name) ?? none;
      const guarded = new Set(method.facts.guarded);
      const reported = new Set<string>();
      const writes = method.facts.writes;
      const viaHelpers = helperWrites(ctx, method.facts.selfCalls);
      for (const read of step.reads) {
        if (read.via !== "self" || reported.has(read.name) || known(read.name) || guarded.has(read.name) || viaHelpers.has(read.name)) continue;
        if (writes.some((w, i) => w.name === read.name && (method.facts.writeEnds[i] ?? Infinity) <= read.span.start)) continue;
        if (join) {
          const mergedBefore = step.mergeArtifacts.some((m) => m.span.end <= read.span.start);
          if (mergedBefore && merged.has(read.name)) continue;
          reported.add(read.name);
          if (branches.has(read.name)) {
            report({
              code: "FL203",
              step: step.name,
              span: read.span,
              message: `In join step ${step.name}, self.${read.name} is not set: artifacts of the branches reach a join only through ${step.args[1]?.name ?? "inputs"}. Call self.merge_artifacts(${step.args[1]?.name ?? "inputs"}) before this line, or read it from one branch (e.g. ${step.args[1]?.name ?? "inputs"}[0].${read.name}).`,
            });
          } else {
            report({ code: "FL201", step: step.name, span: read.span, message: `self.${read.name} is read in ${step.name} but no step before it sets it. Set self.${read.name} in an earlier step (or in ${step.name} before this line).` });
          }
          continue;
        }
        if (available.has(read.name)) continue;
        reported.add(read.name);
        const preds = ctx.graph.incoming.get(step.name) ?? [];
        const missingVia = preds.filter((p) => live.has(p) && !(flow.out.get(p)?.has(read.name) ?? false));
        const somewhere = branches.has(read.name);
        report({
          code: "FL201",
          step: step.name,
          span: read.span,
          // Set on some paths only: often intended (a guard elsewhere), so a warning rather than an error.
          severity: somewhere ? "warning" : "error",
          message: somewhere
            ? `self.${read.name} is read in ${step.name} but is not set on every path into it (not through ${missingVia.join(", ")}). Set it on every path before ${step.name}, or guard the read with hasattr(self, "${read.name}").`
            : `self.${read.name} is read in ${step.name} but no step before it sets it. Set self.${read.name} in an earlier step (or in ${step.name} before this line).`,
        });
      }
      const t = step.transition;
      for (const which of [t?.foreach, t?.condition]) {
        if (!which || which.artifact === "") continue;
        const x = which.artifact;
        if (known(x) || viaHelpers.has(x) || writes.some((w) => w.name === x) || (join ? merged.has(x) : available.has(x)) || catchVar(step) === x) continue;
        report({
          code: "FL202",
          step: step.name,
          span: which.span,
          message: `${which === t?.foreach ? "foreach" : "condition"}="${x}" names an artifact that ${step.name} and the steps before it never set. Set self.${x} in ${step.name} before self.next, or fix the name.`,
        });
      }
    }
  },
};
