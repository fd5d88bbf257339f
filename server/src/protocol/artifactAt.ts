// The custom LSP request behind "hover shows data": which artifact is at a position, in which flow
// and step, and which steps set the value read there (the IDE layer's hover facts). The editor
// then looks the value up in the latest run of one of those steps.
import type { WirePosition, WireRange } from "./graph";

export interface ArtifactAtParams {
  textDocument: { uri: string };
  position: WirePosition;
}

export interface ArtifactAtResult {
  flow: string;
  /** The artifact's name (`x` in `self.x`). */
  name: string;
  /** The step the position is in. */
  step: string;
  /** The steps whose assignments reach the position (a write: the step itself), in source order. */
  setBy: string[];
  /** The `x` of `self.x`, for the hover's range. */
  range: WireRange;
}

/** Request: the artifact at a position of a flow file, or null when there is none (typed in requests.ts). */
export const ArtifactAtRequest = "flowlens/artifactAt" as const;
