// The parameters form's pure half: what to ask for each parameter (prefilled value, prompt with
// help and type), how to validate an answer the way `flowlens run` will (the one rule of
// server/src/analysis/parameterValues.ts, so a value the form accepts is never refused by the
// CLI), and how remembered values are merged with the flow's defaults.
import { parseParameterText } from "../../../server/src/analysis/parameterValues";

export interface ParameterSpec {
  name: string;
  type: string;
  default?: unknown;
  help?: string;
  required?: boolean;
}

/** Reads `parameters` of a GraphInfo-like object (a flow of `flowlens/flowInfo`), dropping malformed entries. */
export function parameterSpecs(graphInfo: unknown): ParameterSpec[] {
  const list = (graphInfo as { parameters?: unknown } | undefined)?.parameters;
  if (!Array.isArray(list)) return [];
  const out: ParameterSpec[] = [];
  for (const p of list as unknown[]) {
    if (typeof p !== "object" || p === null) continue;
    const o = p as Record<string, unknown>;
    if (typeof o.name !== "string") continue;
    const spec: ParameterSpec = { name: o.name, type: typeof o.type === "string" ? o.type : "str" };
    if (o.default !== undefined) spec.default = o.default;
    if (typeof o.help === "string") spec.help = o.help;
    if (o.required === true) spec.required = true;
    out.push(spec);
  }
  return out;
}

/** The text a default shows in the input box: strings as they are (a JSONType default is JSON text already). */
export function defaultText(spec: ParameterSpec): string {
  if (spec.default === undefined || spec.default === null) return "";
  if (typeof spec.default === "string") return spec.default;
  if (typeof spec.default === "boolean") return spec.default ? "true" : "false";
  return JSON.stringify(spec.default);
}

/** The value to prefill: the last value used for this flow when there is one, else the default. */
export function initialValue(spec: ParameterSpec, remembered: Record<string, string> | undefined): string {
  const last = remembered?.[spec.name];
  return last !== undefined ? last : defaultText(spec);
}

/** An error message for the input box, or undefined when the value is acceptable. */
export function validateParameter(spec: ParameterSpec, text: string): string | undefined {
  if (text === "") {
    if (spec.required) return `${spec.name} is required${spec.help ? `: ${spec.help}` : ""}`;
    return undefined;
  }
  const parsed = parseParameterText(spec.type, text);
  return parsed.ok ? undefined : `${spec.name}: ${parsed.error}`;
}

/** The prompt under the input box: the help text, the type and the default. */
export function promptFor(spec: ParameterSpec): string {
  const type = spec.type === "JSONType" ? "JSON" : spec.type;
  const parts = [spec.help ?? `Parameter ${spec.name}`, `type ${type}`];
  if (spec.default !== undefined) parts.push(`default ${defaultText(spec)}`);
  if (spec.required) parts.push("required");
  return parts.join(" · ");
}

/**
 * The run request's parameters for the answers, as typed: only values that differ from the
 * default are passed (so a computed default stays computed), an empty answer means "use the default".
 */
export function parameterValues(specs: ParameterSpec[], answers: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const spec of specs) {
    const text = answers[spec.name];
    if (text === undefined || text === "") continue;
    if (spec.default !== undefined && text === defaultText(spec)) continue;
    values[spec.name] = text;
  }
  return values;
}
