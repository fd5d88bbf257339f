// Messages between the run timeline's host (client/src/timeline) and its webview
// (webview/src/timeline), both ways, with a check for each direction run on arrival.

import { isRunSessionStatus, isTaskState, type RunSessionStatus, type TaskState } from "./runStates";

/** One attempt of a task: when it ran (epoch ms) and how it ended. */
export interface TimelineAttempt {
  attempt: number;
  state: TaskState;
  start: number;
  /** Absent while it runs (or when it was cut off with no later time known). */
  end?: number;
  /** Why: the exception headline of a failure, or the exception `@catch` caught in a task that then succeeded. */
  reason?: string;
  /** The task succeeded because `@catch` swallowed an exception (the reason names it). */
  caught?: boolean;
}

export interface TimelineTask {
  step: string;
  taskId: string;
  /** Its place in its foreach, and a short repr of its input, when known. */
  index?: number;
  input?: string;
  attempts: TimelineAttempt[];
}

/** Everything the timeline of one run shows; sent whole (and again on live updates). */
export interface TimelineMessage {
  type: "timeline";
  flow: string;
  runId: string;
  status: RunSessionStatus;
  /** The run's steps in flow order; tasks of steps not listed go after them. */
  steps: string[];
  tasks: TimelineTask[];
  /** The host's clock when sent: where the bars of running attempts end. */
  now: number;
}

export type TimelineHostToWebview = TimelineMessage;

/** What a timeline tab keeps with `setState`, so that it comes back to the same run after a window reload. */
export interface TimelinePersistedState {
  flow: string;
  runId: string;
}

export function isTimelinePersistedState(x: unknown): x is TimelinePersistedState {
  return isObject(x) && isString(x.flow) && isString(x.runId);
}

export interface TimelineReadyMessage {
  type: "ready";
}

/** A bar was clicked: the host opens that task attempt's logs. */
export interface TimelineOpenLogsMessage {
  type: "openLogs";
  step: string;
  taskId: string;
  attempt: number;
}

/** The graph button: the host shows the graph panel of the run's flow. */
export interface TimelineShowGraphMessage {
  type: "showGraph";
}

/** A drawing finished: how many rows and bars exist and how many were drawn (virtualised), for the log and the tests. */
export interface TimelineDrawnMessage {
  type: "drawn";
  runId: string;
  rows: number;
  bars: number;
  drawnBars: number;
  ms: number;
}

export interface TimelineErrorMessage {
  type: "error";
  message: string;
}

export type TimelineWebviewToHost = TimelineReadyMessage | TimelineOpenLogsMessage | TimelineShowGraphMessage | TimelineDrawnMessage | TimelineErrorMessage;

type Checkable = Record<string, unknown>;

function isObject(x: unknown): x is Checkable {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

function isString(x: unknown): x is string {
  return typeof x === "string";
}

function isAttempt(x: unknown): x is TimelineAttempt {
  return (
    isObject(x) &&
    isNumber(x.attempt) &&
    isTaskState(x.state) &&
    isNumber(x.start) &&
    (x.end === undefined || isNumber(x.end)) &&
    (x.reason === undefined || isString(x.reason)) &&
    (x.caught === undefined || typeof x.caught === "boolean")
  );
}

/** Whether a value is one task of the timeline (also the check of each entry of a run's stored task index). */
export function isTimelineTask(x: unknown): x is TimelineTask {
  return (
    isObject(x) &&
    isString(x.step) &&
    isString(x.taskId) &&
    (x.index === undefined || isNumber(x.index)) &&
    (x.input === undefined || isString(x.input)) &&
    Array.isArray(x.attempts) &&
    x.attempts.every(isAttempt)
  );
}

export function isTimelineHostToWebview(x: unknown): x is TimelineHostToWebview {
  return (
    isObject(x) &&
    x.type === "timeline" &&
    isString(x.flow) &&
    isString(x.runId) &&
    isRunSessionStatus(x.status) &&
    Array.isArray(x.steps) &&
    x.steps.every(isString) &&
    Array.isArray(x.tasks) &&
    x.tasks.every(isTimelineTask) &&
    isNumber(x.now)
  );
}

export function isTimelineWebviewToHost(x: unknown): x is TimelineWebviewToHost {
  if (!isObject(x)) return false;
  switch (x.type) {
    case "ready":
    case "showGraph":
      return true;
    case "openLogs":
      return isString(x.step) && isString(x.taskId) && isNumber(x.attempt);
    case "drawn":
      return isString(x.runId) && isNumber(x.rows) && isNumber(x.bars) && isNumber(x.drawnBars) && isNumber(x.ms);
    case "error":
      return isString(x.message);
    default:
      return false;
  }
}
