// Card pages for tests, written the way the card contract says a task writes them (atomic
// temp + rename into mf.cards/<Flow>/runs/<run>/steps/<step>/tasks/<task>/cards/): a Flowlens page
// with its JSON data block, and a hand-written page shaped like Metaflow's default card (base64
// data in a `window.__MF_DATA__` statement, plus scripts that must never run). The editor's tests
// use them to simulate a live task before the Python runtime writes cards itself.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
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
