// The plan: decorators become retry budgets, timeouts and environments; joins know their split.

import assert from "node:assert/strict";
import { test } from "node:test";
import { buildPlan, PlanError, reachableFrom } from "../../../runtime/src/plan/plan";
import { graph, plan } from "./fakes";

void test("decorators become budgets, timeouts and environment", () => {
  const p = plan({
    start: { type: "start", next: ["end"], decorators: [{ name: "retry", attributes: { times: 2 } }, { name: "timeout", attributes: { minutes: 1, seconds: 30 } }, { name: "catch", attributes: {} }] },
    end: { type: "end", decorators: [{ name: "retry", attributes: {} }] },
  });
  assert.equal(p.steps.start?.userRetries, 2);
  assert.equal(p.steps.start?.errorRetries, 3, "@catch adds Metaflow's three fallback attempts");
  assert.equal(p.steps.start?.timeoutSeconds, 90);
  assert.equal(p.steps.start?.catches, true);
  assert.equal(p.steps.end?.userRetries, 3, "@retry without times retries 3 times, as Metaflow");
  assert.equal(p.start, "start");
  assert.equal(p.end, "end");
});

void test("@retry and @catch's fallback attempts together never exceed six attempts; a step with neither is never re-run", () => {
  const p = plan({
    start: { type: "start", next: ["end"], decorators: [{ name: "retry", attributes: { times: 4 } }, { name: "catch", attributes: {} }] },
    end: { type: "end" },
  });
  assert.equal((p.steps.start?.userRetries ?? 0) + (p.steps.start?.errorRetries ?? 0) + 1, 6);
  assert.equal((p.steps.end?.userRetries ?? 0) + (p.steps.end?.errorRetries ?? 0), 0);
});

void test("a join knows its split and whether it is a foreach", () => {
  const p = plan({
    start: { type: "split-foreach", next: ["a"], foreach: "xs", join: "j" },
    a: { type: "linear", next: ["j"] },
    j: { type: "join", next: ["end"] },
    end: { type: "end" },
  });
  assert.deepEqual(p.steps.j?.joinOf, { split: "start", foreach: true });
  assert.deepEqual(p.steps.j?.previous, ["a"]);
  assert.deepEqual([...reachableFrom(p, "a")].sort(), ["a", "end", "j"]);
});

void test("a graph without an end step or with an unknown target is refused", () => {
  assert.throws(() => buildPlan("F", graph({ start: { type: "start", next: ["x"] } })), PlanError);
  assert.throws(() => buildPlan("F", graph({ start: { type: "start", next: ["x"] }, end: { type: "end" } })), /unknown step x/);
});

void test("a step inherited from another module is located in that module's file", () => {
  const g = graph({ start: { type: "start", next: ["a"] }, a: { type: "linear", next: ["zz"] }, end: { type: "end" } });
  assert.throws(() => buildPlan("F", g, { a: "/w/base.py" }), /unknown step zz \(\/w\/base\.py:7\)/);
  const p = buildPlan("F", graph({ start: { type: "start", next: ["end"] }, end: { type: "end" } }), { end: "/w/base.py" });
  assert.equal(p.steps.start?.file, "flow.py");
  assert.equal(p.steps.end?.file, "/w/base.py");
});
