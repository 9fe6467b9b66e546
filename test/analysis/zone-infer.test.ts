import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeGaps, DEFAULTS } from '../../src/analysis/gap.js';
import { gcLogOffset } from '../../src/analysis/zone-infer.js';
import { Zone } from '../../src/time/zone.js';
import { bestZoneShift, formatOffset, wholeZoneShift, zoneForOffset } from '../../src/time/zone-check.js';
import { REPO } from '../commands/run-cli.js';
import { fixtureCopy } from '../report/fixture-copy.js';

const SEOUL = join(REPO, 'fixtures', 'account-event-2022-10-05');
const utc = new Zone('UTC');

describe('zone check against the dumps', () => {
  const gap = { label: 'gap', epochStart: Date.parse('2022-10-05T08:02:56.908Z'), epochEnd: Date.parse('2022-10-05T10:18:00.597Z'), host: 'broker-1' };
  // broker-1's silence as read in UTC from logs written at +09:00.
  const silence = { node: 'broker-1', label: 'silence', start: Date.parse('2022-10-05T17:05:39.869Z'), end: Date.parse('2022-10-05T19:18:00.003Z') };

  it('finds the whole-zone shift and names the --tz to use', () => {
    const s = wholeZoneShift([gap], [silence], utc)!;
    expect(s).toMatchObject({ shiftMs: 9 * 3_600_000, writtenOffset: '+09:00', tz: 'Etc/GMT-9', node: 'broker-1' });
    expect(s.message).toContain('TIME ZONE MISMATCH');
  });

  it('says nothing when the zone read agrees, or when nothing agrees at any shift', () => {
    // Read as Asia/Seoul, the same lines land 9 h earlier, on the gap.
    const read = { ...silence, start: silence.start - 9 * 3_600_000, end: silence.end - 9 * 3_600_000 };
    expect(wholeZoneShift([gap], [read], new Zone('Asia/Seoul'))).toBeNull();
    expect(bestZoneShift([gap], [read])).toMatchObject({ shift: 0 });
    expect(bestZoneShift([gap], [{ ...silence, start: silence.start + 3_600_000 * 5.1, end: silence.end + 3_600_000 * 5.1 }])).toBeNull();
  });

  it('formats offsets and fixed-offset zones', () => {
    expect([formatOffset(540), formatOffset(-210), formatOffset(0)]).toEqual(['+09:00', '-03:30', '+00:00']);
    expect([zoneForOffset(540), zoneForOffset(-300), zoneForOffset(0)]).toEqual(['Etc/GMT-9', 'Etc/GMT+5', 'UTC']);
  });
});

describe('--tz auto', () => {
  it('infers +09:00 for the Seoul incident\'s broker 1 from the dumps and ZooKeeper relative to it, and says which nodes were only assumed', async () => {
    const { report } = await analyzeGaps([SEOUL], { topic: 'account_event', zone: utc, ...DEFAULTS, autoZone: true });
    const zones = new Map(report.nodeZones!.map((z) => [z.node, z]));
    expect(zones.get('broker-1')).toMatchObject({ offsetMinutes: 540, timeZone: 'Etc/GMT-9', how: 'dumps' });
    expect(zones.get('broker-1')!.evidence).toContain('server.log.2022-10-05-17:3');
    expect(zones.get('zk-1')).toMatchObject({ offsetMinutes: 540, how: 'relative' });
    expect(zones.get('broker-2')).toMatchObject({ offsetMinutes: 540, how: 'assumed' });
    expect(report.timeZone).toBe('Etc/GMT-9');
    // Read in the zones inferred, the evidence is the one read with --tz Asia/Seoul.
    const g = report.partitions[0]!.gaps[0]!;
    expect(g.evidence.find((e) => e.kind === 'last-line-before')).toMatchObject({ line: 3, time: '2022-10-05T17:05:39.869+09:00' });
    expect(g.neverWritten).toBe(313);
  });

  it('takes a zone a GC log beside the broker\'s logs states over everything else', async () => {
    const root = fixtureCopy('fixtures/account-event-2022-10-05');
    const dir = join(root, 'fixtures', 'account-event-2022-10-05');
    writeFileSync(join(dir, 'broker-2', 'kafkaServer-gc.log'), '[2022-10-05T16:00:00.101+0900][info][gc] Using G1\n[2022-10-05T16:00:03.512+0900][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->6M(256M) 4.512ms\n');
    expect(await gcLogOffset(join(dir, 'broker-2', 'kafkaServer-gc.log'))).toMatchObject({ minutes: 540, line: 1 });
    const { report } = await analyzeGaps([dir], { topic: 'account_event', zone: utc, ...DEFAULTS, autoZone: true });
    const z = report.nodeZones!.find((x) => x.node === 'broker-2')!;
    expect(z).toMatchObject({ offsetMinutes: 540, how: 'stated' });
    expect(z.evidence).toContain('kafkaServer-gc.log:1');
  });
});
