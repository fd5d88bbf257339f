// AWS Batch executor: see executor.ts; docs/remote.md says how to set it up.
export { BatchExecutor, defaultHarnessArgv, type BatchExecutorOptions } from "./executor";
export { BatchSetupError } from "./client";
export { resolveBatchSettings, type BatchSettings, type BatchSettingsInput } from "./settings";
