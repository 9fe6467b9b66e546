import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sectionFromPath } from '../../src/readers/dump-log-segments.js';
import { intValue, tokenize } from '../../src/readers/dump-tokens.js';
import { REPO } from '../commands/run-cli.js';
import { accountedFor, describeDump } from './dump-golden.js';

const kv = (text: string) => Object.fromEntries(tokenize(text).tokens.map((t) => [t.key, t.value]));

describe('tokenize', () => {
  it('splits key: value pairs of a batch line', () => {
    const t = kv('baseOffset: 52660 lastOffset: 52660 count: 1 partitionLeaderEpoch: 3 position: 90289 CreateTime: 1664965080597 compresscodec: NONE crc: 428458902 isvalid: true');
    expect(t).toEqual({
      baseOffset: '52660', lastOffset: '52660', count: '1', partitionLeaderEpoch: '3', position: '90289',
      CreateTime: '1664965080597', compresscodec: 'NONE', crc: '428458902', isvalid: 'true',
    });
  });

  it('keeps header keys that contain `:` and `,`, and a payload with spaces', () => {
    const t = kv('offset: 1 CreateTime: 1739569599085 keySize: -1 valueSize: 14 sequence: -1 headerKeys: [myheader,myotherheader,mythird:header,fourth,header] payload: This is a test: yes, really');
    expect(t.headerKeys).toBe('[myheader,myotherheader,mythird:header,fourth,header]');
    expect(t.payload).toBe('This is a test: yes, really');
    expect(t.sequence).toBe('-1');
  });

  it('ends a header-key list only at a `]` followed by another token', () => {
    const t = kv('offset: 1 CreateTime: 1 keySize: 1 valueSize: 1 sequence: 0 headerKeys: [a] b,c: d] key: k payload: p');
    expect(t.headerKeys).toBe('[a] b,c: d]');
    expect(t.key).toBe('k');
    expect(t.payload).toBe('p');
  });

  it('runs key: up to payload:, and decoder tokens without a colon to the end', () => {
    expect(kv('offset: 1 headerKeys: [] key: offset_commit::group=my-group,partition=input-topic-0 payload: offset=1'))
      .toMatchObject({ key: 'offset_commit::group=my-group,partition=input-topic-0', payload: 'offset=1' });
    expect(kv('offset: 0 keySize: 4 headerKeys: [] SnapshotHeader {"version":0,"lastContainedLogTimestamp":10000}'))
      .toMatchObject({ SnapshotHeader: '{"version":0,"lastContainedLogTimestamp":10000}' });
    expect(kv('offset: 3 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 0')).toMatchObject({ endTxnMarker: 'COMMIT', coordinatorEpoch: '0' });
  });

  it('flags a line cut mid-token and keeps what came before', () => {
    const r = tokenize('baseOffset: 0 lastOffset: 5 count: 6 baseSequence: 0 l');
    expect(r.cut).toBe(true);
    expect(Object.fromEntries(r.tokens.map((t) => [t.key, t.value]))).toEqual({ baseOffset: '0', lastOffset: '5', count: '6', baseSequence: '0' });
    expect(tokenize('baseOffset: 2 lastOffset: 2 isControl:').cut).toBe(true);
    expect(tokenize('offset: 1 headerKeys: [] payload:').cut).toBe(false);
  });

  it('reads integers with the stray `}` of 3.0–4.2 legacy records', () => {
    expect(intValue('123456789}')).toBe(123456789);
    expect(intValue('-1')).toBe(-1);
    expect(intValue('null')).toBeNull();
  });
});

describe('DumpReader', () => {
  it('takes topic, partition and base offset from the Dumping path', () => {
    expect(sectionFromPath('../kafka-logs/account_event-0/00000000000000052262.log', 1)).toMatchObject({
      topic: 'account_event', partition: 0, baseOffset: 52262, fileKind: 'log',
    });
    expect(sectionFromPath('C:\\kafka\\data\\my-topic-12\\00000000000000000100.timeindex', 1)).toMatchObject({
      topic: 'my-topic', partition: 12, baseOffset: 100, fileKind: 'timeindex',
    });
    expect(sectionFromPath('/d/orders-3.0123456789abcdef0123456789abcdef-delete/00000000000000000000.log', 1)).toMatchObject({ topic: 'orders', partition: 3 });
    expect(sectionFromPath('2.log', 1)).toMatchObject({ topic: null, partition: null, baseOffset: 2 });
  });

  it('strips paste line numbers (`12 | `, `12: `, ` 3 `) and keeps the record indent', () => {
    const d = describeDump([
      ' 3 Dumping /tmp/kafka-logs/output-topic-0/00000000000000000000.log',
      '12: Log starting offset: 0',
      '  13 | baseOffset: 0 lastOffset: 0 count: 1 partitionLeaderEpoch: 0 position: 0 CreateTime: 1680383687941 size: 82 magic: 2 compresscodec: none crc: 1 isvalid: true',
      '14 | offset: 0 CreateTime: 1680383687941 keySize: -1 valueSize: 4 sequence: 0 headerKeys: [] payload: tset',
      '  15 | ',
      '16 ...',
      '  5 is followed by 7',
    ].join('\n'));
    expect(d.counts).toMatchObject({ linesRead: 7, headers: 2, batches: 1, records: 1, noise: 2, summaries: 1, numbered: 6, unrecognised: 0 });
    expect(d.entries.find((e) => e.type === 'record')).toMatchObject({ indented: true, offset: 0, payload: 'tset' });
    expect(d.sections[0]).toMatchObject({ topic: 'output-topic', partition: 0 });
  });

  it('joins hard-wrapped lines (mail archives) to the line they continue', () => {
    const d = describeDump([
      'offset: 0 position: 0 isvalid: true payloadsize: 8 magic: 0 compresscodec: ',
      'NoCompressionCodec crc: 3916773564',
      'offset: 1 position: 34 isvalid: true payloadsize: 8 magic: 0 compresscodec: NoCompressionCodec',
      'crc: 3916773565',
      '| offset: 2 CreateTime: 1 keysize: -1 valuesize: 30 sequence: -1 headerKeys: [] payload: {"multi":',
      '  "line payload"}',
    ].join('\n'));
    expect(d.counts).toMatchObject({ linesRead: 6, records: 3, wrapped: 3, unrecognised: 0 });
    expect(d.entries[0]).toMatchObject({ offset: 0, compression: 'NoCompressionCodec', crc: 3916773564 });
    expect(d.entries[1]).toMatchObject({ offset: 1, crc: 3916773565 });
    expect(d.entries[2]).toMatchObject({ offset: 2, payload: '{"multi": "line payload"}' });
  });

  it('counts noise and unknown lines, and keeps unknown keys', () => {
    const d = describeDump([
      'SLF4J: Class path contains multiple SLF4J bindings.',
      '```',
      '$ bin/kafka-dump-log.sh --files x.log',
      '',
      '..',
      'hello there',
      '| offset: 0 CreateTime: 1 keySize: 1 valueSize: 1 sequence: 0 headerKeys: [] futureKey: 42 key: a payload: b',
      'baseOffset: 0 lastOffset: 5 count: 6 baseSequence: 0 l',
    ].join('\n'));
    expect(d.counts).toMatchObject({ linesRead: 8, noise: 5, unrecognised: 1, records: 1, batches: 1, cut: 1 });
    expect(accountedFor(d.counts)).toBe(8);
    expect(d.entries[0]).toMatchObject({ extra: { futureKey: '42' }, key: 'a', payload: 'b' });
    expect(d.entries[1]).toMatchObject({ baseOffset: 0, lastOffset: 5, count: 6, cut: true });
  });

  it('reads an .index section\'s offset/position lines as index entries, not records', () => {
    const d = describeDump('Dumping /x/t-0/00000000000000000000.index\noffset: 28 position: 4169\n');
    expect(d.entries[1]).toMatchObject({ type: 'index', index: 'offset', offset: 28, position: 4169 });
  });
});

// Real pasted dumps (../shared/corpus): every line must land in a counter, none unrecognised.
const CORPUS = join(REPO, '..', 'shared', 'corpus');
const corpusFiles = (): string[] => {
  const out: string[] = [];
  for (const dir of ['dump-excerpts-misc', 'apache-kafka-pr-excerpts', 'strimzi-blog']) {
    const d = join(CORPUS, dir);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (!statSync(p).isFile()) continue;
      const text = readFileSync(p, 'utf8');
      if (/^\s*(?:\d+\s+)?(?:\| )?(?:Dumping |baseOffset: |offset: \d+ (?:position|CreateTime)|timestamp: \d+ offset|Starting offset|Log starting offset)/m.test(text)) out.push(p);
    }
  }
  return out;
};

describe.skipIf(!existsSync(CORPUS))('real DumpLogSegments pastes in ../shared/corpus', () => {
  it('finds the pastes', () => {
    expect(corpusFiles().length).toBeGreaterThanOrEqual(10);
  });
  for (const file of existsSync(CORPUS) ? corpusFiles() : []) {
    it(`accounts for every line of ${file.slice(CORPUS.length + 1)}`, () => {
      const d = describeDump(readFileSync(file, 'utf8'));
      expect(accountedFor(d.counts)).toBe(d.counts.linesRead);
      expect(d.unrecognised).toEqual([]);
      expect(d.counts.batches + d.counts.records + d.counts.indexEntries).toBeGreaterThan(0);
    });
  }
});

it.runIf(!existsSync(CORPUS))('corpus tests skipped: ../shared/corpus is absent', () => {
  console.warn(`skipping the real-corpus dump tests: ${CORPUS} does not exist`);
});
