// A failing feature answers with its fallback and is logged once, however often it fails.
import assert from "node:assert/strict";
import { it } from "node:test";
import { Guard, UserFacingError } from "../../server/src/lsp/safe";

void it("returns the fallback and logs a failing feature once", () => {
  const errors: string[] = [];
  const guard = new Guard({ error: (m) => errors.push(m), info: () => undefined });
  for (let i = 0; i < 5; i++) {
    const result = guard.run("hover", null, () => {
      throw new Error("boom");
    });
    assert.equal(result, null);
  }
  assert.equal(guard.run("hover", null, () => "ok"), "ok");
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? "", /hover failed.*boom/s);
  assert.throws(() => guard.run("rename", null, () => { throw new UserFacingError("taken"); }), /taken/);
  assert.equal(errors.length, 1, "an answer for the user is not a failure");
});
