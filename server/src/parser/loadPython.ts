// The one impure piece next to the analysis core: it finds and loads the tree-sitter wasm files
// and hands back a ready Python `Language`. The core itself never touches the file system.
//
// The wasm files live next to the bundle in dist/ (the build copies them there) and in
// node_modules when running from source (tests under tsx). Both places are searched, the bundle
// first, so a packaged extension never depends on node_modules.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Language, Parser } from "web-tree-sitter";
import { timingMark } from "./timing";

export interface PythonGrammar {
  language: Language;
  /** Where the two wasm files were found (for error messages and diagnostics). */
  runtimeWasm: string;
  grammarWasm: string;
}

const runtimeName = "web-tree-sitter.wasm";
const grammarName = "tree-sitter-python.wasm";

/** Folders to search, nearest first: the bundle's folder, then every node_modules above it and above cwd. */
function candidateDirs(file: string): string[] {
  const dirs: string[] = [];
  const starts = [typeof __dirname === "string" ? __dirname : process.cwd(), process.cwd()];
  for (const start of starts) {
    dirs.push(start);
    let dir = start;
    for (let i = 0; i < 12; i++) {
      const pkg = file === runtimeName ? "web-tree-sitter" : "tree-sitter-python";
      dirs.push(join(dir, "node_modules", pkg));
      dirs.push(join(dir, "dist"));
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return dirs;
}

/** Finds a wasm file; throws with every place searched when it is nowhere. */
export function locateWasm(file: string): string {
  const dirs = candidateDirs(file);
  for (const dir of dirs) {
    const p = join(dir, file);
    if (existsSync(p)) return p;
  }
  throw new Error(`Flowlens: cannot find ${file}. Searched:\n  ${[...new Set(dirs)].join("\n  ")}\nRun \`npm run build\` (it copies the wasm files to dist/).`);
}

/**
 * The file's bytes in an ArrayBuffer of their own, as emscripten's `wasmBinary` option takes them
 * (a Buffer may be a view into a larger pool).
 */
function readArrayBuffer(file: string): ArrayBuffer {
  const bytes = readFileSync(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

let loading: Promise<PythonGrammar> | undefined;

/** Initialises web-tree-sitter once per process and loads the Python grammar. */
export function loadPython(): Promise<PythonGrammar> {
  if (!loading) {
    loading = (async () => {
      const runtimeWasm = locateWasm(runtimeName);
      const grammarWasm = locateWasm(grammarName);
      // Both files are read here, in one call each, rather than by web-tree-sitter: it would read
      // them through fs/promises (a dynamic import and several thread-pool round trips).
      await Parser.init({ wasmBinary: readArrayBuffer(runtimeWasm) });
      timingMark("web-tree-sitter.wasm ready");
      const language = await Language.load(readFileSync(grammarWasm));
      timingMark("tree-sitter-python.wasm ready");
      return { language, runtimeWasm, grammarWasm };
    })();
    // A failed load must not poison every later attempt (e.g. after the user runs the build).
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}
