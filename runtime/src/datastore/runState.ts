// A run's state as readers show it (CLI, Runs view): the record's status, except that a run
// whose record still says "running" but whose process is gone is "crashed" (see liveness.ts).
// Also the heartbeat a running process keeps writing.

import type { RunState } from "../../../server/src/protocol/runStates";
import type { FlowDatastore, RunRecord } from "./layout";
import { heartbeatSeconds, judgeLiveness, ownHeartbeat, parseHeartbeat } from "./liveness";

export type { RunState };

export function heartbeatKey(ds: FlowDatastore, run: string): string {
  return `${ds.flow}/${run}/_flowlens/heartbeat.json`;
}

/**
 * Writes the heartbeat now and every `heartbeatSeconds` until the returned function is called.
 * A beat that cannot be written (an S3 outage) is skipped: the run itself reports store errors.
 */
export async function startHeartbeat(ds: FlowDatastore, run: string): Promise<() => void> {
  const beat = (): Promise<void> => ds.store.put(heartbeatKey(ds, run), JSON.stringify(ownHeartbeat()));
  await beat();
  const timer = setInterval(() => void beat().catch(() => undefined), heartbeatSeconds * 1000);
  // The heartbeat never keeps the process alive on its own.
  timer.unref();
  return () => clearInterval(timer);
}

/** The state of a run with this record; `reason` says why a run counts as crashed. */
export async function readRunState(ds: FlowDatastore, run: string, record: RunRecord): Promise<{ state: RunState; reason?: string }> {
  if (record.status !== "running") return { state: record.status };
  let heartbeat;
  try {
    heartbeat = parseHeartbeat(await ds.readJson(heartbeatKey(ds, run)));
  } catch {
    // A damaged heartbeat says nothing either way; the claim below still may.
    heartbeat = undefined;
  }
  let claimPid: number | undefined;
  if (!heartbeat && ds.store.kind === "local") {
    const text = (await ds.store.get(`${ds.flow}/${run}/_flowlens/claim`))?.toString("utf8").trim();
    claimPid = text && /^\d+$/.test(text) ? Number(text) : undefined;
  }
  const liveness = judgeLiveness(heartbeat, claimPid);
  return liveness.alive ? { state: "running" } : { state: "crashed", reason: liveness.reason };
}
