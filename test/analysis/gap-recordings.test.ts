/**
 * gap over the real fault runs in ../shared/recordings/kafka-2.1.1 (outside
 * the repo; never copied in), checked against each run's ground-truth.json:
 * - every gap for which loss is claimed is the run's largest CreateTime gap of
 *   that partition, exact in offsets and CreateTime on both sides;
 * - records never written (claimed gaps, plus records that truncation lines
 *   prove removed without a dump showing them) within ±5 % of the producer's
 *   failed deliveries;
 * - acknowledged writes lost within ±5 % of those the run matched to the log;
 * - no loss claimed where every record was delivered.
 * Skipped, with a message, when ../shared is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeGaps, DEFAULTS } from '../../src/analysis/gap.js';
import type { GapReportJson } from '../../src/model/gap.js';
import { Zone } from '../../src/time/zone.js';
import { REPO } from '../commands/run-cli.js';

// KFORENSICS_SHARED points elsewhere when the checkout has no ../shared beside it.
const RUNS = resolve(process.env.KFORENSICS_SHARED ?? resolve(REPO, '../shared'), 'recordings/kafka-2.1.1');
const present = existsSync(RUNS);
if (!present) console.warn(`skipping the gap checks over real recordings: ${RUNS} is absent (../shared beside the repository)`);

interface Truth {
  topic: string;
  producer: { delivery_reports_failed: number };
  records: {
    partitions: Record<string, { largest_create_time_gap: { ms: number; from_offset: number; to_offset: number; from_create_time: string; to_create_time: string } }>;
  };
  acknowledged_vs_final_log?: { acknowledged_but_lost: number };
}

const runs = present ? readdirSync(RUNS).filter((d) => existsSync(join(RUNS, d, 'ground-truth.json'))).sort() : [];

function within5(found: number, truth: number): boolean {
  return Math.abs(found - truth) <= 0.05 * truth;
}

describe.skipIf(!present)('gap over the real Kafka 2.1.1 fault runs (../shared/recordings)', () => {
  it.each(runs)('%s: gaps exact, records never written and lost writes as the producer saw them', async (run) => {
    const dir = join(RUNS, run);
    const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as Truth;
    const { report } = await analyzeGaps([dir], { topic: truth.topic, zone: new Zone('UTC'), ...DEFAULTS });
    const r: GapReportJson = report;
    expect(r.partitions.length).toBeGreaterThan(0);
    expect(r.zoneCheck.shiftMs).toBeNull();

    // One loss per gap, however many copies show it.
    const claimed = new Map<string, { partition: number | null; gap: GapReportJson['partitions'][number]['gaps'][number] }>();
    for (const p of r.partitions) {
      for (const g of p.gaps) {
        if (!g.meaning.lossClaimed) continue;
        claimed.set(`${p.partition}:${g.before.offset}:${g.after.offset}`, { partition: p.partition, gap: g });
      }
    }
    for (const { partition, gap } of claimed.values()) {
      const t = truth.records.partitions[`${truth.topic}-${partition}`]!.largest_create_time_gap;
      expect([gap.before.offset, gap.after.offset]).toEqual([t.from_offset, t.to_offset]);
      expect([gap.before.utc, gap.after.utc]).toEqual([t.from_create_time, t.to_create_time]);
    }

    const neverWritten = [...claimed.values()].reduce((n, c) => n + (c.gap.neverWritten ?? 0), 0);
    const removedUnseen = r.lostWrites.flatMap((l) => l.truncations).filter((t) => t.accountedBy === null).reduce((n, t) => n + t.lowerBound, 0);
    const failed = truth.producer.delivery_reports_failed;
    if (failed === 0) {
      expect(claimed.size).toBe(0);
      expect(neverWritten + removedUnseen).toBe(0);
    } else {
      expect(within5(neverWritten + removedUnseen, failed), `never written ${neverWritten} + removed ${removedUnseen} vs ${failed} failed`).toBe(true);
    }

    const ackLost = truth.acknowledged_vs_final_log?.acknowledged_but_lost ?? 0;
    const divergent = r.lostWrites.reduce((n, l) => n + l.records, 0);
    if (ackLost === 0) expect(divergent).toBe(0);
    else expect(within5(divergent, ackLost), `${divergent} divergent vs ${ackLost} acknowledged and lost`).toBe(true);
  }, 120_000);

  it.skipIf(!runs.includes('g-leader-isolated-acks1'))('g-leader-isolated-acks1: the 62 lost writes with their offsets, epochs, time range and truncation line', async () => {
    const dir = join(RUNS, 'g-leader-isolated-acks1');
    const { report } = await analyzeGaps([dir], { topic: 'clicks', zone: new Zone('UTC'), ...DEFAULTS });
    const l = report.lostWrites[0]!;
    expect(l.divergent).toHaveLength(1);
    expect(l.divergent[0]).toMatchObject({ broker: 'broker-2', epoch: 0, nextEpoch: 1, epochEnd: 111, fromOffset: 111, toOffset: 172, records: 62 });
    expect(l.divergent[0]!.location).toContain(join('before-heal', 'broker2'));
    expect(l.divergent[0]!.minCreateTime! >= Date.parse('2026-12-06T19:38:41.069Z')).toBe(true);
    expect(l.divergent[0]!.maxCreateTime! <= Date.parse('2026-12-06T19:38:53.270Z')).toBe(true);
    expect(l.truncations).toHaveLength(1);
    expect(l.truncations[0]).toMatchObject({ node: 'broker-2', offset: 111, line: 527, accountedBy: 62 });
    expect(l.epochStarts.find((e) => e.epoch === 1)).toMatchObject({ startOffset: 111 });

    // The final copies alone: the truncation line proves a loss but cannot count it.
    const final = await analyzeGaps([join(dir, 'dumps'), join(dir, 'broker1'), join(dir, 'broker2'), join(dir, 'broker3')], { topic: 'clicks', zone: new Zone('UTC'), ...DEFAULTS });
    expect(final.report.lostWrites[0]).toMatchObject({ records: 0, count: 1 });
    expect(final.report.lostWrites[0]!.truncations[0]).toMatchObject({ accountedBy: null, lowerBound: 1 });
  }, 120_000);

  it.skipIf(!runs.includes('a-rf1-leader-kill9'))('a-rf1-leader-kill9 read with a wrong --tz: the zone check names the offset and the --tz to use', async () => {
    const dir = join(RUNS, 'a-rf1-leader-kill9');
    const { report } = await analyzeGaps([dir], { topic: 'account_event', zone: new Zone('Asia/Seoul'), ...DEFAULTS });
    expect(report.zoneCheck).toMatchObject({ shiftMs: -9 * 3_600_000, writtenOffset: '+00:00', suggestedTimeZone: 'UTC', node: 'broker-1' });
    expect(report.zoneCheck.message).toContain('TIME ZONE MISMATCH');
  }, 120_000);
});
