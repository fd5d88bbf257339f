// Which flow a file runs, the one answer `flowlens run`, `flowlens show` and the editor's Run
// lenses share. Python runs what the `if __name__ == "__main__":` block instantiates, so that
// class wins (the first flow called there, in source order); a file without such a call runs
// its only flow. With several flows and none called there the choice is ambiguous, and there is
// no main flow: the caller says so rather than guessing.
import type { FlowModel } from "./model";

/** The main flow's name among `flows` (the file's non-library flows), given the names called in its `__main__` block. */
export function mainFlow(flows: readonly FlowModel[], calledInMain: ReadonlySet<string>): string | undefined {
  const names = new Set(flows.map((f) => f.name));
  for (const called of calledInMain) if (names.has(called)) return called;
  return flows.length === 1 ? flows[0]?.name : undefined;
}

/** Why a file has no flow to run, in the words `flowlens run` and the editor both use; undefined when it has one. */
export function noMainFlowReason(flowNames: readonly string[], main: string | undefined): string | undefined {
  if (main !== undefined) return undefined;
  if (flowNames.length === 0) return "it defines no flow (a class that subclasses FlowSpec)";
  return `it defines ${flowNames.length} flows (${flowNames.join(", ")}) and its \`if __name__ == "__main__":\` block starts none of them: add one that calls the flow to run, e.g. ${flowNames.at(-1) ?? ""}()`;
}
