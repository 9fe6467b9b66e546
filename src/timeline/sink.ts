import type { TimelineEvent } from './event.js';
import { isRun, type EventRun, type PassItem } from './run.js';

/**
 * A consumer of the merged stream: the window engine, the skew anchors, the
 * report's key events, the accounting. Every command reads its inputs once:
 * each sink sees every event of that one pass, in time order, whatever the
 * filters choose to print.
 */
export interface EventSink {
  push(e: TimelineEvent): void;
  /**
   * A run of unclassified records (timeline/run.ts), taken as a whole; a
   * sink without it is pushed each record's event, one by one.
   */
  pushRun?(run: EventRun): void;
}

/** Feeds one item of the pass to a sink. */
function feed(sink: EventSink, item: PassItem): void {
  if (!isRun(item)) sink.push(item);
  else if (sink.pushRun) sink.pushRun(item);
  else for (const e of item.events()) sink.push(e);
}

/**
 * Passes each batch's items to the sinks, then yields the events `shown`
 * keeps (what the command prints), batch by batch; empty batches are dropped.
 * Runs of light records are never shown (light records are asked for only
 * when unclassified records are not printed); without `shown`, every event
 * is, runs made events.
 */
export async function* through(
  batches: AsyncIterable<PassItem[]>, sinks: readonly EventSink[], shown?: (e: TimelineEvent) => boolean,
): AsyncGenerator<TimelineEvent[]> {
  for await (const batch of batches) {
    for (const sink of sinks) for (const item of batch) feed(sink, item);
    // Everything shown and no run to make events of: the batch itself, not a copy.
    if (!shown && !batch.some(isRun)) {
      if (batch.length > 0) yield batch as TimelineEvent[];
      continue;
    }
    const out: TimelineEvent[] = [];
    for (const item of batch) {
      if (isRun(item)) {
        if (!shown) for (const e of item.events()) out.push(e);
      } else if (!shown || shown(item)) {
        out.push(item);
      }
    }
    if (out.length > 0) yield out;
  }
}

/** Feeds a whole stream to the sinks (a pass that prints nothing). */
export async function drain(batches: AsyncIterable<PassItem[]>, sinks: readonly EventSink[]): Promise<void> {
  for await (const batch of batches) for (const sink of sinks) for (const item of batch) feed(sink, item);
}
