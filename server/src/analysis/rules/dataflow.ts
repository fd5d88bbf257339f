// Artifact data flow, Flowlens's own checks: FL201 a read of self.x that is not set on every path
// into the step, FL202 foreach=/condition= naming an artifact never set, FL203 a join reading
// self.x that only exists in its branches.
//
// The analysis itself is the shared engine (dataflow/engine.ts), which the IDE queries use too:
// this rule only turns its verdicts into findings, once per name and step.
import { dataFlowChecked, dataFlowFor } from "../dataflow/engine";
import type { Rule } from "./context";

export const artifactDataFlow: Rule = {
  name: "artifact-data-flow",
  codes: {
    FL201: { severity: "error", summary: "a read of `self.x` that is not set on every path into the step", at: "the attribute name read" },
    FL202: { severity: "error", summary: "`foreach=` or `condition=` naming an artifact that is never set", at: "the `foreach=` or `condition=` value" },
    FL203: { severity: "error", summary: "a join reading `self.x` that only its branches set (without `merge_artifacts`)", at: "the attribute name read" },
  },
  requires: ["parsed", "flow", "resolvedBases", "start"],
  run(ctx, report) {
    if (!dataFlowChecked(ctx)) return;
    const flow = dataFlowFor(ctx);
    for (const { step } of ctx.methods.values()) {
      if (!ctx.isLocal(step)) continue;
      const inputs = step.args[1]?.name ?? "inputs";
      const reported = new Set<string>();
      for (const read of step.reads) {
        if (read.via !== "self" || reported.has(read.name)) continue;
        const verdict = flow.readAt(step.name, read.name, read.span.start);
        if (verdict.kind === "local" || verdict.kind === "merged" || verdict.kind === "available" || verdict.kind === "exempt") continue;
        const base = { step: step.name, span: read.span };
        const unset = `self.${read.name} is read in ${step.name} but no step before it sets it. Set self.${read.name} in an earlier step (or in ${step.name} before this line).`;
        if (verdict.kind === "join-branches") {
          const message = `In join step ${step.name}, self.${read.name} is not set: artifacts of the branches reach a join only through ${inputs}. Call self.merge_artifacts(${inputs}) before this line, or read it from one branch (e.g. ${inputs}[0].${read.name}).`;
          report({ code: "FL203", ...base, message });
        } else if (verdict.kind === "unset") {
          report({ code: "FL201", ...base, ...(step.type === "join" ? {} : { severity: "error" as const }), message: unset });
        } else if (verdict.kind === "some-paths") {
          // Set on some paths only: often intended (a guard elsewhere), so a warning rather than an error.
          const message = `self.${read.name} is read in ${step.name} but is not set on every path into it (not through ${verdict.missingVia.join(", ")}). Set it on every path before ${step.name}, or guard the read with hasattr(self, "${read.name}").`;
          report({ code: "FL201", ...base, severity: "warning", message });
        }
        reported.add(read.name);
      }
      const t = step.transition;
      for (const which of [t?.foreach, t?.condition]) {
        if (!which || which.artifact === "" || flow.transitionSees(step.name, which.artifact)) continue;
        report({
          code: "FL202",
          step: step.name,
          span: which.span,
          message: `${which === t?.foreach ? "foreach" : "condition"}="${which.artifact}" names an artifact that ${step.name} and the steps before it never set. Set self.${which.artifact} in ${step.name} before self.next, or fix the name.`,
        });
      }
    }
  },
};
