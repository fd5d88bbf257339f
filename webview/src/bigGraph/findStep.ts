// Find a step by typing part of its name: the ranking behind the graph toolbar's find box. Pure.
// Loose letter-by-letter matching is left out on purpose: in a 40-step flow almost every name holds
// the letters of a short query somewhere, and the jump would land anywhere.

/** How well a name matches: lower is better; undefined when it does not match at all. */
function rank(name: string, query: string): number | undefined {
  const n = name.toLowerCase();
  if (n === query) return 0;
  if (n.startsWith(query)) return 1;
  // The start of a word inside a snake_case name (`stats` in `join_stats`).
  if (n.includes(`_${query}`)) return 2;
  if (n.includes(query)) return 3;
  // Initials and word beginnings (`jst` → `join_stats`, `fom` → `fan_out_models`).
  return wordMatch(n, query, 0, 0) ? 4 : undefined;
}

/** Each letter of `query` continues the previous match or starts a word of `name` (at 0 or after `_`). */
function wordMatch(name: string, query: string, from: number, q: number): boolean {
  if (q === query.length) return true;
  for (let i = from; i < name.length; i++) {
    const continues = i === from && q > 0;
    const wordStart = i === 0 || name[i - 1] === "_";
    if (name[i] === query[q] && (continues || wordStart) && wordMatch(name, query, i + 1, q + 1)) return true;
  }
  return false;
}

/** The names matching `query`, best first (ties keep the given order, the flow's order). */
export function findSteps(query: string, names: readonly string[]): string[] {
  const q = query.trim().toLowerCase();
  if (q === "") return [];
  return names
    .map((name, index) => ({ name, index, rank: rank(name, q) }))
    .filter((m): m is { name: string; index: number; rank: number } => m.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((m) => m.name);
}
