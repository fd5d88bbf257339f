// `flowlens check FILE|DIR... [--json]`: every finding of the static analysis, Metaflow's checks
// and Flowlens's own. Exit code 1 when any file has an error.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { AnalysisResult, Diagnostic, LineIndex } from "../../../server/src/analysis/index";
import { analyzeFile, SourceRefused } from "../../../server/src/parser/analyzeFromDisk";
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

/** The Python files below `dir`, sorted; hidden folders, caches and virtual environments are skipped. */
function pythonFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (existsSync(join(d, "pyvenv.cfg"))) return;
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith(".") || e.name === "__pycache__" || e.name === "node_modules" || e.name === "site-packages") continue;
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.isFile() && e.name.endsWith(".py")) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

/** What to check: each FILE as given; each DIR as the Python files below it (`found`: only those with a flow are reported). */
interface Target {
  shown: string;
  path: string;
  found: boolean;
}

function targets(args: string[], cwd: string): Target[] {
  return args.flatMap((arg): Target[] => {
    const path = resolve(cwd, arg);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      // A missing file is reported as unreadable below, with the reason.
    }
    if (!isDir) return [{ shown: arg, path, found: false }];
    return pythonFilesUnder(path).map((file) => ({ shown: join(arg, relative(path, file)), path: file, found: true }));
  });
}

// A Python file found in a folder is reported when it has a flow or names Metaflow or Flowlens
// (a flow file that does not parse has no flow yet, but its errors matter); other scripts are not.
const mentionsFlows = /\b(FlowSpec|metaflow|flowlens)\b/;

export const checkCommand: Command = {
  name: "check",
  usage: [
    "Usage: flowlens check FILE|DIR... [--json]",
    "",
    "Reports every problem in each flow file (Metaflow's graph checks, decorator and",
    "parameter checks, artifact data flow). Exit code 1 if any file has an error.",
    "A DIR is checked as the flow files below it (hidden folders, __pycache__,",
    "node_modules and virtual environments are skipped).",
    "",
    "Options:",
    "  --json   print one JSON document: {\"files\":[{\"file\",\"flows\",\"diagnostics\":[...]}]}",
    "           with 1-based line/column positions",
  ].join("\n"),
  async run(args: string[], io: CliIo): Promise<number> {
    const json = args.includes("--json");
    const unknown = args.filter((a) => a.startsWith("-") && a !== "--json");
    if (unknown.length > 0) throw new UsageError(`unknown option ${unknown[0] ?? ""}`);
    const given = args.filter((a) => !a.startsWith("-"));
    if (given.length === 0) throw new UsageError("give at least one flow file or folder");
    const reports: FileReport[] = [];
    let errors = 0;
    let warnings = 0;
    let unreadable = 0;
    for (const { shown: f, path, found } of targets(given, io.cwd)) {
      let analysed;
      try {
        analysed = await analyzeFile(path, [io.cwd]);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const at = error instanceof SourceRefused && error.problem.line !== undefined ? { line: error.problem.line, column: error.problem.column ?? 1 } : undefined;
        if (at) {
          // A file Python refuses to decode: a finding at its first bad byte, like any other error.
          errors++;
          reports.push({ file: f, flows: [], diagnostics: [{ code: "FL000", severity: "error", message: reason, ...at, endLine: at.line, endColumn: at.column + 1 }] });
          if (!json) io.stdout(`${f}:${at.line}:${at.column}: error FL000 ${reason}\n`);
          continue;
        }
        unreadable++;
        if (json) reports.push({ file: f, flows: [], diagnostics: [{ code: "FL000", severity: "error", message: `cannot read ${f}: ${reason}`, line: 1, column: 1, endLine: 1, endColumn: 1 }] });
        else io.stderr(`${f}: error: cannot read the file: ${reason}\n`);
        continue;
      }
      if (found && analysed.result.flows.length === 0 && !mentionsFlows.test(analysed.text)) continue;
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
      io.stdout(`${plural(reports.length + unreadable, "file")}, ${plural(flows, "flow")}: ${plural(errors, "error")}, ${plural(warnings, "warning")}${unreadable > 0 ? `, ${unreadable} unreadable` : ""}\n`);
    }
    return errors > 0 || unreadable > 0 ? 1 : 0;
  },
};
