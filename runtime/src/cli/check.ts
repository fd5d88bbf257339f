// `flowlens check FILE... [--json]`: every finding of the static analysis, Metaflow's checks
// and Flowlens's own. Exit code 1 when any file has an error.
import { resolve } from "node:path";
import type { AnalysisResult, Diagnostic, LineIndex } from "../../../server/src/analysis/index";
import { analyzeFile } from "../../../server/src/parser/analyzeFromDisk";
import { UsageError, type CliIo, type Command } from "./command";

export interface FileReport {
  file: string;
  flows: string[];
  diagnostics: { code: string; severity: string; message: string; line: number; column: number; endLine: number; endColumn: number }[];
}


function toReport(file: string, result: AnalysisResult, lines: LineIndex): FileReport {
  return {
    file,
    flows: result.flows.map((f) => f.name),
    diagnostics: result.diagnostics.map((d: Diagnostic) => {
      const s = lines.position(d.span.start);
      const e = lines.position(d.span.end);
      return { code: d.code, severity: d.severity, message: d.message, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
    }),
  };
}

export const checkCommand: Command = {
  name: "check",
  usage: [
    "Usage: flowlens check FILE... [--json]",
    "",
    "Reports every problem in each flow file (Metaflow's graph checks, decorator and",
    "parameter checks, artifact data flow). Exit code 1 if any file has an error.",
    "",
    "Options:",
    "  --json   print one JSON document: {\"files\":[{\"file\",\"flows\",\"diagnostics\":[...]}]}",
    "           with 1-based line/column positions",
  ].join("\n"),
  async run(args: string[], io: CliIo): Promise<number> {
    const json = args.includes("--json");
    const unknown = args.filter((a) => a.startsWith("-") && a !== "--json");
    if (unknown.length > 0) throw new UsageError(`unknown option ${unknown[0] ?? ""}`);
    const files = args.filter((a) => !a.startsWith("-"));
    if (files.length === 0) throw new UsageError("give at least one flow file");
    const reports: FileReport[] = [];
    let errors = 0;
    let warnings = 0;
    let unreadable = 0;
    for (const f of files) {
      const path = resolve(io.cwd, f);
      let analysed;
      try {
        analysed = await analyzeFile(path);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        unreadable++;
        if (json) reports.push({ file: f, flows: [], diagnostics: [{ code: "FL000", severity: "error", message: `cannot read ${f}: ${reason}`, line: 1, column: 1, endLine: 1, endColumn: 1 }] });
        else io.stderr(`${f}: error: cannot read the file: ${reason}\n`);
        continue;
      }
      const report = toReport(f, analysed.result, analysed.lines);
      reports.push(report);
      for (const d of report.diagnostics) {
        if (d.severity === "error") errors++;
        else if (d.severity === "warning") warnings++;
        if (!json) io.stdout(`${f}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message}\n`);
      }
    }
    if (json) {
      io.stdout(JSON.stringify({ files: reports }) + "\n");
    } else {
      const flows = reports.reduce((n, r) => n + r.flows.length, 0);
      const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
      io.stdout(`${plural(files.length, "file")}, ${plural(flows, "flow")}: ${plural(errors, "error")}, ${plural(warnings, "warning")}${unreadable > 0 ? `, ${unreadable} unreadable` : ""}\n`);
    }
    return errors > 0 || unreadable > 0 ? 1 : 0;
  },
};
