// One build for every bundle of Flowlens. esbuild bundles; type-checking is `npm run check`.
//   node scripts/build.mjs            build once
//   node scripts/build.mjs --watch    rebuild on change
//   node scripts/build.mjs --minify   smaller bundles (used by `npm run package`)
import * as esbuild from "esbuild";
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, watch as watchFolder } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const watch = process.argv.includes("--watch");
const minify = process.argv.includes("--minify");
const dist = join(root, "dist");

// web-tree-sitter's ESM build uses import.meta.url, which a CJS bundle cannot provide.
const treeSitterCjs = require.resolve("web-tree-sitter"); // the "require" condition: web-tree-sitter.cjs

// Parts loaded on demand are bundles of their own, imported by the bundles that need them at run
// time: the CLI's command groups (runtime/src/cli/groups: `flowlens check` parses 0.3 MB instead of
// 2.6 MB) and everything that needs the AWS SDK (runtime/src/aws.ts). A dynamic import of one of
// these sources becomes a `require` of its bundle in dist/.
const cliGroups = ["analysis", "runs", "lsp"];
const lazyBundles = [
  ...cliGroups.map((g) => ({ entry: `runtime/src/cli/groups/${g}.ts`, out: `cli-${g}.js`, sources: [`runtime/src/cli/groups/${g}.ts`] })),
  { entry: "runtime/src/aws.ts", out: "aws.js", sources: ["runtime/src/aws.ts", "runtime/src/datastore/s3/store.ts", "runtime/src/executors/batch/index.ts"] },
  // @kubernetes/client-node, only for runs that send a step to Kubernetes; it takes S3 from aws.js.
  { entry: "runtime/src/executors/kubernetes/index.ts", out: "kubernetes.js", sources: ["runtime/src/executors/kubernetes/index.ts"] },
];
// The CLI entry (cachedCliGroups) loads its command groups through runtime/src/cli/bundleCache.ts,
// which compiles them with a V8 code cache: the import becomes a small module of the entry bundle
// that calls loadBundle(__dirname, "cli-<group>.js").
const bundleCache = join(root, "runtime/src/cli/bundleCache.ts");
function lazyBundlesExternal(except, { cachedCliGroups = false } = {}) {
  const bySource = new Map(lazyBundles.flatMap((b) => b.sources.map((src) => [join(root, src), b.out])));
  const cliGroupBundles = new Set(cliGroups.map((g) => `cli-${g}.js`));
  return {
    name: "lazy-bundles-external",
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== "dynamic-import") return undefined;
        const base = resolve(dirname(args.importer), args.path);
        const out = bySource.get(`${base}.ts`) ?? bySource.get(join(base, "index.ts"));
        if (!out || out === except) return undefined;
        if (cachedCliGroups && cliGroupBundles.has(out)) return { path: out, namespace: "cached-bundle" };
        return { path: `./${out}`, external: true };
      });
      build.onLoad({ filter: /.*/, namespace: "cached-bundle" }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(bundleCache)}).loadBundle(__dirname, ${JSON.stringify(args.path)});`,
        resolveDir: root,
        loader: "js",
      }));
    },
  };
}

const node = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: true,
  minify,
  external: ["vscode"],
  alias: { "web-tree-sitter": treeSitterCjs },
  logLevel: "warning",
};

// The CLI's bundles turn `import()` into `require`: Node's import() of a CommonJS file first runs
// the ESM loader and scans the whole file for its exports (~30 ms for dist/cli-analysis.js on
// every `flowlens check`), and web-tree-sitter's own import("fs/promises") would start that
// loader too. Their bundles' imports are all CommonJS or Node built-ins, so require is the same.
const cli = { ...node, supported: { "dynamic-import": false } };

const entries = [
  { ...node, entryPoints: [join(root, "client/src/extension.ts")], outfile: join(dist, "client.js"), plugins: [lazyBundlesExternal()] },
  { ...node, entryPoints: [join(root, "server/src/server.ts")], outfile: join(dist, "server.js") },
  { ...cli, entryPoints: [join(root, "runtime/src/cli/main.ts")], outfile: join(dist, "cli.js"), plugins: [lazyBundlesExternal(undefined, { cachedCliGroups: true })] },
  ...lazyBundles.map((b) => ({ ...(b.out.startsWith("cli-") ? cli : node), entryPoints: [join(root, b.entry)], outfile: join(dist, b.out), plugins: [lazyBundlesExternal(b.out)] })),
  {
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    sourcemap: true,
    minify,
    logLevel: "warning",
    entryPoints: [join(root, "webview/src/main.ts")],
    outfile: join(dist, "webview.js"),
  },
  {
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    sourcemap: false,
    minify,
    logLevel: "warning",
    entryPoints: [join(root, "webview/src/layoutWorker.ts")],
    outfile: join(dist, "layoutWorker.js"),
  },
  // The run timeline tabs (client/src/timeline).
  { bundle: true, platform: "browser", format: "iife", target: "es2022", sourcemap: true, minify, logLevel: "warning", entryPoints: [join(root, "webview/src/timeline/main.ts")], outfile: join(dist, "timeline.js") },
  // The card panel: its script and the card styles it shares with the standalone card pages.
  { bundle: true, platform: "browser", format: "iife", target: "es2022", sourcemap: true, minify, logLevel: "warning", entryPoints: [join(root, "webview/src/card/panel.ts")], outfile: join(dist, "cardPanel.js") },
  { bundle: true, minify, logLevel: "warning", entryPoints: [join(root, "webview/src/card/card.css")], outfile: join(dist, "media", "cardPanel.css") },
  { bundle: true, platform: "browser", format: "iife", target: "es2022", sourcemap: true, minify, logLevel: "warning", entryPoints: [join(root, "webview/src/compare/main.ts")], outfile: join(dist, "comparePanel.js") },
  { bundle: true, minify, logLevel: "warning", entryPoints: [join(root, "webview/src/compare/compare.css")], outfile: join(dist, "media", "comparePanel.css") },
];

// The renderer every card page inlines (the Python page writer reads these two files): one IIFE
// that reads the page's JSON data block, and the card styles. Always minified, as every card page
// carries a copy; written into the copy of the Python package before it is swapped in.
const cardAssets = (into) => [
  { bundle: true, platform: "browser", format: "iife", target: "es2020", minify: true, legalComments: "none", logLevel: "warning", entryPoints: [join(root, "webview/src/card/standalone.ts")], outfile: join(into, "flowlens/cards/assets/card-renderer.js") },
  { bundle: true, minify: true, logLevel: "warning", entryPoints: [join(root, "webview/src/card/card.css")], outfile: join(into, "flowlens/cards/assets/card-renderer.css") },
];

function copyAssets() {
  mkdirSync(dist, { recursive: true });
  cpSync(require.resolve("web-tree-sitter/web-tree-sitter.wasm"), join(dist, "web-tree-sitter.wasm"));
  cpSync(join(dirname(require.resolve("tree-sitter-python/package.json")), "tree-sitter-python.wasm"), join(dist, "tree-sitter-python.wasm"));
  // The bundled Python side travels with the bundles, so the VSIX only needs dist/. It is copied
  // beside the old copy and swapped in with two renames: a run (or a second build) that reads
  // dist/python meanwhile never sees a half-copied package.
  const python = join(dist, "python");
  const next = `${python}.next-${process.pid}`;
  const old = `${python}.old-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  cpSync(join(root, "runtime/python"), next, {
    recursive: true,
    filter: (src) => !src.includes("__pycache__") && !src.endsWith(".pyc"),
  });
  for (const options of cardAssets(next)) esbuild.buildSync(options);
  if (existsSync(python)) renameSync(python, old);
  renameSync(next, python);
  rmSync(old, { recursive: true, force: true });
  if (existsSync(join(root, "webview/media"))) cpSync(join(root, "webview/media"), join(dist, "media"), { recursive: true });
}

const present = entries.filter((e) => existsSync(e.entryPoints[0]));
const missing = entries.filter((e) => !existsSync(e.entryPoints[0]));
if (missing.length > 0) {
  const names = missing.map((e) => e.entryPoints[0].slice(root.length + 1)).join(", ");
  // While the repository is being bootstrapped some entries may not exist yet; CI must build all.
  if (process.env.CI) {
    console.error(`build: missing entry points: ${names}`);
    process.exit(1);
  }
  console.warn(`build: skipping missing entry points: ${names}`);
}

// In watch mode each bundle says when it was rebuilt, so a developer knows when to reload.
const reportRebuilds = {
  name: "report-rebuilds",
  setup(build) {
    let first = true;
    build.onEnd((result) => {
      if (!first) console.log(`build: ${build.initialOptions.outfile.slice(root.length + 1)} rebuilt${result.errors.length > 0 ? ` with ${result.errors.length} errors` : ""}`);
      first = false;
    });
  },
};

copyAssets();
if (watch) {
  // The card assets are rebuilt in place in dist/python when the renderer changes.
  const contexts = await Promise.all([...present, ...cardAssets(join(dist, "python"))].map((e) => esbuild.context({ ...e, plugins: [...(e.plugins ?? []), reportRebuilds] })));
  await Promise.all(contexts.map((c) => c.watch()));
  // dist/python is a copy of runtime/python that runs use: copied again, once per burst of changes.
  let pending;
  watchFolder(join(root, "runtime/python"), { recursive: true }, () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      copyAssets();
      console.log("build: dist/python copied again");
    }, 200);
  });
  console.log("build: watching (Ctrl+C stops)");
} else {
  const t0 = performance.now();
  await Promise.all(present.map((e) => esbuild.build(e)));
  console.log(`build: ${present.length} bundles in ${Math.round(performance.now() - t0)} ms`);
}
