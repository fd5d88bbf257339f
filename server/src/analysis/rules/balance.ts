// FL013: every split is closed by one join before end, joins close the split they follow,
// and a join's branches come from one split. Follows Metaflow's split/join balance check,
// reporting every finding instead of the first. A switch opens no split: its cases carry the
// open splits on, and the inputs of a join are counted by the branch they are on.
import { isSplit } from "../graph/types";
import type { RelatedLocation } from "../model";
import type { Rule } from "./context";

interface Open {
  split: string;
  roots: string[];
}

export const splitJoinBalance: Rule = {
  name: "split-join-balance",
  codes: {
    FL013: { severity: "error", summary: "a split not joined before end, a join that closes the wrong split or has the wrong branches, a join without a split, or joined branches of unrelated splits (a switch opens no split); related: the split", at: "the join's (or end's) name" },
  },
  requires: ["parsed", "flow", "acyclic", "start", "knownTargets"],
  run(ctx, report) {
    const start = ctx.graph.start;
    if (start !== undefined) new BalanceWalk(ctx.graph, report).visit(start, []);
  },
};

type Graph = Parameters<Rule["run"]>[0]["graph"];
type Report = Parameters<Rule["run"]>[1];
type GraphStep = NonNullable<ReturnType<Graph["steps"]["get"]>>;

/** Walks the graph from start with the stack of open splits; each (step, stack) once, within a budget. */
class BalanceWalk {
  private readonly seen = new Set<string>();
  private readonly reported = new Set<string>();
  private budget = 20000;

  constructor(
    private readonly g: Graph,
    private readonly report: Report,
  ) {}

  visit(name: string, stack: Open[]): void {
    const key = `${name}|${stack.map((o) => o.split).join(",")}`;
    if (this.seen.has(key) || --this.budget < 0) return;
    this.seen.add(key);
    const node = this.g.steps.get(name);
    if (!node) return;
    let next = stack;
    if (isSplit(node.type)) next = [...stack, { split: name, roots: node.next }];
    else if (node.type === "end") return this.atEnd(name, node, stack);
    else if (node.type === "join") next = this.atJoin(name, node, stack);
    for (const n of node.next) {
      if (n === name && node.type === "split-switch") continue;
      if (this.g.steps.has(n)) this.visit(n, next);
    }
  }

  private atEnd(name: string, node: GraphStep, stack: Open[]): void {
    if (stack.length === 0) return;
    this.once(`end|${name}`, () =>
      this.report({
        code: "FL013",
        step: name,
        span: node.nameSpan,
        message: `Step ${name} is reached before the split${stack.length > 1 ? "s" : ""} at ${stack.map((o) => o.split).join(", ")} ${stack.length > 1 ? "were" : "was"} joined. Add a join step (def join(self, inputs)) before ${name}.`,
        related: this.splitRel(stack),
      }),
    );
  }

  /** Closes the innermost open split; returns the stack after the join. */
  private atJoin(name: string, node: GraphStep, stack: Open[]): Open[] {
    const { g } = this;
    const top = stack[stack.length - 1];
    const incoming = g.incoming.get(name) ?? [];
    if (top) this.checkBranches(name, node, top, incoming);
    else {
      this.once(`nosplit|${name}`, () =>
        this.report({
          code: "FL013",
          step: name,
          span: node.nameSpan,
          message: `Step ${name} is a join (it takes ${node.args[1]?.name ?? "inputs"}) but no split comes before it. Remove the extra argument, or add a split before it.`,
        }),
      );
    }
    const lineages = new Set(incoming.filter((n) => g.steps.has(n)).map((n) => this.parents(n)));
    if (lineages.size > 1) {
      this.once(`cross|${name}`, () =>
        this.report({
          code: "FL013",
          step: name,
          span: node.nameSpan,
          message: `Join step ${name} joins branches of unrelated splits (${incoming.join(", ")}). Each split needs its own join: join the inner split first, then the outer one.`,
        }),
      );
    }
    return top ? stack.slice(0, -1) : stack;
  }

  private checkBranches(name: string, node: GraphStep, top: Open, incoming: string[]): void {
    const { g } = this;
    // Each input is resolved to the branch of the split it is on, so a switch inside a
    // branch (two inputs on one branch) balances, as in Metaflow's lint.
    // An edge straight from the split is a branch of its own (a foreach into its join).
    const branchOf = (n: string): string => (n === top.split ? name : (g.splitBranches.get(n)?.at(-1) ?? n));
    const branches = [...new Set(incoming.filter((n) => g.steps.has(n)).map(branchOf))];
    if (branches.length === top.roots.length && branches.every((b) => top.roots.includes(b))) return;
    this.once(`count|${name}`, () =>
      this.report({
        code: "FL013",
        step: name,
        span: node.nameSpan,
        message: `Join step ${name} is reached from ${incoming.length} step${incoming.length === 1 ? "" : "s"} (${incoming.join(", ")}) on ${branches.length} branch${branches.length === 1 ? "" : "es"} (${branches.join(", ")}), but the split at ${top.split} it closes has ${top.roots.length} branch${top.roots.length === 1 ? "" : "es"} (${top.roots.join(", ")}). Make every branch of ${top.split} end in ${name}, and nothing else.`,
        related: this.splitRel([top]),
      }),
    );
  }

  private splitRel(open: Open[]): RelatedLocation[] {
    return open.flatMap((o) => {
      const s = this.g.steps.get(o.split);
      return s ? [{ message: `split at ${o.split}`, span: s.nameSpan }] : [];
    });
  }

  private once(key: string, f: () => void): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    f();
  }

  /** The splits a step is inside (a join is inside one split fewer). */
  private parents(n: string): string {
    const node = this.g.steps.get(n);
    const p = this.g.splitParents.get(n) ?? [];
    return (node?.type === "join" ? p.slice(0, -1) : p).join(",");
  }
}
