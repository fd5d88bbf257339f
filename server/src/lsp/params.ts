// The one place where the shape of incoming params is checked. Handlers read params without
// defensive code; a message whose params do not have the shape a handler reads is refused here,
// at the edge, with a sentence that names the field (InvalidParams for a request; a notification,
// which cannot be answered, is dropped and logged).

/** Returns what is wrong with `value` at `path`, or undefined when it has the shape. */
type Check = (value: unknown, path: string) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const str: Check = (v, p) => (typeof v === "string" ? undefined : `${p} must be a string`);
const bool: Check = (v, p) => (typeof v === "boolean" ? undefined : `${p} must be true or false`);
const int: Check = (v, p) => (Number.isSafeInteger(v) ? undefined : `${p} must be an integer`);
/** LSP's `uinteger`: 0 to 2^31 - 1. */
const uint: Check = (v, p) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 2147483647 ? undefined : `${p} must be an integer from 0 to 2147483647`);
const anyObject: Check = (v, p) => (isObject(v) ? undefined : `${p} must be an object`);

function optional(check: Check): Check {
  return (v, p) => (v === undefined || v === null ? undefined : check(v, p));
}

function object(fields: Record<string, Check>): Check {
  return (v, p) => {
    if (!isObject(v)) return `${p} must be an object`;
    for (const [name, check] of Object.entries(fields)) {
      const problem = check(v[name], `${p}.${name}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

function array(item: Check): Check {
  return (v, p) => {
    if (!Array.isArray(v)) return `${p} must be an array`;
    for (const [i, x] of v.entries()) {
      const problem = item(x, `${p}[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

const textDocument = object({ uri: str });
const position = object({ line: uint, character: uint });
const range = object({ start: position, end: position });
const atPosition = object({ textDocument, position });
const diagnostic = object({ range, message: str });
/** A change with a `range` key is an edit of that range (the handler tests for the key); without, the whole text. */
const rangedChange = object({ range, text: str });
const fullChange = object({ text: str });
const contentChange: Check = (v, p) => (isObject(v) && "range" in v ? rangedChange : fullChange)(v, p);

/** What each method's params must look like. Methods not listed are passed on unchecked. */
const requests: Record<string, Check> = {
  initialize: object({ capabilities: anyObject, processId: optional(int), rootUri: optional(str), workspaceFolders: optional(array(object({ uri: str, name: str }))) }),
  "textDocument/hover": atPosition,
  "textDocument/completion": atPosition,
  "textDocument/definition": atPosition,
  "textDocument/prepareRename": atPosition,
  "textDocument/references": object({ textDocument, position, context: object({ includeDeclaration: bool }) }),
  "textDocument/rename": object({ textDocument, position, newName: str }),
  "textDocument/documentSymbol": object({ textDocument }),
  "textDocument/codeLens": object({ textDocument }),
  "textDocument/codeAction": object({ textDocument, range, context: object({ diagnostics: array(diagnostic) }) }),
  "flowlens/graph": object({ uri: str }),
  "flowlens/flowInfo": object({ uri: str }),
};

const notifications: Record<string, Check> = {
  "textDocument/didOpen": object({ textDocument: object({ uri: str, version: int, text: str }) }),
  "textDocument/didChange": object({
    textDocument: object({ uri: str, version: int }),
    contentChanges: array(contentChange),
  }),
  "textDocument/didClose": object({ textDocument }),
  "workspace/didChangeWatchedFiles": object({ changes: array(object({ uri: str, type: int })) }),
};

/** What is wrong with the params of a request or notification, or undefined when they fit. */
export function paramsProblem(method: string, params: unknown, isRequest: boolean): string | undefined {
  const check = (isRequest ? requests : notifications)[method];
  return check?.(params, "params");
}
