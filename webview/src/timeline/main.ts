// The run timeline's script (a tab per run, client/src/timeline). It draws what the host sends:
// every message is checked on arrival; a live run's updates replace the data and keep the scroll
// and zoom. Clicking a bar asks the host to open that attempt's logs.
import { isTimelineHostToWebview, type TimelineMessage, type TimelinePersistedState, type TimelineWebviewToHost } from "../../../server/src/protocol/timeline";
import { describeState } from "../../../server/src/protocol/runStates";
import { TimelineView } from "./view";

interface VsCodeApi {
  postMessage(message: TimelineWebviewToHost): void;
  setState(state: TimelinePersistedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const canvas = document.getElementById("timeline") as HTMLCanvasElement;
const tip = document.getElementById("tip") as HTMLDivElement;
const status = document.getElementById("status") as HTMLSpanElement;
let shown: TimelineMessage | undefined;

const view = new TimelineView(
  canvas,
  tip,
  (stats) => {
    if (shown) vscode.postMessage({ type: "drawn", runId: shown.runId, ...stats });
  },
  (task, attempt) => vscode.postMessage({ type: "openLogs", step: task.step, taskId: task.taskId, attempt }),
);

function show(message: TimelineMessage): void {
  // The run this tab shows, kept by the workbench: after a window reload the host reopens it (timeline/register.ts).
  if (shown?.flow !== message.flow || shown.runId !== message.runId) vscode.setState({ flow: message.flow, runId: message.runId });
  shown = message;
  const tasks = message.tasks.filter((t) => t.step !== "_parameters").length;
  status.textContent = `${message.flow} run ${message.runId}: ${describeState(message.status === "starting" || message.status === "refused" ? "pending" : message.status)}, ${tasks} task${tasks === 1 ? "" : "s"}`;
  canvas.setAttribute("aria-label", `Timeline of ${message.flow} run ${message.runId}: ${tasks} tasks. Arrow keys scroll, + and - zoom, 0 fits.`);
  view.show(message);
}

window.addEventListener("message", (event: MessageEvent<unknown>) => {
  if (isTimelineHostToWebview(event.data)) show(event.data);
  else vscode.postMessage({ type: "error", message: `Timeline: ignored a malformed message: ${JSON.stringify(event.data).slice(0, 200)}` });
});

document.getElementById("toolbar")?.addEventListener("click", (event) => {
  const command = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-command]")?.dataset.command;
  if (command === "fit") view.fit();
  else if (command === "zoomIn") view.zoom(0.8);
  else if (command === "zoomOut") view.zoom(1.25);
  else if (command === "graph") vscode.postMessage({ type: "showGraph" });
});

vscode.postMessage({ type: "ready" });
