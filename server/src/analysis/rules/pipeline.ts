// Runs the registered rules: the gates a rule declares are checked here, once, rather than at
// the top of each rule; a finding gets its code's default severity unless it sets one, and a
// finding with a code its rule does not declare is an internal error (the metadata stays true).
import type { AnyRule, Finding, Gate, ModuleContext, RuleContext } from "./context";
import { classRules, moduleRules } from "./registry";

const gates: Record<Gate, (ctx: RuleContext) => boolean> = {
  parsed: (ctx) => !ctx.broken,
  flow: (ctx) => !ctx.library,
  start: (ctx) => ctx.graph.start !== undefined,
  acyclic: (ctx) => ctx.cycles.length === 0,
  resolvedBases: (ctx) => ctx.built.unresolved.length === 0,
  knownTargets: (ctx) => [...ctx.graph.steps.values()].every((s) => s.next.every((n) => ctx.graph.steps.has(n))),
};

function sink(rule: AnyRule, out: Finding[]): (f: Finding) => void {
  return (f) => {
    const info = rule.codes[f.code];
    if (!info) throw new Error(`rule ${rule.name} reported ${f.code}, which it does not declare`);
    out.push(f.severity !== undefined ? f : { ...f, severity: info.severity });
  };
}

/** Every class rule whose gates pass, in registry order. */
export function runClassRules(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of classRules) {
    if (rule.requires?.every((g) => gates[g](ctx)) === false) continue;
    rule.run(ctx, sink(rule, out));
  }
  return out;
}

/** Every module rule, in registry order. */
export function runModuleRules(ctx: ModuleContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of moduleRules) rule.run(ctx, sink(rule, out));
  return out;
}
