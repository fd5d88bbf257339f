// Step durations on the graph: under each node of the run shown, its wall time ("2.4 s"), and for a
// step of several tasks the spread of their durations ("min 0.3 s · med 0.5 s · max 1.2 s"); the
// slowest step's node gets the `slowest` class and a "slowest" word. Applying `undefined` clears
// them. Kept apart from the run marks (runMarks.ts) so each reads on its own. Returns step -> label
// for the host's log and the tests.
import { formatMs, type StepDurations } from "../../server/src/protocol/durations";
import type { RunStatusMessage } from "../../server/src/protocol/webview";
import type { Drawing } from "./render";
import { svg } from "./render";

/** The label under a node: its wall time, then the tasks' spread when there are several. */
export function durationLabel(d: StepDurations, slowest: boolean): { wall: string; spread?: string } {
  const wall = `${d.open ? "≥ " : ""}${formatMs(d.wallMs)}${slowest ? " · slowest" : ""}`;
  const t = d.tasks;
  if (!t || t.count < 2) return { wall };
  return { wall, spread: `min ${formatMs(t.minMs)} · med ${formatMs(t.medianMs)} · max ${formatMs(t.maxMs)}` };
}

export function applyDurations(drawing: Drawing, status: RunStatusMessage | undefined): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [step, g] of drawing.nodes) {
    g.querySelector(".run-duration")?.remove();
    g.classList.remove("slowest");
    const d = status?.steps[step]?.durations;
    const box = drawing.boxes.get(step);
    if (!d || !box) continue;
    const isSlowest = status?.slowest === step;
    const label = durationLabel(d, isSlowest);
    // Under the run's pill when the node has one (runHeadline.ts draws it first, 16 px tall).
    const below = g.querySelector(".run-pill") ? 16 : 0;
    const text = svg("text", { class: "run-duration", x: box.width / 2, y: box.height + 12 + below, "text-anchor": "middle" });
    text.append(svg("tspan", { class: "wall" }, label.wall));
    if (label.spread) text.append(svg("tspan", { class: "spread", x: box.width / 2, dy: 12 }, label.spread));
    g.append(text);
    if (isSlowest) g.classList.add("slowest");
    shown[step] = label.spread ? `${label.wall} (${label.spread})` : label.wall;
  }
  return shown;
}
