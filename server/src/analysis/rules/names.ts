// FL001 reserved step names, FL006 step name characters.
import { localSteps, type Rule } from "./context";

const reserved = new Set(["name", "next", "input", "index", "cmd"]);

export const reservedStepName: Rule = {
  name: "reserved-step-name",
  codes: {
    FL001: { severity: "error", summary: "a step name Metaflow reserves (name, next, input, index, cmd)", at: "the step name" },
  },
  run(ctx, report) {
    for (const { step } of localSteps(ctx)) {
      if (!reserved.has(step.name)) continue;
      report({
        code: "FL001",
        step: step.name,
        span: step.nameSpan,
        message: `Step name "${step.name}" is reserved by Metaflow (reserved: ${[...reserved].join(", ")}). Rename the step, e.g. "${step.name}_step".`,
      });
    }
  },
};

export const stepNameCharacters: Rule = {
  name: "step-name-characters",
  codes: {
    FL006: { severity: "error", summary: "a step name with characters other than lowercase letters, digits and `_`, or starting with `_`; suggests a valid name", at: "the step name" },
  },
  run(ctx, report) {
    for (const { step } of localSteps(ctx)) {
      if (/^[a-z0-9_]+$/.test(step.name) && !step.name.startsWith("_")) continue;
      const suggestion = step.name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().replace(/[^a-z0-9_]/g, "_").replace(/^_+/, "") || "step_name";
      report({
        code: "FL006",
        step: step.name,
        span: step.nameSpan,
        message: step.name.startsWith("_")
          ? `Step name "${step.name}" starts with "_", which Metaflow does not allow. Rename it, e.g. "${suggestion}".`
          : `Step name "${step.name}" may only contain lowercase letters, digits and "_". Rename it, e.g. "${suggestion}".`,
      });
    }
  },
};
