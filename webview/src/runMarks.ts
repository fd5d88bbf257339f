// Run status on the graph: each node gets a `run-<state>` class (colours in media/graph.css), a
// `run-mark-<mark>` class for a success after a retry or with a caught exception, a progress label
// for steps with several tasks ("37/100" for a foreach), the run's pill (runHeadline.ts) and the
// run's words in its tooltip. Applying `undefined` clears every mark. Returns the marks drawn,
// step -> state (or mark), for the host's log and tests.
import { describeState, successMarks, taskStates } from "../../server/src/protocol/runStates";
import type { RunNodeStatus, RunStatusMessage } from "../../server/src/protocol/webview";
import type { Drawing } from "./render";
import { svg } from "./render";
import { drawRunPill } from "./runHeadline";

const runClasses = [...taskStates.map((s) => `run-${s}`), ...successMarks.map((m) => `run-mark-${m}`)];
/** Each node's tooltip as the graph drew it, before any run added its words. */
const baseTitles = new WeakMap<SVGTitleElement, string>();

function runLine(s: RunNodeStatus): string | undefined {
  if (s.mark) return `${describeState(s.mark)}: ${s.markDetail ?? ""}`;
  return s.reason ? `${describeState(s.state)}: ${s.reason}` : undefined;
}

export function applyRunStatus(drawing: Drawing, status: RunStatusMessage | undefined): Record<string, string> {
  const marks: Record<string, string> = {};
  for (const [step, g] of drawing.nodes) {
    g.classList.remove(...runClasses);
    g.querySelector(".run-progress")?.remove();
    // The tooltip is rebuilt from the graph's own text each time: an earlier run's words never stay.
    const title = g.querySelector(":scope > title");
    if (title instanceof SVGTitleElement) {
      if (!baseTitles.has(title)) baseTitles.set(title, title.textContent ?? "");
      title.textContent = baseTitles.get(title) ?? "";
    }
    const s = status?.steps[step];
    drawRunPill(g, drawing.boxes.get(step), step, s);
    if (!s) continue;
    g.classList.add(`run-${s.state}`);
    if (s.mark) g.classList.add(`run-mark-${s.mark}`);
    marks[step] = s.mark ?? s.state;
    const box = drawing.boxes.get(step);
    if (box && s.total > 1) {
      g.append(svg("text", { class: "run-progress", x: 6, y: 12 }, `${s.done}/${s.total}`));
    }
    const line = runLine(s);
    if (title instanceof SVGTitleElement) title.textContent = `${title.textContent ?? ""}\n${line ?? describeState(s.state)}`;
  }
  return marks;
}
