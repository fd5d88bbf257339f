// Runs the client API's pytest suite (test/runtime/python-client) so `npm test` includes it.
// The suite builds datastores by hand exactly as runtime/README.md lays them out, and talks to
// moto_server on loopback for S3; see docs/client-api.md.
import { test } from "node:test";
import { assertPytestPasses } from "../support/pytest";

void test("client API: pytest suite over hand-built local, Metaflow-written and S3 datastores", { timeout: 240_000 }, async () => {
  await assertPytestPasses({ paths: ["test/runtime/python-client"], minPassed: 30 });
});
