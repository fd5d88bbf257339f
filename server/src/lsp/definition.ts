// Go to definition: a transition target or `inputs.a` -> the step; an artifact read -> the
// upstream assignments that can reach it; a parameter use -> its `Parameter(...)`.
import type { Location } from "vscode-languageserver";
import { locationOf, type FeatureContext } from "./context";
import { reachingWrites, stepByName } from "./flowGraph";
import { symbolAt } from "./query";

export function definition(ctx: FeatureContext, offset: number): Location[] {
  const sym = symbolAt(ctx.result, ctx.text, offset);
  if (!sym) return [];
  const out: (Location | undefined)[] = [];
  switch (sym.kind) {
    case "step": {
      const step = stepByName(sym.flow, sym.step);
      if (step) out.push(locationOf(ctx, step.nameSpan, step.inheritedFrom?.file));
      break;
    }
    case "parameter":
      out.push(locationOf(ctx, sym.parameter.span, sym.parameter.inheritedFrom?.file));
      break;
    case "artifact": {
      if (!sym.step) break;
      const at = sym.access?.span.start ?? sym.span.start;
      const fromStep = sym.access?.via === "inputs-step" ? sym.access.fromStep : undefined;
      // A write is its own definition only when nothing reaches it from upstream.
      const writes = sym.access?.writeKind !== undefined ? [] : reachingWrites(sym.flow, sym.step, sym.name, at, fromStep);
      for (const w of writes) out.push(locationOf(ctx, w.write.span, w.step.inheritedFrom?.file));
      break;
    }
    case "flow":
    case "decorator":
      break;
  }
  return out.filter((l): l is Location => l !== undefined);
}
