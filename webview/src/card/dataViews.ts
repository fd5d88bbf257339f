// Components that show data as text: code, logs and tracebacks, JSON as a foldable tree, YAML,
// and task artifacts.
import type { ComponentData } from "../../../server/src/protocol/cards";
import { displayText, el } from "./dom";
import { toYaml } from "./yaml";

export function codeBlock(text: string, cls: string): HTMLElement {
  return el("pre", { class: `code ${cls}` }, el("code", {}, text));
}

export function renderError(c: ComponentData): HTMLElement {
  const headline = displayText(c.headline ?? c.title ?? "Error");
  const body = displayText(c.data ?? c.traceback ?? c.message ?? "");
  return el("section", { class: "error", role: "alert" }, el("h3", {}, headline), codeBlock(body, "traceback"));
}

export function renderArtifacts(c: ComponentData): HTMLElement {
  const list = Array.isArray(c.data) ? c.data : [];
  const body = el("tbody");
  for (const a of list) {
    if (typeof a !== "object" || a === null) continue;
    const x = a as Record<string, unknown>;
    body.append(el("tr", {}, el("th", { scope: "row" }, displayText(x.name ?? x.label ?? "")), el("td", { class: "type" }, displayText(x.type ?? "")), el("td", {}, codeBlock(displayText(x.data ?? ""), "value"))));
  }
  return el("div", { class: "table-box" }, el("table", { class: "card-table artifacts" }, el("thead", {}, el("tr", {}, el("th", {}, "name"), el("th", {}, "type"), el("th", {}, "value"))), body));
}

/** JSON as nested <details>: objects and arrays fold; the first two levels start open. */
export function jsonTree(value: unknown, depth = 0, label?: string): HTMLElement {
  const key = label !== undefined ? el("span", { class: "json-key" }, `${label}: `) : null;
  if (typeof value !== "object" || value === null) return el("div", { class: "json-leaf" }, key, el("span", { class: `json-${value === null ? "null" : typeof value}` }, JSON.stringify(value) ?? String(value)));
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const open = Array.isArray(value) ? "[" : "{";
  const details = el("details", { class: "json-node" }, el("summary", {}, key, `${open} ${entries.length} ${Array.isArray(value) ? "items" : "keys"}`));
  details.open = depth < 2;
  for (const [k, v] of entries.slice(0, 1000)) details.append(jsonTree(v, depth + 1, k));
  if (entries.length > 1000) details.append(el("div", { class: "note" }, `… ${entries.length - 1000} more`));
  return details;
}

export function renderJson(c: ComponentData): HTMLElement {
  let data = c.data;
  if (typeof data === "string") {
    try {
      data = JSON.parse(data) as unknown;
    } catch {
      return codeBlock(data as string, "json");
    }
  }
  return el("div", { class: "json" }, jsonTree(data));
}

export function renderYaml(c: ComponentData): HTMLElement {
  return codeBlock(typeof c.data === "string" ? c.data : toYaml(c.data, 0).trimEnd(), "yaml");
}
