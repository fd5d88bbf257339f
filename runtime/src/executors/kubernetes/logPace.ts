// A run-wide budget for the log tails of running tasks. Each running task reads its two log
// objects from S3 at every tick; with a hundred pods at once that is most of the launcher's S3
// traffic (and of the datastore's load) while the tasks do their work. The budget spreads the
// reads: at most `perSecond` tails read per second across the run, so with few tasks each is read
// at every tick and with many each is read less often. A task's last read, when it ends, is never
// skipped, so no line is lost; only the streaming is slower.
export class LogPace {
  private tokens: number;
  private last = Date.now();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  /** Whether a task may read its logs now (and spends one read if so). */
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
