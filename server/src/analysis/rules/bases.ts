// FL109 at a base class Flowlens cannot read (not in the workspace, or not importable from it):
// the steps and artifacts it defines are unknown, so the data-flow checks skip the flow. A
// library base class is not warned about: the flow that uses it is.
import type { Rule } from "./context";

export const unreadableBases: Rule = {
  name: "unreadable-base-class",
  codes: {
    FL109: { severity: "warning", summary: "a base class Flowlens cannot read: its steps and artifacts are unknown and the data-flow checks are skipped", at: "the base class as written" },
  },
  requires: ["flow"],
  run(ctx, report) {
    for (const u of ctx.built.unresolved) {
      report({
        code: "FL109",
        span: u.span,
        message: `Flowlens cannot read the base class ${u.text}, so steps or artifacts it defines are unknown and the data-flow checks are skipped. Make it importable from the workspace (a .py module next to this file), or ignore this warning.`,
      });
    }
  },
};
