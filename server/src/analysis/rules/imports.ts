// FL109 at an import: `from metaflow import X` that Flowlens's metaflow package does not give
// (an extension's name, the deployer) fails with ImportError when the flow loads, before any
// step runs, so it is an error; inside a `try` the flow may handle it.
import { refusedImport } from "../runtimeNames";
import type { ModuleRule } from "./context";

export const refusedImports: ModuleRule = {
  name: "refused-imports",
  scope: "module",
  codes: {
    FL109: {
      severity: "error",
      summary: "`from metaflow import X` (anywhere in the file) for a name Flowlens's `metaflow` package does not give, or a name `metaflow.cards` does not have; a warning inside a `try`",
      at: "the imported name",
    },
  },
  run(ctx, report) {
    for (const imp of ctx.apiImports) {
      const refused = refusedImport(imp.module, imp.name);
      if (!refused) continue;
      report({
        code: "FL109",
        severity: imp.guarded ? "warning" : "error",
        span: imp.span,
        message: imp.guarded
          ? `from ${imp.module} import ${imp.name} fails under Flowlens: ${refused.reason}. The ImportError is raised inside this try, so the flow runs if it handles it.`
          : `from ${imp.module} import ${imp.name} fails under Flowlens with ImportError: ${refused.reason}. Remove it to run this flow with Flowlens, or run it with Metaflow.`,
      });
    }
  },
};
