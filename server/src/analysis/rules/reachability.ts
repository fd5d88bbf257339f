// FL011 cycles, FL012 steps unreachable from start.
import { presumedEdges } from "../graph/closestStep";
import { reachable } from "../graph/cycles";
import type { Rule } from "./context";

export const noCycles: Rule = {
  name: "no-cycles",
  codes: {
    FL011: { severity: "error", summary: "a cycle (`a -> b -> a`); a switch case pointing back at its own step is allowed; related: each step on it", at: "the target that closes the cycle" },
  },
  requires: ["parsed", "flow"],
  run(ctx, report) {
    for (const c of ctx.cycles) {
      const from = ctx.methods.get(c.from)?.step;
      const target = from?.transition?.targets.find((t) => t.name === c.to);
      report({
        code: "FL011",
        step: c.from,
        span: target?.nameSpan ?? from?.transition?.span ?? from?.nameSpan ?? ctx.flow.nameSpan,
        message: `The flow has a cycle: ${c.path.join(" -> ")}. Metaflow graphs are acyclic (only a switch case may point back at its own step). Break the cycle by pointing ${c.from} at a later step.`,
        related: c.path.slice(0, -1).flatMap((n) => {
          const s = ctx.methods.get(n)?.step;
          return s ? [{ message: `${n} is on the cycle`, span: s.nameSpan }] : [];
        }),
      });
    }
  },
};

export const reachableFromStart: Rule = {
  name: "reachable-from-start",
  codes: {
    FL012: { severity: "error", summary: "a step not reachable from start (a transition to an unknown name is taken to lead to the closest step, or, with none close, to any step nothing transitions to: it is reported once, as FL010)", at: "the step name" },
  },
  requires: ["parsed", "flow", "start"],
  run(ctx, report) {
    // An unknown target is FL010's finding; the steps it was meant to lead to are not unreachable too.
    const seen = reachable(ctx.graph, presumedEdges(ctx.graph));
    for (const { step } of ctx.methods.values()) {
      if (seen.has(step.name)) continue;
      report({
        code: "FL012",
        step: step.name,
        span: step.nameSpan,
        message: `Step ${step.name} is not reachable from ${ctx.graph.start ?? "start"}, so it never runs. Add a transition to it (self.next(self.${step.name})) or remove it.`,
      });
    }
  },
};
