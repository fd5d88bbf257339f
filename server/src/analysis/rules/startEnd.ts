// FL002 start/end present and unique, FL003 annotation beside a literal start/end,
// FL004 start without incoming edges, FL005 end without a transition or inputs.
import { isEndStep, isStartStep } from "../graph/types";
import { localSteps, stepList, type Rule } from "./context";

export const startAndEnd: Rule = {
  name: "start-and-end",
  codes: {
    FL002: { severity: "error", summary: "no start or no end step, or several steps annotated `@step(start=True)` / `@step(end=True)`", at: "the class name" },
  },
  requires: ["parsed", "flow"],
  run(ctx, report) {
    const steps = stepList(ctx);
    const flowSpan = ctx.flow.nameSpan;
    for (const which of ["start", "end"] as const) {
      const is = which === "start" ? isStartStep : isEndStep;
      const annotated = steps.filter((s) => (which === "start" ? s.startAnnotated : s.endAnnotated));
      if (!steps.some(is)) {
        report({
          code: "FL002",
          span: flowSpan,
          message: `Flow ${ctx.flow.name} has no ${which} step. Add a step named "${which}" (or mark one with @step(${which}=True)).`,
        });
      }
      if (annotated.length > 1) {
        report({
          code: "FL002",
          span: flowSpan,
          message: `Flow ${ctx.flow.name} has ${annotated.length} steps annotated with @step(${which}=True): ${annotated.map((s) => s.name).join(", ")}. Keep the annotation on one of them.`,
          related: annotated.map((s) => ({ message: `@step(${which}=True) on ${s.name}`, span: s.nameSpan })),
        });
      }
    }
  },
};

export const annotationBesideLiteral: Rule = {
  name: "annotated-start-end-beside-literal",
  codes: {
    FL003: { severity: "error", summary: "a step annotated `@step(start=True)` (or end) beside a step literally named `start` (or `end`), which is the one used; related: the literal step", at: "the annotated step's name" },
  },
  requires: ["flow"],
  run(ctx, report) {
    for (const which of ["start", "end"] as const) {
      const literal = ctx.methods.get(which)?.step;
      if (!literal) continue;
      for (const { step } of localSteps(ctx)) {
        const annotated = which === "start" ? step.startAnnotated : step.endAnnotated;
        if (!annotated || step.name === which) continue;
        report({
          code: "FL003",
          step: step.name,
          span: step.nameSpan,
          message: `Step ${step.name} is annotated @step(${which}=True) but another step is literally named "${which}". Remove the annotation or rename the other step.`,
          related: [{ message: `step named "${which}"`, span: literal.nameSpan }],
        });
      }
    }
  },
};

export const startHasNoIncoming: Rule = {
  name: "start-has-no-incoming-edges",
  codes: {
    FL004: { severity: "error", summary: "transitions into the start step; related: each of them (an end with outgoing edges is FL005)", at: "the start step's name" },
  },
  requires: ["parsed", "flow", "start"],
  run(ctx, report) {
    const start = ctx.graph.start !== undefined ? ctx.methods.get(ctx.graph.start)?.step : undefined;
    const from = start ? (ctx.graph.incoming.get(start.name) ?? []) : [];
    if (!start || from.length === 0) return;
    report({
      code: "FL004",
      step: start.name,
      span: start.nameSpan,
      message: `The start step ${start.name} has incoming edges (from ${from.join(", ")}); nothing may transition to start. Point those transitions at another step.`,
      related: from.flatMap((f) => {
        const t = ctx.methods.get(f)?.step.transition?.targets.find((x) => x.name === start.name);
        return t ? [{ message: `${f} transitions to ${start.name}`, span: t.nameSpan }] : [];
      }),
    });
  },
};

export const endIsEnd: Rule = {
  name: "end-is-end",
  codes: {
    FL005: { severity: "error", summary: "the end step calls `self.next` or takes `inputs`", at: "the end's `self.next(...)`, or its `inputs` argument" },
  },
  run(ctx, report) {
    for (const { step, method } of localSteps(ctx)) {
      if (!isEndStep(step)) continue;
      if (step.transition || method.facts.nextCalls.length > 0) {
        report({
          code: "FL005",
          step: step.name,
          span: step.transition?.span ?? method.facts.nextCalls[0] ?? step.nameSpan,
          message: `The end step ${step.name} must not call self.next: the flow finishes there. Remove the call, or move this work into a step before end.`,
        });
      }
      if (step.args.length >= 2) {
        const arg = step.args[1];
        report({
          code: "FL005",
          step: step.name,
          span: arg?.span ?? step.nameSpan,
          message: `The end step ${step.name} must not take "${arg?.name ?? "inputs"}": end cannot be a join. Add a join step before end and make end take only self.`,
        });
      }
    }
  },
};
