import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '../../src/model/report.js';
import { fixtureCopy } from '../report/fixture-copy.js';
import { REPO, runCli } from './run-cli.js';

// Golden reports of the bundled incidents. Each was read line by line against
// the fixture logs and the fixture README before it was kept; regenerate only
// on purpose (UPDATE_GOLDEN=1 npm test) and read the diff the same way. They
// live in test/report/golden/, not beside the logs: a report reads every file
// of its folder, so a golden there would change the other commands' goldens.
const AE = 'fixtures/account-event-2022-10-05';
const HA = 'fixtures/ha-test-2024-02-23';
const CASES = [
  { fixture: AE, flags: ['--tz', 'Asia/Seoul', '--topic', 'account_event'], format: 'md' },
  { fixture: AE, flags: ['--tz', 'Asia/Seoul', '--topic', 'account_event'], format: 'json' },
  { fixture: HA, flags: ['--tz', 'Asia/Seoul'], format: 'md' },
  { fixture: HA, flags: ['--tz', 'Asia/Seoul'], format: 'json' },
];

const copies = new Map<string, string>();
function setCopy(fixture: string): string {
  const root = fixtureCopy(fixture);
  copies.set(fixture, root);
  return root;
}

function report(fixture: string, flags: string[], format: string, dir = mkdtempSync(join(tmpdir(), 'kf-report-'))): string {
  const out = join(dir, `report.${format}`);
  const r = runCli(['report', fixture, ...flags, '--out', out], copies.get(fixture) ?? setCopy(fixture));
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

describe('kforensics report: golden reports of the bundled incidents', () => {
  it.each(CASES)('$fixture as $format matches its golden', ({ fixture, flags, format }) => {
    const actual = report(fixture, flags, format);
    const path = join(REPO, 'test/report/golden', `${basename(fixture)}.report.${format}`);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
      if (process.env.CI) throw new Error(`${path} is missing; generate it locally with UPDATE_GOLDEN=1 and review it`);
      writeFileSync(path, actual);
    }
    expect(actual).toBe(readFileSync(path, 'utf8'));
  });
});

describe('kforensics report: the seed-001 story', () => {
  const doc = ReportSchema.parse(JSON.parse(report(AE, ['--tz', 'Asia/Seoul', '--topic', 'account_event'], 'json')));

  it('broker 1 down from its last line at 17:05:39.869 until its process ran again, just before its first line at 19:18:00.003', () => {
    const w = doc.windows.find((x) => x.kind === 'broker-down' && x.node === 'broker-1')!;
    expect(w.start).toBe('2022-10-05T17:05:39.869+09:00');
    // its first line back less a broker's typical start-up; the line itself and `started` bound it
    expect(w.end).toBe('2022-10-05T19:17:58.203+09:00');
    expect(w.endBounds!.latest >= '2022-10-05T19:18:00.003+09:00').toBe(true);
    expect(doc.summary.nodesAffected).toEqual(['broker-1']);
  });

  it('2 h 15 m without records, from the last committed CreateTime 1664956976908', () => {
    expect(doc.summary.recordsNeverWritten).toHaveLength(1);
    const m = doc.summary.recordsNeverWritten[0]!;
    expect(m.lastBefore).toEqual({ offset: 52659, createTime: 1664956976908, time: '2022-10-05T17:02:56.908+09:00' });
    expect(m.firstAfter.createTime).toBe(1664965080597);
    expect(m.duration).toBe('2 h 15 m 3.689 s');
    expect(doc.summary.narrative).toContain('1664956976908');
  });

  it('names RF=1 of account_event as the cause, tied to broker 1\'s window, first among the findings', () => {
    const f = doc.findings[0]!;
    expect(f.id).toBe('topic.replication-factor-1');
    expect(f.subject).toBe('account_event-0');
    expect(f.incident).toContain('account_event has RF=1 and its only replica was broker 1, down 17:05–19:17');
    expect(f.windows.map((i) => doc.windows[i]!.kind)).toEqual(['broker-down', 'partition-leaderless']);
    expect(doc.findings.map((x) => x.id)).toContain('broker.default-replication-factor');
  });

  it('recommends the seeds\' configuration: RF 3, min.insync.replicas 2, acks=all, ≥ 2 partitions', () => {
    const rec = Object.fromEntries(doc.recommendations.map((r) => [r.setting, r]));
    expect(rec['replication factor']).toMatchObject({ recommended: '3', status: 'violated' });
    expect(rec['min.insync.replicas']).toMatchObject({ recommended: '2', status: 'violated' });
    expect(rec['acks']).toMatchObject({ recommended: 'all', status: 'not-checked' });
    expect(rec['partitions']!.status).toBe('violated');
    expect(rec['log.dirs']!.status).toBe('ok');
  });

  it('quotes every cited line with file:line in the appendix', () => {
    const cited = [
      ...doc.windows.flatMap((w) => w.evidence), ...doc.timeline.rows.map((r) => r.evidence), ...doc.findings.flatMap((f) => f.evidence),
    ];
    const keys = new Set(doc.appendix.map((a) => `${a.file}:${a.line}`));
    for (const c of cited) expect(keys.has(`${c.file}:${c.line}`), `${c.file}:${c.line}`).toBe(true);
    const last = doc.appendix.find((a) => a.file.endsWith('server.log.2022-10-05-17') && a.line === 3)!;
    expect(last.text).toBe('[2022-10-05 17:05:39,869] INFO [GroupMetadataManager brokerId=1] Removed 0 expired offsets in 0 milliseconds. (kafka.coordinator.group.GroupMetadataManager)');
  });
});

describe('kforensics report: the HA test', () => {
  const doc = ReportSchema.parse(JSON.parse(report(HA, ['--tz', 'Asia/Seoul'], 'json')));

  it('spans the tests from 00:52 to the ZooKeeper shutdown still open at the end of the logs', () => {
    expect(doc.summary.incident!.start.slice(0, 16)).toBe('2024-02-23T00:52');
    expect(doc.summary.incident!.end).toBeNull();
    expect(doc.summary.nodesAffected).toEqual(['broker-1', 'broker-2', 'broker-3', 'zk-1', 'zk-2', 'zk-3']);
    expect(doc.summary.recordsNeverWritten).toEqual([]);
    expect(doc.gaps).toEqual([]);
  });

  it('ties RF=2 of test-topic to test-topic-2 offline while brokers 1 and 2 were both down', () => {
    const f = doc.findings.find((x) => x.id === 'topic.replication-factor-below-3')!;
    expect(f.incident).toContain('test-topic-2 (replicas 1,2) was offline');
    expect(f.incident).toContain('07:59–08:05');
    expect(doc.findings.find((x) => x.id === 'broker.transaction-log-replication')!.observed).toMatch(/^transaction\.state\.log\.replication\.factor=1 \((broker start-up config|properties file)\)$/);
  });
});

describe('kforensics report: behaviour', () => {
  it('is deterministic: two runs give byte-identical files in every format', () => {
    for (const format of ['md', 'html', 'json']) {
      const a = report(AE, ['--tz', 'Asia/Seoul'], format);
      const b = report(AE, ['--tz', 'Asia/Seoul'], format);
      expect(a === b, format).toBe(true);
    }
  });

  it('prints the generation time only when --generated-at gives it', () => {
    const plain = report(AE, ['--tz', 'Asia/Seoul'], 'md');
    const stamped = report(AE, ['--tz', 'Asia/Seoul', '--generated-at', '2022-10-06T10:00:00+09:00', '--title', 'Sign-ups lost'], 'md');
    expect(plain).not.toContain('generated');
    expect(stamped).toContain('generated 2022-10-06T10:00:00+09:00');
    expect(stamped.startsWith('# Sign-ups lost\n')).toBe(true);
  });

  it('refuses an --out whose format it cannot tell, a bad --generated-at, and an input file as --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-report-'));
    const noExt = runCli(['report', AE, '--out', join(dir, 'report.txt')]);
    expect(noExt.status).toBe(2);
    expect(noExt.stderr).toContain('--format md|html|json');
    const badTime = runCli(['report', AE, '--out', join(dir, 'r.md'), '--generated-at', 'yesterday']);
    expect(badTime.status).toBe(2);
    const input = join(AE, 'describe-account_event.txt');
    const before = readFileSync(join(REPO, input), 'utf8');
    const clobber = runCli(['report', AE, '--out', input, '--format', 'md']);
    expect(clobber.status).toBe(2);
    expect(clobber.stderr).toContain('is one of the input files');
    expect(readFileSync(join(REPO, input), 'utf8')).toBe(before);
  });

  it('--format overrides the extension', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-report-'));
    const out = join(dir, 'report.txt');
    const r = runCli(['report', AE, '--tz', 'Asia/Seoul', '--out', out, '--format', 'html']);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').startsWith('<!DOCTYPE html>')).toBe(true);
  });
});

describe('kforensics report: the zone checked against the dumps', () => {
  it('without --tz on the Seoul incident, says first that the logs only agree with the dumps at +09:00, and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-report-'));
    const out = join(dir, 'report.md');
    const r = runCli(['report', AE, '--topic', 'account_event', '--out', out], copies.get(AE) ?? setCopy(AE));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('TIME ZONE MISMATCH');
    expect(r.stderr).toContain('most likely written at +09:00');
    expect(readFileSync(out, 'utf8')).toContain('TIME ZONE MISMATCH: the logs of broker-1 read as UTC (+00:00)');
  });
});
