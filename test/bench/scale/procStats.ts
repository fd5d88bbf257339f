// What /proc says about a running process tree: the peak memory of a process (VmHWM) and the CPU
// time of a process and of the children it has reaped. Polled while a run goes on, so the figures
// are the last reading before the process exited (at most one poll interval short). Linux only:
// elsewhere every figure is 0 and the bench says so.
import { readFileSync } from "node:fs";

export interface CpuTimes {
  /** CPU seconds the process itself used. */
  own: number;
  /** CPU seconds of its children that it has waited for (the forked task processes of a worker). */
  children: number;
}

export function cpuTimes(pid: number): CpuTimes | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime, stime, cutime, cstime are fields 14-17 of stat, in clock ticks (100 per second on Linux).
    const tick = (i: number): number => Number(fields[i]) / 100;
    return { own: tick(11) + tick(12), children: tick(13) + tick(14) };
  } catch {
    return undefined;
  }
}

/** The peak resident set of a process so far, in bytes (VmHWM). */
export function peakRss(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmHWM:"));
    return line ? Number(line.split(/\s+/)[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The direct children of a process. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export interface TreeSample {
  cliPeakRss: number;
  cliCpu: number;
  /** By child pid (the Python workers): their own CPU and their reaped children's. */
  workers: Map<number, CpuTimes>;
}

/** Polls a process and its children every `everyMs` until `stop()`; keeps the last readings. */
export function pollTree(pid: number, everyMs = 100): { stop: () => TreeSample } {
  const sample: TreeSample = { cliPeakRss: 0, cliCpu: 0, workers: new Map() };
  const read = (): void => {
    sample.cliPeakRss = Math.max(sample.cliPeakRss, peakRss(pid) ?? 0);
    sample.cliCpu = cpuTimes(pid)?.own ?? sample.cliCpu;
    for (const child of childPids(pid)) {
      const times = cpuTimes(child);
      if (times) sample.workers.set(child, times);
    }
  };
  const timer = setInterval(read, everyMs);
  read();
  return {
    stop: () => {
      clearInterval(timer);
      return sample;
    },
  };
}
