// Parameters from the command line: `--<name> VALUE` converted to the parameter's type, with
// one clear message per problem (unknown option, bad value, missing required parameter).
// A parameter not on the command line takes METAFLOW_RUN_<NAME> from the environment, as in
// Metaflow; Python does the same for variables the flow module sets itself.

import { accessSync, constants } from "node:fs";
import { resolve } from "node:path";
import type { LiteralValue as JsonValue, ParameterModel } from "../../../server/src/analysis/model";
import { parseParameterText, pythonStrip } from "../../../server/src/analysis/parameterValues";

export interface ParamProblem {
  message: string;
  location?: string;
}

export interface ResolvedParams {
  /** What the `_parameters` task receives: the given values as text, by parameter name (IncludeFile paths made absolute). */
  given: Record<string, string>;
  /** Artifact name -> value as JSON, for events and the run record (Python computes the stored values); integers beyond 2^53 are BigInt. */
  json: Record<string, unknown>;
  problems: ParamProblem[];
}

export function resolveParameters(params: ParameterModel[], given: Map<string, string>, cwd: string, where: (p: ParameterModel) => string, env: NodeJS.ProcessEnv = {}): ResolvedParams {
  const out: ResolvedParams = { given: {}, json: {}, problems: [] };
  const byName = new Map(params.map((p) => [p.name, p]));
  for (const name of given.keys()) {
    if (!byName.has(name)) {
      const known = params.map((p) => `--${p.name}`).join(", ");
      out.problems.push({ message: `unknown option --${name}${known ? ` (this flow's parameters: ${known})` : " (this flow has no parameters)"}` });
    }
  }
  for (const p of params) {
    const text = given.get(p.name) ?? env[`METAFLOW_RUN_${p.name.toUpperCase().replace(/-/g, "_")}`];
    let value: JsonValue | undefined;
    if (text !== undefined) {
      const converted = convert(p, text, cwd);
      if (!converted.ok) {
        out.problems.push({ message: `--${p.name}: ${converted.error}`, location: where(p) });
        continue;
      }
      value = converted.value;
    } else if (p.required) {
      out.problems.push({ message: `missing required parameter --${p.name}${p.help ? ` (${p.help})` : ""}`, location: where(p) });
      continue;
    } else if (p.default !== undefined) {
      // An IncludeFile's default file is read by Python: the flow module may create it when imported.
      value = p.default;
    } else if (p.defaultText !== undefined) {
      // A computed default (a function, an expression): Python evaluates it in the _parameters task.
      value = `<${p.defaultText}>`;
    } else {
      value = null;
    }
    if (p.kind === "IncludeFile" && typeof value === "string" && text !== undefined) out.given[p.name] = value;
    else if (text !== undefined) out.given[p.name] = text;
    out.json[p.attribute] = jsonValue(p, text, value);
  }
  return out;
}

/** The value for events: an integer beyond 2^53 kept exact (a BigInt, written as its digits), as
 * Python stores it; an infinite or NaN float as its name, which JSON has no number for. */
function jsonValue(p: ParameterModel, text: string | undefined, value: JsonValue | undefined): unknown {
  if (typeof value !== "number" || text === undefined) return value;
  if (p.type === "int" && !Number.isSafeInteger(value)) return BigInt(pythonStrip(text).replace(/_/g, ""));
  return Number.isFinite(value) ? value : String(value);
}

type Converted = { ok: true; value: JsonValue } | { ok: false; error: string };

function convert(p: ParameterModel, text: string, cwd: string): Converted {
  if (p.kind === "IncludeFile") {
    try {
      // Python reads the content into the artifact; here only that it can be read.
      accessSync(resolve(cwd, text), constants.R_OK);
      return { ok: true, value: resolve(cwd, text) };
    } catch (error) {
      return { ok: false, error: `cannot read file ${text}: ${(error as Error).message}` };
    }
  }
  return parseParameterText(p.type, text);
}
