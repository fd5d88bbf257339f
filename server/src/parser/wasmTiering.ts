// For a process that parses a few files and exits (`flowlens check`, `flowlens show`), the
// tree-sitter wasm is best left in V8's baseline tier (Liftoff). By default V8 soon recompiles
// the hottest wasm functions (the grammar's lexer, the parse loop) with TurboFan on background
// threads. That compile costs far more than it saves in a run this short: measured on a small
// flow, the analysis took ~50 ms instead of ~12 ms (the compile competes for the CPU), and the
// process then waited another ~60-90 ms at exit for the compile to finish (see
// docs/analysis.md, "Startup of flowlens check").
//
// Raising the tiering budget keeps functions in Liftoff unless they run for very long (so a
// huge batch still gets optimised code), and unlike --liftoff-only it keeps V8's fallback to
// TurboFan for any function Liftoff cannot compile. The language server, which parses on every
// keystroke for hours, keeps V8's default.
import { setFlagsFromString } from "node:v8";

/** V8's default is 1,800,000 (roughly bytes of wasm code executed per function before tier-up). */
export const ONE_SHOT_WASM_TIERING_BUDGET = 1_000_000_000;

/**
 * Must run before the grammar's wasm is instantiated (V8 reads the budget then), and before any
 * bundle is compiled with a V8 code cache: a cache records the flags it was made under and V8
 * rejects it when they differ.
 */
export function preferBaselineWasm(): void {
  setFlagsFromString(`--wasm-tiering-budget=${ONE_SHOT_WASM_TIERING_BUDGET}`);
}
