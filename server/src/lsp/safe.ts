// Every handler runs through `guarded`: a feature that throws answers with an empty result and
// is logged once (to the client's log, never to stdout, which carries the protocol), so a bug in
// one feature on one odd file never takes the server down or floods the log.

export interface Logger {
  error(message: string): void;
  info(message: string): void;
}

/** An answer for the user (e.g. a refused rename), not a bug: the guard lets it through. */
export class UserFacingError extends Error {}

export class Guard {
  private readonly logged = new Set<string>();

  constructor(private readonly log: Logger) {}

  run<T>(feature: string, fallback: T, body: () => T): T {
    try {
      return body();
    } catch (error) {
      if (error instanceof UserFacingError) throw error;
      this.report(feature, error);
      return fallback;
    }
  }

  report(feature: string, error: unknown): void {
    if (this.logged.has(feature)) return;
    this.logged.add(feature);
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.log.error(`flowlens: ${feature} failed (further failures of this feature are not logged): ${detail}`);
  }
}
