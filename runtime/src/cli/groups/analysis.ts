// Commands that only analyse (`check`, `show`): bundled on their own as dist/cli-analysis.js, so
// `flowlens check` loads the analysis core and nothing else.
export { checkCommand } from "../check";
export { showCommand } from "../show";
