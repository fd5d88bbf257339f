// The shapes of the layout's files (runtime/README.md), as readers get them from FlowDatastore.

import type { RunStatus } from "../../../server/src/protocol/runStates";

export interface ArtifactInfo {
  size: number;
  type: string;
  encoding: string;
}

/** `<attempt>.data.json`: artifact name -> sha, with size/type/encoding. */
export interface DataJson {
  datastore: string;
  version: string;
  attempt: number;
  python_version?: string;
  objects: Record<string, string>;
  info: Record<string, ArtifactInfo>;
}

/** `<attempt>.previews.json` entries (Flowlens's own). */
export interface ArtifactPreview {
  type: string;
  size: number;
  repr: string;
  shape?: number[];
  dtype?: string;
  columns?: string[];
  json?: unknown;
  /** For `_graph_info`: the flow's steps in graph order (stored even when `json` is too large). */
  stepOrder?: string[];
}

/** `<run>/_flowlens/run.json`: Flowlens's record of a run. */
export interface RunRecord {
  flow: string;
  run_id: string;
  file: string;
  started_at: number;
  finished_at?: number;
  status: RunStatus;
  parameters: Record<string, unknown>;
  /** The parameters as given on the command line (text by name): what a resume hands the `_parameters` task when the origin never stored it. */
  parameters_given?: Record<string, string>;
  origin_run_id?: string;
  mode: "run" | "resume" | "step";
  code_package: { sha: string; key: string };
  python: { executable: string; version: string; packages: Record<string, string> };
  user: string;
  tags: string[];
  /** The step re-run by `resume STEP` or `step STEP`. */
  step?: string;
}

export interface ReadOptions {
  /** Keep integers beyond 2^53 exact, as BigInt (exactJson.ts). */
  exact?: boolean;
}
