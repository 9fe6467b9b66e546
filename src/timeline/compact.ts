import type { TimelineEvent } from './event.js';

/** A table row: one event, or a burst of the same event on the same node. */
export interface CompactRow {
  first: TimelineEvent;
  last: TimelineEvent;
  count: number;
}

/**
 * Folds bursts (40 `Removed fetcher` lines on one node within a second) into
 * one row with a count. Streaming: a row is released once no later event can
 * join it, so memory holds only the rows of the last `windowMs`.
 */
export async function* compactBursts(
  events: AsyncIterable<TimelineEvent>,
  windowMs = 1000,
): AsyncGenerator<CompactRow> {
  const open = new Map<string, CompactRow>();
  const queue: CompactRow[] = [];
  for await (const e of events) {
    while (queue.length > 0 && e.time - queue[0]!.first.time > windowMs) {
      const row = queue.shift()!;
      if (open.get(keyOf(row.first)) === row) open.delete(keyOf(row.first));
      yield row;
    }
    const key = keyOf(e);
    const row = open.get(key);
    if (row && e.time - row.first.time <= windowMs) {
      row.count++;
      row.last = e;
    } else {
      const fresh = { first: e, last: e, count: 1 };
      open.set(key, fresh);
      queue.push(fresh);
    }
  }
  yield* queue;
}

function keyOf(e: TimelineEvent): string {
  return `${e.node}\u0000${e.rule?.id ?? `~${e.message}`}`;
}
