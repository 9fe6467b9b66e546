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
 * dropped. A record repeated within one file is real and kept.
 *
 * Twins that come one after the other are caught by the keys of the
 * current millisecond. A node whose events switch back and forth between
 * two files (two appenders, not a rotation) has its keys kept for
 * {@link TWIN_SPAN_MS} of log time as well, so that a twin read after
 * records of another time is caught too; other nodes cost nothing more.
 */
export async function* dropAppenderTwins(
  batches: AsyncIterable<TimelineEvent[]>, onDrop?: (twin: TimelineEvent) => void,
): AsyncGenerator<TimelineEvent[]> {
  let now = Number.NaN;
  let current = new Map<string, string>();
  // Keys of the current millisecond are made only once one of its nodes has
  // events from two files in it (no twin before then): until then, its
  // events and each node's file, to make the keys from when one is needed.
  let keyed = false;
  const msEvents: TimelineEvent[] = [];
  // Per node (one lookup an event): the millisecond (its count) of its latest event and the file of its
  // first event in it; the file of its last event and how often that changed (a rotation changes it once).
  let ms = 0;
  const nodes = new Map<string, NodeFiles>();
  // Keys of nodes writing through two appenders, with their times, oldest first.
  const spanned = new Map<string, string>();
  const order: { time: number; key: string }[] = [];
  let head = 0;
  let latest = Number.NEGATIVE_INFINITY;
  for await (const batch of batches) {
    let out: TimelineEvent[] | undefined;
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i]!;
      if (e.time !== now) {
        now = e.time;
        if (current.size > 0) current = new Map();
        keyed = false;
        if (msEvents.length > 0) msEvents.length = 0;
        ms++;
      }
      let node = nodes.get(e.node);
      if (node === undefined) {
        nodes.set(e.node, node = { lastFile: e.file, switches: 0, ms, msFile: e.file });
      } else if (node.lastFile !== e.file) {
        node.lastFile = e.file;
        node.switches++;
      }
      const spans = node.switches >= 2;
      if (!keyed) {
        if (node.ms !== ms) {
          node.ms = ms;
          node.msFile = e.file;
        }
        if (node.msFile === e.file && !spans) {
          msEvents.push(e);
        } else {
          // A second file, or a node writing through two appenders: the keys of the millisecond's events so far, as they came.
          keyed = true;
          for (const before of msEvents) {
            const k = twinKey(before);
            if (!current.has(k)) current.set(k, before.file);
          }
          msEvents.length = 0;
        }
      }
      const key = keyed ? twinKey(e) : '';
      let file: string | undefined;
      if (keyed) {
        file = current.get(key);
        if (file === undefined) current.set(key, e.file);
      }
      if (spans) {
        if (e.time > latest) {
          latest = e.time;
          while (head < order.length && order[head]!.time < latest - TWIN_SPAN_MS) spanned.delete(order[head++]!.key);
          if (head > 4096 && head * 2 > order.length) {
            order.splice(0, head);
            head = 0;
          }
        }
        const timed = `${e.time}\u0000${key}`;
        const before = spanned.get(timed);
        if (before === undefined) {
          spanned.set(timed, e.file);
          order.push({ time: e.time, key: timed });
        } else {
          file ??= before;
        }
      }
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

interface NodeFiles {
  lastFile: string;
  switches: number;
  ms: number;
  msFile: string;
}

/** What twins share: node, rule and message (their time is the millisecond's). */
function twinKey(e: TimelineEvent): string {
  return `${e.node}\u0000${e.rule?.id ?? ''}\u0000${e.message}`;
}
