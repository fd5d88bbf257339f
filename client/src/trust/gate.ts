// Workspace Trust for everything that would start Python. In Restricted Mode nothing of the
// workspace may run, and loading an artifact value unpickles it, which runs whatever the pickle
// says; a workspace's own `flowlens/` or interpreter setting must not be picked up either. So
// every feature that spawns Python (runs, Debug step, previews, "Compare with…", interpreter
// discovery through the Python extension) asks this gate first. Pure: no `vscode` import; the
// extension passes it VS Code's trust state, the unit tests a fake one.

/** Where trust comes from: VS Code's `workspace.isTrusted` and `onDidGrantWorkspaceTrust`. */
export interface TrustSource {
  readonly isTrusted: boolean;
  onDidGrantTrust(listener: () => void): { dispose(): void };
}

/** The features that start Python, by what they do. */
export type PythonFeature = "run" | "debug" | "preview" | "compare" | "interpreter";

/** The command that opens VS Code's Workspace Trust editor. */
export const manageTrustCommand = "workbench.trust.manage";
/** The label of the action that offers it. */
export const trustActionLabel = "Trust this workspace to load values";

const why: Record<PythonFeature, string> = {
  run: "running a flow executes this workspace's code",
  debug: "debugging a step executes this workspace's code",
  preview: "loading an artifact's value unpickles it, which can execute code stored in this workspace",
  compare: "comparing artifact values unpickles them, which can execute code stored in this workspace",
  interpreter: "finding the flow's Python interpreter starts programs this workspace can choose",
};

/** What the user reads when a feature is refused in Restricted Mode. */
export function restrictedMessage(feature: PythonFeature): string {
  const still =
    feature === "preview" || feature === "compare"
      ? "Names, types, sizes and the previews stored at run time are shown without loading anything."
      : "Analysis, diagnostics and the graph work without it.";
  return `Flowlens starts no Python in Restricted Mode: ${why[feature]}. Trust the workspace (Manage Workspace Trust) to allow it. ${still}`;
}

export type GateResult<T> = { allowed: true; value: T } | { allowed: false; message: string };

export class TrustGate {
  constructor(private readonly source: TrustSource) {}

  get trusted(): boolean {
    return this.source.isTrusted;
  }

  /**
   * Runs `action` only in a trusted workspace; otherwise returns the reason and never calls it.
   * Trust is read at the moment of the call, so a grant takes effect without a reload.
   */
  async run<T>(feature: PythonFeature, action: () => T | PromiseLike<T>): Promise<GateResult<T>> {
    if (!this.source.isTrusted) return { allowed: false, message: restrictedMessage(feature) };
    return { allowed: true, value: await action() };
  }

  /** Calls `listener` when the user trusts the workspace (VS Code never revokes trust without a reload). */
  onDidGrant(listener: () => void): { dispose(): void } {
    return this.source.onDidGrantTrust(listener);
  }
}
