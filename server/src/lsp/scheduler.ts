// When changed documents are analysed and their diagnostics and graphs sent.
//
// Analysis is synchronous, so while one document is analysed no other message is handled. Three
// rules keep every document answered while edits stream into one of them:
// - Settling: vscode-jsonrpc dispatches one message per turn of the event loop, so analysis hops
//   turn by turn while changes keep arriving (a burst is analysed once) and runs at once when a
//   turn brings none (a single keystroke waits for nothing). The hopping is bounded.
// - One document per turn: between two documents' analyses the messages that arrived meanwhile
//   (a hover in another file) are handled.
// - Slow documents wait for a pause: a document whose last analysis took longer than `slowMs`
//   (a file of a thousand flows) is analysed when its edits pause for as long as an analysis
//   takes, and at least every `maxDelayMs` while they do not. Fast documents are never delayed.
//   A request on the slow document itself still gets an up-to-date answer (it analyses first).

/** The longest a change waits for the changes queued behind it before it is analysed. */
const maxSettleMs = 30;
/** How long a document must be quiet before `flowlens/graphChanged` is sent. */
const graphQuietMs = 60;
/** An analysis slower than this makes its document wait for a pause in its edits. */
export const slowMs = 50;
/** The longest pause a slow document waits for, and the longest it goes unanalysed while edited. */
const maxQuietMs = 500;
const maxDelayMs = 1500;

export interface SchedulerHooks {
  /** Analyses the document if needed and sends its diagnostics. */
  publish(uri: string): void;
  /** Sends the document's graph if it changed. */
  notifyGraph(uri: string): void;
  /** Whether the document is still open. */
  isOpen(uri: string): boolean;
  /** How long the document's last analysis took, in ms (0 when unknown). */
  costOf(uri: string): number;
}

interface Pending {
  /** When the first change since the last analysis arrived, and the latest one. */
  first: number;
  last: number;
}

export class AnalysisScheduler {
  private readonly pending = new Map<string, Pending>();
  private changes = 0;
  private settling = false;
  private settleStarted = 0;
  private running = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private readonly graphPending = new Set<string>();
  private graphTimer: NodeJS.Timeout | undefined;

  constructor(private readonly hooks: SchedulerHooks) {}

  /** A document changed (or something it depends on did). */
  schedule(uri: string): void {
    const now = performance.now();
    const p = this.pending.get(uri);
    this.pending.set(uri, { first: p?.first ?? now, last: now });
    this.changes++;
    this.startSettling();
  }

  /** A document was closed: nothing more is sent for it. */
  forget(uri: string): void {
    this.pending.delete(uri);
    this.graphPending.delete(uri);
  }

  private startSettling(): void {
    if (this.settling || this.running) return;
    this.settling = true;
    this.settleStarted = performance.now();
    // The first hop is unconditional: the next queued message is dispatched on the same turn as
    // this check would run, so only the turn after it can tell whether another change came.
    const seen = this.changes;
    setImmediate(() => setImmediate(() => this.settle(seen)));
  }

  private settle(seen: number): void {
    if (this.changes !== seen && performance.now() - this.settleStarted < maxSettleMs) {
      const now = this.changes;
      setImmediate(() => setImmediate(() => this.settle(now)));
      return;
    }
    this.settling = false;
    this.running = true;
    this.runDue();
  }

  /** Analyses the first document that is due, then yields a turn before the next one. */
  private runDue(): void {
    const now = performance.now();
    const due = [...this.pending.keys()].find((uri) => this.isDue(uri, now));
    if (due === undefined) {
      this.running = false;
      this.wakeForSlowDocuments(now);
      return;
    }
    this.pending.delete(due);
    this.hooks.publish(due);
    this.graphPending.add(due);
    this.scheduleGraph();
    setImmediate(() => this.runDue());
  }

  private waitFor(uri: string): number {
    const cost = this.hooks.costOf(uri);
    return cost < slowMs ? 0 : Math.min(cost, maxQuietMs);
  }

  private isDue(uri: string, now: number): boolean {
    const p = this.pending.get(uri);
    if (!p) return false;
    const wait = this.waitFor(uri);
    return wait === 0 || now - p.last >= wait || now - p.first >= maxDelayMs;
  }

  /** Comes back when the earliest waiting slow document is due. */
  private wakeForSlowDocuments(now: number): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    let earliest = Infinity;
    for (const [uri, p] of this.pending) earliest = Math.min(earliest, p.last + this.waitFor(uri), p.first + maxDelayMs);
    if (earliest === Infinity) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.startSettling();
    }, Math.max(0, earliest - now));
  }

  /**
   * The graph panel follows typing at a slower pace than squiggles: its notification waits until
   * the document has been quiet briefly, so building and comparing graphs never delays diagnostics.
   * A document changed again since its analysis is left for its next one: building its graph now
   * would analyse it ahead of its turn.
   */
  private scheduleGraph(): void {
    if (this.graphTimer) clearTimeout(this.graphTimer);
    this.graphTimer = setTimeout(() => {
      this.graphTimer = undefined;
      const uris = [...this.graphPending];
      this.graphPending.clear();
      for (const u of uris) if (this.hooks.isOpen(u) && !this.pending.has(u)) this.hooks.notifyGraph(u);
    }, graphQuietMs);
  }
}
