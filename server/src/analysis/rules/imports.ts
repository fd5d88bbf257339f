// FL109 at an import: `from metaflow import X` that Flowlens's metaflow package does not give
// (an extension's name, the deployer, a card component) fails with ImportError when the flow
// loads, before any step runs, so it is an error; inside a `try` the flow may handle it.
import type { ApiImport } from "../extract/apiImports";
import type { Diagnostic } from "../model";
import { refusedImport } from "../runtimeNames";

export function refusedImports(imports: readonly ApiImport[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const imp of imports) {
    const refused = refusedImport(imp.module, imp.name);
    if (!refused) continue;
    out.push({
      code: "FL109",
      severity: imp.guarded ? "warning" : "error",
      span: imp.span,
      message: imp.guarded
        ? `from ${imp.module} import ${imp.name} fails under Flowlens: ${refused.reason}. The ImportError is raised inside this try, so the flow runs if it handles it.`
        : `from ${imp.module} import ${imp.name} fails under Flowlens with ImportError: ${refused.reason}. Remove it to run this flow with Flowlens, or run it with Metaflow.`,
    });
  }
  return out;
}
