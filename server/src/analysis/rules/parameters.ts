// FL103: Parameter names Metaflow reserves for its own options, and duplicate parameter names.
import type { Rule } from "./context";

const reserved = new Set([
  "params", "with", "tag", "tags", "namespace", "obj", "decospecs", "run-id", "task-id", "max-workers",
  "max-num-splits", "max-log-size", "run-id-file", "user-namespace", "runner-attribute-file",
]);

export const parameterNames: Rule = {
  name: "parameter-names",
  codes: {
    FL103: { severity: "error", summary: "a parameter name Metaflow's command line reserves, or two parameters with one command-line name", at: "the parameter's name" },
  },
  run(ctx, report) {
    const seen = new Map<string, (typeof ctx.flow.parameters)[number]>();
    for (const p of ctx.flow.parameters) {
      const local = p.inheritedFrom?.file === undefined && !(p.inheritedFrom && ctx.library);
      const cli = p.name.replace(/_/g, "-");
      if (local && (reserved.has(p.name) || reserved.has(cli))) {
        report({
          code: "FL103",
          span: p.nameSpan,
          message: `Parameter name "${p.name}" is reserved by Metaflow's command line (reserved: ${[...reserved].join(", ")}). Rename the parameter.`,
        });
      }
      const first = seen.get(cli);
      if (first && local) {
        report({
          code: "FL103",
          span: p.nameSpan,
          message: `Two parameters are named "${p.name}" (${first.attribute} and ${p.attribute}); each needs its own command-line name. Rename one.`,
          related: [{ message: "first parameter with this name", span: first.nameSpan }],
        });
      }
      if (!first) seen.set(cli, p);
    }
  },
};
