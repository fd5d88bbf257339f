// Every check, in Metaflow's order, then Flowlens's own. A rule carries its own metadata (codes,
// default severities, gates: see context.ts); everything else that needs the list of codes (the
// pipeline's severities, the tests, the docs table) is derived from this list. To add a rule:
// one file in this folder, one line here, fixtures under test/fixtures/ (see
// server/src/analysis/README.md).
import { stepArity } from "./arity";
import { splitJoinBalance } from "./balance";
import { unreadableBases } from "./bases";
import type { AnyRule, CodeInfo, ModuleRule, Rule } from "./context";
import { artifactDataFlow } from "./dataflow";
import { decoratorChecks } from "./decorators";
import { fanOut } from "./fanout";
import { refusedImports } from "./imports";
import { reservedStepName, stepNameCharacters } from "./names";
import { parameterNames } from "./parameters";
import { noCycles, reachableFromStart } from "./reachability";
import { readOnlyAttributes } from "./readOnly";
import { annotationBesideLiteral, endIsEnd, startAndEnd, startHasNoIncoming } from "./startEnd";
import { missingTransition, nextMisuse, transitionShape, unknownTarget } from "./transitions";

export const registry: readonly AnyRule[] = [
  reservedStepName,
  startAndEnd,
  annotationBesideLiteral,
  startHasNoIncoming,
  endIsEnd,
  stepNameCharacters,
  stepArity,
  missingTransition,
  transitionShape,
  unknownTarget,
  noCycles,
  reachableFromStart,
  splitJoinBalance,
  fanOut,
  decoratorChecks,
  parameterNames,
  nextMisuse,
  readOnlyAttributes,
  unreadableBases,
  refusedImports,
  artifactDataFlow,
];

/** Rules run for each flow class. */
export const classRules: readonly Rule[] = registry.filter((r): r is Rule => r.scope !== "module");
/** Rules run once per file. */
export const moduleRules: readonly ModuleRule[] = registry.filter((r): r is ModuleRule => r.scope === "module");

/** The code the pipeline itself reports: syntax errors and internal failures. */
export const pipelineCode = "FL000";

/** Every code a rule reports, sorted, with the rules reporting it (a code may be shared: FL109
 * is raised for decorators, imports and base classes, each by its own rule). */
export function ruleCodes(): { code: string; rules: { rule: string; info: CodeInfo }[] }[] {
  const byCode = new Map<string, { rule: string; info: CodeInfo }[]>();
  for (const r of registry) {
    for (const [code, info] of Object.entries(r.codes)) {
      const list = byCode.get(code) ?? [];
      list.push({ rule: r.name, info });
      byCode.set(code, list);
    }
  }
  return [...byCode.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, rules]) => ({ code, rules }));
}
