// The pure parts of the card renderer (webview/src/card): the Markdown reader, table sorting and
// paging, what a Vega-Lite spec can show without Vega, DAG layers and the YAML view.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseInline, parseMarkdown } from "../../../webview/src/card/markdown";
import { dagLayers } from "../../../webview/src/card/dagModel";
import { toYaml } from "../../../webview/src/card/yaml";
import { clampPage, compareCells, nextSort, pageCount, sortedOrder } from "../../../webview/src/card/tableModel";
import { simpleChart, vegaTables } from "../../../webview/src/card/vegaModel";
import { isCardPanelToHost, isHostToCardPanel, isWebLink } from "../../../server/src/protocol/cards";
import { toGraphView } from "../../../webview/src/toElk";
import { flowGraph } from "../webview/sampleGraphs";

void test("markdown blocks: headings, paragraphs, fenced code, lists, quotes, rules and tables", () => {
  const blocks = parseMarkdown("# Title\n\nSome *text*\nmore\n\n```python\nx = 1 < 2\n```\n- a\n- b\n  - c\n\n1. one\n2. two\n\n> quoted\n\n---\n| a | b |\n|:--|--:|\n| 1 | 2 |\n");
  assert.deepEqual(blocks.map((b) => b.kind), ["heading", "paragraph", "code", "list", "list", "quote", "rule", "table"]);
  assert.deepEqual(blocks[0], { kind: "heading", level: 1, children: [{ kind: "text", text: "Title" }] });
  assert.deepEqual(blocks[2], { kind: "code", lang: "python", text: "x = 1 < 2" });
  const bullets = blocks[3];
  assert.ok(bullets?.kind === "list" && !bullets.ordered && bullets.items.length === 2);
  assert.equal(bullets.items[1]?.[1]?.kind, "list", "the indented item is a nested list");
  const numbered = blocks[4];
  assert.ok(numbered?.kind === "list" && numbered.ordered && numbered.items.length === 2);
  const table = blocks[7];
  assert.ok(table?.kind === "table");
  assert.deepEqual(table.align, ["left", "right"]);
  assert.deepEqual(table.rows[0], [[{ kind: "text", text: "1" }], [{ kind: "text", text: "2" }]]);
});

void test("markdown inline spans: code, strong, emphasis, links, images; HTML stays text; snake_case is no emphasis", () => {
  assert.deepEqual(parseInline("a **b** *c* `d*e` ~~f~~"), [
    { kind: "text", text: "a " },
    { kind: "strong", children: [{ kind: "text", text: "b" }] },
    { kind: "text", text: " " },
    { kind: "em", children: [{ kind: "text", text: "c" }] },
    { kind: "text", text: " " },
    { kind: "code", text: "d*e" },
    { kind: "text", text: " " },
    { kind: "del", children: [{ kind: "text", text: "f" }] },
  ]);
  assert.deepEqual(parseInline("[docs](https://x.org/a) ![pic](data:image/png;base64,AA==)"), [
    { kind: "link", href: "https://x.org/a", children: [{ kind: "text", text: "docs" }] },
    { kind: "text", text: " " },
    { kind: "image", alt: "pic", src: "data:image/png;base64,AA==" },
  ]);
  assert.deepEqual(parseInline("<b>x</b> my_var_name"), [{ kind: "text", text: "<b>x</b> my_var_name" }]);
  assert.deepEqual(parseInline("\\*not em\\*"), [{ kind: "text", text: "*" }, { kind: "text", text: "not em" }, { kind: "text", text: "*" }]);
});

void test("only http(s) links leave a card", () => {
  assert.ok(isWebLink("https://example.com/x?y=1"));
  assert.ok(isWebLink("http://localhost:8080"));
  for (const bad of ["javascript:alert(1)", "file:///etc/passwd", "command:workbench.action.quit", "vscode://x", "//evil.com", "https://a b"]) assert.ok(!isWebLink(bad), bad);
});

void test("tables sort numbers by value and text naturally, stably; a header click cycles asc, desc, off", () => {
  const rows = [[10, "item 10"], [2, "item 2"], ["3", "Item 3"], [null, "z"], [2, "again"]];
  assert.deepEqual(sortedOrder(rows, 0, "asc"), [1, 4, 2, 0, 3]);
  assert.deepEqual(sortedOrder(rows, 0, "desc"), [3, 0, 2, 1, 4]);
  assert.deepEqual(sortedOrder(rows, 1, "asc"), [4, 1, 2, 0, 3]);
  assert.deepEqual(sortedOrder(rows, null, "asc"), [0, 1, 2, 3, 4]);
  assert.ok(compareCells({ type: "text", text: "a" }, { type: "text", text: "b" }) < 0);
  const v0 = { column: null, direction: "asc" as const, page: 3 };
  const v1 = nextSort(v0, 1);
  assert.deepEqual(v1, { column: 1, direction: "asc", page: 0 });
  const v2 = nextSort(v1, 1);
  assert.deepEqual(v2, { column: 1, direction: "desc", page: 0 });
  assert.deepEqual(nextSort(v2, 1), { column: null, direction: "asc", page: 0 });
  assert.equal(pageCount(10_000), 100);
  assert.equal(pageCount(0), 1);
  assert.equal(clampPage(500, 10_000), 99);
  assert.equal(clampPage(-1, 5), 0);
});

void test("a 10,000-row sort returns every row once", () => {
  const rows = Array.from({ length: 10_000 }, (_, i) => [(i * 7919) % 10_000]);
  const order = sortedOrder(rows, 0, "asc");
  assert.equal(new Set(order).size, 10_000);
  assert.deepEqual(order.slice(0, 3).map((i) => rows[i]?.[0]), [0, 1, 2]);
});

void test("a Vega-Lite spec gives its inline data as tables, and marks for a plain bar chart", () => {
  const spec = { mark: { type: "bar" }, data: { values: [{ a: "x", b: 1 }, { a: "y", b: 3, c: true }] }, encoding: { x: { field: "a" }, y: { field: "b" } } };
  assert.deepEqual(vegaTables(spec), [{ name: "data", columns: ["a", "b", "c"], rows: [["x", 1, undefined], ["y", 3, true]] }]);
  assert.deepEqual(simpleChart(spec), { mark: "bar", x: "a", y: "b", points: [{ x: "x", y: 1 }, { x: "y", y: 3 }] });
  assert.equal(simpleChart({ ...spec, mark: "arc" }), undefined, "other marks are not drawn");
  assert.equal(simpleChart({ layer: [spec] }), undefined, "layered charts are not drawn");
  assert.deepEqual(vegaTables({ layer: [spec], datasets: { extra: [1, 2] } }).map((t) => t.name), ["extra", "data"]);
});

void test("DAG layers put each step below its deepest parent", () => {
  const steps = { start: { next: ["a", "b"] }, a: { next: ["join"] }, b: { next: ["c"] }, c: { next: ["join"] }, join: { next: ["end"] }, end: { next: [] } };
  assert.deepEqual(dagLayers(steps, "start"), [["start"], ["a", "b"], ["c"], ["join"], ["end"]]);
  assert.deepEqual(dagLayers({ loop: { next: ["loop"] } }, "loop"), [["loop"]]);
  assert.deepEqual(dagLayers({}, undefined), []);
});

void test("the Markdown reader ends on any input (each line is consumed)", () => {
  const odd = ["> a\n> b", ">", "- ", "1.", "```", "    ", "|a|\n|-|", "# ", "***", "- a\n\n\n  b", "* * *\n- x\n  > q"];
  for (const text of odd) assert.ok(Array.isArray(parseMarkdown(text)), text);
  assert.deepEqual(parseMarkdown("> a\n> b"), [{ kind: "quote", children: [{ kind: "paragraph", children: [{ kind: "text", text: "a\nb" }] }] }]);
});

void test("the YAML view quotes strings YAML would misread", () => {
  assert.equal(toYaml({ a: 1, b: "yes", c: "plain", d: ["x", { e: null }], f: {}, g: "a: b" }, 0), 'a: 1\nb: "yes"\nc: plain\nd:\n  - x\n  -\n    e: null\nf: {}\ng: "a: b"\n');
});

void test("card panel messages: each kind passes, malformed ones are refused", () => {
  const list = [{ key: "k", label: "run 1", current: true }];
  assert.ok(isHostToCardPanel({ type: "card", doc: { title: "t", pathspec: "F/1/s/2", components: [] }, source: "flowlens", list }));
  assert.ok(isHostToCardPanel({ type: "html", title: "t", html: "<p>", list }));
  assert.ok(isHostToCardPanel({ type: "problem", message: "gone", list }));
  assert.ok(!isHostToCardPanel({ type: "card", doc: { title: "t" }, source: "flowlens", list }));
  assert.ok(!isHostToCardPanel({ type: "html", title: "t", html: "<p>", list: [{ key: 1 }] }));
  assert.ok(isCardPanelToHost({ type: "rendered", title: "t", components: 3, final: null, ms: 4 }));
  assert.ok(isCardPanelToHost({ type: "openLink", href: "https://x" }));
  assert.ok(!isCardPanelToHost({ type: "rendered", title: "t", components: "3", final: true, ms: 4 }));
  assert.ok(!isCardPanelToHost({ type: "eval", code: "x" }));
});

void test("toElk marks steps with @card so the graph draws their card badge", () => {
  const flow = flowGraph("F", {
    start: { next: ["train"] },
    train: { next: ["end"], decorators: [{ name: "card", attributes: { type: "blank" }, statically_defined: true }] },
    end: { next: [] },
  });
  const view = toGraphView(flow, { showDecorators: true, nodeSpacing: 40 });
  assert.deepEqual(view.nodes.filter((n) => n.card).map((n) => n.id), ["train"]);
});
