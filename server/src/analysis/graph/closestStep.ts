// What a name that is not a step was probably meant to be: the step whose name is closest by edit
// distance. One answer for the "did you mean" of FL010, the reachability of FL012 (an unknown
// target is taken to lead where it was meant to) and the "Change to ..." quick fix, so the three
// never disagree.
import type { FlowGraph } from "./structure";

/** Edits beyond this are no longer a typo but another name. */
const maxDistance = 2;

/** Levenshtein distance, capped: anything past `maxDistance` is `maxDistance + 1`. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > maxDistance) return maxDistance + 1;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] ?? 0;
      prev[j] = Math.min((prev[j] ?? 0) + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return Math.min(prev[b.length] ?? 0, maxDistance + 1);
}

/**
 * The name among `names` that `written` most likely misspells: equal but for case first, then the
 * smallest edit distance up to two (the first in `names` order on a tie); undefined when none is close.
 */
export function closestName(names: Iterable<string>, written: string): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const name of names) {
    if (name === written) continue;
    const d = name.toLowerCase() === written.toLowerCase() ? 0 : editDistance(name, written);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Where each transition to a name that is not a step may lead: the closest step when there is one,
 * otherwise every step nothing transitions to (one of them may be what the name was meant to be).
 * Returned as extra edges `from -> to`, for reachability only.
 */
export function presumedEdges(g: FlowGraph): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const orphans = g.order.filter((n) => n !== g.start && (g.incoming.get(n)?.length ?? 0) === 0);
  for (const step of g.steps.values()) {
    for (const target of step.next) {
      if (g.steps.has(target)) continue;
      const close = closestName(g.order, target);
      out.set(step.name, [...(out.get(step.name) ?? []), ...(close !== undefined ? [close] : orphans)]);
    }
  }
  return out;
}
