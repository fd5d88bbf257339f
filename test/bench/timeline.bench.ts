// Benchmark of the run timeline tab in headless Chromium on its real page: opening a synthetic
// 10,000-task run (message delivered → first drawing posted; target under 500 ms), a live update of
// the same run, and scrolling: wheel events on every animation frame for 3 s, with the frames per
// second reached and the drawing time per frame (target 60 fps, i.e. a drawing well under 16 ms).
// Opening a stored run (reading it back, then drawing): timelineOpen.bench.ts. Prints figures; asserts nothing.
//   node --import tsx test/bench/timeline.bench.ts        (after npm run build)
import { loadavg } from "node:os";
import { missing } from "../e2e/support/environment";
import { syntheticRun, TimelinePage } from "../e2e/support/timelinePage";
import { median } from "./stats";

interface ScrollFigures {
  frames: number;
  seconds: number;
  intervals: number[];
  draws: number[];
}

/**
 * Dispatches one wheel event per animation frame for `ms`, recording frame intervals and each
 * drawing's own time. Page code as text: tsx would wrap named functions in a helper the page lacks.
 */
async function scroll(page: TimelinePage, ms: number, delta: { deltaY: number; ctrlKey?: boolean }): Promise<ScrollFigures> {
  const json = await page.page.evaluate(`new Promise((resolve) => {
    const canvas = document.getElementById("timeline");
    const firstPost = window.__posted.length;
    const stamps = [];
    const step = (t) => {
      stamps.push(t);
      if (t - stamps[0] >= ${ms}) {
        const draws = window.__posted.slice(firstPost).filter((m) => m.type === "drawn").map((m) => m.ms);
        resolve(JSON.stringify({ frames: stamps.length - 1, seconds: (t - stamps[0]) / 1000, intervals: stamps.slice(1).map((s, i) => s - stamps[i]), draws }));
        return;
      }
      canvas.dispatchEvent(new WheelEvent("wheel", { deltaY: ${delta.deltaY}, ctrlKey: ${delta.ctrlKey === true}, clientX: 600, clientY: 300, bubbles: true, cancelable: true }));
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  })`);
  return JSON.parse(String(json)) as ScrollFigures;
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN;
}

function describe(name: string, f: ScrollFigures): string {
  const fps = f.frames / f.seconds;
  return `timeline bench: ${name}: ${fps.toFixed(1)} fps over ${f.seconds.toFixed(1)} s (frame interval p95 ${pct(f.intervals, 0.95).toFixed(1)} ms, max ${Math.max(...f.intervals).toFixed(1)} ms); drawing per frame median ${median(f.draws).toFixed(1)} ms, p95 ${pct(f.draws, 0.95).toFixed(1)} ms, max ${Math.max(...f.draws).toFixed(1)} ms (${f.draws.length} drawings)`;
}

async function main(): Promise<void> {
  const reason = missing({ chromium: true, dist: ["dist/timeline.js", "dist/media/timeline.css"] });
  if (reason) {
    console.log(`timeline bench: skipped: ${reason}`);
    return;
  }
  console.log(`timeline bench: load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const run = syntheticRun(10_000);
  const page = await TimelinePage.open({ width: 1200, height: 800 });
  try {
    const open = await page.send(run);
    console.log(`timeline bench: open a 10,000-task run (${open.drawn.rows} rows, ${open.drawn.bars} bars, ${open.drawn.drawnBars} drawn): ${open.ms.toFixed(0)} ms from message to first drawing (drawing itself ${open.drawn.ms} ms; target < 500 ms)`);
    const updates: number[] = [];
    for (let i = 0; i < 5; i++) updates.push((await page.send({ ...run, now: run.now + i * 250 })).ms);
    console.log(`timeline bench: live update of the same run: median ${median(updates).toFixed(0)} ms, max ${Math.max(...updates).toFixed(0)} ms`);
    console.log(describe("scroll (a wheel event every frame)", await scroll(page, 3000, { deltaY: 60 })));
    console.log(describe("zoom (Ctrl+wheel every frame)", await scroll(page, 1500, { deltaY: -40, ctrlKey: true })));
  } finally {
    await page.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
