import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGaps, DEFAULTS, formatDuration } from '../../src/analysis/gap.js';
import { SpacingHistogram } from '../../src/analysis/histogram.js';
import { PartitionScan } from '../../src/analysis/partition-scan.js';
import { GapReportSchema } from '../../src/model/gap.js';
import { DumpReader, type DumpEntry } from '../../src/readers/dump-log-segments.js';
import { Zone } from '../../src/time/zone.js';
import { makeSeedIncident, SEED_DUMP } from './seed-logs.js';

const seoul = new Zone('Asia/Seoul');
const options = { topic: 'account_event', zone: seoul, ...DEFAULTS };

describe('gap analysis of the seed-001 dump (no logs)', () => {
  it('finds exactly the 17:02:56.908 → 19:18:00.597 +09:00 gap with its figures', async () => {
    const { report } = await analyzeGaps([SEED_DUMP], options);
    expect(GapReportSchema.parse(report)).toBeTruthy();
    expect(report.partitions).toHaveLength(1);
    const p = report.partitions[0]!;
    expect(p).toMatchObject({
      topic: 'account_event', partition: 0, broker: 'broker-1',
      firstOffset: 52262, lastOffset: 52661, records: 400, batches: 400,
      timestampType: 'CreateTime',
      leaderEpochs: [{ epoch: 3, firstOffset: 52262 }],
      offsetDiscontinuities: [],
      clockSkew: { backwards: 0, future: null },
    });
    expect(p.createTime.max).toBe(1664965464265);
    expect(p.spacing.count).toBe(399);
    // 10 × P98.746 of the spacings ≈ 400 s: the 383.668 s spacing after the recovery is not a gap.
    expect(p.spacing.thresholdMs).toBeGreaterThan(383_668);
    expect(p.gaps).toHaveLength(1);
    const g = p.gaps[0]!;
    expect(g.before).toMatchObject({ offset: 52659, createTime: 1664956976908, time: '2022-10-05T17:02:56.908+09:00', utc: '2022-10-05T08:02:56.908Z', line: 798 });
    expect(g.after).toMatchObject({ offset: 52660, createTime: 1664965080597, time: '2022-10-05T19:18:00.597+09:00', utc: '2022-10-05T10:18:00.597Z', line: 800 });
    expect(g.durationMs).toBe(8_103_689);
    expect(g.duration).toBe('2 h 15 m 3.689 s');
    expect(g.leaderEpochBefore).toBe(3);
    expect(g.leaderEpochAfter).toBe(3);
    expect(g.rateWindow).toEqual({ records: 99, fromOffset: 52560, toOffset: 52659, fromCreateTime: 1664954421834, toCreateTime: 1664956976908, durationMs: 2_555_074 });
    expect(g.rate).toBeCloseTo(99 / 2555.074, 9);
    // 0.038746 records/s × 8103.689 s = 313.99 spacings: 314 intervals hold 313 records strictly between the two.
    expect(g.estimatedMissing).toBe(313);
    expect(g.estimateMethod).toMatch(/^rate × duration − 1/);
    // No logs: nothing says the partition lost its leader, and the epoch is 3 on both sides, so loss is not claimed.
    expect(g.meaning).toMatchObject({ kind: 'unexplained', lossClaimed: false });
    expect(g.neverWritten).toBeNull();
    expect(g.evidence).toEqual([]);
    expect(g.evidenceNote).toBe('no broker or ZooKeeper logs were given');
  });

  it('--broker overrides the host the path suggests', async () => {
    const { report } = await analyzeGaps([SEED_DUMP], { ...options, broker: '7' });
    expect(report.partitions[0]).toMatchObject({ broker: 'broker-7', brokerSource: '--broker' });
  });
});

describe('gap analysis with broker and ZooKeeper logs', () => {
  let dir: string;
  beforeAll(() => { dir = makeSeedIncident(); });

  it('cites broker 1\'s last line before the gap and first after, and the outage events, with file:line', async () => {
    const { report } = await analyzeGaps([dir], options);
    const p = report.partitions[0]!;
    expect(p.broker).toBe('broker-1');
    const g = p.gaps[0]!;
    const before = g.evidence.find((e) => e.kind === 'last-line-before')!;
    expect(before).toMatchObject({
      node: 'broker-1', file: join(dir, 'broker-1', 'server.log.2022-10-05-17'), line: 2,
      time: '2022-10-05T17:05:39.869+09:00',
      text: '[2022-10-05 17:05:39,869] INFO [GroupMetadataManager brokerId=1] Removed 0 expired offsets in 0 milliseconds. (kafka.coordinator.group.GroupMetadataManager)',
    });
    const after = g.evidence.find((e) => e.kind === 'first-line-after')!;
    expect(after).toMatchObject({ node: 'broker-1', file: join(dir, 'broker-1', 'server.log.2022-10-05-19'), line: 1, time: '2022-10-05T19:17:58.101+09:00' });
    const events = g.evidence.filter((e) => e.kind === 'outage-event');
    expect(events.map((e) => [e.node, e.line])).toEqual([['zk-1', 1], ['broker-2', 1], ['broker-1', 2]]);
    expect(events[0]!.rule).toBe('zk.session.expired');
    expect(events[1]!.text).toContain('account_event-0 from OfflinePartition');
    expect(events[2]!.rule).toBe('kafka.broker.started');
    expect(g.evidenceNote).toBeNull();
    // The controller's OfflinePartition line says the partition had no leader: the records were never written.
    expect(g.meaning).toMatchObject({ kind: 'given-up', lossClaimed: true });
    expect(g.meaning.text).toContain('state-change.log:1');
    expect(g.neverWritten).toBe(313);
    expect(report.zoneCheck).toMatchObject({ checked: true, shiftMs: null });
    expect(report.inputs.logs.length).toBe(4);
    expect(p.clockSkew.future).toBe(0);
  });
});

describe('PartitionScan', () => {
  const feed = (text: string) => {
    const scan = new PartitionScan({ minGapMs: 60_000, skewToleranceMs: 1000 });
    const reader = new DumpReader((e: DumpEntry) => {
      if (e.type === 'batch') scan.onBatch(e, 'f');
      else if (e.type === 'record') scan.onRecord(e, 'f');
    });
    for (const l of text.trim().split('\n')) reader.push(l);
    reader.end();
    scan.endSection();
    return scan;
  };

  it('counts batch-only dumps (no --deep-iteration) by their count, and reports holes and epoch changes', () => {
    const s = feed(`
baseOffset: 0 lastOffset: 2 count: 3 partitionLeaderEpoch: 0 position: 0 CreateTime: 1000 size: 100 magic: 2
baseOffset: 3 lastOffset: 4 count: 2 partitionLeaderEpoch: 1 position: 100 CreateTime: 2000 size: 90 magic: 2
baseOffset: 10 lastOffset: 12 count: 2 partitionLeaderEpoch: 1 position: 190 CreateTime: 500000 size: 90 magic: 2`);
    expect(s.records).toBe(7);
    expect(s.holes).toEqual([{ from: 4, to: 10, missing: 5 }]);
    expect(s.epochs.map((e) => [e.epoch, e.firstOffset])).toEqual([[0, 0], [1, 3]]);
    expect(s.candidates.map((c) => [c.before.offset, c.after.offset, c.durationMs])).toEqual([[4, 10, 498_000]]);
  });

  it('flags records that go back in time (producer clock skew) without making a gap of the return', () => {
    const s = feed(`
| offset: 0 CreateTime: 1000000 keySize: -1 valueSize: 1 sequence: -1 headerKeys: []
| offset: 1 CreateTime: 1001000 keySize: -1 valueSize: 1 sequence: -1 headerKeys: []
| offset: 2 CreateTime: 700000 keySize: -1 valueSize: 1 sequence: -1 headerKeys: []
| offset: 3 CreateTime: 1002000 keySize: -1 valueSize: 1 sequence: -1 headerKeys: []`);
    expect(s.backwards).toBe(1);
    expect(s.maxBackwardsMs).toBe(301_000);
    expect(s.skewExamples[0]).toEqual({ offset: 2, time: 700000, previousMax: 1001000 });
    expect(s.candidates).toEqual([]);
  });

  it('leaves out offsets that do not advance (a segment given twice)', () => {
    const s = feed(`
| offset: 5 CreateTime: 1000 keySize: -1 valueSize: 1 sequence: -1 headerKeys: []
| offset: 5 CreateTime: 1000 keySize: -1 valueSize: 1 sequence: -1 headerKeys: []`);
    expect(s.records).toBe(1);
    expect(s.outOfOrder).toBe(1);
    expect(s.warnings[0]).toMatch(/not after 5/);
  });
});

describe('helpers', () => {
  it('formats durations', () => {
    expect(formatDuration(8_103_689)).toBe('2 h 15 m 3.689 s');
    expect(formatDuration(60_000)).toBe('1 m');
    expect(formatDuration(0)).toBe('0 s');
  });

  it('histogram percentiles are within 1 % and exact at the extremes', () => {
    const h = new SpacingHistogram();
    for (let i = 1; i <= 1000; i++) h.add(i * 10);
    expect(h.percentile(100)).toBe(10_000);
    expect(h.percentile(0.001)).toBe(10);
    const p50 = h.percentile(50)!;
    expect(p50).toBeGreaterThanOrEqual(5000);
    expect(p50).toBeLessThanOrEqual(5050);
  });
});
