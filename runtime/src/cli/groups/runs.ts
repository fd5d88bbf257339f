// Commands that run flows or read runs (`run`, `resume`, `step`, `logs`, `dump`, `card`, `compare`): dist/cli-runs.js.
export { runCmd } from "../run";
export { resumeCmd } from "../resume";
export { stepCmd } from "../step";
export { logsCmd } from "../logs";
export { dumpCmd } from "../dump";
export { cardCmd } from "../card";
export { compareCmd } from "../compare";
