// Runs the pytest suite of the card components with pandas and Pillow (test/runtime/python-cards),
// which needs FLOWLENS_PANDAS_PYTHON: a Python with both (npm run setup:e2e makes one; test/run.mjs
// sets the variable when it exists). Skipped, with the reason, when it is not set.
import { test } from "node:test";
import { assertPytestPasses } from "../support/pytest";

const python = process.env.FLOWLENS_PANDAS_PYTHON;

void test(
  "Python side: card components from pandas frames and PIL images",
  { timeout: 120_000, skip: python ? false : "set FLOWLENS_PANDAS_PYTHON to a Python with pandas and Pillow (npm run setup:e2e makes one)" },
  async () => {
    await assertPytestPasses({ paths: ["test/runtime/python-cards"], minPassed: 5 });
  },
);
