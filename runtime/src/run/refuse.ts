// Problems that stop a run before any task starts. Each is printed once, with `file:line:col`
// where it has one; with --json they become one `run-refused` event.

import type { RunRefusedEvent } from "../../../server/src/protocol/runEvents";

export class RunRefused extends Error {
  constructor(
    readonly headline: string,
    readonly problems: RunRefusedEvent["problems"],
    /** Whether the caller asked wrongly (a bad parameter: a usage error) rather than the flow or its inputs being wrong. */
    readonly usage = false,
  ) {
    super(headline);
  }

  toEvent(): RunRefusedEvent {
    return { type: "run-refused", ts: Date.now(), headline: this.headline, problems: this.problems };
  }
}
