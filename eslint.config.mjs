// One lint configuration for every TypeScript part of the repository.
// Warnings are not allowed (`--max-warnings=0`), so every rule here is a real rule.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["node_modules/**", "dist/**", "out/**", "test-output/**", "**/*.js", "**/*.mjs", "**/*.cjs", ".vscode-test/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": "error",
      eqeqeq: ["error", "smart"],
      // Small files with one purpose, small functions: split along a seam past these sizes
      // (CONTRIBUTING.md). Blank lines and comments do not count.
      "max-lines": ["error", { max: 300, skipBlankLines: true, skipComments: true }],
      "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The analysis core is pure: text in, model and diagnostics out.
    // It must not know about VS Code, LSP, the file system or processes.
    files: ["server/src/analysis/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["vscode", "vscode-*", "vscode-languageserver*", "vscode-languageclient*"], message: "The analysis core is pure: no editor or LSP imports." },
            { group: ["fs", "node:fs", "fs/*", "node:fs/*", "child_process", "node:child_process", "net", "node:net", "http", "node:http", "https", "node:https"], message: "The analysis core does no I/O: the caller supplies text." },
            { group: ["../lsp/*", "../../lsp/*", "../../../runtime/*", "../../../client/*"], message: "The analysis core depends on nothing else in the repository." },
          ],
        },
      ],
    },
  },
  {
    // The run service (runtime/src/run): a request in, events out. The CLI calls it, never the
    // reverse; it reads no command line and prints nothing (its callers choose how to show events).
    files: ["runtime/src/run/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../cli", "../cli/*"], message: "The run service is below the CLI: it cannot import it." }] }],
      "no-console": "error",
      "no-restricted-properties": [
        "error",
        { object: "process", property: "argv", message: "The run service takes a request, not a command line." },
        { object: "process", property: "stdout", message: "The run service prints nothing: emit a run event." },
        { object: "process", property: "stderr", message: "The run service prints nothing: emit a run event." },
      ],
    },
  },
  {
    files: ["webview/src/**/*.ts"],
    languageOptions: { parserOptions: { project: "./webview/tsconfig.json", projectService: false } },
  },
);
