// Every check, in Metaflow's order, then Flowlens's own. To add a rule: write a small `Rule` in
// this folder with a stable code, list it here, document the code in docs/analysis.md and add a
// positive and a negative fixture under test/fixtures/.
import { stepArity } from "./arity";
import { splitJoinBalance } from "./balance";
import type { Rule } from "./context";
import { artifactDataFlow } from "./dataflow";
import { decoratorChecks } from "./decorators";
import { fanOut } from "./fanout";
import { reservedStepName, stepNameCharacters } from "./names";
import { parameterNames } from "./parameters";
import { noCycles, reachableFromStart } from "./reachability";
import { annotationBesideLiteral, endIsEnd, startAndEnd, startHasNoIncoming } from "./startEnd";
import { missingTransition, nextMisuse, transitionShape, unknownTarget } from "./transitions";

export const rules: Rule[] = [
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
  artifactDataFlow,
];

/** Default severity per code; a finding may override it (e.g. FL109 is a warning). */
export function defaultSeverity(code: string): "error" | "warning" {
  if (code === "FL109") return "warning";
  return "error";
}
