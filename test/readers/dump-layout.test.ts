import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyzeGaps, DEFAULTS } from '../../src/analysis/gap.js';
import { readDumpFile, type DumpEntry } from '../../src/readers/dump-log-segments.js';
import { Zone } from '../../src/time/zone.js';
import { tempDir } from '../helpers/tmp.js';

// The byte path checks a line against the layout of the previous line of its
// kind (dump-bytes.ts). A line that differs from that layout in one byte
// outside its numbers must still give what the tokenizer path gives (a .gz
// copy of the same bytes), whether it is read then as a new layout or as text.
const batch = (o: number, t = 1_700_000_000_000 + o * 7) =>
  `baseOffset: ${o} lastOffset: ${o} count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 7 isTransactional: false isControl: false position: ${o * 170} CreateTime: ${t} size: 170 magic: 2 compresscodec: NONE crc: ${3_000_000_000 + o} isvalid: true`;
const record = (o: number, t = 1_700_000_000_000 + o * 7) =>
  `| offset: ${o} CreateTime: ${t} keysize: -1 valuesize: 100 sequence: -1 headerKeys: []`;

/** Pairs of lines, each batch or record changed from the layout before it in one way. */
function variedLines(): string[] {
  const out = ['Dumping /data/kafka-logs/orders-0/00000000000000000000.log', 'Starting offset: 0'];
  const changes: [(l: string) => string, (l: string) => string][] = [
    [(l) => l, (l) => l],
    [(l) => l.replace('lastOffset', 'lastOffzet'), (l) => l.replace('keysize', 'keySize')],
    [(l) => l.replace('isvalid: true', 'isvalid: false'), (l) => l.replace('valuesize', 'valueSize')],
    [(l) => l.replace('baseSequence: -1', 'baseSequence: 5'), (l) => l.replace('sequence: -1', 'sequence: 12')],
    [(l) => l.replace('baseSequence: -1', 'baseSequence: -0'), (l) => l.replace('offset: ', 'offset: -')],
    [(l) => l.replace('NONE', 'LZ4'), (l) => l.replace('[]', '[trace-id,a:b]')],
    [(l) => l.replace('NONE', 'LZ5'), (l) => l.replace('| ', '')],
    [(l) => l.replace('NONE', 'LZ5'), (l) => l.replace('[]', '[x]]')],
    [(l) => l.replace('count: 1', 'count: 12345678901234567'), (l) => l.replace('CreateTime', 'LogAppendTime')],
    [(l) => l.replace('CreateTime', 'LogAppendTime'), (l) => l.replace('CreateTime', 'LogAppendTime')],
    [(l) => l.replace('isControl: false ', 'isControl: false deleteHorizonMs: OptionalLong.empty '), (l) => l.replace(' headerKeys', '  headerKeys')],
    [(l) => l.replace('position: ', 'position: 1a'), (l) => l.replace('headerKeys: []', 'headerKeys: [')],
    [(l) => l.slice(0, -1), (l) => l.replace('size: 100', 'size:100')],
    [(l) => `${l} `, (l) => l.replace('keysize: -1', 'keysize: 7')],
    [(l) => l.replace('isTransactional: false', 'isTransactional: true'), (l) => `${l}x`],
    [(l) => l.replace('magic: 2', 'magic: 2x'), (l) => l],
    [(l) => l, (l) => l.replace('-1 valuesize', '- valuesize')],
  ];
  let o = 0;
  // Each change twice: once as a new layout after the plain one, once repeated (its own layout kept).
  for (const [b, r] of changes) {
    for (let k = 0; k < 2; k++, o++) out.push(b(batch(o)), r(record(o)));
    out.push(batch(o), record(o));
    o++;
  }
  return out;
}

async function read(path: string) {
  const entries: DumpEntry[] = [];
  const unrecognised: [number, string][] = [];
  const result = await readDumpFile(path, (e) => entries.push(e), { onUnrecognised: (line, text) => unrecognised.push([line, text]) });
  return { entries, unrecognised, result };
}

describe('layouts of the byte path', () => {
  const dir = tempDir();

  it('gives the tokenizer path\'s entries for lines one byte off the layout before them', async () => {
    const bytes = Buffer.from(`${variedLines().join('\n')}\n`);
    const fast = await read(dir.write('plain/dump.txt', bytes));
    const slow = await read(dir.write('gz/dump.txt.gz', gzipSync(bytes)));
    // The changes reach every outcome: new layouts, text-path lines, unrecognised lines.
    expect(slow.entries.filter((e) => e.type === 'batch' && e.isValid === false)).toHaveLength(2);
    expect(slow.entries.filter((e) => e.type === 'record' && e.timestampType === 'LogAppendTime').length).toBeGreaterThanOrEqual(4);
    expect(slow.entries.some((e) => e.type === 'batch' && e.extra?.lastOffzet === '3')).toBe(true);
    expect(fast.entries).toEqual(slow.entries);
    expect(fast.unrecognised).toEqual(slow.unrecognised);
    expect(fast.result).toEqual(slow.result);
  });

  it('gap gives the same report from the byte path\'s numbers as from entries', async () => {
    const lines = ['Dumping /data/kafka-logs/orders-0/00000000000000000000.log', 'Starting offset: 0'];
    let t = 1_700_000_000_000;
    for (let o = 0; o < 3000; o++) {
      // A two-hour hole, a step back in time, an epoch change, a batch without records and a hole in offsets.
      t += o === 1500 ? 7_200_000 : o === 2000 ? -5_000 : (o * 7919) % 41;
      const b = batch(o, t).replace('partitionLeaderEpoch: 7', `partitionLeaderEpoch: ${o < 2500 ? 7 : 8}`);
      if (o === 2700) lines.push(b.replace(`lastOffset: ${o}`, `lastOffset: ${o + 2}`).replace('count: 1', 'count: 3'));
      else if (o === 2701 || o === 2702 || o === 2800) continue;
      else lines.push(b, o % 3 === 0 ? record(o, t).replace('| ', '') : record(o, t));
    }
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const options = { topic: 'orders', zone: new Zone('UTC'), ...DEFAULTS };
    const fast = await analyzeGaps([dir.write('gapplain/orders-0.txt', bytes)], options);
    const slow = await analyzeGaps([dir.write('gapgz/orders-0.txt.gz', gzipSync(bytes))], options);
    const p = fast.report.partitions[0]!;
    expect(p.gaps).toHaveLength(1);
    expect(p.clockSkew.backwards).toBeGreaterThan(0);
    expect(p.leaderEpochs.map((e) => e.epoch)).toEqual([7, 8]);
    expect(p.offsetDiscontinuities).toEqual([{ from: 2799, to: 2801, missing: 1 }]);
    expect(p.records).toBe(2999);
    const same = (r: typeof fast.report) => JSON.parse(JSON.stringify(r).replaceAll(/gap(?:plain|gz)(?:\/orders-0\.txt(?:\.gz)?)?/g, 'F'));
    expect(same(fast.report)).toEqual(same(slow.report));
  });
});
