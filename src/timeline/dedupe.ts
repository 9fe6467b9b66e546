import type { TimelineEvent } from './event.js';

/**
 * How long (ms of log time, behind the latest event seen) the keys of past
 * records are kept. The merge orders files by time, but a file's own lines
 * may step back a little (threads logging out of order): twins need not
 * come one after the other.
 */
export const TWIN_SPAN_MS = 1000;

/**
 * One node writing the same record through two appenders (ZooKeeper's
 * native file and a Kafka-layout copy, a console capture beside a file)
 * shows every event twice, from two files. Such twins carry the same node,
 * time, rule and message: the first one read stands, the others are
 * dropped. A record repeated within one file is real and kept. Holds the
 * keys of the last {@link TWIN_SPAN_MS} of log time only.
 */
export async function* dropAppenderTwins(batches: AsyncIterable<TimelineEvent[]>): AsyncGenerator<TimelineEvent[]> {
  const seen = new Map<string, string>();
  // Keys in the order they were first seen, with their times, for forgetting them.
  const order: { time: number; key: string }[] = [];
  let head = 0;
  let latest = Number.NEGATIVE_INFINITY;
  for await (const batch of batches) {
    let out: TimelineEvent[] | undefined;
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i]!;
      if (e.time > latest) {
        latest = e.time;
        while (head < order.length && order[head]!.time < latest - TWIN_SPAN_MS) seen.delete(order[head++]!.key);
        if (head > 4096 && head * 2 > order.length) {
          order.splice(0, head);
          head = 0;
        }
      }
      const key = `${e.time}\u0000${e.node}\u0000${e.rule?.id ?? ''}\u0000${e.message}`;
      const file = seen.get(key);
      if (file === undefined) {
        seen.set(key, e.file);
        order.push({ time: e.time, key });
      }
      if (file === undefined || file === e.file) {
        out?.push(e);
        continue;
      }
      // A twin from another file: copy what came before it, then skip it.
      out ??= batch.slice(0, i);
    }
    const kept = out ?? batch;
    if (kept.length > 0) yield kept;
  }
}
