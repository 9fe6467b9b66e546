import type { TimelineEvent } from './event.js';

/**
 * One node writing the same record through two appenders (ZooKeeper's
 * native file and a Kafka-layout copy, a console capture beside a file)
 * shows every event twice, from two files. Such twins carry the same node,
 * time, rule and message: the first one read stands, the others are
 * dropped. A record repeated within one file is real and kept. Holds only
 * the keys of the current millisecond.
 */
export async function* dropAppenderTwins(
  batches: AsyncIterable<TimelineEvent[]>, onDrop?: (twin: TimelineEvent) => void,
): AsyncGenerator<TimelineEvent[]> {
  let now = Number.NaN;
  let seen = new Map<string, string>();
  for await (const batch of batches) {
    let out: TimelineEvent[] | undefined;
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i]!;
      if (e.time !== now) {
        now = e.time;
        if (seen.size > 0) seen = new Map();
      }
      const key = `${e.node}\u0000${e.rule?.id ?? ''}\u0000${e.message}`;
      const file = seen.get(key);
      if (file === undefined) seen.set(key, e.file);
      if (file === undefined || file === e.file) {
        out?.push(e);
        continue;
      }
      // A twin from another file: copy what came before it, then skip it.
      out ??= batch.slice(0, i);
      onDrop?.(e);
    }
    const kept = out ?? batch;
    if (kept.length > 0) yield kept;
  }
}
