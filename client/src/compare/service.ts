// Run comparison tabs as a service: the open tabs (comparePanel.ts), the read-only code files
// their diff editors show, and their drawings (read by the end-to-end tests through the API's
// test hooks).
import * as vscode from "vscode";
import type { InterpreterService } from "../interpreter";
import type { TrustGate } from "../trust/gate";
import { ComparePanels, compareScheme, type CompareTarget, type RenderedComparison } from "./comparePanel";

export class CompareService implements vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly rendered = new vscode.EventEmitter<RenderedComparison>();
  private readonly panels: ComparePanels;
  private readonly provider: vscode.Disposable;
  /** Fires when a comparison tab finished a drawing (its runs, difference count, time). */
  readonly onDidRender = this.rendered.event;

  constructor(deps: { extensionUri: vscode.Uri; log: vscode.LogOutputChannel; trust: TrustGate; interpreter: InterpreterService }) {
    this.panels = new ComparePanels({ ...deps, documents: this.documents, rendered: this.rendered });
    this.provider = vscode.workspace.registerTextDocumentContentProvider(compareScheme, {
      provideTextDocumentContent: (uri) => this.documents.get(uri.toString()) ?? `This document is no longer available (${uri.toString()}).`,
    });
  }

  /** Opens (or shows again) the tab comparing run a (A) with run b (B). */
  open(target: CompareTarget): void {
    this.panels.open(target);
  }

  dispose(): void {
    this.provider.dispose();
    this.rendered.dispose();
  }
}
