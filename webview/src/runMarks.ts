// Run status on the graph: each node gets a `run-<state>` class (colours in media/graph.css), a
// progress label for steps with several tasks ("37/100" for a foreach) and the reason in its tooltip.
// Applying `undefined` clears every mark. Returns the marks drawn, step -> state, for the host's log and tests.
import { describeState, taskStates } from "../../server/src/protocol/runStates";
import type { RunStatusMessage } from "../../server/src/protocol/webview";
import type { Drawing } from "./render";
import { svg } from "./render";

const runClasses = taskStates.map((s) => `run-${s}`);

export function applyRunStatus(drawing: Drawing, status: RunStatusMessage | undefined): Record<string, string> {
  const marks: Record<string, string> = {};
  for (const [step, g] of drawing.nodes) {
    g.classList.remove(...runClasses);
    g.querySelector(".run-progress")?.remove();
    g.querySelector("title.run-reason")?.remove();
    const s = status?.steps[step];
    if (!s) continue;
    g.classList.add(`run-${s.state}`);
    marks[step] = s.state;
    const box = drawing.boxes.get(step);
    if (box && s.total > 1) {
      g.append(svg("text", { class: "run-progress", x: 6, y: 12 }, `${s.done}/${s.total}`));
    }
    if (s.reason) {
      // A second <title> is not shown by browsers; the reason goes into the existing tooltip's text.
      const title = g.querySelector("title");
      if (title && !title.textContent?.includes(s.reason)) title.textContent = `${title.textContent ?? ""}\n${describeState(s.state)}: ${s.reason}`;
    }
  }
  return marks;
}
