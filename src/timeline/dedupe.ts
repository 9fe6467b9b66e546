import type { TimelineEvent } from './event.js';
import { eventsOf, isRun, type EventRun, type PassItem } from './run.js';

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
  batches: AsyncIterable<PassItem[]>, onDrop?: (twin: TimelineEvent) => void,
): AsyncGenerator<PassItem[]> {
  let now = Number.NaN;
  let current = new Map<string, string>();
  // Keys of the current millisecond are made only once one of its nodes has
  // events from two files in it (no twin before then): until then, its
  // events (and runs, whose records of this millisecond are meant) and each
  // node's file, to make the keys from when one is needed.
  let keyed = false;
  const msEvents: PassItem[] = [];
  // Per node (one lookup an event): the millisecond (its count) of its latest event and the file of its
  // first event in it; the file of its last event and how often that changed (a rotation changes it once).
  let ms = 0;
  const nodes = new Map<string, NodeFiles>();
  // Keys of nodes writing through two appenders, with their times, oldest first.
  const spanned = new Map<string, string>();
  const order: { time: number; key: string }[] = [];
  let head = 0;
  let latest = Number.NEGATIVE_INFINITY;

  /** The node's bookkeeping, its file switches counted. */
  const nodeOf = (e: PassItem): NodeFiles => {
    let node = nodes.get(e.node);
    if (node === undefined) {
      nodes.set(e.node, node = { lastFile: e.file, switches: 0, ms, msFile: e.file });
    } else if (node.lastFile !== e.file) {
      node.lastFile = e.file;
      node.switches++;
    }
    return node;
  };
  const newMs = (time: number): void => {
    now = time;
    if (current.size > 0) current = new Map();
    keyed = false;
    if (msEvents.length > 0) msEvents.length = 0;
    ms++;
  };
  /** Whether an event is kept (false: a twin of one read before, from another file). */
  const step = (e: TimelineEvent): boolean => {
    if (e.time !== now) newMs(e.time);
    const node = nodeOf(e);
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
          for (const b of eventsOf(before)) {
            if (b.time !== now) continue;
            const k = twinKey(b);
            if (!current.has(k)) current.set(k, b.file);
          }
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
    return file === undefined || file === e.file;
  };
  /**
   * A run passed whole: what step() would do with each of its records when
   * none can be a twin — its node writes through one appender (no keys kept
   * over time) and its first millisecond has no keys and no other file of
   * its node. Its records then only move the millisecond on and are held
   * for the keys of the last one. False (nothing done) when a record may be
   * a twin: each is then stepped.
   */
  const passRun = (run: EventRun): boolean => {
    const known = nodes.get(run.node);
    const switches = known === undefined || known.lastFile === run.file ? known?.switches ?? 0 : known.switches + 1;
    if (switches >= 2) return false;
    const sameMs = run.time === now;
    if (sameMs && (keyed || (known !== undefined && known.ms === ms && known.msFile !== run.file))) return false;
    const node = nodeOf(run);
    if (!sameMs) newMs(run.time);
    if (run.lastTime !== now) newMs(run.lastTime);
    if (node.ms !== ms) {
      node.ms = ms;
      node.msFile = run.file;
    }
    msEvents.push(run);
    return true;
  };

  for await (const batch of batches) {
    let out: PassItem[] | undefined;
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i]!;
      if (isRun(item)) {
        if (passRun(item)) {
          out?.push(item);
          continue;
        }
        // Record by record: the run's events stand in its place.
        out ??= batch.slice(0, i);
        for (const e of item.events()) {
          if (step(e)) out.push(e);
          else onDrop?.(e);
        }
        continue;
      }
      if (step(item)) {
        out?.push(item);
        continue;
      }
      // A twin from another file: copy what came before it, then skip it.
      out ??= batch.slice(0, i);
      onDrop?.(item);
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
