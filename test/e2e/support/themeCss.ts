// Stand-ins for the CSS variables VS Code sets in a real webview, for the pages served outside
// VS Code (pageServer.ts).
/** Light-theme stand-ins for the CSS variables VS Code sets in a real webview. */
export const themeCss = `:root{--vscode-editor-background:#ffffff;--vscode-foreground:#333;--vscode-editor-foreground:#222;
--vscode-editorWidget-background:#f3f3f3;--vscode-editorWidget-border:#c8c8c8;--vscode-editorLineNumber-foreground:#888;
--vscode-charts-green:#388a34;--vscode-charts-red:#e51400;--vscode-charts-blue:#1a85ff;--vscode-charts-purple:#652d90;
--vscode-charts-orange:#d18616;--vscode-badge-background:#c4c4c4;--vscode-badge-foreground:#333;--vscode-editorError-foreground:#e51400;
--vscode-editorWarning-foreground:#bf8803;--vscode-focusBorder:#0090f1;--vscode-font-family:sans-serif;--vscode-font-size:13px;
--vscode-editor-font-family:monospace;--vscode-inputValidation-errorBackground:#f2dede;--vscode-inputValidation-warningBackground:#f6f5d2;}`;

/** Dark-theme stand-ins: the same variables with a dark palette. */
export const darkThemeCss = themeCss
  .replace("--vscode-editor-background:#ffffff", "--vscode-editor-background:#1f1f1f")
  .replace("--vscode-foreground:#333", "--vscode-foreground:#cccccc")
  .replace("--vscode-editor-foreground:#222", "--vscode-editor-foreground:#d4d4d4")
  .replace("--vscode-editorWidget-background:#f3f3f3", "--vscode-editorWidget-background:#2b2b2b")
  .replace("--vscode-badge-background:#c4c4c4", "--vscode-badge-background:#616161")
  .replace("--vscode-badge-foreground:#333", "--vscode-badge-foreground:#f8f8f8");
