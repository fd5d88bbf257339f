// Messages between the extension host (client/) and the graph panel (webview/), both ways.
// Declared once here, as discriminated unions, with a runtime check for each direction:
// whatever arrives through postMessage is `unknown` until `isHostToWebview`/`isWebviewToHost`
// accepts it, so neither side ever handles an unchecked message.
//
// To add a message: add an interface, add it to the union, add a case to the checker, and
// add a case to the unit tests in test/unit/webview/messages.test.ts.

import type { FlowGraph } from "./graph";
import type { StepDurations } from "./durations";
import { isFailureCause, type FailureCause } from "./failureReasons";
import { isRunSessionStatus, isSuccessMark, isTaskState, type RunSessionStatus, type SuccessMark, type TaskState } from "./runStates";

/** The graph of the file the panel follows. */
export interface GraphMessage {
  type: "graph";
  uri: string;
  /** The file name for the panel's headline. */
  fileName: string;
  version: number | null;
  flows: FlowGraph[];
  /** The file has a syntax error: the panel keeps its last good graph greyed. */
  broken: boolean;
  errorCount: number;
  /** The first error, stated with `file:line`, when the file is broken. */
  problem?: string;
  /** Layout options from the `flowlens.graph.*` settings. */
  options: GraphViewOptions;
  /** Show this flow of the file (e.g. the one whose "Show graph" lens was clicked). */
  preferredFlow?: string;
}

export interface GraphViewOptions {
  /** Show decorator badges (@batch, @retry, @resources, ...) on nodes. */
  showDecorators: boolean;
  /** Minimum gap in pixels between nodes of one layer. */
  nodeSpacing: number;
}

/** The editor's cursor is in this step (or in no step: null). */
export interface CursorMessage {
  type: "cursor";
  uri: string;
  flow: string | null;
  step: string | null;
}

/** The active editor shows no flow file: the panel says so and keeps its last graph. */
export interface NoFlowMessage {
  type: "noFlow";
  reason: string;
}

/** Toolbar commands the host forwards (editor title buttons, keybindings). */
export interface ViewCommandMessage {
  type: "viewCommand";
  command: ViewCommand;
}

export type ViewCommand = "fit" | "zoomIn" | "zoomOut" | "exportSvg" | "exportPng";

/** The state of one step's tasks in a run, for marking its node (client/src/runs). */
/** A step's mark on the graph: the state of its tasks taken together (runStates.ts). */
export type RunNodeState = TaskState;

export interface RunNodeStatus {
  state: RunNodeState;
  /** Tasks of the step that finished (succeeded, cloned or skipped) and how many exist so far: a foreach shows "37/100". */
  done: number;
  total: number;
  /** A short reason for the state (a failure's headline in plain words), for the node's headline and tooltip. */
  reason?: string;
  /** The step's wall time in this run and the spread of its tasks' durations (absent before a task started). */
  durations?: StepDurations;
  /** For a failed step: the cause the reason names (failureReasons.ts). */
  cause?: FailureCause;
  /** For a succeeded step: some task succeeded only after a retry, or with a caught exception. */
  mark?: SuccessMark;
  /** What the mark is about: "succeeded on attempt 2", "@catch caught ValueError: bad row 7". */
  markDetail?: string;
}

/** The run status of a flow: the panel marks each node; `runId: null` clears the marks. */
export interface RunStatusMessage {
  type: "runStatus";
  flow: string;
  runId: string | null;
  status: RunSessionStatus;
  steps: Record<string, RunNodeStatus>;
  /** The step with the longest wall time so far, marked on the graph. */
  slowest?: string;
}

export type HostToWebview = GraphMessage | CursorMessage | NoFlowMessage | ViewCommandMessage | RunStatusMessage;

/** The webview script has started and listens. */
export interface ReadyMessage {
  type: "ready";
}

/** A node was activated (click, Enter): the host reveals the step in the editor. */
export interface RevealMessage {
  type: "reveal";
  uri: string;
  flow: string;
  step: string;
}

/** The card badge of a step was clicked: the host opens the latest run's card of that step. */
export interface OpenCardMessage {
  type: "openCard";
  uri: string;
  flow: string;
  step: string;
}

/** An export the user asked for; the host asks where to save it. */
export interface ExportMessage {
  type: "export";
  format: "svg" | "png";
  /** SVG text, or a PNG as base64 (no data: prefix). */
  data: string;
  suggestedName: string;
}

/** A drawing finished: the host logs it and tests wait for it. */
export interface RenderedMessage {
  type: "rendered";
  uri: string;
  flow: string;
  nodes: number;
  edges: number;
  /** Layout plus drawing, in milliseconds. */
  ms: number;
  greyed: boolean;
}

/** Something went wrong inside the webview (e.g. the layout worker failed). */
export interface WebviewErrorMessage {
  type: "error";
  message: string;
}

/** The panel drew run marks: which node shows which state (tests and the log read it). */
export interface RunStatusShownMessage {
  type: "runStatusShown";
  flow: string;
  runId: string | null;
  marks: Record<string, string>;
}

/** The Timeline button: the host opens the timeline of the run whose marks the panel shows for this flow. */
export interface ShowTimelineMessage {
  type: "showTimeline";
  flow: string;
}

/** A node's run pill (a failure's headline, a retried or caught mark) was clicked: the host shows the step's logs. */
export interface StepLogsMessage {
  type: "stepLogs";
  flow: string;
  step: string;
}

export type WebviewToHost = ReadyMessage | RevealMessage | OpenCardMessage | ExportMessage | RenderedMessage | WebviewErrorMessage | RunStatusShownMessage | StepLogsMessage | ShowTimelineMessage;

type Checkable = Record<string, unknown>;

function isObject(x: unknown): x is Checkable {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isString(x: unknown): x is string {
  return typeof x === "string";
}

function isNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

function isStringOrNull(x: unknown): x is string | null {
  return x === null || typeof x === "string";
}

function isWirePosition(x: unknown): boolean {
  return isObject(x) && isNumber(x.line) && isNumber(x.character);
}

function isWireRange(x: unknown): boolean {
  return isObject(x) && isWirePosition(x.start) && isWirePosition(x.end);
}

function isGraphStep(name: string, x: unknown): boolean {
  return (
    isObject(x) &&
    x.name === name &&
    isString(x.type) &&
    Array.isArray(x.next) &&
    x.next.every(isString) &&
    Array.isArray(x.decorators) &&
    x.decorators.every((d) => isObject(d) && isString(d.name) && isObject(d.attributes))
  );
}

/** Checks the parts of a FlowGraph the webview reads; extra fields are allowed. */
export function isFlowGraph(x: unknown): x is FlowGraph {
  if (!isObject(x) || !isString(x.flow) || !isObject(x.graph) || !isObject(x.sources) || !isObject(x.problems)) return false;
  const steps = x.graph.steps;
  if (!isObject(steps)) return false;
  for (const [name, step] of Object.entries(steps)) if (!isGraphStep(name, step)) return false;
  for (const source of Object.values(x.sources)) {
    if (!isObject(source) || !isWireRange(source.nameRange) || !isWireRange(source.range)) return false;
    if (source.inheritedFrom !== undefined && !isString(source.inheritedFrom)) return false;
  }
  for (const list of Object.values(x.problems)) {
    if (!Array.isArray(list) || !list.every((p) => isObject(p) && isString(p.message) && isString(p.severity) && isString(p.code))) return false;
  }
  if (!isObject(x.decoratorsWritten)) return false;
  for (const list of Object.values(x.decoratorsWritten)) {
    if (!Array.isArray(list) || !list.every((d) => isObject(d) && isString(d.name) && Array.isArray(d.args) && d.args.every(isString))) return false;
  }
  return Array.isArray(x.flowProblems);
}

function isGraphViewOptions(x: unknown): x is GraphViewOptions {
  return isObject(x) && typeof x.showDecorators === "boolean" && isNumber(x.nodeSpacing);
}

const viewCommands: ReadonlySet<string> = new Set<ViewCommand>(["fit", "zoomIn", "zoomOut", "exportSvg", "exportPng"]);

export function isHostToWebview(x: unknown): x is HostToWebview {
  if (!isObject(x)) return false;
  switch (x.type) {
    case "graph":
      return (
        isString(x.uri) &&
        isString(x.fileName) &&
        (x.version === null || isNumber(x.version)) &&
        Array.isArray(x.flows) &&
        x.flows.every(isFlowGraph) &&
        typeof x.broken === "boolean" &&
        isNumber(x.errorCount) &&
        (x.problem === undefined || isString(x.problem)) &&
        (x.preferredFlow === undefined || isString(x.preferredFlow)) &&
        isGraphViewOptions(x.options)
      );
    case "cursor":
      return isString(x.uri) && isStringOrNull(x.flow) && isStringOrNull(x.step);
    case "noFlow":
      return isString(x.reason);
    case "viewCommand":
      return isString(x.command) && viewCommands.has(x.command);
    case "runStatus":
      return (
        isString(x.flow) && isStringOrNull(x.runId) && isRunSessionStatus(x.status) && isObject(x.steps) && Object.values(x.steps).every(isRunNodeStatus) && (x.slowest === undefined || isString(x.slowest))
      );
    default:
      return false;
  }
}

export function isWebviewToHost(x: unknown): x is WebviewToHost {
  if (!isObject(x)) return false;
  switch (x.type) {
    case "ready":
      return true;
    case "reveal":
    case "openCard":
      return isString(x.uri) && isString(x.flow) && isString(x.step);
    case "stepLogs":
      return isString(x.flow) && isString(x.step);
    case "export":
      return (x.format === "svg" || x.format === "png") && isString(x.data) && isString(x.suggestedName);
    case "rendered":
      return isString(x.uri) && isString(x.flow) && isNumber(x.nodes) && isNumber(x.edges) && isNumber(x.ms) && typeof x.greyed === "boolean";
    case "error":
      return isString(x.message);
    case "runStatusShown":
      return isString(x.flow) && isStringOrNull(x.runId) && isObject(x.marks) && Object.values(x.marks).every(isString);
    case "showTimeline":
      return isString(x.flow);
    default:
      return false;
  }
}


function isRunNodeStatus(x: unknown): x is RunNodeStatus {
  const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);
  return isObject(x) && isTaskState(x.state) && isNumber(x.done) && isNumber(x.total) && optional(x.reason, isString) && optional(x.cause, isFailureCause) && optional(x.mark, isSuccessMark) && optional(x.markDetail, isString) && optional(x.durations, isStepDurations);
}

function isStepDurations(x: unknown): x is StepDurations {
  if (!isObject(x) || !isNumber(x.wallMs) || typeof x.open !== "boolean") return false;
  const t = x.tasks;
  return t === undefined || (isObject(t) && isNumber(t.count) && isNumber(t.minMs) && isNumber(t.medianMs) && isNumber(t.maxMs));
}

/** What the panel keeps across reloads through the webview's getState/setState. */
export interface WebviewPersistedState {
  uri: string | null;
  flow: string | null;
  selected: string | null;
  viewport: { x: number; y: number; scale: number } | null;
}

export function isWebviewPersistedState(x: unknown): x is WebviewPersistedState {
  if (!isObject(x)) return false;
  const vp = x.viewport;
  const viewportOk = vp === null || (isObject(vp) && isNumber(vp.x) && isNumber(vp.y) && isNumber(vp.scale));
  return isStringOrNull(x.uri) && isStringOrNull(x.flow) && isStringOrNull(x.selected) && viewportOk;
}
