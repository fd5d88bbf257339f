// The shapes incoming params are checked against (params.ts): small combinators that name the
// field that is wrong. Each document feature declares its own params with them (features.ts).

/** Returns what is wrong with `value` at `path`, or undefined when it has the shape. */
export type Check = (value: unknown, path: string) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export const str: Check = (v, p) => (typeof v === "string" ? undefined : `${p} must be a string`);
export const bool: Check = (v, p) => (typeof v === "boolean" ? undefined : `${p} must be true or false`);
export const int: Check = (v, p) => (Number.isSafeInteger(v) ? undefined : `${p} must be an integer`);
/** LSP's `uinteger`: 0 to 2^31 - 1. */
export const uint: Check = (v, p) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 2147483647 ? undefined : `${p} must be an integer from 0 to 2147483647`);
export const anyObject: Check = (v, p) => (isObject(v) ? undefined : `${p} must be an object`);

export function optional(check: Check): Check {
  return (v, p) => (v === undefined || v === null ? undefined : check(v, p));
}

export function object(fields: Record<string, Check>): Check {
  return (v, p) => {
    if (!isObject(v)) return `${p} must be an object`;
    for (const [name, check] of Object.entries(fields)) {
      const problem = check(v[name], `${p}.${name}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

export function array(item: Check): Check {
  return (v, p) => {
    if (!Array.isArray(v)) return `${p} must be an array`;
    for (const [i, x] of v.entries()) {
      const problem = item(x, `${p}[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

export const textDocument = object({ uri: str });
export const position = object({ line: uint, character: uint });
export const range = object({ start: position, end: position });
export const atPosition = object({ textDocument, position });
export const diagnostic = object({ range, message: str });
/** A change with a `range` key is an edit of that range (the handler tests for the key); without, the whole text. */
const rangedChange = object({ range, text: str });
const fullChange = object({ text: str });
export const contentChange: Check = (v, p) => (isObject(v) && "range" in v ? rangedChange : fullChange)(v, p);
