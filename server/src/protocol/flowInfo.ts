// The custom LSP request the editor asks before a run: which flow the file runs and what that
// flow needs (parameters for the run form, steps for "Run step"), from the same analysis the
// graph and `flowlens run` use, instead of starting `flowlens show` in another process.

import type { GraphInfo } from "../analysis/model";

export interface FlowInfoParams {
  uri: string;
}

export interface FlowInfoFlow {
  name: string;
  /** As in Metaflow's `_graph_info`: name, type, default, help, required. */
  parameters: GraphInfo["parameters"];
  /** Step names in graph order. */
  steps: string[];
}

export interface FlowInfoResult {
  uri: string;
  /** The flow `flowlens run` runs (the analysis core's rule); absent when the file has none or does not say which. */
  mainFlow?: string;
  flows: FlowInfoFlow[];
  /** Error findings in the file: the run will be refused until they are fixed. */
  errorCount: number;
}

/** Request: what the editor needs to start a run of a file. A file that is not read as source answers an error with the reason. */
export const FlowInfoRequest = "flowlens/flowInfo" as const;
