// The JSON-lines protocol between LocalExecutor and a Python worker (runtime/python/flowlens/_worker.py).
// Node -> worker (stdin): task, cancel, shutdown. Worker -> Node (stdout): the messages below.

import { parseTaggedLine } from "../../../../server/src/protocol/jsonLines";
import type { TaskFailure, TaskSpec, TaskTransition } from "../types";

export type ToWorker = { type: "task"; id: number; spec: TaskSpec } | { type: "cancel"; id: number } | { type: "shutdown" };

export type FromWorker =
  | { type: "ready"; pid: number; python: string; fork: boolean }
  | { type: "started"; id: number; pid: number }
  | { type: "log"; id: number; stream: "stdout" | "stderr"; line: string; ts: number }
  | { type: "artifact"; id: number; name: string; sha: string; size: number; typeName: string }
  | { type: "result"; id: number; ok: boolean; transition?: TaskTransition; failure?: TaskFailure; caught?: TaskFailure; durationMs?: number; peakRssBytes?: number };

const kinds: ReadonlySet<string> = new Set(["ready", "started", "log", "artifact", "result"]);

/** One line from the worker, or undefined when it is not a protocol message. */
export function parseWorkerMessage(line: string): FromWorker | undefined {
  return parseTaggedLine<FromWorker>(line, kinds);
}
