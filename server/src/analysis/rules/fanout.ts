// FL015 foreach straight into a join, FL016 num_parallel target without @parallel,
// FL017 step after @parallel not a join, FL018 @parallel reached without num_parallel,
// FL019 a switch case straight into a join.
import type { Rule } from "./context";

export const fanOut: Rule = {
  name: "foreach-parallel-switch-shapes",
  codes: {
    FL015: { severity: "error", summary: "a foreach (or `num_parallel`) straight into a join", at: "the target" },
    FL016: { severity: "error", summary: "a `num_parallel` target without `@parallel`", at: "the target" },
    FL017: { severity: "error", summary: "a step after a `@parallel` step that is not a join", at: "the step name" },
    FL018: { severity: "error", summary: "a `@parallel` step reached without `num_parallel`", at: "the step name" },
    FL019: { severity: "error", summary: "a switch case straight into a join", at: "the target" },
  },
  requires: ["parsed", "flow"],
  run(ctx, report) {
    const steps = ctx.graph.steps;
    // Every step, inherited ones too: these findings depend on the steps around them in this flow.
    for (const { step, method } of ctx.methods.values()) {
      const t = method.transition;
      for (const target of t?.targets ?? []) {
        const to = steps.get(target.name);
        if (!to) continue;
        if ((step.type === "split-foreach" || step.type === "split-parallel") && to.type === "join") {
          report({
            code: "FL015",
            step: step.name,
            span: target.nameSpan,
            message: `The foreach at ${step.name} goes straight into join step ${to.name}. Add a step between them that does the work for each item.`,
          });
        }
        if (step.type === "split-parallel" && !to.parallel) {
          report({
            code: "FL016",
            step: step.name,
            span: target.nameSpan,
            message: `${step.name} starts ${to.name} with num_parallel=, but ${to.name} lacks @parallel. Add @parallel above @step on ${to.name}.`,
          });
        }
        if (step.type === "split-switch" && to.type === "join" && to.name !== step.name) {
          report({
            code: "FL019",
            step: step.name,
            span: target.nameSpan,
            message: `The switch case ${JSON.stringify(target.caseKey)} in ${step.name} leads straight into join step ${to.name}. Only one branch of a switch runs, so add a step between the switch and the join.`,
          });
        }
      }
    }
    for (const { step } of ctx.methods.values()) {
      if (!step.parallel) continue;
      for (const n of step.next) {
        const to = steps.get(n);
        if (to && to.type !== "join") {
          report({
            code: "FL017",
            step: to.name,
            span: to.nameSpan,
            message: `Step ${to.name} comes after the @parallel step ${step.name}, so it must be a join. Add the inputs argument: def ${to.name}(self, inputs).`,
            related: [{ message: `@parallel step ${step.name}`, span: step.nameSpan }],
          });
        }
      }
      for (const from of ctx.graph.incoming.get(step.name) ?? []) {
        const caller = steps.get(from);
        if (!caller || caller.type === "split-parallel") continue;
        report({
          code: "FL018",
          step: step.name,
          span: step.nameSpan,
          message: `Step ${step.name} has @parallel but ${from} reaches it without num_parallel. Call self.next(self.${step.name}, num_parallel=N) in ${from}, or remove @parallel.`,
          related: [{ message: `${from} transitions here`, span: caller.nameSpan }],
        });
      }
    }
  },
};
