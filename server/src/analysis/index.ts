// The analysis core's public API. Pure: text in, flows and diagnostics out; no editor, no LSP,
// no file system. The caller loads the tree-sitter Python grammar (server/src/parser) and
// supplies other modules' text through `resolveModule`.
//
//   const { language } = await loadPython();
//   const analyzer = new Analyzer(language);
//   const result = analyzer.analyze(text, { file, resolveModule });
//   const doc = analyzer.openDocument(file, text, { resolveModule });
//   doc.update(newText, [{ start, end, newText: "x" }]);
//   doc.result();
import { Parser, type Language } from "web-tree-sitter";
import { analyzeTree, ModuleCache, type AnalyzeOptions, type ModuleResolver } from "./analyze";
import { MethodCache } from "./extract/module";
import type { AnalysisResult } from "./model";
import { DocumentSession, type TextChange } from "./session";

export type * from "./model";
export { LineIndex, type LineCharacter } from "./lineIndex";
export { DocumentSession, diffTexts, type TextChange } from "./session";
export type { AnalyzeOptions, ModuleResolver } from "./analyze";
export { registry, ruleCodes, pipelineCode } from "./rules/registry";
export type { AnyRule, CodeInfo, Gate } from "./rules/context";
export { knownDecorators } from "./knownDecorators";

export class Analyzer {
  private readonly parser: Parser;
  private readonly modules = new ModuleCache();

  /** Takes the loaded Python Language (or a Parser already set to it). */
  constructor(languageOrParser: Language | Parser) {
    if (languageOrParser instanceof Parser) {
      this.parser = languageOrParser;
    } else {
      this.parser = new Parser();
      this.parser.setLanguage(languageOrParser);
    }
  }

  /** Analyses a whole text. Never throws: internal failures become an FL000 diagnostic. */
  analyze(text: string, options: AnalyzeOptions = {}): AnalysisResult {
    let tree = null;
    try {
      tree = this.parser.parse(text);
      if (!tree) throw new Error("the parser returned no tree");
      return analyzeTree(this.parser, tree, text, options, new MethodCache(), this.modules);
    } catch (error) {
      return {
        flows: [],
        diagnostics: [{ code: "FL000", severity: "error", span: { start: 0, end: 0 }, message: `Flowlens internal error: ${error instanceof Error ? error.message : String(error)}.` }],
        dependencies: [],
      };
    } finally {
      tree?.delete();
    }
  }

  /** Opens a document for incremental analysis (keep one per open editor; dispose it on close). */
  openDocument(file: string | undefined, text: string, options: { resolveModule?: ModuleResolver } = {}): DocumentSession {
    const opts: AnalyzeOptions = { ...options };
    if (file !== undefined) opts.file = file;
    return new DocumentSession(this.parser, this.modules, opts, text);
  }
}

export type { TextChange as Change };
