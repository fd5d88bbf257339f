// The graph panel's script. It only lays out and draws what the host sends (docs/architecture.md):
// every message is checked on arrival (`isHostToWebview`), layout runs in a worker, the drawing
// is SVG, and zoom/pan/selection survive live updates and reloads (getState/setState).

import type { GraphMessage, HostToWebview, RunStatusMessage, WebviewPersistedState, WebviewToHost } from "../../server/src/protocol/webview";
import { isHostToWebview, isWebviewPersistedState } from "../../server/src/protocol/webview";
import { installBigGraph } from "./bigGraph/bigGraph";
import { exportPng, exportSvg } from "./exporter";
import { LayoutClient } from "./layoutClient";
import { isNavKey, neighbour } from "./navigation";
import type { Drawing } from "./render";
import { draw } from "./render";
import { applyDurations } from "./durations";
import { applyRunStatus } from "./runMarks";
import type { GraphView } from "./toElk";
import { toElk, toGraphView } from "./toElk";
import { Viewport } from "./viewport";

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: WebviewPersistedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const saved = vscode.getState();
const state: WebviewPersistedState = isWebviewPersistedState(saved) ? saved : { uri: null, flow: null, selected: null, viewport: null };

const root = document.getElementById("graph") as unknown as SVGSVGElement;
const banner = document.getElementById("banner") as HTMLDivElement;
const status = document.getElementById("status") as HTMLSpanElement;
const flowSelect = document.getElementById("flow") as HTMLSelectElement;
const empty = document.getElementById("empty") as HTMLDivElement;
const layout = new LayoutClient(document.body.dataset.workerUri ?? "");
const viewport = new Viewport(root, (vp) => save({ viewport: { ...vp } }));

interface Shown {
  message: GraphMessage;
  flow: string;
  view: GraphView;
  drawing: Drawing;
}
let shown: Shown | undefined;
let lastMessage: GraphMessage | undefined;
let cursorStep: string | null = null;
/** The newest run status per flow: re-applied after every drawing, so marks survive live updates. */
const runStatus = new Map<string, RunStatusMessage>();
let renderSeq = 0;
const bigGraph = installBigGraph({
  root,
  toolbar: document.getElementById("toolbar") as HTMLDivElement,
  viewport,
  // The find box keeps the focus while the user types.
  select: (step) => select(step, false, false),
  redraw: () => {
    if (lastMessage) showGraph({ ...lastMessage, preferredFlow: undefined }).catch(reportError);
  },
});
/** The viewport to restore on the first drawing after a reload, instead of fitting. */
let restoreViewport = state.viewport;

function save(patch: Partial<WebviewPersistedState>): void {
  Object.assign(state, patch);
  vscode.setState(state);
}

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

function setBanner(text: string | undefined, kind: "error" | "warning" | "info" = "error"): void {
  banner.textContent = text ?? "";
  banner.className = text ? `banner ${kind}` : "banner hidden";
}

async function showGraph(message: GraphMessage): Promise<void> {
  const sameFile = message.uri === state.uri;
  lastMessage = message;
  if (message.preferredFlow) save({ flow: message.preferredFlow });
  const names = message.flows.map((f) => f.flow);
  updateFlowSelect(names);
  if (message.broken && shown && shown.message.uri === message.uri) {
    // Keep the last good drawing, greyed, and say what is wrong.
    root.classList.add("greyed");
    setBanner(message.problem ? `Showing the last good graph — ${message.problem}` : `Showing the last good graph — the file has ${message.errorCount} error(s)`);
    post({ type: "rendered", uri: message.uri, flow: shown.flow, nodes: shown.view.nodes.length, edges: shown.view.edges.length, ms: 0, greyed: true });
    return;
  }
  const flowName = state.flow && names.includes(state.flow) ? state.flow : names[0];
  const flow = message.flows.find((f) => f.flow === flowName);
  status.textContent = message.fileName;
  if (!flow) {
    empty.textContent = message.broken ? `${message.fileName} cannot be parsed: ${message.problem ?? "syntax error"}` : `${message.fileName} defines no flow.`;
    empty.classList.remove("hidden");
    return;
  }
  const seq = ++renderSeq;
  const t0 = performance.now();
  const view = bigGraph.prepare(flow, toGraphView(flow, message.options));
  const laidOut = await layout.layout(toElk(view, message.options));
  if (seq !== renderSeq) return; // a newer graph arrived while this one was laid out
  const drawing = draw(view, laidOut);
  root.querySelector("g.content")?.remove();
  root.append(drawing.content);
  empty.classList.add("hidden");
  root.classList.toggle("greyed", message.broken);
  const firstOfThisFlow = !shown || shown.flow !== flow.flow || !sameFile;
  shown = { message, flow: flow.flow, view, drawing };
  save({ uri: message.uri, flow: flow.flow });
  viewport.attach(drawing.content, drawing);
  if (restoreViewport && sameFile) viewport.set(restoreViewport);
  else if (firstOfThisFlow) viewport.fit(drawing.width, drawing.height);
  bigGraph.drawn(drawing);
  restoreViewport = null;
  if (!sameFile) save({ selected: null });
  markSelection();
  showRunStatus();
  const flowProblems = flow.flowProblems.map((p) => p.message);
  if (message.broken) setBanner(message.problem ?? "The file has a syntax error.");
  else if (flowProblems.length > 0) setBanner(flowProblems.join(" · "), "warning");
  else setBanner(undefined);
  status.textContent = `${message.fileName} — ${flow.flow}: ${view.nodes.length} steps${message.errorCount > 0 ? `, ${message.errorCount} error(s)` : ""}`;
  post({ type: "rendered", uri: message.uri, flow: flow.flow, nodes: view.nodes.length, edges: view.edges.length, ms: Math.round(performance.now() - t0), greyed: message.broken });
}

function updateFlowSelect(names: string[]): void {
  const current = [...flowSelect.options].map((o) => o.value);
  if (current.join("\n") !== names.join("\n")) {
    flowSelect.replaceChildren(...names.map((n) => new Option(n, n)));
  }
  flowSelect.classList.toggle("hidden", names.length < 2);
  if (state.flow && names.includes(state.flow)) flowSelect.value = state.flow;
}

function markSelection(): void {
  if (!shown) return;
  for (const [id, g] of shown.drawing.nodes) {
    g.classList.toggle("selected", id === state.selected);
    g.classList.toggle("cursor", id === cursorStep);
    g.setAttribute("tabindex", id === (state.selected ?? shown.view.nodes[0]?.id) ? "0" : "-1");
  }
}

function showRunStatus(): void {
  if (!shown) return;
  const status = runStatus.get(shown.flow);
  const marks = applyRunStatus(shown.drawing, status);
  applyDurations(shown.drawing, status);
  if (status) post({ type: "runStatusShown", flow: shown.flow, runId: status.runId, marks });
}

function select(step: string, reveal: boolean, focus = true): void {
  if (!shown) return;
  save({ selected: step });
  markSelection();
  const g = shown.drawing.nodes.get(step);
  if (focus) g?.focus();
  const box = shown.drawing.boxes.get(step);
  if (box) viewport.reveal(box);
  const type = shown.view.nodes.find((n) => n.id === step)?.type;
  if (reveal && type !== "missing" && type !== "collapsed") {
    post({ type: "reveal", uri: shown.message.uri, flow: shown.flow, step });
  }
}

async function runViewCommand(command: string): Promise<void> {
  if (command === "zoomIn") viewport.zoomBy(1.25);
  else if (command === "zoomOut") viewport.zoomBy(0.8);
  else if (command === "fit" && shown) viewport.fit(shown.drawing.width, shown.drawing.height);
  else if (command === "timeline" && shown) post({ type: "showTimeline", flow: shown.flow });
  else if ((command === "exportSvg" || command === "exportPng") && shown) {
    const text = exportSvg(root, shown.drawing);
    const base = shown.flow;
    if (command === "exportSvg") post({ type: "export", format: "svg", data: text, suggestedName: `${base}.svg` });
    else post({ type: "export", format: "png", data: await exportPng(text, shown.drawing.width, shown.drawing.height), suggestedName: `${base}.png` });
  }
}

function reportError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  setBanner(`Graph panel error: ${message}`);
  post({ type: "error", message });
}

function handle(message: HostToWebview): void {
  switch (message.type) {
    case "graph":
      showGraph(message).catch(reportError);
      break;
    case "cursor":
      if (!shown || message.uri !== shown.message.uri) break;
      if (message.flow && message.flow !== shown.flow && lastMessage?.flows.some((f) => f.flow === message.flow)) {
        save({ flow: message.flow });
        cursorStep = message.step;
        showGraph({ ...lastMessage, preferredFlow: undefined }).catch(reportError);
        break;
      }
      cursorStep = message.step;
      markSelection();
      break;
    case "noFlow":
      status.textContent = message.reason;
      break;
    case "viewCommand":
      runViewCommand(message.command).catch(reportError);
      break;
    case "runStatus":
      if (message.runId === null) runStatus.delete(message.flow);
      else runStatus.set(message.flow, message);
      if (shown?.flow === message.flow) {
        if (message.runId === null) {
          applyRunStatus(shown.drawing, undefined);
          applyDurations(shown.drawing, undefined);
          post({ type: "runStatusShown", flow: message.flow, runId: null, marks: {} });
        } else showRunStatus();
      }
      break;
  }
}

window.addEventListener("message", (event: MessageEvent<unknown>) => {
  if (isHostToWebview(event.data)) handle(event.data);
  else post({ type: "error", message: `Graph panel: ignored a malformed message: ${JSON.stringify(event.data).slice(0, 200)}` });
});

root.addEventListener("click", (event) => {
  const logsStep = (event.target as Element).closest<SVGGElement>(".run-pill")?.dataset.logsStep;
  if (logsStep && shown) {
    post({ type: "stepLogs", flow: shown.flow, step: logsStep });
    return;
  }
  const cardStep = (event.target as Element).closest<SVGGElement>(".card-badge")?.dataset.cardStep;
  if (cardStep && shown) {
    post({ type: "openCard", uri: shown.message.uri, flow: shown.flow, step: cardStep });
    return;
  }
  const node = (event.target as Element).closest<SVGGElement>(".node");
  const step = node?.dataset.step;
  if (step) select(step, true);
});

root.addEventListener("keydown", (event) => {
  if (!shown) return;
  const current = state.selected ?? shown.view.nodes[0]?.id;
  if (isNavKey(event.key) && current) {
    event.preventDefault();
    select(neighbour(current, event.key, shown.drawing.boxes, shown.view.edges), false);
  } else if ((event.key === "Enter" || event.key === " ") && current) {
    event.preventDefault();
    select(current, true);
  } else if (event.key === "+" || event.key === "=") viewport.zoomBy(1.25);
  else if (event.key === "-") viewport.zoomBy(0.8);
  else if (event.key === "0") viewport.fit(shown.drawing.width, shown.drawing.height);
  else if (event.key === "/" || (event.key === "f" && (event.ctrlKey || event.metaKey))) {
    event.preventDefault();
    bigGraph.focusFind();
  }
});

document.getElementById("toolbar")?.addEventListener("click", (event) => {
  const command = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-command]")?.dataset.command;
  if (command) runViewCommand(command).catch(reportError);
});

flowSelect.addEventListener("change", () => {
  save({ flow: flowSelect.value, selected: null });
  if (lastMessage) showGraph({ ...lastMessage, preferredFlow: undefined }).catch(reportError);
});

layout.warmUp();
post({ type: "ready" });
