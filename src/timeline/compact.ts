import type { TimelineEvent } from './event.js';

/** A table row: one event, or a burst of the same event on the same node. */
export interface CompactRow {
  first: TimelineEvent;
  last: TimelineEvent;
  count: number;
}

/**
 * How far apart events of one row may be:
 * - `burst`: within `windowMs` of the row's first event (the terminal table:
 *   40 `Removed fetcher` lines on one node within a second are one row);
 * - `run`: within `windowMs` of the row's last event, so a storm goes on as
 *   long as its events keep coming (the report: a fetcher retrying every
 *   700 ms for an hour is one row).
 */
export type CompactMode = 'burst' | 'run';

/**
 * Folds repeated events (same node, same rule) into rows with a count,
 * event by event: a row is released, in order of its first event, once no
 * later event can join it; memory holds only the rows still open.
 * Synchronous, for a pass read in batches (the terminal table); see
 * compactRuns for events in memory.
 */
export class Compactor {
  /** The rows still open, by node, then by rule id (`~` and the message for a record no rule classifies). */
  private readonly open = new Map<string, Map<string, CompactRow>>();
  /** Rows not yet released, in order of their first event, from `head` on (the slots before are emptied as they go). */
  private queue: (CompactRow | undefined)[] = [];
  private head = 0;

  constructor(private readonly windowMs = 1000, private readonly mode: CompactMode = 'burst') {}

  /** Takes the next event of the pass; appends to `out` the rows it closes. */
  push(e: TimelineEvent, out: CompactRow[]): void {
    const { queue, windowMs } = this;
    while (this.head < queue.length && e.time - this.anchor(queue[this.head]!) > windowMs) {
      const row = queue[this.head]!;
      // Let go now: a released row held until the queue is cut would outlive collections with its events.
      queue[this.head++] = undefined;
      const rows = this.open.get(row.first.node);
      const key = keyOf(row.first);
      if (rows?.get(key) === row) rows.delete(key);
      out.push(row);
    }
    // The emptied slots are cut a block at a time (no shift() per row).
    if (this.head >= 1024 && this.head * 2 >= queue.length) {
      this.queue = queue.slice(this.head);
      this.head = 0;
    }
    let rows = this.open.get(e.node);
    if (rows === undefined) this.open.set(e.node, rows = new Map());
    const key = keyOf(e);
    const row = rows.get(key);
    // An event earlier than the row's last (a clock set back, a node restarted
    // and logging from an older time) starts a row of its own: folding it
    // would hide that time went backwards.
    if (row && e.time >= row.last.time && e.time - this.anchor(row) <= windowMs) {
      row.count++;
      row.last = e;
    } else {
      const fresh = { first: e, last: e, count: 1 };
      rows.set(key, fresh);
      this.queue.push(fresh);
    }
  }

  /** The pass is over: appends the rows still open to `out`. */
  end(out: CompactRow[]): void {
    for (let i = this.head; i < this.queue.length; i++) out.push(this.queue[i]!);
    this.queue = [];
    this.head = 0;
    this.open.clear();
  }

  private anchor(row: CompactRow): number {
    return this.mode === 'burst' ? row.first.time : row.last.time;
  }
}

/** Compactor over events in memory: the rows, in the order they are released (the report's key events, all held anyway). */
export function compactRuns(events: Iterable<TimelineEvent>, windowMs = 1000, mode: CompactMode = 'burst'): CompactRow[] {
  const compactor = new Compactor(windowMs, mode);
  const out: CompactRow[] = [];
  for (const e of events) compactor.push(e, out);
  compactor.end(out);
  return out;
}

/** What an event is folded by on its node: its rule (by id: an event file's events may each bring a rule object of their own), or its message. */
function keyOf(e: TimelineEvent): string {
  return e.rule?.id ?? `~${e.message}`;
}
