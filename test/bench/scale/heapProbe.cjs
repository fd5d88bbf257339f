// Loaded into the CLI of a wide run (node --expose-gc --require heapProbe.cjs): on SIGUSR2 it
// collects the garbage and writes the heap still in use to stderr as one line, so that the bench
// reads what the CLI keeps at a moment it picks (the join's start, every branch finished) beside
// the peak resident memory, which is mostly garbage not yet collected.
"use strict";

process.on("SIGUSR2", () => {
  if (typeof globalThis.gc === "function") {
    globalThis.gc();
    globalThis.gc();
  }
  const m = process.memoryUsage();
  process.stderr.write(`FLOWLENS_HEAP ${JSON.stringify({ heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, gc: typeof globalThis.gc === "function" })}\n`);
});
