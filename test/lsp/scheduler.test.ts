// The analysis scheduler with fake documents: it yields between documents, makes a slow document
// wait for a pause in its edits (fast ones never wait), and leaves a changed document's graph to
// its next analysis.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AnalysisScheduler, slowMs, type SchedulerHooks } from "../../server/src/lsp/scheduler";

function harness(costs: Record<string, number>) {
  const published: string[] = [];
  const graphs: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const graphWaiters: { uri: string; resolve: () => void }[] = [];
  let onPublish: (uri: string) => void = () => undefined;
  const hooks: SchedulerHooks = {
    publish: (uri) => {
      published.push(uri);
      onPublish(uri);
      for (const w of waiters.filter((x) => published.length >= x.count)) w.resolve();
    },
    notifyGraph: (uri) => {
      graphs.push(uri);
      for (const w of graphWaiters.filter((x) => x.uri === uri)) w.resolve();
    },
    isOpen: () => true,
    costOf: (uri) => costs[uri] ?? 0,
  };
  const scheduler = new AnalysisScheduler(hooks);
  const publishedCount = (count: number) => new Promise<void>((resolve) => (published.length >= count ? resolve() : waiters.push({ count, resolve })));
  const graphOf = (uri: string) => new Promise<void>((resolve) => (graphs.includes(uri) ? resolve() : graphWaiters.push({ uri, resolve })));
  return { scheduler, published, graphs, publishedCount, graphOf, setOnPublish: (f: (uri: string) => void) => (onPublish = f) };
}

const turn = () => new Promise((r) => setImmediate(r));

void describe("AnalysisScheduler", () => {
  void it("analyses a burst of changes to a fast document once", async () => {
    const h = harness({});
    for (let i = 0; i < 50; i++) h.scheduler.schedule("a");
    await h.publishedCount(1);
    for (let i = 0; i < 5; i++) await turn();
    assert.deepEqual(h.published, ["a"]);
  });

  void it("yields a turn between two documents, so messages queued meanwhile are handled", async () => {
    const h = harness({});
    const order: string[] = [];
    h.setOnPublish((uri) => {
      order.push(`publish ${uri}`);
      if (uri === "a") setImmediate(() => order.push("a message for another document"));
    });
    h.scheduler.schedule("a");
    h.scheduler.schedule("b");
    await h.publishedCount(2);
    assert.deepEqual(order, ["publish a", "a message for another document", "publish b"]);
  });

  void it("makes a slow document wait until its edits pause, and analyses it once then", async () => {
    const h = harness({ big: 400, small: 1 });
    assert.ok(400 > slowMs);
    // Ten edits 5 ms apart into the slow document, and one into a fast one meanwhile.
    for (let i = 0; i < 10; i++) {
      h.scheduler.schedule("big");
      if (i === 5) h.scheduler.schedule("small");
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.deepEqual(h.published, ["small"], "only the fast document was analysed while the slow one was edited");
    await h.publishedCount(2);
    for (let i = 0; i < 5; i++) await turn();
    assert.deepEqual(h.published, ["small", "big"]);
  });

  void it("sends a graph only for documents not changed since their analysis", async () => {
    const h = harness({ big: 400 });
    h.scheduler.schedule("a");
    await h.publishedCount(1);
    h.scheduler.schedule("big");
    await h.publishedCount(2);
    h.scheduler.schedule("big"); // changed again: its graph waits for its next analysis
    await h.publishedCount(3);
    // The graph timer of the second analysis fired while the change was pending, and skipped it.
    assert.deepEqual(h.graphs, ["a"]);
    await h.graphOf("big");
    assert.deepEqual(h.graphs, ["a", "big"]);
  });
});
