import { describe, expect, it } from 'vitest';
import { mergeBatchesByTime, mergeByTime } from '../../src/timeline/merge.js';

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
