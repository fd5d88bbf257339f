// Which Python runs a flow: the Python extension's interpreter for the file when that extension
// is installed, else the `flowlens.pythonPath` setting, else `python3` on PATH (docs/extension.md).
// Shown in the status bar for Python editors; follows interpreter and setting changes.
// In Restricted Mode the Python extension is not asked (its discovery starts interpreters the
// workspace can choose): the status bar says so, and discovery starts once the user trusts it.
import * as vscode from "vscode";
import { pythonPathSetting } from "./settings";
import type { TrustGate } from "./trust/gate";
import { manageTrustCommand } from "./trust/gate";

export interface Interpreter {
  path: string;
  source: "python-extension" | "setting" | "default";
}

/** The part of the Python extension's environments API that Flowlens uses. */
interface PythonEnvironmentsApi {
  environments: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment(env: { id: string; path: string } | string): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
  };
}

function isEnvironmentsApi(x: unknown): x is PythonEnvironmentsApi {
  const env = (x as { environments?: Record<string, unknown> } | undefined)?.environments;
  return typeof env?.getActiveEnvironmentPath === "function" && typeof env.resolveEnvironment === "function";
}

export class InterpreterService implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("flowlens.interpreter", vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private api: PythonEnvironmentsApi | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly trust: TrustGate,
  ) {
    this.item.name = "Flowlens Python";
    this.disposables.push(
      this.changed,
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("flowlens.pythonPath")) this.changed.fire();
      }),
      trust.onDidGrant(() => void this.connect()),
      this.onDidChange(() => void this.refresh()),
      vscode.extensions.onDidChange(() => void this.connect()),
    );
    void this.connect();
  }

  /** Connects to the Python extension lazily: activating it must not slow Flowlens' activation. */
  private async connect(): Promise<void> {
    const ext = vscode.extensions.getExtension("ms-python.python");
    if (!ext || this.api) return this.refresh();
    try {
      const gated = await this.trust.run("interpreter", (): unknown => (ext.isActive ? ext.exports : ext.activate()));
      if (!gated.allowed) return this.refresh();
      const exports: unknown = await gated.value;
      if (isEnvironmentsApi(exports)) {
        this.api = exports;
        this.disposables.push(exports.environments.onDidChangeActiveEnvironmentPath(() => this.changed.fire()));
      }
    } catch (err) {
      this.log.warn(`Python extension API unavailable, using flowlens.pythonPath or python3: ${String(err)}`);
    }
    await this.refresh();
  }

  async resolve(resource?: vscode.Uri): Promise<Interpreter> {
    // Callers resolve only in a trusted workspace (runs, previews); this keeps it so.
    if (this.api && this.trust.trusted) {
      try {
        const active = this.api.environments.getActiveEnvironmentPath(resource);
        const env = await this.api.environments.resolveEnvironment(active);
        const path = env?.executable.uri?.fsPath ?? active.path;
        if (path) return { path, source: "python-extension" };
      } catch (err) {
        this.log.warn(`Python extension could not resolve an interpreter for ${resource?.fsPath ?? "the workspace"}: ${String(err)}`);
      }
    }
    const setting = pythonPathSetting(resource);
    if (setting) return { path: setting, source: "setting" };
    return { path: "python3", source: "default" };
  }

  private async refresh(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== "python") {
      this.item.hide();
      return;
    }
    if (!this.trust.trusted) {
      this.item.text = "$(shield) Flowlens: Restricted Mode";
      this.item.tooltip = "Flowlens analyses flows and draws their graphs, but starts no Python in Restricted Mode (no runs, no artifact values, no interpreter discovery). Click to manage Workspace Trust.";
      this.item.command = manageTrustCommand;
      this.item.show();
      return;
    }
    const interp = await this.resolve(doc.uri);
    const from = { "python-extension": "the Python extension's interpreter for this file", setting: "the flowlens.pythonPath setting", default: "python3 on PATH (no Python extension, no flowlens.pythonPath)" }[interp.source];
    this.item.text = `$(symbol-method) Flowlens: ${shortName(interp.path)}`;
    this.item.tooltip = `Flowlens runs flows with ${interp.path}\nFrom ${from}.`;
    this.item.command = this.api ? "python.setInterpreter" : { title: "Set Python", command: "workbench.action.openSettings", arguments: ["flowlens.pythonPath"] };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function shortName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts.length > 3 ? `…/${parts.slice(-3).join("/")}` : path;
}
