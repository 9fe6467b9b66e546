import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dropAppenderTwins, TWIN_SPAN_MS } from '../../src/timeline/dedupe.js';
import type { TimelineEvent } from '../../src/timeline/event.js';
import { eventsOf, type PassItem } from '../../src/timeline/run.js';
import { TestRun } from '../helpers/event-run.js';

function ev(time: number, file: string, message: string, node = 'zk-1'): TimelineEvent {
  return { time, node, nodeKind: 'zookeeper', file, line: 1, rule: null, category: 'zk-quorum', severity: 'info', message, fields: {}, continuation: [] };
}

async function* batches(...parts: TimelineEvent[][]): AsyncGenerator<TimelineEvent[]> {
  for (const p of parts) yield p;
}

async function collect(it: AsyncIterable<PassItem[]>): Promise<TimelineEvent[]> {
  const out: TimelineEvent[] = [];
  for await (const b of it) for (const item of b) out.push(...eventsOf(item));
  return out;
}

describe('dropAppenderTwins', () => {
  it('keeps one of a record written by one node through two appenders (two files), the first read', async () => {
    const out = await collect(dropAppenderTwins(batches(
      [ev(1, 'native.log', 'LEADING'), ev(1, 'kafka-layout.log', 'LEADING'), ev(2, 'native.log', 'FOLLOWING')],
      [ev(2, 'kafka-layout.log', 'FOLLOWING'), ev(3, 'kafka-layout.log', 'LOOKING')],
    )));
    expect(out.map((e) => `${e.time} ${e.file} ${e.message}`)).toEqual([
      '1 native.log LEADING', '2 native.log FOLLOWING', '3 kafka-layout.log LOOKING',
    ]);
  });

  it('keeps a record repeated within one file, and the same text from another node or another millisecond', async () => {
    const out = await collect(dropAppenderTwins(batches(
      [ev(1, 'a.log', 'Expiring session 0x1'), ev(1, 'a.log', 'Expiring session 0x1'), ev(1, 'b.log', 'Expiring session 0x1', 'zk-2'), ev(2, 'b.log', 'Expiring session 0x1')],
    )));
    expect(out).toHaveLength(4);
  });
});

describe('dropAppenderTwins, twins apart', () => {
  it('drops a twin that comes after records of another time (a file stepping back a little), within the span', async () => {
    const out = await collect(dropAppenderTwins(batches(
      [ev(9, 'native.log', 'FOLLOWING'), ev(9, 'kafka-layout.log', 'FOLLOWING')],
      [ev(10, 'native.log', 'Exception when following the leader'), ev(12, 'native.log', 'Shutdown called'), ev(11, 'native.log', 'LOOKING')],
      [ev(10, 'kafka-layout.log', 'Exception when following the leader'), ev(12, 'kafka-layout.log', 'Shutdown called')],
    )));
    expect(out.map((e) => `${e.time} ${e.file} ${e.message}`)).toEqual([
      '9 native.log FOLLOWING', '10 native.log Exception when following the leader', '12 native.log Shutdown called', '11 native.log LOOKING',
    ]);
  });

  it('keeps the same record in two files of a rotation (the node moved to the next file once, no second appender)', async () => {
    const out = await collect(dropAppenderTwins(batches(
      [ev(10, 'server.log.1', 'Shutdown called'), ev(12, 'server.log.1', 'x'), ev(11, 'server.log.1', 'y'), ev(10, 'server.log', 'Shutdown called')],
    )));
    expect(out).toHaveLength(4);
  });

  it('forgets keys older than the span', async () => {
    const out = await collect(dropAppenderTwins(batches(
      [ev(9, 'a.log', 'w'), ev(9, 'b.log', 'w'), ev(10, 'a.log', 'x'), ev(10 + TWIN_SPAN_MS + 1, 'a.log', 'y'), ev(10, 'b.log', 'x')],
    )));
    expect(out.map((e) => `${e.time} ${e.file} ${e.message}`)).toEqual(['9 a.log w', '10 a.log x', `${10 + TWIN_SPAN_MS + 1} a.log y`, '10 b.log x']);
  });
});

/**
 * The rule the keys of a millisecond are made lazily for, made eagerly for
 * every event: kept as the reference the lazy keys must agree with.
 */
async function eagerTwins(batches: AsyncIterable<TimelineEvent[]>): Promise<TimelineEvent[]> {
  const out: TimelineEvent[] = [];
  let now = Number.NaN;
  let current = new Map<string, string>();
  const lastFile = new Map<string, string>();
  const switches = new Map<string, number>();
  const past: { time: number; key: string; file: string }[] = [];
  let latest = Number.NEGATIVE_INFINITY;
  for await (const batch of batches) {
    for (const e of batch) {
      if (e.time !== now) {
        now = e.time;
        current = new Map();
      }
      const was = lastFile.get(e.node);
      if (was !== e.file) {
        lastFile.set(e.node, e.file);
        if (was !== undefined) switches.set(e.node, (switches.get(e.node) ?? 0) + 1);
      }
      const key = `${e.node}\u0000${e.rule?.id ?? ''}\u0000${e.message}`;
      let file = current.get(key);
      if (file === undefined) current.set(key, e.file);
      if ((switches.get(e.node) ?? 0) >= 2) {
        // Records of the span, in the order they came; as log time moves on, forgotten from the first while older than the span.
        if (e.time > latest) {
          latest = e.time;
          while (past.length > 0 && past[0]!.time < latest - TWIN_SPAN_MS) past.shift();
        }
        const twin = past.find((p) => p.time === e.time && p.key === key);
        if (twin) file ??= twin.file;
        else past.push({ time: e.time, key, file: e.file });
      }
      if (file === undefined || file === e.file) out.push(e);
    }
  }
  return out;
}

describe('dropAppenderTwins, keys made only when a millisecond has two files of a node', () => {
  it('keeps and drops exactly what keys made for every event would', async () => {
    const event = fc.record({
      time: fc.integer({ min: 0, max: 12 }).map((t) => t * 300),
      file: fc.constantFrom('a.log', 'b.log', 'c.log'),
      message: fc.constantFrom('LEADING', 'FOLLOWING', 'x'),
      node: fc.constantFrom('zk-1', 'zk-2'),
    });
    await fc.assert(fc.asyncProperty(fc.array(fc.array(event, { maxLength: 8 }), { maxLength: 8 }), async (parts) => {
      const stream = parts.map((p) => p.map((x) => ev(x.time, x.file, x.message, x.node)));
      const lazy = await collect(dropAppenderTwins(batches(...stream)));
      expect(lazy).toEqual(await eagerTwins(batches(...stream)));
    }), { numRuns: 2000 });
  });
});


describe('dropAppenderTwins, runs of records', () => {
  it('keeps and drops exactly what it does with the records one by one', async () => {
    const event = fc.record({
      // Steps back too: a twin may come after records of another time.
      dt: fc.constantFrom(0, 0, 1, 300, 1500, -300),
      file: fc.constantFrom('a.log', 'b.log', 'c.log'),
      message: fc.constantFrom('LEADING', 'FOLLOWING', 'x'),
      node: fc.constantFrom('zk-1', 'zk-2'),
      run: fc.boolean(),
    });
    await fc.assert(fc.asyncProperty(fc.array(fc.array(event, { maxLength: 10 }), { maxLength: 8 }), async (parts) => {
      let t = 0;
      const one: TimelineEvent[][] = [];
      const grouped: PassItem[][] = [];
      let id = 0;
      for (const p of parts) {
        const events: TimelineEvent[] = [];
        const items: PassItem[] = [];
        for (const x of p) {
          t = Math.max(0, t + x.dt);
          const e = { ...ev(t, x.file, x.message, x.node), line: id++ };
          events.push(e);
          const last = items[items.length - 1];
          // A record joins the run before it when of the same node and file, and not earlier than its last.
          if (x.run && last instanceof TestRun && last.node === e.node && last.file === e.file && e.time >= last.lastTime) last.items.push(e);
          else items.push(x.run ? new TestRun([e]) : e);
        }
        one.push(events);
        grouped.push(items);
      }
      const droppedOne: number[] = [];
      const byOne = await collect(dropAppenderTwins(batches(...one), (e) => droppedOne.push(e.line)));
      const droppedRuns: number[] = [];
      const byRuns: TimelineEvent[] = [];
      for await (const b of dropAppenderTwins((async function* () { yield* grouped; })(), (e) => droppedRuns.push(e.line))) {
        for (const item of b) byRuns.push(...eventsOf(item));
      }
      expect(byRuns.map((e) => e.line)).toEqual(byOne.map((e) => e.line));
      expect(droppedRuns).toEqual(droppedOne);
    }), { numRuns: 3000 });
  });
});
