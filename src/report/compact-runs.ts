import type { TimelineEvent } from '../timeline/event.js';

/** A row of the report's timeline: a run of one rule on one node, each event within `gapMs` of the one before. */
export interface RunRow {
  first: TimelineEvent;
  last: TimelineEvent;
  count: number;
}

/**
 * Folds runs (a fetcher retrying every 700 ms for an hour, forty `Removed
 * fetcher` lines in a second) into one row with a count. Unlike a fixed
 * burst window, a run goes on as long as its events keep coming, so a storm
 * of thousands of lines is one row. Streaming: rows are released in order of
 * their first event once nothing can join them; memory holds the open rows.
 */
export async function* compactRuns(events: AsyncIterable<TimelineEvent>, gapMs = 1000): AsyncGenerator<RunRow> {
  const open = new Map<string, RunRow>();
  const queue: RunRow[] = [];
  for await (const e of events) {
    while (queue.length > 0 && e.time - queue[0]!.last.time > gapMs) {
      const row = queue.shift()!;
      if (open.get(keyOf(row.first)) === row) open.delete(keyOf(row.first));
      yield row;
    }
    const key = keyOf(e);
    const row = open.get(key);
    if (row && e.time - row.last.time <= gapMs) {
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
