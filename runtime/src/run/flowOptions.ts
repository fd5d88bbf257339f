// The run-wide options only Python can act on: `--config NAME FILE`, `--config-value NAME JSON`,
// `--branch B`, `--production`, `--with card[:ATTR=VALUE,...]` (a card on every step). Node resolves none of them; it hands them, raw, to every Python
// process of the run in one environment variable (runtime/python/flowlens/_flowopts.py reads it).

import { resolve } from "node:path";
import { knownDecorators } from "../../../server/src/analysis/knownDecorators";
import { InvalidRequest, type RunRequest } from "./request";

export const flowOptionsVar = "FLOWLENS_FLOW_OPTIONS";

interface FlowOptions {
  config?: [string, string][];
  config_value?: [string, string][];
  branch?: string;
  production?: boolean;
  with_card?: string[];
}

/** `--with card` or `--with card:type=blank,id=x`: the harness adds that @card to every step. */
export function isCardSpec(spec: string): boolean {
  return spec === "card" || spec.startsWith("card:");
}

/** Refuses, before anything runs, a `--with card:...` whose attributes @card does not take. */
function checkCardSpec(spec: string): void {
  const takes = Object.keys(knownDecorators.card?.args ?? {});
  for (const part of spec.slice("card:".length).split(",").filter((p) => p !== "")) {
    const name = part.split("=")[0] ?? "";
    if (!part.includes("=")) throw new InvalidRequest(`--with ${spec}: each card attribute is ATTR=VALUE, got '${part}'`);
    if (!takes.includes(name)) throw new InvalidRequest(`--with ${spec}: @card takes no attribute '${name}' (it takes ${takes.join(", ")})`);
  }
}

/** The environment variable's value for this request; `resume` takes no configs (a resumed run keeps its origin's). */
export function flowOptionsEnv(request: RunRequest, cwd: string): string {
  const out: FlowOptions = {};
  const files = request.config ?? [];
  const values = request.configValue ?? [];
  if (request.mode !== "run" && files.length + values.length > 0) {
    throw new InvalidRequest(`--config and --config-value cannot be used with ${request.mode}: the run keeps the configs of its origin run`);
  }
  const twice = [...files, ...values].map(([name]) => name).find((name, i, all) => all.indexOf(name) !== i);
  if (twice !== undefined) throw new InvalidRequest(`config ${twice} is given twice (--config and --config-value give one value per config)`);
  if (files.length > 0) out.config = files.map(([name, file]) => [name, resolve(cwd, file)]);
  if (values.length > 0) out.config_value = values;
  if (request.branch !== undefined) out.branch = request.branch;
  if (request.production === true) out.production = true;
  const cards = (request.with ?? []).filter(isCardSpec);
  for (const spec of cards) checkCardSpec(spec);
  if (cards.length > 0) out.with_card = cards;
  return JSON.stringify(out);
}
