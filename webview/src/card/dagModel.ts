// The layers of a card's DAG component (pure, tested on its own): the flow's steps top to bottom.

/** Steps by layer: a step sits one layer below the deepest step that leads to it (loops ignored). */
export function dagLayers(steps: Record<string, { next?: unknown }>, start: string | undefined): string[][] {
  const names = Object.keys(steps);
  const next = (s: string): string[] => (Array.isArray(steps[s]?.next) ? (steps[s]?.next as unknown[]).filter((n): n is string => typeof n === "string" && n in steps) : []);
  const depth = new Map<string, number>();
  const first = start !== undefined && start in steps ? start : names[0];
  if (first === undefined) return [];
  const queue: [string, number, Set<string>][] = [[first, 0, new Set([first])]];
  while (queue.length > 0) {
    const [s, d, seen] = queue.shift() as [string, number, Set<string>];
    if ((depth.get(s) ?? -1) >= d || d > names.length) continue;
    depth.set(s, d);
    for (const n of next(s)) if (!seen.has(n)) queue.push([n, d + 1, new Set([...seen, n])]);
  }
  for (const s of names) if (!depth.has(s)) depth.set(s, Math.max(0, ...depth.values()) + 1);
  const layers: string[][] = [];
  for (const s of names) (layers[depth.get(s) ?? 0] ??= []).push(s);
  return layers.filter((l) => l !== undefined);
}
