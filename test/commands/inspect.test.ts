import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/catalogue/index.js';
import { ExplainSchema, RulesDocSchema } from '../../src/model/catalogue.js';
import { GapReportSchema } from '../../src/model/gap.js';
import { ReportSchema } from '../../src/model/report.js';
import { TimelineSchema } from '../../src/model/timeline.js';
import { WindowsDocSchema } from '../../src/model/window.js';
import { flat, REPO, runCli } from './run-cli.js';

const HA = 'fixtures/ha-test-2024-02-23';

describe('kforensics rules', () => {
  it('lists the whole catalogue in match order, and --json is the schema-valid catalogue', () => {
    const table = runCli(['rules']);
    expect(table.status).toBe(0);
    const ids = CATALOGUE.map((r) => r.id);
    const positions = ids.map((id) => table.stdout.indexOf(` ${id} `));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(table.stdout).toContain(`${ids.length} rule(s)`);
    const doc = RulesDocSchema.parse(JSON.parse(runCli(['rules', '--json']).stdout));
    expect(doc.rules.map((r) => r.rule)).toEqual(ids);
    const shrink = doc.rules.find((r) => r.rule === 'kafka.isr.shrink')!;
    expect(shrink.effect).toMatchObject({ signal: 'isr-change' });
    expect(new RegExp(shrink.pattern).test(shrink.samples[0]!.replace(/^.*?\] (?:INFO|WARN) /, '').replace(/ \([\w.$]+\)$/, ''))).toBe(true);
  });

  it('--category keeps those categories and rejects unknown ones', () => {
    const isr = RulesDocSchema.parse(JSON.parse(runCli(['rules', '--category', 'isr', '--json']).stdout));
    expect(isr.rules.length).toBeGreaterThan(0);
    expect(new Set(isr.rules.map((r) => r.category))).toEqual(new Set(['isr']));
    const bad = runCli(['rules', '--category', 'isrr']);
    expect(bad.status).toBe(2);
    expect(flat(bad.stderr)).toContain('(did you mean isr?)');
  });
});

describe('kforensics explain FILE:LINE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kf-explain-'));
  const log = join(dir, 'server.log');
  writeFileSync(log, [
    '[2024-02-23 08:14:35,110] INFO [Partition test-topic-1 broker=3] Shrinking ISR from 3,1 to 3. Leader: (highWatermark: 3, endOffset: 3). Out of sync replicas: (brokerId: 1, endOffset: 3). (kafka.cluster.Partition)',
    '[2024-02-23 08:14:36,110] INFO [Partition test-topic-1 broker=3] Shrinking in-sync replicas to 3 (kafka.cluster.Partition)',
    '[2024-02-23 08:14:37,110] ERROR [ReplicaFetcher replicaId=2, leaderId=3, fetcherId=0] Error in response for fetch request (kafka.server.ReplicaFetcherThread)',
    'java.io.IOException: Connection to 3 was disconnected before the response was read',
    '\tat org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:109)',
    '[2024-02-23 08:14:38,110] INFO [ReplicaFetcherManager on broker 3] Removed fetcher for partitions Set(test-topic-1) (kafka.server.ReplicaFetcherManager)',
    '',
  ].join('\n'));
  const explain = (line: number, ...more: string[]) => {
    const r = runCli(['explain', `${log}:${line}`, '--tz', 'Asia/Seoul', ...more]);
    return { ...r, doc: r.status === 0 && more.includes('--json') ? ExplainSchema.parse(JSON.parse(r.stdout)) : undefined };
  };

  it('a classified line: reader, node, record, rule, fields and window effect', () => {
    const { doc } = explain(1, '--json');
    expect(doc).toMatchObject({
      outcome: 'classified',
      input: { kind: 'kafka-server', reader: 'kafka-log4j', node: 'broker-3' },
      record: { line: 1, lastLine: 1, time: '2024-02-23T08:14:35.110+09:00', logger: 'kafka.cluster.Partition', level: 'INFO' },
      match: { rule: 'kafka.isr.shrink', category: 'isr', effect: { signal: 'isr-change' }, fields: { from: [3, 1], to: [3] } },
    });
    const text = explain(1).stdout;
    expect(text).toContain('  rule      kafka.isr.shrink: ISR shrinking (category isr, severity warn)');
    expect(text).toMatch(/ {2}effect {4}isr-change/);
  });

  it('a line no rule classifies: the closest rule, the test it failed and where its pattern stopped', () => {
    const { doc } = explain(2, '--json');
    expect(doc!.outcome).toBe('unclassified');
    expect(doc!.closest).toMatchObject({ rule: 'kafka.isr.shrink', stoppedAt: 'keyword', matched: '[Partition test-topic-1 broker=3] Shrinking ', rest: 'in-sync replicas to 3' });
    expect(doc!.closest!.patternNext).toBe('I');
    const text = explain(2).stdout;
    expect(text).toContain('  matched   [Partition test-topic-1 broker=3] Shrinking ▏in-sync replicas to 3');
    expect(text).toContain('the message lacks its keyword "Shrinking ISR"');
  });

  it('a folded line is explained through its record', () => {
    const { doc } = explain(5, '--json');
    expect(doc).toMatchObject({ outcome: 'classified', record: { line: 3, lastLine: 5 }, match: { rule: 'kafka.fetch.disconnected' } });
    expect(doc!.why).toContain('Line 5 is folded into the record that starts on line 3.');
  });

  it('not a log, no such line, not FILE:LINE', () => {
    const notLog = runCli(['explain', `${HA}/README.md:3`, '--json']);
    expect(notLog.status).toBe(0);
    expect(ExplainSchema.parse(JSON.parse(notLog.stdout)).outcome).toBe('not-a-log');
    const beyond = runCli(['explain', `${log}:99`]);
    expect(beyond.status).toBe(2);
    expect(flat(beyond.stderr)).toContain('has 6 line(s); there is no line 99');
    expect(runCli(['explain', log]).status).toBe(2);
  });
});

describe('report to stdout and as --json', () => {
  it('--out - writes the Markdown (or --format) to stdout and no file named -', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kf-out-'));
    const md = runCli(['report', join(REPO, HA), '--tz', 'UTC', '--out', '-'], cwd);
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout.startsWith('# Incident report: ')).toBe(true);
    expect(existsSync(join(cwd, '-'))).toBe(false);
    const json = runCli(['report', join(REPO, HA), '--tz', 'UTC', '--out', '-', '--format', 'json'], cwd);
    const viaJson = runCli(['report', join(REPO, HA), '--tz', 'UTC', '--json'], cwd);
    expect(ReportSchema.parse(JSON.parse(viaJson.stdout)).schema).toBe('kforensics/report/v1');
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(viaJson.stdout));
    const file = join(cwd, 'r.md');
    expect(runCli(['report', join(REPO, HA), '--tz', 'UTC', '--out', file], cwd).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(md.stdout);
  });

  it('without --out or --json it says where the report can go (exit 2)', () => {
    const r = runCli(['report', HA]);
    expect(r.status).toBe(2);
    expect(flat(r.stderr)).toContain('--out - for stdout, or --json');
  });
});

describe('zones: --display-tz and a defaulted --tz', () => {
  it('--display-tz shows the same instants in another zone, in events, windows and the table', () => {
    const utc = TimelineSchema.parse(JSON.parse(runCli(['timeline', HA, '--tz', 'UTC', '--json']).stdout));
    const seoul = TimelineSchema.parse(JSON.parse(runCli(['timeline', HA, '--tz', 'UTC', '--display-tz', 'Asia/Seoul', '--json']).stdout));
    expect(seoul.timeZone).toBe('UTC');
    expect(seoul.displayTimeZone).toBe('Asia/Seoul');
    expect(seoul.events.map((e) => Date.parse(e.time))).toEqual(utc.events.map((e) => Date.parse(e.time)));
    expect(seoul.events.every((e) => e.time.endsWith('+09:00'))).toBe(true);
    expect(seoul.windows.map((w) => Date.parse(w.start))).toEqual(utc.windows.map((w) => Date.parse(w.start)));
    expect(seoul.windows[0]!.start.endsWith('+09:00')).toBe(true);
    const windows = WindowsDocSchema.parse(JSON.parse(runCli(['windows', HA, '--tz', 'UTC', '--display-tz', 'Asia/Seoul', '--json']).stdout));
    expect(windows.windows[0]!.start).toBe(seoul.windows[0]!.start);
    const table = runCli(['timeline', HA, '--tz', 'UTC', '--display-tz', 'Asia/Seoul', '--node', 'zk-3', '--until', '2024-02-23 00:53:31']);
    expect(table.stdout).toContain('times in Asia/Seoul (log4j timestamps read as UTC wall-clock time)');
    expect(table.stdout).toContain('2024-02-23 09:53:30.007   zk-3');
    expect(runCli(['timeline', HA, '--display-tz', 'Mars/Base']).status).toBe(2);
  });

  /**
   * The two documents side by side: every ISO time names the same instant,
   * those of `shown` carry `offset`; every other value is the same, except
   * sentences (which quote times), `utc` (always UTC) and displayTimeZone. Returns how many times
   * were compared.
   */
  function sameInstants(plain: unknown, shown: unknown, offset: string): number {
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;
    let times = 0;
    const walk = (a: unknown, b: unknown, path: string): void => {
      if (typeof a === 'string' && typeof b === 'string' && iso.test(a) && !path.endsWith('.utc')) {
        expect(Date.parse(b), path).toBe(Date.parse(a));
        expect(b.endsWith(offset), `${path}: ${b}`).toBe(true);
        times++;
      } else if (a !== null && typeof a === 'object' && b !== null && typeof b === 'object') {
        expect(Object.keys(b).filter((k) => k !== 'displayTimeZone'), path).toEqual(Object.keys(a));
        for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      } else if (path.endsWith('.timeZoneNote')) {
        expect(b).toContain('(--display-tz)');
      } else if (typeof a !== 'string' || !/\d\d:\d\d/.test(a)) {
        expect(b, path).toEqual(a);
      }
    };
    walk(plain, shown, '');
    return times;
  }

  it('gap --display-tz: the same instants, every time in the zone shown, the table says which', () => {
    const args = ['gap', 'fixtures/unclean-election-2024-03-18', '--topic', 'orders', '--tz', 'UTC'];
    const plain = GapReportSchema.parse(JSON.parse(runCli([...args, '--json']).stdout));
    const seoul = GapReportSchema.parse(JSON.parse(runCli([...args, '--display-tz', 'Asia/Seoul', '--json']).stdout));
    expect(plain.displayTimeZone).toBeUndefined();
    expect(seoul).toMatchObject({ timeZone: 'UTC', displayTimeZone: 'Asia/Seoul' });
    // Record refs, epochs, evidence lines, lost writes and truncations.
    expect(sameInstants(plain, seoul, '+09:00')).toBeGreaterThan(40);
    expect(seoul.lostWrites.some((l) => l.truncations.length > 0)).toBe(true);
    const table = runCli([...args, '--display-tz', 'Asia/Seoul']);
    expect(table.stdout).toContain('Record gaps in topic orders — times in Asia/Seoul');
    expect(runCli([...args, '--display-tz', 'Mars/Base']).status).toBe(2);
  });

  it('report --display-tz: windows, key events, gaps and the appendix in the zone shown; the Markdown header names it', () => {
    const args = ['report', 'fixtures/account-event-2022-10-05', '--topic', 'account_event', '--tz', 'Asia/Seoul'];
    const plain = ReportSchema.parse(JSON.parse(runCli([...args, '--json']).stdout));
    const utc = ReportSchema.parse(JSON.parse(runCli([...args, '--display-tz', 'UTC', '--json']).stdout));
    expect(plain.displayTimeZone).toBeUndefined();
    expect(utc).toMatchObject({ timeZone: 'Asia/Seoul', displayTimeZone: 'UTC' });
    expect(sameInstants(plain, utc, '+00:00')).toBeGreaterThan(200);
    expect(utc.summary.narrative).toContain('From 08:05:39 to 10:18:00');
    expect(utc.inputQuality.timeZoneNote).toContain('read as Asia/Seoul wall-clock time (--tz) and are shown in UTC (--display-tz)');
    const md = runCli([...args, '--display-tz', 'UTC', '--out', '-']);
    expect(md.stdout).toContain('Times in **UTC** (UTC+00:00)');
    expect(runCli([...args, '--display-tz', 'Mars/Base', '--out', '-']).status).toBe(2);
  });

  it('says on stderr when --tz was left at UTC, and not when it was given', () => {
    for (const command of [['timeline', HA, '--json'], ['windows', HA, '--json'], ['explain', `${HA}/node1/server.log:4`]]) {
      expect(runCli(command).stderr, command[0]).toContain('--tz not given: log timestamps were read as UTC.');
      expect(runCli([...command, '--tz', 'UTC']).stderr, command[0]).not.toContain('--tz not given');
    }
  });
});
