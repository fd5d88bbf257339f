// FL110: a step assigns to a parameter, a config or a flow-level constant. Metaflow makes them
// read-only properties of the flow while a task runs (as Flowlens does), so the assignment
// raises AttributeError when the step runs, after the work before it was done. Reported for
// writes on self in steps of this file (`self.alpha = ...`, `self.alpha += ...`, tuple
// targets, `setattr(self, "alpha", ...)`); class attributes bound to a call or a name may be
// functions or classes, which stay writable, so only literal constants are checked. A write in
// a try block that catches AttributeError is deliberate and not reported.
import { localSteps, type Rule } from "./context";

export const readOnlyAttributes: Rule = {
  name: "read-only-flow-attributes",
  codes: {
    FL110: { severity: "error", summary: "a step assigns to a parameter, a config or a literal class-level constant, which are read-only while a task runs (AttributeError when the step runs); not inside a try block that catches AttributeError", at: "the attribute name written" },
  },
  run(ctx, report) {
    const kinds = new Map<string, string>();
    for (const a of ctx.built.facts.attributes) if (a.isLiteral) kinds.set(a.name, "a flow-level constant");
    for (const c of ctx.flow.configs) kinds.set(c.attribute, "a config");
    for (const p of ctx.flow.parameters) kinds.set(p.attribute, p.kind === "IncludeFile" ? "an IncludeFile parameter" : "a parameter");
    if (kinds.size === 0) return;
    for (const { step, method } of localSteps(ctx)) {
      for (const w of step.writes) {
        const kind = kinds.get(w.name);
        if (kind === undefined || w.via !== "self") continue;
        // Inside `try: ... except AttributeError:` the step expects the error and goes on.
        if (method.attributeErrorHandled.some((s) => s.start <= w.span.start && w.span.end <= s.end)) continue;
        report({
          code: "FL110",
          step: step.name,
          span: w.span,
          message: `Step ${step.name} assigns self.${w.name}, but ${w.name} is ${kind} of ${ctx.flow.name}: it is read-only while a task runs, so the step fails here with AttributeError. Store the new value under another name, e.g. self.${w.name}_value.`,
        });
      }
    }
  },
};
