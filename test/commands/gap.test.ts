import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GapReportSchema, GapRowSchema } from '../../src/model/gap.js';
import { makeSeedIncident, SEED_DUMP } from '../analysis/seed-logs.js';
import { REPO, runCli } from './run-cli.js';

let dir: string;
beforeAll(() => { dir = makeSeedIncident(); });

describe('kforensics gap', () => {
  it('prints the seed-001 gap in the table with the broker-1 evidence, file:line', () => {
    const r = runCli(['gap', '--topic', 'account_event', dir, '--tz', 'Asia/Seoul', '--verbose']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Gap 1: 2022-10-05 17:02:56.908 → 19:18:00.597 +09:00 (2 h 15 m 3.689 s)');
    expect(r.stdout).toContain('offset 52659  CreateTime 1664956976908  2022-10-05T08:02:56.908Z  2022-10-05T17:02:56.908+09:00  epoch 3');
    expect(r.stdout).toContain('offset 52660  CreateTime 1664965080597  2022-10-05T10:18:00.597Z  2022-10-05T19:18:00.597+09:00  epoch 3');
    expect(r.stdout).toContain(`broker-1 last line before: ${join(dir, 'broker-1', 'server.log.2022-10-05-17')}:2  [2022-10-05 17:05:39,869] INFO [GroupMetadataManager brokerId=1] Removed 0 expired offsets in 0 milliseconds.`);
    expect(r.stdout).toContain('missing from this copy: 313 records (rate × duration − 1');
    expect(r.stdout).toContain('never written: 313 records — given-up');
    expect(r.stdout).toMatch(/rule: gap = spacing > max\(--min-gap off 0 s, 10 × P98\.746/);
    expect(r.stderr).toMatch(/802 lines = 2 header \+ 400 batch \+ 400 record/);
  });

  it('--json follows the kforensics/gap/v1 schema', () => {
    const r = runCli(['gap', '--topic', 'account_event', dir, '--tz', 'Asia/Seoul', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = GapReportSchema.parse(JSON.parse(r.stdout));
    expect(report.schema).toBe('kforensics/gap/v1');
    expect(report.timeZone).toBe('Asia/Seoul');
    const g = report.partitions[0]!.gaps[0]!;
    expect([g.before.createTime, g.after.createTime, g.durationMs]).toEqual([1664956976908, 1664965080597, 8103689]);
    expect(g.evidence[0]).toMatchObject({ kind: 'last-line-before', line: 2, time: '2022-10-05T17:05:39.869+09:00' });
  });

  it('--format ndjson prints one line per gap', () => {
    const r = runCli(['gap', '--topic', 'account_event', SEED_DUMP, '--format', 'ndjson', '--tz', 'UTC']);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => GapRowSchema.parse(JSON.parse(l)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ topic: 'account_event', partition: 0, before: { time: '2022-10-05T08:02:56.908+00:00', utc: '2022-10-05T08:02:56.908Z' } });
  });

  it('says so when no dump of the topic is found, and rejects bad flags', () => {
    const none = runCli(['gap', '--topic', 'orders', SEED_DUMP]);
    expect(none.status).toBe(1); // nothing of the topic read: the answer is incomplete
    expect(none.stdout).toContain('no DumpLogSegments output for topic orders');
    expect(runCli(['gap', '--topic', 'x', SEED_DUMP, '--min-gap', 'soon']).status).toBe(2);
    expect(runCli(['gap', '--topic', 'x', SEED_DUMP, '--tz', 'Mars/Base']).status).toBe(2);
  });
});

// The shared incident fixture: its broker logs come from another change; until
// they exist only the dump is there and the evidence part is skipped.
const FIXTURE = join(REPO, 'fixtures', 'account-event-2022-10-05');
const haveLogs = existsSync(join(FIXTURE, 'broker-1')) && readdirSync(join(FIXTURE, 'broker-1')).some((f) => f.startsWith('server.log'));

describe('kforensics gap on fixtures/account-event-2022-10-05', () => {
  it('reports the 2 h 15 m 3.689 s gap', () => {
    const r = runCli(['gap', '--topic', 'account_event', FIXTURE, '--tz', 'Asia/Seoul']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Gap 1: 2022-10-05 17:02:56.908 → 19:18:00.597 +09:00 (2 h 15 m 3.689 s)');
  });

  it.skipIf(!haveLogs)('cites broker 1\'s last line of server.log.2022-10-05-17 (17:05:39,869)', () => {
    const r = runCli(['gap', '--topic', 'account_event', FIXTURE, '--tz', 'Asia/Seoul', '--json']);
    const g = GapReportSchema.parse(JSON.parse(r.stdout)).partitions[0]!.gaps[0]!;
    const before = g.evidence.find((e) => e.kind === 'last-line-before')!;
    expect(before.file.endsWith(join('broker-1', 'server.log.2022-10-05-17'))).toBe(true);
    expect(before.text).toContain('[2022-10-05 17:05:39,869] INFO [GroupMetadataManager brokerId=1] Removed 0 expired offsets in 0 milliseconds.');
  });

  it.skipIf(!haveLogs)('without --tz warns loudly that the logs only agree with the dump at +09:00, and exits 1', () => {
    const r = runCli(['gap', '--topic', 'account_event', FIXTURE]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('TIME ZONE MISMATCH');
    expect(r.stderr).toContain('most likely written at +09:00');
    expect(r.stderr).toContain('--tz Etc/GMT-9');
    expect(r.stdout).toContain('!!! TIME ZONE MISMATCH');
    const json = GapReportSchema.parse(JSON.parse(runCli(['gap', '--topic', 'account_event', FIXTURE, '--json']).stdout));
    expect(json.zoneCheck).toMatchObject({ shiftMs: 9 * 3_600_000, writtenOffset: '+09:00', node: 'broker-1' });
    // Read as Seoul time the zone agrees.
    const right = GapReportSchema.parse(JSON.parse(runCli(['gap', '--topic', 'account_event', FIXTURE, '--tz', 'Asia/Seoul', '--json']).stdout));
    expect(right.zoneCheck).toMatchObject({ checked: true, shiftMs: null });
  });
});
