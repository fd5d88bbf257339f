// A run-wide budget for the log tails of running tasks. Each running task reads its two log
// objects from S3 at every tick; with a hundred pods at once that is most of the launcher's S3
// traffic (and of the datastore's load) while the tasks do their work. The budget spreads the
// reads: at most `perSecond` tails read per second across the run, so with few tasks each is read
// at every tick and with many each is read less often. A task's last read, when it ends, is never
// skipped, so no line is lost; only the streaming is slower. Reads in flight are bounded too: when
// the datastore answers slowly (a hundred pods writing to it), reads begun at the budget's rate
// would queue up in front of the reads of tasks that just ended, which wait for them.
export class LogPace {
  private tokens: number;
  private last = Date.now();
  private inFlight = 0;

  constructor(
    private readonly perSecond: number,
    private readonly maxInFlight = 4,
  ) {
    this.tokens = perSecond;
  }

  /** When a task may read its logs now: spends one read and answers the call that ends it; else undefined. */
  take(): (() => void) | undefined {
    const now = Date.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1 || this.inFlight >= this.maxInFlight) return undefined;
    this.tokens -= 1;
    this.inFlight += 1;
    let ended = false;
    return () => {
      if (!ended) this.inFlight -= 1;
      ended = true;
    };
  }
}

/**
 * One task's own pace: a read that brought no new line doubles the wait before the next one, up
 * to `maxFactor` times the log interval; a new line brings it back to the interval. A quiet task
 * (a long computation, a step that prints once at the end) then costs a few reads instead of one
 * per interval, each of them two S3 requests that find nothing; a task that prints streams at the
 * interval. The wait is counted from the read, so the first read of a running task is at once.
 */
export class QuietBackoff {
  private quiet = 0;
  private nextAt = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly maxFactor = 4,
  ) {}

  /** Whether this task's next read is due at `now`. */
  due(now: number): boolean {
    return now >= this.nextAt;
  }

  /** Records a read made at `now` and whether it brought new lines. */
  read(now: number, newLines: boolean): void {
    this.quiet = newLines ? 0 : this.quiet + 1;
    this.nextAt = now + this.intervalMs * Math.min(this.maxFactor, 2 ** this.quiet) - this.intervalMs / 2;
  }
}
