import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readDumpFile, type DumpEntry, type DumpLineSink } from '../../src/readers/dump-log-segments.js';
import { tempDir } from '../helpers/tmp.js';

// The byte-level path (plain files, dump-bytes.ts) must give exactly what the
// tokenizer path gives (a .gz copy of the same bytes): the same entries, line
// numbers, accounting and unrecognised lines, with odd lines among the fast shapes.
const batch = (o: number, extra = '') =>
  `baseOffset: ${o} lastOffset: ${o} count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 7 isTransactional: false isControl: false ${extra}position: ${o * 170} CreateTime: ${1_700_000_000_000 + o} size: 170 magic: 2 compresscodec: NONE crc: ${3_000_000_000 + o} isvalid: true`;
const record = (o: number, tail = 'headerKeys: []') =>
  `| offset: ${o} CreateTime: ${1_700_000_000_000 + o} keysize: -1 valuesize: 100 sequence: -1 ${tail}`;

const LINES: (string | Buffer)[] = [
  'Dumping /data/kafka-logs/orders-0/00000000000000000000.log',
  'Starting offset: 0',
  batch(0), record(0),
  batch(1, 'deleteHorizonMs: OptionalLong.empty '), `| offset: 1 LogAppendTime: 1700000000001 keySize: 3 valueSize: 5 sequence: 0 headerKeys: [a,b:c]`,
  batch(2).replace('NONE', 'zstd'), record(2, 'headerKeys: [x] key: k payload: v'),
  // A hard wrap: the continuation joins the fast line before it.
  batch(3).replace(' crc:', '\ncrc:'),
  record(3), 'extraKey: joined to the record above',
  `${batch(4)} `, record(4).replace('| ', '|  '),
  batch(5).replace('count: 1', 'count: -0'), record(5).replace('offset: 5', 'offset: 1234567890123456'),
  batch(6).replace('isvalid: true', 'isvalid: tru'), record(6).replace('headerKeys: []', 'headerKeys: [a]b]'),
  `${batch(7)}\r`, `offset: 7 CreateTime: 1700000000007 keysize: -1 valuesize: 100 sequence: -1 headerKeys: []`,
  '  12 | ' + record(8), 'SLF4J: Class path contains multiple SLF4J bindings.', '', 'some noise nobody knows',
  Buffer.from(record(9).replace('[]', '[caf\xe9]'), 'latin1'), record(10).replace('-1 headerKeys', '-1 headerKeys:'),
  batch(11).replace('NONE', 'NO:NE'), `${record(11)}\0`,
  'Dumping /data/kafka-logs/orders-0/00000000000000000000.index',
  'offset: 12 CreateTime: 1700000000012 keysize: -1 valuesize: 100 sequence: -1 headerKeys: []',
  'offset: 12 position: 2040',
  'Dumping /data/kafka-logs/orders-0/00000000000000000013.log',
  batch(13), record(13),
];

function fileBytes(lines: readonly (string | Buffer)[]): Buffer {
  const parts = lines.map((l) => (typeof l === 'string' ? Buffer.from(`${l}\n`, 'utf8') : Buffer.concat([l, Buffer.from('\n')])));
  // The last line without its newline.
  const all = Buffer.concat(parts);
  return all.subarray(0, all.length - 1);
}

async function read(path: string) {
  const entries: DumpEntry[] = [];
  const unrecognised: [number, string][] = [];
  const result = await readDumpFile(path, (e) => entries.push(e), { onUnrecognised: (line, text) => unrecognised.push([line, text]) });
  return { entries, unrecognised, result };
}

describe('byte-level reading of DumpLogSegments output', () => {
  const dir = tempDir();

  it('gives the same entries and accounting as the tokenizer path', async () => {
    const bytes = fileBytes(LINES);
    const fast = await read(dir.write('plain/dump.txt', bytes));
    const slow = await read(dir.write('gz/dump.txt.gz', gzipSync(bytes)));
    expect(slow.result.counts.linesRead).toBe(bytes.toString('latin1').split('\n').length);
    expect(slow.result.counts.wrapped).toBeGreaterThanOrEqual(2);
    expect(slow.entries.filter((e) => e.type === 'batch').length).toBeGreaterThanOrEqual(10);
    expect(slow.entries.some((e) => e.type === 'index')).toBe(true);
    expect(Object.is((slow.entries.find((e) => e.type === 'batch' && e.baseOffset === 5) as { count: number }).count, -0)).toBe(true);
    expect(fast.entries).toEqual(slow.entries);
    expect(fast.unrecognised).toEqual(slow.unrecognised);
    expect(fast.result).toEqual(slow.result);
  });

  it('reads a dump far larger than its buffer the same way', async () => {
    const body = fileBytes(LINES.slice(2, -4));
    const many = Buffer.concat([Buffer.from(`${LINES[0]}\n`), ...Array.from({ length: 6000 }, () => Buffer.concat([body, Buffer.from('\n')]))]);
    expect(many.length).toBeGreaterThan(2 << 20);
    const fast = await read(dir.write('big/dump.txt', many));
    const slow = await read(dir.write('biggz/dump.txt.gz', gzipSync(many)));
    expect(fast.result).toEqual(slow.result);
    expect(fast.unrecognised).toEqual(slow.unrecognised);
    expect(fast.entries.length).toBe(slow.entries.length);
    expect(fast.entries).toEqual(slow.entries);
  });

  it('reads the dump fixtures the same way', async () => {
    for (const name of ['e-2.2-2.7', 'f-2.8', 'g-3.0-4.2', 'h-4.3', 'd-2.0-2.1']) {
      const bytes = readFileSync(`fixtures/dump-log-segments/${name}.txt`);
      const fast = await read(dir.write(`fx/${name}.txt`, bytes));
      const slow = await read(dir.write(`fxgz/${name}.txt.gz`, gzipSync(bytes)));
      expect(fast.entries, name).toEqual(slow.entries);
      expect(fast.result, name).toEqual(slow.result);
    }
  });
});

// gap reads the two fast shapes as numbers (DumpLineSink), from the native
// scanner when it is built: the same figures, line numbers and accounting as
// the entries of the tokenizer path.
type Seen = [string, number, ...(number | string | null)[]];
async function readNumbers(path: string) {
  const seen: Seen[] = [];
  const other: DumpEntry[] = [];
  const numbers: DumpLineSink = {
    batchLine: (section, line, base, last, count, type, time, epoch) => seen.push(['batch', line, section.path, base, last, count, type, time, epoch]),
    recordLine: (section, line, offset, type, time) => seen.push(['record', line, section.path, offset, type, time]),
  };
  const onEntry = (e: DumpEntry): void => {
    if (e.type === 'batch' && !e.legacy) seen.push(['batch', e.line, e.section.path, e.baseOffset, e.lastOffset, e.count, e.timestampType, e.timestamp, e.partitionLeaderEpoch]);
    else if (e.type === 'record') seen.push(['record', e.line, e.section.path, e.offset, e.timestampType, e.timestamp]);
    else other.push(e);
  };
  const result = await readDumpFile(path, onEntry, { numbers });
  return { seen, other, result };
}

describe('byte-level reading of DumpLogSegments output as numbers (gap)', () => {
  const dir = tempDir();

  it('gives the same figures and accounting as the tokenizer path, within and across buffers', async () => {
    const small = fileBytes(LINES);
    const body = fileBytes(LINES.slice(2, -4));
    const many = Buffer.concat([Buffer.from(`${LINES[0]}\n`), ...Array.from({ length: 6000 }, () => Buffer.concat([body, Buffer.from('\n')]))]);
    for (const [name, bytes] of [['small', small], ['many', many]] as const) {
      const fast = await readNumbers(dir.write(`n-${name}/dump.txt`, bytes));
      const slow = await readNumbers(dir.write(`n-${name}-gz/dump.txt.gz`, gzipSync(bytes)));
      expect(fast.seen.length, name).toBeGreaterThan(10);
      expect(fast.seen, name).toEqual(slow.seen);
      expect(fast.other, name).toEqual(slow.other);
      expect(fast.result, name).toEqual(slow.result);
    }
  });
});
