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
 * Folds repeated events (same node, same rule) into rows with a count.
 * Streaming: a row is released, in order of its first event, once no later
 * event can join it; memory holds only the rows still open.
 */
export async function* compactBursts(
  events: AsyncIterable<TimelineEvent>,
  windowMs = 1000,
  mode: CompactMode = 'burst',
): AsyncGenerator<CompactRow> {
  const rows = new Compactor(windowMs, mode);
  for await (const e of events) for (const row of rows.push(e)) yield row;
  for (const row of rows.end()) yield row;
}

/** compactBursts over events in memory: the same rows, without a promise per event. */
export function* compactRuns(events: Iterable<TimelineEvent>, windowMs = 1000, mode: CompactMode = 'burst'): Generator<CompactRow> {
  const rows = new Compactor(windowMs, mode);
  for (const e of events) for (const row of rows.push(e)) yield row;
  for (const row of rows.end()) yield row;
}

const NONE: readonly CompactRow[] = Object.freeze([]);

/** The folding itself: events pushed in order, rows released as no later event can join them. */
class Compactor {
  private readonly open = new Map<string, CompactRow>();
  private readonly queue: CompactRow[] = [];

  constructor(private readonly windowMs: number, private readonly mode: CompactMode) {}

  private anchor(row: CompactRow): number {
    return this.mode === 'burst' ? row.first.time : row.last.time;
  }

  /** The rows the event closes (none, mostly). */
  push(e: TimelineEvent): readonly CompactRow[] {
    const { open, queue, windowMs } = this;
    let closed: CompactRow[] | undefined;
    while (queue.length > 0 && e.time - this.anchor(queue[0]!) > windowMs) {
      const row = queue.shift()!;
      if (open.get(keyOf(row.first)) === row) open.delete(keyOf(row.first));
      (closed ??= []).push(row);
    }
    const key = keyOf(e);
    const row = open.get(key);
    // An event earlier than the row's last (a clock set back, a node restarted
    // and logging from an older time) starts a row of its own: folding it
    // would hide that time went backwards.
    if (row && e.time >= row.last.time && e.time - this.anchor(row) <= windowMs) {
      row.count++;
      row.last = e;
    } else {
      const fresh = { first: e, last: e, count: 1 };
      open.set(key, fresh);
      queue.push(fresh);
    }
    return closed ?? NONE;
  }

  /** The rows still open, once the events are over. */
  end(): CompactRow[] {
    return this.queue;
  }
}

function keyOf(e: TimelineEvent): string {
  return `${e.node}\u0000${e.rule?.id ?? `~${e.message}`}`;
}
