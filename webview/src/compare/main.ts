// The comparison tab's script (dist/comparePanel.js): draws a RunComparison sent by the extension
// (client/src/compare) as sections — runs, parameters and configs, tags, steps with wall times and
// artifacts, code — using text nodes only, so nothing from a run can inject markup. Clicks go back
// to the extension: a code file opens VS Code's diff editor; "Load values" asks to unpickle.
import { describeSide, formatDelta, formatSeconds, shortValue, statusWord } from "../../../server/src/protocol/comparisonWords";
import { countStatuses, describeStats, isCompareHostMessage, type ArtifactDiff, type CompareWebviewMessage, type RunComparison, type RunSide, type ValueSummary } from "../../../server/src/protocol/runComparison";
import { el } from "../card/dom";

interface VsCodeApi {
  postMessage(message: CompareWebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById("comparison") as HTMLElement;
let showSame = false;
let last: { comparison: RunComparison; trusted: boolean } | undefined;

window.addEventListener("message", (event: MessageEvent<unknown>) => {
  const m = event.data;
  if (!isCompareHostMessage(m)) return;
  if (m.type === "compareError") {
    root.replaceChildren(el("p", { class: "error" }, m.message));
    return;
  }
  last = { comparison: m.comparison, trusted: m.trusted };
  draw();
});

function draw(): void {
  if (!last) return;
  const t0 = performance.now();
  const c = last.comparison;
  root.replaceChildren(
    el("h1", {}, `${c.flow}: run ${c.a.runId} (A) ↔ run ${c.b.runId} (B)`),
    runsTable(c.a, c.b),
    toolbar(c, last.trusted),
    section("Parameters and configs", c.parameters, artifactTable(c.parameters, true)),
    tagsSection(c),
    stepsSection(c),
    codeSection(c),
    ...(c.problems.length > 0 ? [el("section", {}, el("h2", {}, "Not compared"), el("ul", {}, ...c.problems.map((p) => el("li", { class: "error" }, p))))] : []),
  );
  const changed = [...c.parameters, ...c.steps.flatMap((s) => s.artifacts)].filter((d) => d.status !== "same").length;
  vscode.postMessage({ type: "rendered", runs: [c.a.runId, c.b.runId], changed, ms: Math.round(performance.now() - t0) });
}

function runsTable(a: RunSide, b: RunSide): HTMLElement {
  const row = (label: string, r: RunSide): HTMLElement =>
    el("tr", {}, el("th", {}, label), el("td", {}, r.runId), el("td", {}, r.status ?? "unknown"), el("td", {}, r.started !== undefined ? new Date(r.started * 1000).toLocaleString() : "?"), el("td", { class: "num" }, formatSeconds(r.seconds)), el("td", {}, r.madeBy === "flowlens" ? "Flowlens" : "Metaflow"));
  return el("table", { class: "runs" }, el("tr", {}, el("th", {}), el("th", {}, "run"), el("th", {}, "status"), el("th", {}, "started"), el("th", {}, "wall time"), el("th", {}, "made by")), row("A", a), row("B", b));
}

function toolbar(c: RunComparison, trusted: boolean): HTMLElement {
  const same = el("input", { type: "checkbox", id: "show-same" });
  same.checked = showSame;
  same.addEventListener("change", () => {
    showSame = same.checked;
    draw();
  });
  const bar = el("div", { class: "toolbar" }, el("label", {}, same, " show artifacts that are the same"));
  if (c.valuesLoaded) bar.append(el("span", { class: "note" }, "Changed values are loaded."));
  else {
    const load = el("button", { id: "load-values", ...(trusted ? {} : { disabled: "", title: "Loading a value unpickles it: only in a trusted workspace" }) }, "Load changed values");
    load.addEventListener("click", () => vscode.postMessage({ type: "loadValues" }));
    bar.append(load, el("span", { class: "note" }, trusted ? " Same or changed is decided by hashes; loading unpickles the changed values to show their differences and statistics." : " Restricted Mode: values are not loaded (loading unpickles them)."));
  }
  return bar;
}

function section(title: string, diffs: ArtifactDiff[], body: HTMLElement): HTMLElement {
  const n = countStatuses(diffs);
  return el("section", {}, el("h2", {}, title, el("span", { class: "counts" }, ` ${n.same} same · ${n.changed} changed · ${n["only-a"]} only in A · ${n["only-b"]} only in B`)), body);
}

function artifactTable(diffs: ArtifactDiff[], withKind: boolean): HTMLElement {
  const shown = diffs.filter((d) => showSame || d.status !== "same");
  if (shown.length === 0) return el("p", { class: "note" }, diffs.length === 0 ? "None." : "All the same.");
  const rows = shown.map((d) => {
    const kind = withKind && "kind" in d ? String((d as { kind: string }).kind) : "";
    const details = el("td", {}, ...valueDetails(d));
    const tasks = d.tasks ? ` (${d.tasks.changed} of ${d.tasks.total} tasks)` : "";
    return el("tr", { class: `status-${d.status}`, "data-name": d.name }, el("td", { class: "name" }, d.name, kind ? el("small", {}, ` ${kind}`) : null), el("td", { class: "status" }, statusWord[d.status] + tasks), el("td", {}, describeSide(d.a, d.loaded?.a)), el("td", {}, describeSide(d.b, d.loaded?.b)), details);
  });
  return el("table", { class: "artifacts" }, el("tr", {}, el("th", {}, "name"), el("th", {}, ""), el("th", {}, "A"), el("th", {}, "B"), el("th", {}, "differences")), ...rows);
}

function valueDetails(d: ArtifactDiff): Node[] {
  const out: Node[] = [];
  if (d.valueDiff && d.valueDiff.length > 0) {
    out.push(el("ul", { class: "value-diff" }, ...d.valueDiff.map((ch) => el("li", {}, el("code", {}, ch.path), `: ${ch.kind === "added" ? `added ${shortValue(ch.b)}` : ch.kind === "removed" ? `removed ${shortValue(ch.a)}` : `${shortValue(ch.a)} → ${shortValue(ch.b)}`}`))));
  }
  for (const [label, s] of [["A", d.loaded?.a], ["B", d.loaded?.b]] as const) {
    const lines = statsLines(s);
    if (lines.length > 0) out.push(el("div", { class: "stats" }, el("b", {}, label), el("ul", {}, ...lines.map((l) => el("li", {}, l)))));
  }
  return out;
}

function statsLines(s: ValueSummary | undefined): string[] {
  if (s?.kind === "array") return [`${s.dtype} (${s.shape.join(" × ")})${s.stats ? `: ${describeStats(s.stats)}` : ""}`];
  if (s?.kind === "frame") return s.columns.map((c) => `${c.name} (${c.dtype})${c.stats ? `: ${describeStats(c.stats)}` : ""}`);
  return [];
}

function tagsSection(c: RunComparison): HTMLElement {
  const list = (label: string, tags: string[]): HTMLElement => el("p", {}, el("b", {}, `${label}: `), tags.length > 0 ? tags.join(", ") : "none");
  return el("section", {}, el("h2", {}, "Tags"), list("in both", c.tags.both), list("only in A", c.tags.onlyA), list("only in B", c.tags.onlyB));
}

function stepsSection(c: RunComparison): HTMLElement {
  const slowest = Math.max(0, ...c.steps.flatMap((s) => [s.seconds.a ?? 0, s.seconds.b ?? 0]));
  const bar = (seconds: number | undefined, side: "a" | "b"): HTMLElement => {
    const b = el("span", { class: `bar bar-${side}` });
    b.style.width = `${slowest > 0 && seconds !== undefined ? Math.max(1, (seconds / slowest) * 100) : 0}%`;
    return el("div", { class: "bar-track" }, b);
  };
  const durations = el(
    "table",
    { class: "durations" },
    el("tr", {}, el("th", {}, "step"), el("th", {}, "tasks A → B"), el("th", {}, "A"), el("th", {}, "B"), el("th", {}, "change"), el("th", {}, "")),
    ...c.steps.map((s) => el("tr", { class: s.status === "both" ? "" : `status-${s.status}` }, el("td", { class: "name" }, s.step, s.status === "both" ? null : el("small", {}, ` ${statusWord[s.status]}`)), el("td", { class: "num" }, `${s.tasks.a} → ${s.tasks.b}`), el("td", { class: "num" }, formatSeconds(s.seconds.a)), el("td", { class: "num" }, formatSeconds(s.seconds.b)), el("td", { class: "num" }, formatDelta(s.seconds.a, s.seconds.b)), el("td", { class: "bars" }, bar(s.seconds.a, "a"), bar(s.seconds.b, "b")))),
  );
  const perStep = c.steps.map((s) => section(`Step ${s.step}`, s.artifacts, artifactTable(s.artifacts, false)));
  return el("section", {}, el("h2", {}, "Steps and wall times"), durations, ...perStep);
}

function codeSection(c: RunComparison): HTMLElement {
  const title = el("h2", {}, "Code");
  if (!c.code.available) return el("section", {}, title, el("p", { class: "note" }, `Not compared: ${c.code.reason}.`));
  if (c.code.same) return el("section", {}, title, el("p", { class: "note" }, `The same in both runs (${c.code.files.length} files).`));
  const rows = c.code.files
    .filter((f) => f.status !== "same")
    .map((f) => {
      const open = el("button", { class: "link" }, f.path);
      if (f.diff !== undefined) open.addEventListener("click", () => vscode.postMessage({ type: "openCodeDiff", path: f.path }));
      else open.disabled = true;
      const stat = f.diff ? ` +${f.diff.split("\n").filter((l) => l.startsWith("+")).length} −${f.diff.split("\n").filter((l) => l.startsWith("-")).length}` : "";
      return el("li", { class: `status-${f.status}` }, open, ` ${statusWord[f.status]}${stat}`);
    });
  return el("section", {}, title, el("p", { class: "note" }, "A changed file opens in the diff editor."), el("ul", { class: "files" }, ...rows));
}

vscode.postMessage({ type: "ready" });
