// How the language server's Node process is started, shared by everyone who starts one: the
// VS Code client, `flowlens lsp --stdio`, and the benchmarks that report the server's figures.

/**
 * Each keystroke's analysis makes short-lived objects (the methods below an edit are shifted
 * copies). With V8's default young generation a scavenge comes every dozen or so edits of a
 * large file and pauses one of them for several milliseconds; a larger one makes them rare,
 * which keeps the keystroke-to-diagnostics p95 low (docs/analysis.md, Performance). The flag
 * must be given when the process starts: V8 sizes the young generation once.
 */
export const serverNodeFlags: readonly string[] = ["--max-semi-space-size=64"];
