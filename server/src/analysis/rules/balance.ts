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
    const g = ctx.graph;
    const seen = new Set<string>();
    const reported = new Set<string>();
    const splitRel = (open: Open[]): RelatedLocation[] =>
      open.flatMap((o) => {
        const s = g.steps.get(o.split);
        return s ? [{ message: `split at ${o.split}`, span: s.nameSpan }] : [];
      });
    const once = (key: string, f: () => void) => {
      if (reported.has(key)) return;
      reported.add(key);
      f();
    };
    const parents = (n: string): string => {
      const node = g.steps.get(n);
      const p = g.splitParents.get(n) ?? [];
      return (node?.type === "join" ? p.slice(0, -1) : p).join(",");
    };
    let budget = 20000;
    const visit = (name: string, stack: Open[]) => {
      const key = `${name}|${stack.map((o) => o.split).join(",")}`;
      if (seen.has(key) || --budget < 0) return;
      seen.add(key);
      const node = g.steps.get(name);
      if (!node) return;
      let next = stack;
      if (isSplit(node.type)) {
        next = [...stack, { split: name, roots: node.next }];
      } else if (node.type === "end") {
        if (stack.length > 0) {
          once(`end|${name}`, () =>
            report({
              code: "FL013",
              step: name,
              span: node.nameSpan,
              message: `Step ${name} is reached before the split${stack.length > 1 ? "s" : ""} at ${stack.map((o) => o.split).join(", ")} ${stack.length > 1 ? "were" : "was"} joined. Add a join step (def join(self, inputs)) before ${name}.`,
              related: splitRel(stack),
            }),
          );
        }
        return;
      } else if (node.type === "join") {
        const top = stack[stack.length - 1];
        const incoming = g.incoming.get(name) ?? [];
        if (top) {
          next = stack.slice(0, -1);
          // Each input is resolved to the branch of the split it is on, so a switch inside a
          // branch (two inputs on one branch) balances, as in Metaflow's lint.
          // An edge straight from the split is a branch of its own (a foreach into its join).
          const branchOf = (n: string) => (n === top.split ? name : (g.splitBranches.get(n)?.at(-1) ?? n));
          const branches = [...new Set(incoming.filter((n) => g.steps.has(n)).map(branchOf))];
          if (branches.length !== top.roots.length || branches.some((b) => !top.roots.includes(b))) {
            once(`count|${name}`, () =>
              report({
                code: "FL013",
                step: name,
                span: node.nameSpan,
                message: `Join step ${name} is reached from ${incoming.length} step${incoming.length === 1 ? "" : "s"} (${incoming.join(", ")}) on ${branches.length} branch${branches.length === 1 ? "" : "es"} (${branches.join(", ")}), but the split at ${top.split} it closes has ${top.roots.length} branch${top.roots.length === 1 ? "" : "es"} (${top.roots.join(", ")}). Make every branch of ${top.split} end in ${name}, and nothing else.`,
                related: splitRel([top]),
              }),
            );
          }
        } else {
          once(`nosplit|${name}`, () =>
            report({
              code: "FL013",
              step: name,
              span: node.nameSpan,
              message: `Step ${name} is a join (it takes ${node.args[1]?.name ?? "inputs"}) but no split comes before it. Remove the extra argument, or add a split before it.`,
            }),
          );
        }
        const lineages = new Set(incoming.filter((n) => g.steps.has(n)).map(parents));
        if (lineages.size > 1) {
          once(`cross|${name}`, () =>
            report({
              code: "FL013",
              step: name,
              span: node.nameSpan,
              message: `Join step ${name} joins branches of unrelated splits (${incoming.join(", ")}). Each split needs its own join: join the inner split first, then the outer one.`,
            }),
          );
        }
      }
      for (const n of node.next) {
        if (n === name && node.type === "split-switch") continue;
        if (g.steps.has(n)) visit(n, next);
      }
    };
    const start = g.start;
    if (start !== undefined) visit(start, []);
  },
};
