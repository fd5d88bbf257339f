// One card component (a dict in Metaflow's UI schema) to DOM. Every field is checked here: a
// component of an unknown type, or with a field of the wrong kind, is drawn as a short note
// instead of failing the card.
import type { ComponentData } from "../../../server/src/protocol/cards";
import { renderVega } from "./charts";
import { childContext, type RenderContext } from "./context";
import { codeBlock, renderArtifacts, renderError, renderJson, renderYaml } from "./dataViews";
import { displayText, el, isDataImage } from "./dom";
import { renderMarkdown } from "./markdownDom";
import { renderDag, renderTimeline } from "./structure";
import { renderTable } from "./table";

type Renderer = (c: ComponentData, ctx: RenderContext) => HTMLElement;

const renderers: Record<string, Renderer> = {
  markdown: (c) => renderMarkdown(displayText(c.source ?? c.text ?? "")),
  title: (c) => el("h1", { class: "card-title" }, displayText(c.text ?? "")),
  subtitle: (c) => el("h2", { class: "card-subtitle" }, displayText(c.text ?? "")),
  heading: (c) => el("header", { class: "heading" }, typeof c.title === "string" ? el("h2", {}, c.title) : null, typeof c.subtitle === "string" ? el("p", { class: "subtitle" }, c.subtitle) : null),
  text: (c) => el("p", { class: "text" }, displayText(c.text ?? "")),
  section: (c, ctx) => renderSection(c, ctx),
  page: (c, ctx) => el("section", { class: "page" }, el("h2", {}, displayText(c.title ?? "")), ...children(c.contents, ctx)),
  table: (c, ctx) => renderTable(c, ctx, renderComponent),
  image: (c) => renderImage(c),
  artifacts: (c) => renderArtifacts(c),
  vegaChart: (c, ctx) => renderVega(c, ctx, renderComponent),
  progressBar: (c) => renderProgress(c),
  valueBox: (c) => renderValueBox(c),
  pythonCode: (c) => codeBlock(displayText(c.data ?? c.code ?? ""), "python"),
  log: (c) => codeBlock(displayText(c.data ?? ""), "log"),
  error: (c) => renderError(c),
  jsonViewer: (c) => renderJson(c),
  yamlViewer: (c) => renderYaml(c),
  eventsTimeline: (c, ctx) => renderTimeline(c, ctx, renderComponent),
  dag: (c) => renderDag(c),
};

export function renderComponent(c: ComponentData, ctx: RenderContext): HTMLElement {
  const render = renderers[c.type];
  if (!render) return el("div", { class: "note unknown" }, `This card has a component of type "${c.type}", which Flowlens does not show yet.`);
  try {
    const e = render(c, ctx);
    e.classList.add("component", `c-${c.type}`);
    if (typeof c.id === "string") e.dataset.componentId = c.id;
    return e;
  } catch (error) {
    return el("div", { class: "note unknown" }, `The ${c.type} component could not be shown: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function children(list: unknown, ctx: RenderContext): HTMLElement[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((c, i) => (typeof c === "object" && c !== null && typeof (c as { type?: unknown }).type === "string" ? [renderComponent(c as ComponentData, childContext(ctx, i, (c as { id?: unknown }).id))] : []));
}

function renderSection(c: ComponentData, ctx: RenderContext): HTMLElement {
  const grid = el("div", { class: "section-body" }, ...children(c.contents, ctx));
  const columns = typeof c.columns === "number" && c.columns > 1 ? Math.min(6, Math.floor(c.columns)) : 0;
  if (columns > 0) grid.style.gridTemplateColumns = `repeat(${columns}, minmax(0, 1fr))`;
  return el("section", { class: "section" }, typeof c.title === "string" && c.title ? el("h2", {}, c.title) : null, typeof c.subtitle === "string" && c.subtitle ? el("p", { class: "subtitle" }, c.subtitle) : null, grid);
}

function renderImage(c: ComponentData): HTMLElement {
  const label = typeof c.label === "string" ? c.label : undefined;
  const fig = el("figure", { class: "image" });
  if (isDataImage(c.src)) fig.append(el("img", { src: c.src, alt: label ?? "card image", loading: "lazy", decoding: "async" }));
  else fig.append(el("div", { class: "note" }, "This image is not embedded in the card (only data: images are shown)."));
  if (label) fig.append(el("figcaption", {}, label));
  if (typeof c.description === "string") fig.append(el("p", { class: "subtitle" }, c.description));
  return fig;
}

export function progressFraction(value: unknown, max: unknown): number {
  const v = Number(value);
  const m = Number(max);
  if (!Number.isFinite(v) || !Number.isFinite(m) || m <= 0) return 0;
  return Math.min(1, Math.max(0, v / m));
}

function renderProgress(c: ComponentData): HTMLElement {
  const fraction = progressFraction(c.value, c.max);
  const unit = typeof c.unit === "string" ? ` ${c.unit}` : "";
  const fill = el("div", { class: "bar-fill" });
  fill.style.width = `${(fraction * 100).toFixed(1)}%`;
  const bar = el("div", { class: "bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": displayText(c.max), "aria-valuenow": displayText(c.value) }, fill);
  return el("div", { class: "progress" },
    el("div", { class: "progress-head" }, el("span", { class: "label" }, displayText(c.label ?? "")), el("span", { class: "count" }, `${displayText(c.value)}${unit} / ${displayText(c.max)}${unit} (${Math.round(fraction * 100)}%)`)),
    bar,
    typeof c.details === "string" ? el("div", { class: "subtitle" }, c.details) : null,
  );
}

function renderValueBox(c: ComponentData): HTMLElement {
  const theme = typeof c.theme === "string" ? ` theme-${c.theme.replace(/[^\w-]/g, "")}` : "";
  return el("div", { class: `value-box${theme}` },
    typeof c.title === "string" ? el("div", { class: "vb-title" }, c.title) : null,
    el("div", { class: "vb-value" }, displayText(c.value)),
    typeof c.subtitle === "string" ? el("div", { class: "subtitle" }, c.subtitle) : null,
    typeof c.change_indicator === "string" ? el("div", { class: "vb-change" }, c.change_indicator) : null,
  );
}
