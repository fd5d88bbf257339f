// A test whose tool is not on this machine: outside CI it is skipped with the reason printed, so
// `npm test` on a machine without `npm run setup:e2e` still says what it did not check; with
// CI=true it fails, so CI cannot pass by skipping.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { TestContext } from "node:test";

/** True when `command` is an executable file in a folder of PATH. */
export function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => dir !== "" && existsSync(join(dir, command)));
}

/** Skips the test with a printed reason, or fails it under CI. Returns true when the test must stop. */
export function skipIfMissing(t: TestContext, suite: string, reason: string | undefined): boolean {
  if (!reason) return false;
  if (process.env.CI === "true" || process.env.CI === "1") throw new Error(`${suite}: cannot run under CI: ${reason}`);
  console.log(`${suite}: SKIPPED ${t.name}: ${reason}`);
  t.skip(reason);
  return true;
}
