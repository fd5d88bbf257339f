// Runs the pytest suite of the bundled Python side (test/runtime/python: the Metaflow-compatible
// API, the task harness, the datastore format of runtime/README.md, the worker protocol), so
// `npm test` includes it.
import { test } from "node:test";
import { assertPytestPasses } from "../support/pytest";

void test("Python side: pytest suite of the API, harness, datastore format and worker", { timeout: 240_000 }, async () => {
  await assertPytestPasses({ paths: ["test/runtime/python"], minPassed: 25 });
});
