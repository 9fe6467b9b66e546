/**
 * The spooled windows' order kept in sorted runs on disk and merged when read
 * (order-runs.ts): the keys come back as sorting them all in memory gives
 * them, whatever the runs' size and however many are merged at once, in a
 * file and held in memory where no file can be made.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { byOrder, OrderRuns, type OrderKey } from '../../src/windows/order-runs.js';
import { tempDir } from '../helpers/tmp.js';

/** Keys with many ties on start and kind (seq tells them apart), in no order, and places past 2^32. */
function keys(n: number): OrderKey[] {
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
  const seqs = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [seqs[i], seqs[j]] = [seqs[j]!, seqs[i]!];
  }
  return seqs.map((seq) => ({ start: 1.7e12 + (next() % 50) * 0.5, kind: (next() % 4) - 1, seq, place: 2 ** 33 + seq * 7 }));
}

function read(runs: OrderRuns): OrderKey[] {
  // Each key is the reader's own object: copied.
  return Array.from(runs, ({ start, kind, seq, place }) => ({ start, kind, seq, place }));
}

describe('the windows order in runs', () => {
  const tmp = process.env.TMPDIR;
  afterEach(() => {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  });

  for (const [run, fanIn] of [[1, 2], [3, 2], [7, 3], [64, 4], [1 << 14, 64]] as const) {
    it(`reads back every key in order (runs of ${run}, merged ${fanIn} at a time)`, () => {
      const all = keys(1000);
      const runs = new OrderRuns(run, fanIn);
      for (const k of all) runs.put(k.start, k.kind, k.seq, k.place);
      const expected = [...all].sort(byOrder);
      expect(read(runs)).toEqual(expected);
      // Read again, and after more keys: the same, then all of them.
      expect(read(runs)).toEqual(expected);
      const more = keys(1100).slice(1000);
      for (const k of more) runs.put(k.start, k.kind, k.seq, k.place);
      expect(read(runs)).toEqual([...all, ...more].sort(byOrder));
      runs.close();
    });
  }

  it('holds the runs in memory where no temporary file can be made', () => {
    process.env.TMPDIR = join(tempDir('kforensics-order-').root, 'no-such-dir');
    const all = keys(500);
    const runs = new OrderRuns(9, 3);
    for (const k of all) runs.put(k.start, k.kind, k.seq, k.place);
    expect(read(runs)).toEqual([...all].sort(byOrder));
  });

  it('gives nothing when nothing was put', () => {
    expect(read(new OrderRuns())).toEqual([]);
  });
});
