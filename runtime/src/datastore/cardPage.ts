// What a stored card page holds, read as text and never run: a Flowlens page carries its
// components in a JSON script block; a page made by Metaflow's default card carries them base64
// encoded in a `window.__MF_DATA__["<id>"] = "<base64>"` statement, which is matched by a pattern
// (never evaluated). Any other page (html cards, custom card types) is its own HTML.
import type { CardDocument } from "../../../server/src/protocol/cards";
import { componentList, isObject, readFlowlensCardJson, str } from "./cardData";

export type CardPage =
  | { kind: "components"; source: "flowlens" | "metaflow"; doc: CardDocument }
  | { kind: "html"; title: string }
  | { kind: "broken"; reason: string };

const flowlensBlock = /<script\b[^>]*\bid=["']flowlens-card-data["'][^>]*>([\s\S]*?)<\/script\s*>/i;
const metaflowData = /window\.__MF_DATA__\[\s*["']([^"'\\]*)["']\s*\]\s*=\s*["']([A-Za-z0-9+/=\s]*)["']/;
// Metaflow closes a finished card with this script; a card still being refreshed lacks it.
const metaflowComplete = /<script>\s*window\.metaflow_card_update\s*=\s*undefined;?\s*<\/script>/;
const titleTag = /<title>([^<]*)<\/title>/i;

export function readCardPage(html: string): CardPage {
  const block = flowlensBlock.exec(html);
  if (block) return flowlensPage(block[1] ?? "");
  const mf = metaflowData.exec(html);
  if (mf) return metaflowPage(mf[2] ?? "", html);
  return { kind: "html", title: decodeEntities(titleTag.exec(html)?.[1] ?? "").trim() };
}

function flowlensPage(json: string): CardPage {
  const read = readFlowlensCardJson(json);
  return "reason" in read ? { kind: "broken", reason: read.reason } : { kind: "components", source: "flowlens", doc: read.doc };
}

function metaflowPage(base64: string, html: string): CardPage {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(base64.replace(/\s+/g, ""), "base64").toString("utf8"));
  } catch (error) {
    return { kind: "broken", reason: `the Metaflow card's data is not base64 JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!isObject(data)) return { kind: "broken", reason: "the Metaflow card's data is not an object" };
  const components = componentList(data.components);
  if (!components) return { kind: "broken", reason: "the Metaflow card's data has no component list" };
  const meta = isObject(data.metadata) ? data.metadata : {};
  const pathspec = str(meta.pathspec) ?? "";
  const title = decodeEntities(titleTag.exec(html)?.[1] ?? "").trim() || pathspec || "Card";
  const doc: CardDocument = { title, pathspec, components, final: metaflowComplete.test(html) };
  const created = str(meta.created_at);
  if (created !== undefined) doc.createdOn = created;
  return { kind: "components", source: "metaflow", doc };
}

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e] ?? "");
}
