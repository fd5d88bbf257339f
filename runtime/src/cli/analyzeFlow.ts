// The runtime's one call into the analysis core: read the flow file, analyse it with base
// classes resolved from the workspace (modules next to the flow file), and return both.

import { existsSync, readFileSync } from "node:fs";
import { promises as fs } from "node:fs";
import { dirname, join } from "node:path";
import { Analyzer } from "../../../server/src/analysis";
import type { AnalysisResult } from "../../../server/src/analysis/model";
import { loadPython } from "../../../server/src/parser/loadPython";

export async function analyzeFile(file: string): Promise<{ text: string; result: AnalysisResult }> {
  const [text, grammar] = await Promise.all([fs.readFile(file, "utf8"), loadPython()]);
  const analyzer = new Analyzer(grammar.language);
  const result = analyzer.analyze(text, { file, resolveModule: (name, from) => resolveModule(name, from ?? file) });
  return { text, result };
}

/** `a.b` -> `<dir>/a/b.py` or `<dir>/a/b/__init__.py`, searched from the importing file's folder upward. */
function resolveModule(name: string, fromFile: string): { file: string; text: string } | undefined {
  const rel = name.split(".");
  let dir = dirname(fromFile);
  for (let i = 0; i < 6; i++) {
    for (const candidate of [join(dir, ...rel) + ".py", join(dir, ...rel, "__init__.py")]) {
      if (existsSync(candidate)) return { file: candidate, text: readFileSync(candidate, "utf8") };
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}
