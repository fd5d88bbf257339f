// The IDE layer of the analysis core: offset-based queries over an AnalysisResult and its text,
// answering in plain data (spans, names, facts, edits), never in an editor's or LSP's types.
// The language server only converts offsets and these answers; another front end could use
// them as they are. Artifact questions go to the same data-flow engine as FL201–FL203.
export { symbolAt, flowAt, stepAt, type SymbolAt } from "./symbols";
export { definitions, references, type Reference, type Target } from "./navigation";
export { completionsAt, type CompletionFact, type CompletionKind } from "./completion";
export { availableArtifacts, branchArtifacts, reachingWrites, readVerdict, transitionArtifacts, type AvailableArtifact, type ReachingWrite } from "./artifacts";
export { effectiveResources, evidentType, hoverFacts, type DecoratorArgFact, type HoverFacts } from "./hover";
export { fixesFor, type Fix, type FixEdit } from "./fixes";
export { renameTargets, type RenameTargets } from "./rename";
export { ownSteps, stepByName } from "./walks";
