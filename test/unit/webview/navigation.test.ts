// Keyboard navigation between nodes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { neighbour } from "../../../webview/src/navigation";

const box = (x: number, y: number) => ({ x, y, width: 100, height: 40 });
const boxes = new Map([
  ["start", box(100, 0)],
  ["a", box(0, 100)],
  ["b", box(200, 100)],
  ["join", box(100, 200)],
]);
const edges = [
  { source: "start", target: "a" },
  { source: "start", target: "b" },
  { source: "a", target: "join" },
  { source: "b", target: "join" },
];

void test("down and up follow edges, left and right stay on the row", () => {
  assert.ok(["a", "b"].includes(neighbour("start", "ArrowDown", boxes, edges)));
  assert.equal(neighbour("a", "ArrowDown", boxes, edges), "join");
  assert.equal(neighbour("b", "ArrowUp", boxes, edges), "start");
  assert.equal(neighbour("a", "ArrowRight", boxes, edges), "b");
  assert.equal(neighbour("b", "ArrowLeft", boxes, edges), "a");
});

void test("no neighbour: the selection stays", () => {
  assert.equal(neighbour("start", "ArrowUp", boxes, edges), "start");
  assert.equal(neighbour("a", "ArrowLeft", boxes, edges), "a");
  assert.equal(neighbour("unknown", "ArrowDown", boxes, edges), "unknown");
});
