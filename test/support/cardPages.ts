// Card pages for tests, written the way the card contract says a task writes them (atomic
// temp + rename into mf.cards/<Flow>/runs/<run>/steps/<step>/tasks/<task>/cards/): a Flowlens page
// with its JSON data block, and a hand-written page shaped like Metaflow's default card (base64
// data in a `window.__MF_DATA__` statement, plus scripts that must never run). The editor's tests
// use them to simulate a live task before the Python runtime writes cards itself.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import type { ComponentData } from "../../server/src/protocol/cards";

export interface PageFields {
  title?: string;
  pathspec: string;
  final: boolean;
  id?: string | null;
  type?: string;
  components: ComponentData[];
  /** Inlined renderer (the standalone bundle); absent → the page says the renderer is missing. */
  assets?: { js: string; css: string };
}

/** JSON that can sit inside a script element: <, >, &, U+2028 and U+2029 as \uXXXX. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function flowlensCardPage(f: PageFields): string {
  const data = { flowlens_card: 1, type: f.type ?? "default", id: f.id ?? null, pathspec: f.pathspec, title: f.title ?? f.pathspec, created_on: new Date().toISOString(), final: f.final, components: f.components };
  const body = f.assets ? `<script>${f.assets.js}</script>` : "<p>The card renderer is not available.</p>";
  return `<!doctype html><html><head><meta charset="utf-8"><title>${f.pathspec}</title><style>${f.assets?.css ?? ""}</style></head><body><main id="flowlens-card"></main>\n<script type="application/json" id="flowlens-card-data">${scriptSafeJson(data)}</script>\n${body}</body></html>\n`;
}

/** A page shaped like the one Metaflow's default card writes (our own text, same data encoding). */
export function metaflowStylePage(pathspec: string, components: ComponentData[], final: boolean): string {
  const data = Buffer.from(JSON.stringify({ metadata: { pathspec, version: 1, template: "defaultCardTemplate" }, components })).toString("base64");
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8" /><title>${pathspec}</title><style>.card_app{}</style></head><body>`,
    '<div class="card_app"></div>',
    "<script>",
    '  var mfCardDataId = "2f1d2b70-0000-4000-8000-000000000001";',
    "  if (!window.__MF_DATA__) { window.__MF_DATA__ = {}; }",
    `  window.__MF_DATA__["2f1d2b70-0000-4000-8000-000000000001"] = "${data}"`,
    "</script>",
    "<script>document.title = 'this script must never run'; window.parent.postMessage('ran', '*');</script>",
    final ? "<script>\n    window.metaflow_card_update = undefined;\n  </script>" : "<script>\n  // updatable\n  </script>",
    "</body></html>",
  ].join("\n");
}

export interface TaskSpot {
  root: string;
  flow: string;
  run: string;
  step: string;
  task: string;
}

/** The flow datastore entries that make a task exist for readers (an attempt record, latest_run). */
export function writeTaskSkeleton(t: TaskSpot): void {
  const dir = join(t.root, t.flow, t.run, t.step, t.task);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "0.attempt.json"), JSON.stringify({ time: Date.now() / 1000 }));
  writeFileSync(join(t.root, t.flow, "latest_run"), t.run);
}

export function cardsFolder(t: TaskSpot): string {
  return join(t.root, "mf.cards", t.flow, "runs", t.run, "steps", t.step, "tasks", t.task, "cards");
}

let counter = 0;

/** Writes a card page atomically (temp + rename), as the runtime does; returns its path. */
export function writeCardFile(t: TaskSpot, name: string, html: string): string {
  const path = join(cardsFolder(t), name);
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${name}.${process.pid}.${counter++}.tmp`);
  writeFileSync(temp, html);
  renameSync(temp, path);
  return path;
}

/** An RGB PNG as a data: URI, made here so tests need no image library. */
export function pngDataUri(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): string {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 3);
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "ascii");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
  return `data:image/png;base64,${png.toString("base64")}`;
}

/** A 96×64 picture: a colour gradient with a diagonal band. */
export const tinyPng = pngDataUri(96, 64, (x, y) => (Math.abs(x - y * 1.5) < 6 ? [240, 240, 240] : [40 + x * 2, 90 + y, 200 - x]));

/** One of every component the renderer knows, as Metaflow's UI schema spells them. */
export function sampleComponents(progress = 7): ComponentData[] {
  return [
    { type: "title", text: "Training report" },
    { type: "markdown", source: "## Summary\nThe model **converged** after *12* epochs; see `train.py` and [the docs](https://example.com/docs).\n\n- loss fell\n- accuracy rose\n  1. nested\n\n| metric | value |\n|---|--:|\n| acc | 0.93 |\n\n<script>alert('not run')</script> [bad](javascript:alert(1))" },
    { type: "progressBar", id: "epochs", label: "Epochs", max: 10, value: progress, unit: "epochs", details: "training" },
    { type: "section", title: "Numbers", columns: 3, contents: [
      { type: "valueBox", title: "Accuracy", value: "93%", subtitle: "validation", theme: "success", change_indicator: "+4% vs last run" },
      { type: "valueBox", title: "Loss", value: 0.21 },
      { type: "valueBox", title: "Errors", value: 2, theme: "danger" },
    ] },
    { type: "table", id: "metrics", columns: ["epoch", "loss", "note"], data: Array.from({ length: 12 }, (_, i) => [i + 1, Math.round(1000 / (i + 2)) / 1000, i === 3 ? { type: "markdown", source: "**best**" } : `e${i + 1}`]) },
    { type: "image", src: tinyPng, label: "confusion matrix" },
    { type: "artifacts", data: [{ name: "alpha", type: "float", data: "0.5" }, { name: "rows", type: "list", data: "[1, 2, 3]" }] },
    { type: "vegaChart", spec: { $schema: "https://vega.github.io/schema/vega-lite/v5.json", title: "Loss by epoch", mark: "bar", data: { values: [{ epoch: 1, loss: 0.9 }, { epoch: 2, loss: 0.5 }, { epoch: 3, loss: 0.3 }] }, encoding: { x: { field: "epoch", type: "ordinal" }, y: { field: "loss", type: "quantitative" } } }, data: {} },
    { type: "pythonCode", data: "def train():\n    return 42" },
    { type: "log", data: "epoch 1 loss 0.9\nepoch 2 loss 0.5" },
    { type: "error", headline: "A component failed", data: "Traceback (most recent call last):\n  File \"flow.py\", line 3\nValueError: bad" },
    { type: "jsonViewer", data: { model: { layers: 3, sizes: [64, 32, 1] }, ok: true } },
    { type: "yamlViewer", data: { learning_rate: 0.01, optimizer: "adam", tags: ["a", "b"] } },
    { type: "eventsTimeline", title: "Events", events: [{ event_id: "1", received_at: 1764700000, metadata: { kind: "checkpoint", step: 3 }, payloads: {} }], config: { show_stats: false, show_relative_time: false, max_events: 10 } },
    { type: "dag", data: { start_step: "start", end_step: "end", steps: { start: { type: "start", next: ["train", "eval"] }, train: { type: "linear", next: ["join"] }, eval: { type: "linear", next: ["join"] }, join: { type: "join", next: ["end"] }, end: { type: "end", next: [] } } } },
    { type: "mystery", value: 1 },
  ];
}
