// Decorator names and keyword arguments for completion, taken from the core's table of known
// decorators so that completion and the FL102/FL108 checks never disagree.
import { knownDecorators } from "../knownDecorators";

export interface DecoratorInfo {
  name: string;
  /** Where it may go. */
  level: "step" | "flow";
  summary: string;
  args: string[];
}

export const decoratorCatalog: DecoratorInfo[] = Object.entries(knownDecorators).map(([name, d]) => ({
  name,
  level: d.scope,
  summary: d.unsupported !== undefined ? `Flowlens does not run it: ${d.unsupported}.` : `Metaflow's @${name} (${d.scope} decorator)${d.doc !== undefined ? `: ${d.doc}` : ""}.`,
  args: Object.keys(d.args ?? {}),
}));
