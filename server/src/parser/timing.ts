// Startup stage marks, printed by the CLI when FLOWLENS_TIMING=1 (see docs/analysis.md, "Startup
// of flowlens check"). The marks go into the process-wide performance timeline, so the CLI entry
// bundle and a command's own bundle, each with their own copy of this module, share them.
// Without the variable a mark costs one property read.

const enabled = process.env.FLOWLENS_TIMING === "1";
const prefix = "flowlens:";

/** Records that a startup stage has ended, at this moment. */
export function timingMark(stage: string): void {
  if (enabled) performance.mark(prefix + stage);
}

export function timingEnabled(): boolean {
  return enabled;
}

/**
 * The marks so far, one line each: milliseconds since the process started, the time since the
 * previous mark, and the stage. The first line is the process's own start (time 0).
 */
export function timingReport(): string {
  const marks = performance.getEntriesByType("mark").filter((m) => m.name.startsWith(prefix));
  let previous = 0;
  const lines = marks.map((m) => {
    const line = `${m.startTime.toFixed(1).padStart(7)} ms  +${(m.startTime - previous).toFixed(1).padStart(6)}  ${m.name.slice(prefix.length)}`;
    previous = m.startTime;
    return line;
  });
  return ["flowlens timing (ms since process start, +ms since previous stage):", ...lines].join("\n") + "\n";
}
