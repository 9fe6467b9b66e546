import type { TimelineEvent } from './event.js';

/**
 * A consumer of the merged stream: the window engine, the skew anchors, the
 * report's key events, the accounting. Every command reads its inputs once:
 * each sink sees every event of that one pass, in time order, whatever the
 * filters choose to print.
 */
export interface EventSink {
  push(e: TimelineEvent): void;
}

/**
 * Passes each batch's events to the sinks, then yields the events `shown`
 * keeps (what the command prints), batch by batch; empty batches are dropped.
 */
export async function* through(
  batches: AsyncIterable<TimelineEvent[]>, sinks: readonly EventSink[], shown?: (e: TimelineEvent) => boolean,
): AsyncGenerator<TimelineEvent[]> {
  for await (const batch of batches) {
    for (const sink of sinks) for (const e of batch) sink.push(e);
    if (!shown) {
      yield batch;
      continue;
    }
    const out = batch.filter(shown);
    if (out.length > 0) yield out;
  }
}

/** Feeds a whole stream to the sinks (a pass that prints nothing). */
export async function drain(batches: AsyncIterable<TimelineEvent[]>, sinks: readonly EventSink[]): Promise<void> {
  for await (const batch of batches) for (const sink of sinks) for (const e of batch) sink.push(e);
}

export async function* flatten<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}
