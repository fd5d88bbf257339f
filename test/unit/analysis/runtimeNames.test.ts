// The analysis core's list of what `from metaflow import X` gives under Flowlens must be the
// package's truth: a name the package gains or loses (another part of Flowlens adding a feature)
// fails here until runtimeNames.ts follows, so the refused-import check never goes stale.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { cardsProvides, metaflowProvides, metaflowRefuses, refusedImport } from "../../../server/src/analysis/runtimeNames";

const packageDir = join(__dirname, "..", "..", "..", "runtime", "python");

/** Asks Python which of `names` import from `module` (with Flowlens's package first on the path). */
function importable(module: string, names: string[]): Record<string, boolean> {
  const script = [
    "import importlib, json, pkgutil, sys",
    `sys.path.insert(0, ${JSON.stringify(packageDir)})`,
    `m = importlib.import_module(${JSON.stringify(module)})`,
    "out = {}",
    "for n in json.loads(sys.argv[1]):",
    "    try:",
    `        exec("from ${module} import " + n, {})`,
    "        out[n] = True",
    "    except ImportError:",
    "        out[n] = False",
    "public = [n for n in dir(m) if not n.startswith('_')]",
    "public += [i.name for i in pkgutil.iter_modules(getattr(m, '__path__', []))]",
    "print(json.dumps({'names': out, 'public': sorted(set(public))}))",
  ].join("\n");
  const res = JSON.parse(execFileSync("python3", ["-c", script, JSON.stringify(names)], { encoding: "utf8" })) as { names: Record<string, boolean>; public: string[] };
  for (const p of res.public) if (!(p in res.names)) res.names[`public:${p}`] = true;
  return res.names;
}

void test("every name the core lists as provided by Flowlens's metaflow package imports, and every refused one fails", () => {
  const listed = [...metaflowProvides, ...Object.keys(metaflowRefuses)];
  const got = importable("metaflow", listed);
  const wrong = listed.filter((n) => got[n] !== (metaflowProvides.has(n) ? true : false));
  assert.deepEqual(wrong, [], "runtimeNames.ts disagrees with runtime/python/metaflow about these names");
});

void test("every public name of Flowlens's metaflow package is known to the core (no false refused-import error)", () => {
  const got = importable("metaflow", []);
  const unknown = Object.keys(got).map((k) => k.replace(/^public:/, "")).filter((n) => refusedImport("metaflow", n) !== undefined);
  assert.deepEqual(unknown, [], "add these to metaflowProvides in server/src/analysis/runtimeNames.ts");
});

void test("metaflow.cards: every name the core lets through imports, an unknown name is refused", () => {
  const got = importable("metaflow.cards", [...cardsProvides, "Sparkline"]);
  assert.deepEqual([...cardsProvides].filter((n) => !got[n]), []);
  assert.equal(got.Sparkline, false);
  assert.ok(refusedImport("metaflow.cards", "Sparkline"));
  const unknown = Object.keys(got).filter((k) => k.startsWith("public:")).map((k) => k.slice(7)).filter((n) => refusedImport("metaflow.cards", n) !== undefined);
  assert.deepEqual(unknown, []);
});
