// The JSON data block of a Flowlens card page ({"flowlens_card": 1, ..., "components": [...]}) to a
// CardDocument. Pure (no Node, no DOM): the extension, the CLI and the standalone page renderer
// (webview/src/card/standalone.ts) all read the block through here.
import type { CardDocument, ComponentData } from "../../../server/src/protocol/cards";

export function readFlowlensCardJson(json: string): { doc: CardDocument } | { reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { reason: `the card's data block is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!isObject(data) || data.flowlens_card !== 1) return { reason: "the card's data block is not a Flowlens card (flowlens_card: 1)" };
  const components = componentList(data.components);
  if (!components) return { reason: "the card's data block has no component list" };
  const doc: CardDocument = { title: str(data.title) ?? str(data.pathspec) ?? "Card", pathspec: str(data.pathspec) ?? "", components };
  const created = str(data.created_on);
  if (created !== undefined) doc.createdOn = created;
  if (typeof data.final === "boolean") doc.final = data.final;
  return { doc };
}

/** The components that have a string `type`; anything else in the list is dropped here, once. */
export function componentList(x: unknown): ComponentData[] | undefined {
  if (!Array.isArray(x)) return undefined;
  return x.filter((c): c is ComponentData => isObject(c) && typeof c.type === "string");
}

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

export function str(x: unknown): string | undefined {
  return typeof x === "string" ? x : undefined;
}
