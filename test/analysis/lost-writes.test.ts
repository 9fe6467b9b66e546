import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeGaps, DEFAULTS } from '../../src/analysis/gap.js';
import { GapReportSchema } from '../../src/model/gap.js';
import { Zone } from '../../src/time/zone.js';
import { REPO } from '../commands/run-cli.js';

const utc = new Zone('UTC');
const UNCLEAN = join(REPO, 'fixtures', 'unclean-election-2024-03-18');

describe('lost writes: the unclean election fixture', () => {
  it('counts the 30 writes broker 1 acknowledged in epoch 4 and lost, with offsets, epochs, time range and the truncation line', async () => {
    const { report } = await analyzeGaps([UNCLEAN], { topic: 'orders', zone: utc, ...DEFAULTS });
    GapReportSchema.parse(report);
    expect(report.lostWrites).toHaveLength(1);
    const l = report.lostWrites[0]!;
    expect(l).toMatchObject({ copies: 3, records: 30, count: 30 });
    expect(l.divergent).toEqual([expect.objectContaining({
      broker: 'broker-1', epoch: 4, nextEpoch: 5, epochEnd: 120, fromOffset: 120, toOffset: 149, records: 30,
      minCreateTime: Date.parse('2024-03-18T09:01:00.000Z'), maxCreateTime: Date.parse('2024-03-18T09:01:14.502Z'),
      firstLine: { file: join(UNCLEAN, 'broker-1', 'dump-while-down', 'orders-0.txt'), line: 244 },
    })]);
    expect(l.epochStarts.find((e) => e.epoch === 5)!.source).toContain('leader-epoch-checkpoint of broker-2');
    expect(l.truncations).toEqual([expect.objectContaining({ node: 'broker-1', offset: 120, line: 16, accountedBy: 30 })]);
    expect(l.mismatches).toEqual([]);

    // The final log's gap: 44 missing, 30 of them the lost writes, 14 never written.
    const after = report.partitions.find((p) => p.broker === 'broker-2')!;
    expect(after.gaps).toHaveLength(1);
    expect(after.gaps[0]).toMatchObject({
      before: { offset: 119, createTime: Date.parse('2024-03-18T09:00:59.502Z') },
      after: { offset: 120, createTime: Date.parse('2024-03-18T09:01:22.000Z') },
      estimatedMissing: 44, lostAcknowledgedInGap: 30, neverWritten: 14, meaning: { kind: 'truncated', lossClaimed: true },
    });
    // The copy taken while broker 1 was down holds the lost writes and has no gap.
    const down = report.partitions.find((p) => p.location.endsWith('dump-while-down'))!;
    expect(down.gaps).toEqual([]);
    expect(down.lastOffset).toBe(149);
  });

  it('without the dump of broker 1 taken while it was down, the truncation line proves at least one lost write', async () => {
    const { report } = await analyzeGaps([join(UNCLEAN, 'broker-1', 'server.log'), join(UNCLEAN, 'broker-1', 'dump-after'), join(UNCLEAN, 'broker-2')], { topic: 'orders', zone: utc, ...DEFAULTS });
    const l = report.lostWrites[0]!;
    expect(l).toMatchObject({ records: 0, count: 1 });
    expect(l.truncations[0]).toMatchObject({ accountedBy: null, lowerBound: 1 });
    expect(l.countMethod).toContain('at least 1 more');
  });
});

function tmpDump(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kf-lost-'));
  const sub = join(dir, 'broker-1');
  mkdirSync(sub);
  const file = join(sub, name);
  writeFileSync(file, text);
  return file;
}

const batch = (o: number, t: number, extra = ''): string =>
  `baseOffset: ${o} lastOffset: ${o} count: 1 baseSequence: ${extra ? o : -1} lastSequence: ${extra ? o : -1} producerId: ${extra || -1} producerEpoch: ${extra ? 0 : -1} partitionLeaderEpoch: 1 isTransactional: false isControl: false position: ${o * 100} CreateTime: ${t} size: 100 magic: 2 compresscodec: NONE crc: ${1000 + o} isvalid: true`;

describe('record-level truth', () => {
  it('combines a batch-level and a record-level dump of one segment: records keep their own CreateTime and take the epoch of their batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-views-'));
    const copy = join(dir, 'broker-3', 'orders-0');
    mkdirSync(copy, { recursive: true });
    const head = 'Dumping /data/orders-0/00000000000000000000.log\nStarting offset: 0\n';
    // One batch of three records: max timestamp 10 500, records at 10 000, 10 250, 10 500.
    const batches = [0, 3, 4].map((o, i) => `baseOffset: ${o} lastOffset: ${o === 0 ? 2 : o} count: ${o === 0 ? 3 : 1} baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: ${i < 2 ? 2 : 3} isTransactional: false isControl: false position: ${i * 200} CreateTime: ${[10_500, 11_000, 90_000][i]} isvalid: true size: 200 magic: 2 compresscodec: NONE crc: ${77 + i}`);
    writeFileSync(join(copy, '0.log.batches.txt'), head + batches.join('\n') + '\n');
    const records = [[0, 10_000], [1, 10_250], [2, 10_500], [3, 11_000], [4, 90_000]].map(([o, t]) => `offset: ${o} position: 0 CreateTime: ${t} isvalid: true keysize: -1 valuesize: 10 magic: 2 compresscodec: NONE producerId: -1 producerEpoch: -1 sequence: -1 isTransactional: false headerKeys: []`);
    writeFileSync(join(copy, '0.log.deep.txt'), head + records.join('\n') + '\n');
    const { report } = await analyzeGaps([dir], { topic: 'orders', zone: utc, ...DEFAULTS, minGapMs: 5_000 });
    expect(report.partitions).toHaveLength(1);
    const p = report.partitions[0]!;
    expect(p).toMatchObject({ broker: 'broker-3', records: 5, firstOffset: 0, lastOffset: 4, warnings: [] });
    expect(p.views.map((v) => v.level).sort()).toEqual(['batch', 'record']);
    expect(p.leaderEpochs.map((e) => [e.epoch, e.firstOffset])).toEqual([[2, 0], [3, 4]]);
    expect(p.createTime.first).toBe(10_000);
    expect(p.gaps).toHaveLength(1);
    expect(p.gaps[0]).toMatchObject({ before: { offset: 3, createTime: 11_000 }, after: { offset: 4, createTime: 90_000 }, leaderEpochBefore: 2, leaderEpochAfter: 3 });
  });

  it('flags isvalid: false and invalid bytes with file:line', async () => {
    const lines = ['Dumping /data/orders-0/00000000000000000000.log', 'Starting offset: 0', batch(0, 1000), batch(1, 2000).replace('isvalid: true', 'isvalid: false'), batch(2, 3000), 'Found 17 invalid bytes at the end of 00000000000000000000.log'];
    const file = tmpDump('orders-0.txt', `${lines.join('\n')}\n`);
    const { report } = await analyzeGaps([file], { topic: 'orders', zone: utc, ...DEFAULTS });
    const p = report.partitions[0]!;
    expect(p.corruption.map((c) => [c.file, c.line, c.offset])).toEqual([[file, 4, 1], [file, 6, null]]);
    expect(p.warnings.join('\n')).toContain(`2 corrupt batches or records (isvalid: false / invalid bytes), first at ${file}:4`);
  });

  it('counts the records missing across a gap from an idempotent producer\'s sequence numbers', async () => {
    const lines = ['Dumping /data/orders-0/00000000000000000000.log', 'Starting offset: 0'];
    for (let o = 0; o < 40; o++) lines.push(batch(o, 1_000 + o * 100, '4242'));
    // Sequence 40–56 never arrived; 57 did, 30 s later.
    lines.push(batch(40, 34_000, '4242').replace('baseSequence: 40 lastSequence: 40', 'baseSequence: 57 lastSequence: 57'));
    const file = tmpDump('orders-0.txt', `${lines.join('\n')}\n`);
    const { report } = await analyzeGaps([file], { topic: 'orders', zone: utc, ...DEFAULTS });
    const g = report.partitions[0]!.gaps[0]!;
    expect(g.estimatedMissing).toBe(17);
    expect(g.estimateMethod).toContain('sequence numbers of idempotent producer 4242');
  });
});

describe('a short spacing the partition had no leader in', () => {
  it('is reported though below the threshold, as buffered, with no loss claimed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-probe-'));
    mkdirSync(join(dir, 'broker-1'));
    mkdirSync(join(dir, 'broker-2'));
    const base = Date.parse('2024-05-01T10:00:00.000Z');
    const lines = ['Dumping /data/orders-0/00000000000000000000.log', 'Starting offset: 0'];
    let t = base;
    let before = 0;
    for (let o = 0; o < 200; o++) {
      t += o === 100 ? 4_000 : 1_000 + (o % 7) * 50;
      if (o === 99) before = t;
      lines.push(batch(o, t));
    }
    writeFileSync(join(dir, 'broker-1', 'orders-0.txt'), `${lines.join('\n')}\n`);
    // Offline 2 s into the 4 s spacing after offset 99.
    const at = new Date(before + 2_000).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
    writeFileSync(join(dir, 'broker-2', 'state-change.log'), `[${at}] TRACE [Controller id=2 epoch=3] Changed partition orders-0 state from OnlinePartition to OfflinePartition (state.change.logger)\n`);
    const { report } = await analyzeGaps([dir], { topic: 'orders', zone: utc, ...DEFAULTS });
    const p = report.partitions[0]!;
    expect(p.spacing.thresholdMs).toBeGreaterThan(4_000);
    expect(p.gaps).toHaveLength(1);
    expect(p.gaps[0]).toMatchObject({ before: { offset: 99 }, after: { offset: 100 }, meaning: { kind: 'buffered', lossClaimed: false }, neverWritten: null });
    expect(p.gaps[0]!.meaning.text).toContain('state-change.log:1');
  });
});

describe('node identity of a dump', () => {
  it('comes from the log.dirs of the server.properties given when the paths do not name the broker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-ident-'));
    mkdirSync(join(dir, 'collected'));
    const lines = ['Dumping /var/kafka/data-7/orders-0/00000000000000000000.log', 'Starting offset: 0', batch(0, 1_000), batch(1, 2_000)];
    writeFileSync(join(dir, 'collected', 'orders-0.txt'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'collected', 'server.properties'), 'broker.id=7\nlog.dirs=/var/kafka/data-7\nzookeeper.connect=zk:2181\nnum.partitions=1\n');
    const { report } = await analyzeGaps([dir], { topic: 'orders', zone: utc, ...DEFAULTS });
    expect(report.partitions[0]).toMatchObject({ broker: 'broker-7' });
    expect(report.partitions[0]!.brokerSource).toContain('log.dirs of broker 7');
  });
});
