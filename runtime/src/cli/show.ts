// `flowlens show FILE [--json]`: each flow's steps in order with type, docstring, decorators and
// edges, like Metaflow's `show`; `--json` prints the `_graph_info` of every flow.
import { relative, resolve } from "node:path";
import type { FlowModel, GraphStructure, StepModel } from "../../../server/src/analysis/index";
import { analyzeFile } from "../../../server/src/parser/analyzeFromDisk";
import { UsageError, type CliIo, type Command } from "./command";

/** Steps in Metaflow's order: graph_structure flattened, then any step not placed there. */
function orderedSteps(flow: FlowModel): string[] {
  const out: string[] = [];
  const walk = (s: GraphStructure) => {
    for (const x of s) {
      if (typeof x === "string") {
        if (!out.includes(x)) out.push(x);
      } else walk(x);
    }
  };
  walk(flow.graph.graph_structure);
  for (const s of flow.steps) if (!out.includes(s.name)) out.push(s.name);
  return out;
}

/** `Base`, or `Base, base.py:6` for a base flow in another module. */
function inheritedPlace(from: NonNullable<StepModel["inheritedFrom"]>): string {
  if (from.file === undefined) return from.flow;
  return `${from.flow}, ${relative(process.cwd(), from.file) || from.file}${from.line ? `:${from.line}` : ""}`;
}

function describe(flow: FlowModel): string {
  const lines: string[] = [];
  lines.push(flow.name);
  if (flow.docstring) lines.push(...flow.docstring.split("\n").map((l) => `  ${l}`));
  for (const p of flow.parameters) {
    lines.push(`  --${p.name} (${p.type}${p.defaultText !== undefined ? `, default ${p.defaultText}` : ""}${p.required ? ", required" : ""})${p.help ? `  ${p.help}` : ""}`);
  }
  lines.push("");
  const byName = new Map(flow.steps.map((s) => [s.name, s]));
  for (const name of orderedSteps(flow)) {
    const s = byName.get(name);
    if (!s) continue;
    const decos = s.decorators.filter((d) => d.name !== "step").map((d) => `@${d.written}${d.called ? `(${d.args.map((a) => a.text).join(", ")})` : ""}`);
    lines.push(`Step ${s.name} (${s.type})${decos.length > 0 ? "  " + decos.join(" ") : ""}${s.inheritedFrom ? `  [from ${inheritedPlace(s.inheritedFrom)}]` : ""}`);
    if (s.docstring) lines.push(...s.docstring.split("\n").map((l) => `    ${l}`));
    let edge = "";
    if (s.switchCases) edge = Object.entries(s.switchCases).map(([k, v]) => `${k}: ${v}`).join(", ") + (s.condition ? ` (condition ${s.condition})` : "");
    else if (s.next.length > 0) edge = s.next.join(", ") + (s.foreachArtifact ? ` (foreach ${s.foreachArtifact})` : "");
    if (edge) lines.push(`    => ${edge}`);
    lines.push("");
  }
  return lines.join("\n");
}

export const showCommand: Command = {
  name: "show",
  usage: ["Usage: flowlens show FILE [--json]", "", "Lists each flow's steps in order with type, docstring, decorators and `=>` edges.", "", "Options:", "  --json   print the flows' graphs (Metaflow's _graph_info), one JSON document"].join("\n"),
  async run(args: string[], io: CliIo): Promise<number> {
    const json = args.includes("--json");
    const unknown = args.filter((a) => a.startsWith("-") && a !== "--json");
    if (unknown.length > 0) throw new UsageError(`unknown option ${unknown[0] ?? ""}`);
    const files = args.filter((a) => !a.startsWith("-"));
    if (files.length !== 1) throw new UsageError("give one flow file");
    const file = files[0] ?? "";
    let analysed;
    try {
      analysed = await analyzeFile(resolve(io.cwd, file), [io.cwd]);
    } catch (error) {
      io.stderr(`${file}: error: cannot read the file: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    const flows = analysed.result.flows;
    if (json) {
      io.stdout(JSON.stringify(flows.length === 1 ? flows[0]?.graph : { flows: flows.map((f) => ({ name: f.name, graph: f.graph })) }, null, 2) + "\n");
      return flows.length === 0 ? 1 : 0;
    }
    if (flows.length === 0) {
      io.stderr(`${file}: no flow found (a class that subclasses FlowSpec)\n`);
      return 1;
    }
    io.stdout(flows.map(describe).join("\n"));
    const errors = analysed.result.diagnostics.filter((d) => d.severity === "error").length;
    if (errors > 0) io.stdout(`${errors} error${errors === 1 ? "" : "s"}: run \`flowlens check ${file}\` for details.\n`);
    return 0;
  },
};
