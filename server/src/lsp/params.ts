// The one place where the shape of incoming params is checked. Handlers read params without
// defensive code; a message whose params do not have the shape a handler reads is refused here,
// at the edge, with a sentence that names the field (InvalidParams for a request; a notification,
// which cannot be answered, is dropped and logged).
import { documentFeatures } from "./features";
import { anyObject, array, contentChange, int, object, optional, str, textDocument, type Check } from "./paramChecks";

/** What each method's params must look like (the document features' from their table). Methods not listed are passed on unchecked. */
const requests: Record<string, Check> = {
  initialize: object({ capabilities: anyObject, processId: optional(int), rootUri: optional(str), workspaceFolders: optional(array(object({ uri: str, name: str }))) }),
  ...Object.fromEntries(documentFeatures.map((f) => [f.method, f.params])),
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
