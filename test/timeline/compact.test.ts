import { describe, expect, it } from 'vitest';
import { compactRuns, Compactor, type CompactRow } from '../../src/timeline/compact.js';
import type { TimelineEvent } from '../../src/timeline/event.js';
import { CATALOGUE } from '../../src/catalogue/index.js';

const rule = CATALOGUE.find((r) => r.id === 'kafka.fetcher.removed')!;
const other = CATALOGUE.find((r) => r.id === 'zk.session.expired')!;

function ev(time: number, node: string, r = rule): TimelineEvent {
  return {
    time, node, nodeKind: 'kafka-broker', file: 'f', line: time, rule: r, category: r.category,
    severity: r.severity, message: `m${time}`, fields: {}, continuation: [],
  };
}

async function rows(events: TimelineEvent[], mode: 'burst' | 'run' = 'burst') {
  const out = [];
  for (const r of compactRuns(events, 1000, mode)) out.push([r.first.time, r.first.node, r.count, r.last.time]);
  return out;
}

describe('compactRuns', () => {
  it('folds 40 fetcher removals on one node within a second into one row', async () => {
    const burst = Array.from({ length: 40 }, (_, i) => ev(10_000 + i * 20, 'broker-3'));
    expect(await rows(burst)).toEqual([[10_000, 'broker-3', 40, 10_780]]);
  });

  it('does not fold an event earlier than the row it would join (time went backwards)', async () => {
    // Six restarts logged by a node whose clock was set back each time: six rows, not one ×6.
    const back = [500, 400, 300, 200, 100, 0].map((t) => ev(10_000 + t, 'broker-1'));
    expect((await rows(back)).map((r) => r[2])).toEqual([1, 1, 1, 1, 1, 1]);
    expect((await rows(back, 'run')).map((r) => r[2])).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('keeps other nodes and other rules in their own rows, in time order', async () => {
    const events = [ev(0, 'broker-2'), ev(10, 'broker-3'), ev(20, 'broker-2'), ev(30, 'zk-1', other), ev(5000, 'broker-2')];
    expect(await rows(events)).toEqual([
      [0, 'broker-2', 2, 20],
      [10, 'broker-3', 1, 10],
      [30, 'zk-1', 1, 30],
      [5000, 'broker-2', 1, 5000],
    ]);
  });

  it('folds by node and rule id (rule objects of their own, as an event file brings them), records no rule classifies by message', async () => {
    const copy = { ...rule };
    const bare = (time: number, node: string, message: string): TimelineEvent => ({ ...ev(time, node), rule: null, category: 'unclassified', message });
    const events = [ev(0, 'b'), ev(10, 'b', copy), bare(20, 'b', 'x'), bare(30, 'b', 'x'), bare(40, 'b', 'y'), bare(50, 'c', 'x'), ev(60, 'c', copy)];
    expect(await rows(events)).toEqual([[0, 'b', 2, 10], [20, 'b', 2, 30], [40, 'b', 1, 40], [50, 'c', 1, 50], [60, 'c', 1, 60]]);
  });

  it('starts a new row once the window has passed', async () => {
    const events = [ev(0, 'b'), ev(900, 'b'), ev(1500, 'b')];
    expect(await rows(events)).toEqual([[0, 'b', 2, 900], [1500, 'b', 1, 1500]]);
  });

  it('in run mode a row goes on while its events keep coming (a fetcher retrying every 700 ms)', async () => {
    const retries = Array.from({ length: 10 }, (_, i) => ev(i * 700, 'broker-2'));
    expect(await rows(retries, 'run')).toEqual([[0, 'broker-2', 10, 6300]]);
    expect(await rows(retries, 'burst')).toEqual([[0, 'broker-2', 2, 700], [1400, 'broker-2', 2, 2100], [2800, 'broker-2', 2, 3500], [4200, 'broker-2', 2, 4900], [5600, 'broker-2', 2, 6300]]);
  });

  it('releases, fed in batches over thousands of rows, what the plain queue of open rows releases', () => {
    // The reference: every row open in a queue, released from its head (what the folding did before it was made of Compactor).
    const reference = (events: TimelineEvent[]): CompactRow[] => {
      const out: CompactRow[] = [];
      const open = new Map<string, CompactRow>();
      const queue: CompactRow[] = [];
      const key = (e: TimelineEvent) => `${e.node} ${e.rule!.id}`;
      for (const e of events) {
        while (queue.length > 0 && e.time - queue[0]!.first.time > 1000) {
          const row = queue.shift()!;
          if (open.get(key(row.first)) === row) open.delete(key(row.first));
          out.push(row);
        }
        const row = open.get(key(e));
        if (row && e.time >= row.last.time && e.time - row.first.time <= 1000) {
          row.count++;
          row.last = e;
        } else {
          const fresh = { first: e, last: e, count: 1 };
          open.set(key(e), fresh);
          queue.push(fresh);
        }
      }
      return [...out, ...queue];
    };
    // Dense enough that many rows are open at once, long enough that released rows are let go in blocks.
    const events: TimelineEvent[] = [];
    let t = 0;
    for (let i = 0; i < 20_000; i++) {
      t += (i * 7919) % 13 === 0 ? 1500 : (i * 31) % 17;
      events.push({ ...ev(t, `broker-${(i * 13) % 5}`, i % 3 === 0 ? other : rule), line: i + 1 });
    }
    const compactor = new Compactor();
    const batched: CompactRow[] = [];
    for (let i = 0; i < events.length; i += 977) for (const e of events.slice(i, i + 977)) compactor.push(e, batched);
    compactor.end(batched);
    const expected = reference(events);
    expect(expected.length).toBeGreaterThan(2000);
    expect(batched.map((r) => [r.first.line, r.count, r.last.line])).toEqual(expected.map((r) => [r.first.line, r.count, r.last.line]));
  });
});
