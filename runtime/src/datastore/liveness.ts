// Whether a run that never recorded its end is still going. The process that runs it writes
// `_flowlens/heartbeat.json` ({"pid", "host", "time"}) when it starts and every
// `heartbeatSeconds` after (as Metaflow's runs send heartbeats), so a reader anywhere can tell a
// live run from one whose process was killed: on the same host by the pid, elsewhere (S3) by a
// heartbeat older than `staleAfterSeconds`. Runs made before heartbeats fall back to the pid
// in `_flowlens/claim` on a local store.

import { hostname } from "node:os";

export const heartbeatSeconds = 10;
export const staleAfterSeconds = 60;

export interface Heartbeat {
  pid: number;
  host: string;
  /** Epoch seconds of the latest beat. */
  time: number;
}

export type Liveness = { alive: true } | { alive: false; reason: string };

/** Whether process `pid` exists on this machine (a process of another user counts as existing). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function parseHeartbeat(value: unknown): Heartbeat | undefined {
  const v = value as Partial<Heartbeat> | null;
  if (typeof v !== "object" || v === null) return undefined;
  if (typeof v.pid !== "number" || typeof v.host !== "string" || typeof v.time !== "number") return undefined;
  return { pid: v.pid, host: v.host, time: v.time };
}

/**
 * Judges a run whose record says "running". `heartbeat` is the parsed heartbeat (undefined when
 * there is none), `claimPid` the pid of the claim file on a local store (undefined elsewhere).
 */
export function judgeLiveness(heartbeat: Heartbeat | undefined, claimPid: number | undefined, now = Date.now() / 1000, host = hostname(), exists = processExists): Liveness {
  if (heartbeat) {
    if (heartbeat.host === host && !exists(heartbeat.pid)) return { alive: false, reason: `its process ${heartbeat.pid} on ${host} is gone` };
    const age = now - heartbeat.time;
    if (age > staleAfterSeconds) return { alive: false, reason: `no heartbeat from process ${heartbeat.pid} on ${heartbeat.host} for ${Math.round(age)} s` };
    return { alive: true };
  }
  if (claimPid !== undefined && claimPid > 0 && !exists(claimPid)) return { alive: false, reason: `its process ${claimPid} is gone` };
  return { alive: true };
}

/** The heartbeat this process writes. */
export function ownHeartbeat(): Heartbeat {
  return { pid: process.pid, host: hostname(), time: Date.now() / 1000 };
}
