// The one rule for reading a parameter's value from text (`--alpha 0.5`, `METAFLOW_RUN_ALPHA`,
// the run form's input box), used by `flowlens run` and by the editor's form, so a value the form
// accepts is never refused by the CLI. The Python side (flowlens/parameters.py) follows the same
// table; test/cases/parameter-values.json holds the cases both sides run.
// The rule is Python's, as Metaflow's command line (click) applies it (docs/runtime.md,
// "Parameter values"):
// - int: what Python's `int()` accepts in ASCII: sign, digits, `_` between digits, surrounding
//   whitespace (`" 1_000 "` is 1000; `3.0`, `0x10`, `1e3` are not integers);
// - float: Python's `float()` in ASCII: decimal forms with `_` between digits and an exponent,
//   and `inf`, `infinity`, `nan` in any case with a sign (`0x10` is not a float);
// - bool: click's BOOL, case-insensitive, surrounding whitespace ignored: 1/0, true/false, t/f,
//   yes/no, y/n, on/off;
// - JSONType: Python's `json.loads`, which also takes `NaN`, `Infinity` and `-Infinity`;
// - str (and a type Flowlens cannot name): the text as it is.
import type { LiteralValue } from "./model";

export type ParsedParameter = { ok: true; value: LiteralValue } | { ok: false; error: string };

// Python's str.strip() whitespace, which differs from JavaScript's trim() (\x1c-\x1f, \x85 in; \ufeff out).
const space = "[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const strip = new RegExp(`^${space}+|${space}+$`, "g");
const digits = "\\d+(?:_\\d+)*";
const intPattern = new RegExp(`^[+-]?${digits}$`);
const floatPattern = new RegExp(`^[+-]?(?:(?:${digits}\\.(?:${digits})?|\\.${digits}|${digits})(?:[eE][+-]?${digits})?|inf|infinity|nan)$`, "i");
const booleans: ReadonlyMap<string, boolean> = new Map([
  ...["1", "true", "t", "yes", "y", "on"].map((w) => [w, true] as const),
  ...["0", "false", "f", "no", "n", "off"].map((w) => [w, false] as const),
]);

/** Python's `str.strip()`. */
export function pythonStrip(text: string): string {
  return text.replace(strip, "");
}

function parseFloatText(text: string): number {
  const t = text.replace(/_/g, "").toLowerCase();
  const sign = t.startsWith("-") ? -1 : 1;
  const body = t.replace(/^[+-]/, "");
  if (body === "nan") return NaN;
  if (body === "inf" || body === "infinity") return sign * Infinity;
  return Number(t);
}

// JSON.parse refuses the three constants Python's json module writes and reads; outside strings
// they become null, which keeps the shape (the value itself is computed by Python).
const jsonConstants = /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g;

function parseJson(text: string): ParsedParameter {
  try {
    return { ok: true, value: JSON.parse(text) as LiteralValue };
  } catch (error) {
    try {
      const replaced = text.replace(jsonConstants, (match, constant: string | undefined) => (constant === undefined ? match : "null"));
      return { ok: true, value: JSON.parse(replaced) as LiteralValue };
    } catch {
      return { ok: false, error: `expected JSON: ${(error as Error).message}` };
    }
  }
}

/** The value of a parameter of `type` given as `text`, or why the text is refused. */
export function parseParameterText(type: string, text: string): ParsedParameter {
  const t = pythonStrip(text);
  switch (type) {
    case "int":
      return intPattern.test(t) ? { ok: true, value: Number(t.replace(/_/g, "")) + 0 } : { ok: false, error: `expected an integer, got '${text}'` };
    case "float":
      return floatPattern.test(t) ? { ok: true, value: parseFloatText(t) } : { ok: false, error: `expected a number, got '${text}'` };
    case "bool": {
      const value = booleans.get(t.toLowerCase());
      return value !== undefined ? { ok: true, value } : { ok: false, error: `expected a boolean (true/false, yes/no, on/off, 1/0), got '${text}'` };
    }
    case "JSONType":
      return parseJson(text);
    default:
      return { ok: true, value: text };
  }
}
