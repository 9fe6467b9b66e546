import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeBatchesByTime, mergeByTime, type Divisible } from '../../src/timeline/merge.js';

async function* batches<T>(...parts: T[][]): AsyncGenerator<T[]> {
  for (const p of parts) yield p;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('mergeByTime', () => {
  it('interleaves sorted streams by time across batch boundaries', async () => {
    const a = batches([{ time: 1, id: 'a1' }, { time: 4, id: 'a4' }], [], [{ time: 9, id: 'a9' }]);
    const b = batches([{ time: 2, id: 'b2' }], [{ time: 3, id: 'b3' }, { time: 10, id: 'b10' }]);
    const c = batches<{ time: number; id: string }>();
    const ids = (await collect(mergeByTime([a, b, c]))).map((e) => e.id);
    expect(ids).toEqual(['a1', 'b2', 'b3', 'a4', 'a9', 'b10']);
  });

  it('breaks ties by stream order, so output is deterministic', async () => {
    const a = batches([{ time: 5, id: 'a' }]);
    const b = batches([{ time: 5, id: 'b' }]);
    const c = batches([{ time: 5, id: 'c' }]);
    expect((await collect(mergeByTime([c, a, b]))).map((e) => e.id)).toEqual(['c', 'a', 'b']);
  });

  it('keeps an out-of-order record of one stream instead of dropping it', async () => {
    const a = batches([{ time: 1, id: 'a1' }, { time: 5, id: 'a5' }, { time: 3, id: 'a3' }]);
    const b = batches([{ time: 4, id: 'b4' }]);
    const ids = (await collect(mergeByTime([a, b]))).map((e) => e.id);
    expect(ids).toHaveLength(4);
    expect(ids).toContain('a3');
  });

  it('merges many streams in time order (compared with a full sort)', async () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const all: { time: number; id: string }[] = [];
    const streams = Array.from({ length: 25 }, (_, s) => {
      let t = 0;
      const items = Array.from({ length: 200 }, (_, i) => ({ time: (t += Math.floor(rand() * 50)), id: `${s}:${i}` }));
      all.push(...items);
      const parts: (typeof items)[] = [];
      for (let i = 0; i < items.length;) {
        const n = Math.floor(rand() * 30);
        parts.push(items.slice(i, i + n));
        i += n;
      }
      return batches(...parts);
    });
    const merged = await collect(mergeByTime(streams));
    expect(merged).toHaveLength(all.length);
    for (let i = 1; i < merged.length; i++) expect(merged[i]!.time).toBeGreaterThanOrEqual(merged[i - 1]!.time);
  });
});

describe('mergeBatchesByTime with start bounds', () => {
  it('starts a stream only when the merge reaches its start, in the same order as starting all at once', async () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    // 200 streams: each covers a short span; spans overlap their neighbours' a little.
    const data = Array.from({ length: 200 }, (_, s) => {
      let t = s * 100 + Math.floor(rand() * 50);
      return Array.from({ length: 3 }, () => Array.from({ length: 4 }, (_, k) => ({ time: (t += Math.floor(rand() * 10)), id: `${s}.${k}` })));
    });
    const starts = data.map((batches) => batches[0]![0]!.time - 5);
    let open = 0;
    let most = 0;
    const stream = (s: number) => (async function* () {
      open++;
      most = Math.max(most, open);
      try {
        for (const b of data[s]!) yield b;
      } finally {
        open--;
      }
    })();
    const lazy: string[] = [];
    for await (const b of mergeBatchesByTime(data.map((_, s) => stream(s)), starts)) lazy.push(...b.map((e) => e.id));
    const eager: string[] = [];
    for await (const b of mergeBatchesByTime(data.map((parts) => batches(...parts)))) eager.push(...b.map((e) => e.id));
    expect(lazy).toEqual(eager);
    expect(lazy).toHaveLength(200 * 12);
    // Streams whose spans do not overlap were never open together.
    expect(most).toBeLessThanOrEqual(3);
  });

  it('still hands out an item earlier than its stream\'s start (further out of order than the bound said)', async () => {
    const a = batches([{ time: 1, id: 'a1' }], [{ time: 50, id: 'a50' }]);
    const b = batches([{ time: 20, id: 'b20' }, { time: 5, id: 'b5' }]);
    const ids: string[] = [];
    for await (const batch of mergeBatchesByTime([a, b], [0, 20])) ids.push(...batch.map((e) => e.id));
    expect(ids.sort()).toEqual(['a1', 'a50', 'b20', 'b5']);
  });
});

/** A stand-in for a run of light records: several items of one stream in time order, as one. */
class Run implements Divisible {
  constructor(public items: { time: number; id: string }[]) {}

  get time(): number {
    return this.items[0]!.time;
  }

  get lastTime(): number {
    return this.items[this.items.length - 1]!.time;
  }

  takeBefore(time: number, ties: boolean): Run | undefined {
    let k = 0;
    while (k < this.items.length && (this.items[k]!.time < time || (ties && this.items[k]!.time === time))) k++;
    if (k === this.items.length) return undefined;
    const head = new Run(this.items.slice(0, k));
    this.items = this.items.slice(k);
    return head;
  }
}

describe('mergeBatchesByTime with items standing for several (runs)', () => {
  type Item = { time: number; id: string } | Run;
  const ids = (items: Item[]): string[] => items.flatMap((x) => (x instanceof Run ? x.items.map((i) => i.id) : [x.id]));

  it('gives the order of the items the runs stand for, cut where other streams fall among them (ties, starts, inversions)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean(), fc.integer({ min: 1, max: 6 })), { maxLength: 12 }), { minLength: 1, maxLength: 5 }),
      fc.boolean(),
      async (spec, bounded) => {
        // Each stream: steps forward (sometimes back, an inversion), some items grouped into runs (never stepping back within one).
        const flat: { time: number; id: string }[][][] = [];
        const grouped: Item[][][] = [];
        spec.forEach((steps, s) => {
          let t = 0;
          const items: { time: number; id: string }[] = [];
          const parts: Item[] = [];
          steps.forEach(([dt, asRun, n], k) => {
            t = k % 5 === 4 ? Math.max(0, t - dt) : t + dt;
            const run = Array.from({ length: asRun ? n : 1 }, (_, j) => ({ time: t + (j > 0 && j % 2 === 0 ? 1 : 0) * j, id: `${s}.${k}.${j}` }));
            for (let j = 1; j < run.length; j++) run[j]!.time = Math.max(run[j]!.time, run[j - 1]!.time);
            t = run[run.length - 1]!.time;
            items.push(...run);
            parts.push(asRun ? new Run(run) : run[0]!);
          });
          flat.push([items]);
          // Runs and events in batches of up to three items.
          const batched: Item[][] = [];
          for (let i = 0; i < parts.length; i += 3) batched.push(parts.slice(i, i + 3));
          grouped.push(batched);
        });
        const starts = bounded ? spec.map((_, s) => s * 3) : undefined;
        const expected: string[] = [];
        // The reference: every item on its own. Starts only where no stream holds an item before its start.
        const safeStarts = starts && flat.every((b, s) => b[0]!.every((i) => i.time >= starts[s]!)) ? starts : undefined;
        for await (const b of mergeBatchesByTime(flat.map((parts) => batches(...parts)), safeStarts)) expected.push(...b.map((e) => e.id));
        const got: string[] = [];
        for await (const b of mergeBatchesByTime<Item>(grouped.map((parts) => batches(...parts)), safeStarts)) got.push(...ids(b));
        expect(got).toEqual(expected);
      },
    ), { numRuns: 500 });
  });
});
