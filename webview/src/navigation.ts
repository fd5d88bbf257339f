// Keyboard navigation over the graph, as pure functions of the laid-out boxes and edges:
// Down goes to a successor, Up to a predecessor, Left/Right to the nearest node on the same row.

export interface NavBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type NavKey = "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight";

export function isNavKey(key: string): key is NavKey {
  return key === "ArrowUp" || key === "ArrowDown" || key === "ArrowLeft" || key === "ArrowRight";
}

function centerX(b: NavBox): number {
  return b.x + b.width / 2;
}

/** The node to select after pressing `key` on `from`; `from` itself when there is none. */
export function neighbour(
  from: string,
  key: NavKey,
  boxes: ReadonlyMap<string, NavBox>,
  edges: readonly { source: string; target: string }[],
): string {
  const here = boxes.get(from);
  if (!here) return from;
  const nearest = (ids: string[]): string | undefined =>
    ids
      .filter((id) => boxes.has(id))
      .sort((a, b) => Math.abs(centerX(boxes.get(a)!) - centerX(here)) - Math.abs(centerX(boxes.get(b)!) - centerX(here)))[0];
  if (key === "ArrowDown") return nearest(edges.filter((e) => e.source === from).map((e) => e.target)) ?? from;
  if (key === "ArrowUp") return nearest(edges.filter((e) => e.target === from).map((e) => e.source)) ?? from;
  const row = [...boxes.entries()].filter(([id, b]) => id !== from && Math.abs(b.y + b.height / 2 - (here.y + here.height / 2)) < here.height / 2);
  const side = row.filter(([, b]) => (key === "ArrowRight" ? centerX(b) > centerX(here) : centerX(b) < centerX(here)));
  side.sort((a, b) => Math.abs(centerX(a[1]) - centerX(here)) - Math.abs(centerX(b[1]) - centerX(here)));
  return side[0]?.[0] ?? from;
}
