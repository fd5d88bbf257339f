// Loaded into the CLI of a wide run (node --expose-gc --require heapProbe.cjs). On SIGUSR2 it
// collects the garbage and writes the heap still in use to stderr as one line, so that the bench
// reads what the CLI keeps at a moment it picks (the join's start, every branch finished). It also
// samples the process's memory while it runs and, at exit, writes the sample with the highest
// resident size: how much of the peak is V8's heap (in use or not yet collected) and how much
// array buffers, the rest being Node itself.
"use strict";

const peak = { rss: 0, heapTotal: 0, heapUsed: 0, arrayBuffers: 0 };
const sample = () => {
  const m = process.memoryUsage();
  if (m.rss > peak.rss) Object.assign(peak, { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers });
};
setInterval(sample, 100).unref();

process.on("SIGUSR2", () => {
  if (typeof globalThis.gc === "function") {
    globalThis.gc();
    globalThis.gc();
  }
  const m = process.memoryUsage();
  process.stderr.write(`FLOWLENS_HEAP ${JSON.stringify({ heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, gc: typeof globalThis.gc === "function" })}\n`);
});

process.on("exit", () => {
  sample();
  process.stderr.write(`FLOWLENS_PEAK ${JSON.stringify(peak)}\n`);
});
