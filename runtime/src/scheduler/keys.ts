// Task keys: a task's identity that does not depend on task ids, so that the same task in
// an origin run and in its resume match (start, then `train[3]` under that, and so on).

import { createHash } from "node:crypto";

export function childKey(parentKey: string, step: string, index?: number): string {
  const own = index === undefined ? step : `${step}[${index}]`;
  return createHash("sha1").update(`${parentKey}>${own}`).digest("hex").slice(0, 20);
}

export const startKey = "start";

/** The pseudo-task whose artifacts are the run's parameters (Metaflow's `_parameters`). */
export const parametersStep = "_parameters";
