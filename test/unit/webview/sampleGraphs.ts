// Hand-written FlowGraph values (the shape the language server sends) for the webview's tests and
// benchmarks, so the graph panel can be tested without the server.
import type { GraphStep, NodeType } from "../../../server/src/analysis/model";
import type { FlowGraph, GraphNodeProblem, WireRange, WrittenDecorator } from "../../../server/src/protocol/graph";

/** `written`: the decorators as the source writes them; by default each attribute as `k=v`. */
type StepSpec = Partial<GraphStep> & { next: string[]; written?: WrittenDecorator[] };

function range(line: number, from = 4, to = 20): WireRange {
  return { start: { line, character: from }, end: { line, character: to } };
}

export function flowGraph(flow: string, specs: Record<string, StepSpec>, problems: Record<string, GraphNodeProblem[]> = {}): FlowGraph {
  const steps: Record<string, GraphStep> = {};
  const sources: FlowGraph["sources"] = {};
  const types: Record<string, NodeType> = {};
  const decoratorsWritten: FlowGraph["decoratorsWritten"] = {};
  let line = 5;
  for (const [name, { written, ...spec }] of Object.entries(specs)) {
    const type = spec.type ?? (name === "start" ? "start" : name === "end" ? "end" : "linear");
    steps[name] = { name, line, doc: "", decorators: [], ...spec, type };
    decoratorsWritten[name] = written ?? steps[name].decorators.map((d) => ({ name: d.name, args: Object.entries(d.attributes).map(([k, v]) => `${k}=${JSON.stringify(v)}`) }));
    sources[name] = { nameRange: range(line, 8, 8 + name.length), range: { start: { line: line - 1, character: 4 }, end: { line: line + 3, character: 0 } } };
    types[name] = type;
    line += 5;
  }
  return {
    flow,
    range: range(2, 6, 6 + flow.length),
    graph: { file: "flow.py", parameters: [], constants: [], steps, graph_structure: Object.keys(specs), doc: "", decorators: [], extensions: {} },
    sources,
    problems,
    flowProblems: [],
    decoratorsWritten,
    types,
  };
}

/** A flow with every node type: static split, foreach, switch, parallel, joins, badges and a problem. */
export function everyKindFlow(): FlowGraph {
  return flowGraph(
    "KitchenSinkFlow",
    {
      start: { next: ["a", "b"], type: "split-static" },
      a: { next: ["join_ab"], decorators: [{ name: "retry", attributes: { times: 3, minutes_between_retries: 2 }, statically_defined: true }], written: [{ name: "retry", args: ["times=3"] }] },
      b: { next: ["join_ab"], decorators: [{ name: "batch", attributes: { cpu: 4, memory: 16000 }, statically_defined: true }] },
      join_ab: { next: ["fan"], type: "join" },
      fan: { next: ["work"], type: "split-foreach", foreach_artifact: "items" },
      work: { next: ["gather"], decorators: [{ name: "resources", attributes: { cpu: 2, gpu: 1 }, statically_defined: true }] },
      gather: { next: ["choose"], type: "join" },
      choose: { next: ["small", "big"], type: "split-switch", condition: "size", switch_cases: { s: "small", m: "small", l: "big" } },
      small: { next: ["par"] },
      big: { next: ["par"] },
      par: { next: ["train"], type: "split-parallel" },
      train: { next: ["collect"], decorators: [{ name: "parallel", attributes: {}, statically_defined: true }] },
      collect: { next: ["end"], type: "join" },
      end: { next: [] },
    },
    { big: [{ code: "FL104", severity: "warning", message: "artifact `model` is read but never written" }] },
  );
}

/** A long flow of `n` steps: a chain of static splits of width 3, each closed by a join. */
export function bigFlow(n: number): FlowGraph {
  const specs: Record<string, StepSpec> = {};
  let prev = "start";
  specs.start = { next: [] };
  let i = 0;
  while (Object.keys(specs).length < n - 1) {
    const split = prev;
    const branches = [`b${i}_0`, `b${i}_1`, `b${i}_2`];
    const join = `j${i}`;
    specs[split]!.next = branches;
    specs[split]!.type = split === "start" ? "start" : "split-static";
    for (const b of branches) specs[b] = { next: [join] };
    specs[join] = { next: [], type: "join" };
    prev = join;
    i++;
  }
  specs[prev]!.next = ["end"];
  specs.end = { next: [] };
  return flowGraph(`Big${n}Flow`, specs);
}
