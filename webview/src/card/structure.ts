// The DAG and events-timeline components: the flow's steps as layers (each step with its next
// steps), and a card's events newest first with their payloads rendered as components.
import type { ComponentData } from "../../../server/src/protocol/cards";
import type { RenderContext } from "./context";
import { dagLayers } from "./dagModel";
import { displayText, el } from "./dom";

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

export function renderDag(c: ComponentData): HTMLElement {
  const data = isObject(c.data) ? c.data : {};
  const steps = isObject(data.steps) ? (data.steps as Record<string, Record<string, unknown>>) : {};
  const layers = dagLayers(steps, typeof data.start_step === "string" ? data.start_step : undefined);
  const box = el("div", { class: "dag", role: "list", "aria-label": "Flow steps" });
  for (const layer of layers) {
    const row = el("div", { class: "dag-layer" });
    for (const name of layer) {
      const s = steps[name] ?? {};
      const next = Array.isArray(s.next) ? s.next.map((n) => displayText(n)) : [];
      row.append(
        el("div", { class: `dag-step${s.failed === true ? " failed" : ""}`, role: "listitem", title: typeof s.doc === "string" ? s.doc : undefined },
          el("div", { class: "dag-name" }, name),
          el("div", { class: "dag-type" }, displayText(s.type ?? "")),
          next.length > 0 ? el("div", { class: "dag-next" }, `→ ${next.join(", ")}`) : null,
        ),
      );
    }
    box.append(row);
  }
  return box;
}

export function renderTimeline(c: ComponentData, ctx: RenderContext, renderChild: (c: ComponentData, ctx: RenderContext) => HTMLElement): HTMLElement {
  const box = el("section", { class: "timeline" });
  if (typeof c.title === "string") box.append(el("h3", {}, c.title));
  const events = Array.isArray(c.events) ? c.events.filter(isObject) : [];
  const sorted = [...events].sort((a, b) => Number(b.received_at ?? 0) - Number(a.received_at ?? 0));
  if (sorted.length === 0) box.append(el("p", { class: "note" }, "No events yet."));
  const list = el("ol", { class: "events" });
  sorted.forEach((e, i) => {
    const meta = isObject(e.metadata) ? e.metadata : {};
    const item = el("li", { class: `event${typeof e.style_theme === "string" ? ` theme-${e.style_theme.replace(/[^\w-]/g, "")}` : ""}` }, el("time", {}, timeText(e.received_at)));
    const fields = el("dl", {});
    for (const [k, v] of Object.entries(meta)) fields.append(el("dt", {}, k), el("dd", {}, displayText(v)));
    item.append(fields);
    if (isObject(e.payloads)) for (const [name, p] of Object.entries(e.payloads)) {
      if (isObject(p) && typeof p.type === "string") item.append(el("div", { class: "payload" }, el("div", { class: "subtitle" }, name), renderChild(p as ComponentData, { key: `${ctx.key}.e${i}.${name}`, state: ctx.state })));
    }
    list.append(item);
  });
  box.append(list);
  return box;
}

function timeText(t: unknown): string {
  const n = Number(t);
  if (!Number.isFinite(n) || n <= 0) return "";
  // Seconds or milliseconds since the epoch.
  return new Date(n < 1e12 ? n * 1000 : n).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}
