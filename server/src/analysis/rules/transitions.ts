// FL008 missing tail transition, FL009 unsupported shape, FL010 unknown target,
// FL014 malformed switch, FL107 misuse of self.next / merge_artifacts.
import { knownNextKeywords } from "../extract/transition";
import { closestName } from "../graph/closestStep";
import { isEndStep } from "../graph/types";
import { localSteps, type Rule } from "./context";

const shapes =
  "self.next(self.a) (linear), self.next(self.a, self.b, ...) (split), self.next(self.a, foreach=\"items\") (foreach), " +
  "self.next({\"x\": self.a, \"y\": self.b}, condition=\"choice\") (switch), or self.next(self.a, num_parallel=N) (parallel)";

export const missingTransition: Rule = {
  name: "missing-transition",
  codes: {
    FL008: { severity: "error", summary: "a step without a tail `self.next(...)`; says why a nested `self.next` does not count; related: the stray calls", at: "the step name" },
  },
  requires: ["parsed"],
  run(ctx, report) {
    for (const { step } of localSteps(ctx)) {
      if (isEndStep(step) || step.transition) continue;
      const stray = step.strayTransitions.length > 0;
      report({
        code: "FL008",
        step: step.name,
        span: step.nameSpan,
        message: stray
          ? `Step ${step.name} does not end with self.next(...): only the last statement of a step counts, and a self.next inside if/try/a loop or followed by more code does not. Make self.next(...) the step's last statement (choose among branches with a switch: self.next({...}, condition="...")).`
          : `Step ${step.name} has no transition. End it with self.next(self.<next_step>).`,
        related: step.strayTransitions.map((s) => ({ message: "this self.next does not count (it is not the last statement)", span: s })),
      });
    }
  },
};

export const transitionShape: Rule = {
  name: "transition-shape",
  codes: {
    FL009: { severity: "error", summary: "a `self.next(...)` of an unsupported shape, or an argument that is not a step; lists the valid shapes", at: "the bad argument, or the call" },
    FL014: { severity: "error", summary: "a switch without `condition=`, or with fewer than 2 cases", at: "the call" },
  },
  run(ctx, report) {
    for (const { step, method } of localSteps(ctx)) {
      const t = method.transition;
      if (!t || isEndStep(step)) continue;
      if (t.hasCases) {
        const cases = t.targets.filter((x) => x.caseKey !== undefined);
        const condition = t.keywords.find((k) => k.name === "condition");
        if (!condition) {
          report({
            code: "FL014",
            step: step.name,
            span: t.span,
            message: `The switch in step ${step.name} has no condition. Add condition="<artifact>" naming the artifact whose value picks the case.`,
          });
        }
        if (t.shape === "switch" && cases.length < 2) {
          report({
            code: "FL014",
            step: step.name,
            span: t.span,
            message: `The switch in step ${step.name} has ${cases.length} case${cases.length === 1 ? "" : "s"}; a switch needs at least 2. Add a case, or use self.next(self.<step>) for a single target.`,
          });
        }
      }
      for (const bad of t.badTargets) {
        report({
          code: "FL009",
          step: step.name,
          span: bad.span,
          message: `${bad.text} is not a step: self.next takes steps as self.<step_name>${t.hasCases ? " (switch cases map a str or number literal to self.<step_name>)" : ""}. Valid shapes: ${shapes}.`,
        });
      }
      if (t.shape === "invalid" && t.badTargets.length === 0) {
        report({
          code: "FL009",
          step: step.name,
          span: t.span,
          message: `This self.next(...) has an unsupported shape. Use one of: ${shapes}.`,
        });
      }
    }
  },
};

export const unknownTarget: Rule = {
  name: "unknown-target",
  codes: {
    FL010: { severity: "error", summary: "a transition to a step that does not exist (\"did you mean\"), or to a method without `@step`", at: "each unknown target" },
  },
  // A library base may transition to steps its subclasses define.
  requires: ["parsed", "flow"],
  run(ctx, report) {
    const names = [...ctx.methods.keys()];
    // Every step, inherited ones too: whether a target exists depends on this flow's steps.
    for (const { step, method } of ctx.methods.values()) {
      for (const target of method.transition?.targets ?? []) {
        if (ctx.methods.has(target.name)) continue;
        const helper = ctx.built.members.has(target.name);
        const close = closestName(names, target.name);
        report({
          code: "FL010",
          step: step.name,
          span: target.nameSpan,
          message: helper
            ? `Step ${step.name} transitions to ${target.name}, which is a method without @step. Add @step above "def ${target.name}" or point the transition at a step.`
            : `Step ${step.name} transitions to unknown step ${target.name}.${close ? ` Did you mean ${close}?` : ""} Define a @step named ${target.name} or fix the name.`,
        });
      }
    }
  },
};

export const nextMisuse: Rule = {
  name: "next-and-merge-misuse",
  codes: {
    FL107: { severity: "error", summary: "`self.next` with an unknown keyword or a non-literal `foreach=`/`condition=`, called more than once, or `merge_artifacts` outside a join (a warning inside a `try`, a lambda or a nested function, where the step may expect the exception it raises)", at: "the keyword, the value, or the call" },
  },
  run(ctx, report) {
    for (const { step, method } of localSteps(ctx)) {
      const t = method.transition;
      for (const k of t?.keywords ?? []) {
        if (!knownNextKeywords.has(k.name)) {
          report({
            code: "FL107",
            step: step.name,
            span: k.span,
            message: `self.next does not take "${k.name}=". Its keywords are foreach=, condition= and num_parallel=; remove "${k.name}".`,
          });
        } else if ((k.name === "foreach" || k.name === "condition") && typeof k.value !== "string") {
          report({
            code: "FL107",
            step: step.name,
            span: k.valueSpan,
            message: `${k.name}= must be a string literal naming an artifact (e.g. ${k.name}="items"), not ${k.text.replace(/^\w+\s*=\s*/, "")}. Store the value in an artifact and name it.`,
          });
        }
      }
      const calls = method.facts.nextCalls.length;
      if (calls >= 2) {
        for (const s of step.strayTransitions) {
          report({
            code: "FL107",
            step: step.name,
            span: s,
            message: `self.next is called ${calls} times in step ${step.name}; a step makes exactly one transition, as its last statement. Use one self.next (a switch picks among branches: self.next({...}, condition="...")).`,
          });
        }
      }
      if (step.args.length < 2) {
        for (const m of step.mergeArtifacts) {
          // Inside a try block or a lambda the step may expect the exception the call raises
          // (Metaflow raises it when the call runs, not before the run): a warning then.
          report(
            m.guarded
              ? {
                  code: "FL107",
                  severity: "warning",
                  step: step.name,
                  span: m.span,
                  message: `self.merge_artifacts can only be called in a join: here, in ${step.name}, the call raises MetaflowException when it runs. Fine if the step expects that exception; otherwise remove the call, or make ${step.name} a join: def ${step.name}(self, inputs).`,
                }
              : {
                  code: "FL107",
                  step: step.name,
                  span: m.span,
                  message: `self.merge_artifacts is only allowed in a join step (one that takes inputs). Remove the call, or make ${step.name} a join: def ${step.name}(self, inputs).`,
                },
          );
        }
      }
    }
  },
};
