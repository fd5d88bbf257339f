// FL007: a step takes `self`, or `self` and `inputs` when it is a join.
import { isEndStep } from "../graph/types";
import { localSteps, type Rule } from "./context";

export const stepArity: Rule = {
  name: "step-arity",
  codes: {
    FL007: { severity: "error", summary: "a step takes `self`, a join `self` and `inputs`: more arguments, no `self`, a join that also splits, or a start taking inputs", at: "the `def` line" },
  },
  run(ctx, report) {
    for (const { step } of localSteps(ctx)) {
      const n = step.args.length;
      if (n === 0) {
        report({ code: "FL007", step: step.name, span: step.defSpan, message: `Step ${step.name} is missing the "self" argument. Write "def ${step.name}(self):".` });
      } else if (n > 2) {
        report({
          code: "FL007",
          step: step.name,
          span: step.defSpan,
          message: `Step ${step.name} takes ${n} arguments. A step takes only self; a join step takes self and inputs. Remove the extra arguments.`,
        });
      } else if (n === 2 && !isEndStep(step) && step.transition?.valid && step.type !== "join") {
        const inputs = step.args[1]?.name ?? "inputs";
        report({
          code: "FL007",
          step: step.name,
          span: step.defSpan,
          message:
            step.type === "start"
              ? `The start step ${step.name} takes "${inputs}", but nothing can join into start. Write "def ${step.name}(self):".`
              : `Step ${step.name} is both a join (it takes "${inputs}") and a split (${step.type}). Metaflow does not allow this: add a separate step after the join that does the split.`,
        });
      }
    }
  },
};
