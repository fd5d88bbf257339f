// What Flowlens's own `metaflow` package (runtime/python/metaflow, first on the path of every
// task) lets a flow import. A flow runs against that package even where Metaflow is installed,
// so `from metaflow import X` of any other name fails before any step runs. The lists follow
// the package: test/unit/analysis/runtimeNames.test.ts imports it with Python and fails when
// they disagree.

/** Names `from metaflow import X` gives (public names, the client API, submodules). */
export const metaflowProvides = new Set([
  // Flows and decorators.
  "FlowSpec", "step", "Parameter", "IncludeFile", "JSONType", "JSONTypeClass", "current", "MetaflowException", "S3", "FLOWLENS",
  "batch", "card", "catch", "conda", "conda_base", "environment", "kubernetes", "parallel", "project", "pypi", "pypi_base",
  "resources", "retry", "schedule", "secrets", "timeout", "trigger", "trigger_on_finish",
  "Config", "ConfigValue", "config_expr", "FlowMutator", "StepMutator", "UserStepDecorator", "user_step_decorator", "Runner",
  // The client API.
  "Flow", "Run", "Step", "Task", "DataArtifact", "Metaflow", "namespace", "get_namespace", "default_namespace",
  "get_metadata", "metadata", "default_metadata", "MetaflowNotFound", "MetaflowNamespaceMismatch", "MetaflowInvalidPathspec",
  // Submodules.
  "cards", "client", "decorators", "exception", "flowspec", "includefile", "metaflow_current", "parameters", "plugins",
  "tuple_util", "user_configs", "user_decorators", "util",
]);

/** Names the package refuses by name when imported, with the reason. */
export const metaflowRefuses: Record<string, string> = {
  NBRunner: "Flowlens's metaflow package does not provide NBRunner (Runner works)",
  Deployer: "Flowlens does not deploy flows to production schedulers",
  NBDeployer: "Flowlens does not deploy flows to production schedulers",
};

/** `metaflow.cards`: reading cards (`get_cards`), the card components a step adds to a card,
 * and the card classes a custom card type builds on, as Metaflow's `metaflow.cards` exports them. */
export const cardsProvides = new Set([
  "get_cards", "CardNotPresentException",
  "Markdown", "Table", "Image", "Artifact", "VegaChart", "ProgressBar", "ValueBox", "PythonCode", "Error",
  "JSONViewer", "YAMLViewer", "EventsTimeline",
  "MetaflowCard", "MetaflowCardComponent", "DefaultCard", "BlankCard", "ErrorCard", "PageComponent", "HtmlCard",
]);

export interface RefusedImport {
  /** Why the import fails, as a sentence fragment. */
  reason: string;
}

/** Whether `from <module> import <name>` fails under Flowlens; undefined when it works or is not known. */
export function refusedImport(module: string, name: string): RefusedImport | undefined {
  if (module === "metaflow") {
    const refused = metaflowRefuses[name];
    if (refused !== undefined) return { reason: refused };
    if (metaflowProvides.has(name) || name.startsWith("_")) return undefined;
    return { reason: `Flowlens's metaflow package has no ${name} (it is not part of Metaflow's core, or it comes from a Metaflow extension, which Flowlens does not load)` };
  }
  if (module === "metaflow.cards" && !cardsProvides.has(name) && !name.startsWith("_")) {
    return { reason: `metaflow.cards has no ${name} (its names are ${[...cardsProvides].join(", ")})` };
  }
  return undefined;
}
