// The binding from the language server to the analysis core: loads the Python grammar and wraps
// the core's `Analyzer` in the small `CoreEngine` shape the rest of server/src/lsp uses.
import { Analyzer } from "../analysis/index";
import type { AnalysisResult } from "../analysis/model";
import { loadPython } from "../parser/loadPython";
import type { CoreEngine, ModuleResolver } from "./coreTypes";

const nothing: AnalysisResult = { flows: [], diagnostics: [], dependencies: [] };

/** Used while the core is loading or when it cannot load: every answer is empty. */
export const emptyEngine: CoreEngine = {
  analyze: () => nothing,
  open: () => ({ update: () => undefined, result: () => nothing, dispose: () => undefined }),
};

/** Files that are not on disk (unsaved buffers) are given to the core without a path. */
function fileOption(file: string): string | undefined {
  return file.includes(":") && !file.startsWith("/") && !/^[a-z]:[\\/]/i.test(file) ? undefined : file;
}

export async function loadEngine(): Promise<CoreEngine> {
  const { language } = await loadPython();
  const analyzer = new Analyzer(language);
  const adapt = (resolve: ModuleResolver) => (module: string, fromFile: string | undefined) => resolve(module, fromFile);
  return {
    analyze(text, file, resolve) {
      const f = fileOption(file);
      return analyzer.analyze(text, f === undefined ? { resolveModule: adapt(resolve) } : { file: f, resolveModule: adapt(resolve) });
    },
    open(file, text, resolve) {
      const session = analyzer.openDocument(fileOption(file), text, { resolveModule: adapt(resolve) });
      return {
        update: (newText, edits) => session.update(newText, edits?.map((e) => ({ start: e.start, end: e.end, newText: e.text }))),
        result: () => session.result(),
        dispose: () => session.dispose(),
      };
    },
  };
}
