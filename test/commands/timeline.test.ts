import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventSchema, TimelineSchema } from '../../src/model/timeline.js';
import { runCli } from './run-cli.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kf-timeline-'));
  mkdirSync(join(dir, 'node2'));
  mkdirSync(join(dir, 'node3'));
  writeFileSync(join(dir, 'node2', 'server.log.2024-02-23-07'), [
    '[2024-02-23 07:47:50,149] INFO [ReplicaFetcherManager on broker 2] Removed fetcher for partitions Set(test-topic-2) (kafka.server.ReplicaFetcherManager)',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'node2', 'server.log'), [
    '[2024-02-23 08:20:53,942] INFO [ReplicaFetcher replicaId=2, leaderId=3, fetcherId=0] Error sending fetch request (sessionId=1656834178, epoch=1834) to node 3: (org.apache.kafka.clients.FetchSessionHandler)',
    'java.io.IOException: Connection to 3 was disconnected before the response was read',
    '\tat org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:109)',
    '[2024-02-23 08:21:00,000] INFO routine line nobody classifies (kafka.server.KafkaApis)',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'node3', 'zookeeper.log.gz'), gzipSync([
    '2024-02-23 07:45:07,751 [myid:3] - INFO  [SessionTracker:ZooKeeperServer@355] - Expiring session 0x100000e95480003, timeout of 18000ms exceeded',
    '',
  ].join('\r\n')));
  writeFileSync(join(dir, 'notes.txt'), 'We restarted node 1 at about eight.\nThen it was fine.\n');
});

describe('kforensics timeline', () => {
  it('prints a table in time order with the zone in the header, and the accounting on stderr', () => {
    const r = runCli(['timeline', dir, '--tz', 'Asia/Seoul']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('times in Asia/Seoul');
    const order = ['Expiring session', 'Removed fetcher', 'Error sending'].map((s) => r.stdout.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(r.stdout).not.toContain('routine line');
    expect(r.stderr).toMatch(/Read 3 log file\(s\), 6 lines: 4 records \+ 2 folded \+ 0 unrecognised/);
  });

  it('--json is one schema-valid document with every input accounted for', () => {
    const r = runCli(['timeline', dir, '--tz', 'Asia/Seoul', '--json']);
    expect(r.status).toBe(0);
    const doc = TimelineSchema.parse(JSON.parse(r.stdout));
    expect(doc.timeZone).toBe('Asia/Seoul');
    expect(doc.events.map((e) => [e.time, e.node, e.rule])).toEqual([
      ['2024-02-23T07:45:07.751+09:00', 'zk-3', 'zk.session.expired'],
      ['2024-02-23T07:47:50.149+09:00', 'broker-2', 'kafka.fetcher.removed'],
      ['2024-02-23T08:20:53.942+09:00', 'broker-2', 'kafka.fetch.disconnected'],
    ]);
    expect(doc.events[0]!.fields).toMatchObject({ session: '0x100000e95480003', timeoutMs: 18000 });
    expect(doc.events[2]!.continuation[0]).toBe('java.io.IOException: Connection to 3 was disconnected before the response was read');
    for (const input of doc.inputs.filter((i) => i.skipped === null)) {
      expect(input.linesRead).toBe(input.records + input.folded + input.unrecognised);
    }
    expect(doc.inputs.find((i) => i.file.endsWith('notes.txt'))?.skipped).toMatch(/no known layout/);
  });

  it('--format ndjson streams the same events, one JSON object a line', () => {
    const r = runCli(['timeline', dir, '--format', 'ndjson', '--all']);
    const lines = r.stdout.trim().split('\n').map((l) => EventSchema.parse(JSON.parse(l)));
    expect(lines).toHaveLength(4);
    expect(lines.find((e) => e.rule === null)?.message).toBe('routine line nobody classifies');
    expect(lines[0]!.time).toBe('2024-02-23T07:45:07.751+00:00');
  });

  it('filters by time in the chosen zone, node and severity', () => {
    const since = runCli(['timeline', dir, '--tz', 'Asia/Seoul', '--since', '2024-02-23 07:46', '--json']);
    expect(JSON.parse(since.stdout).events).toHaveLength(2);
    const node = runCli(['timeline', dir, '--node', 'zk-3', '--json']);
    expect(JSON.parse(node.stdout).events.map((e: { node: string }) => e.node)).toEqual(['zk-3']);
    const utcSince = runCli(['timeline', dir, '--since', '2024-02-22T22:46:00Z', '--json']);
    expect(JSON.parse(utcSince.stdout).events).toHaveLength(3);
  });

  it('names the node of a path by --node-map', () => {
    const r = runCli(['timeline', dir, '--node-map', `${join(dir, 'node2')}=kafka-b`, '--json']);
    expect(new Set(JSON.parse(r.stdout).events.map((e: { node: string }) => e.node))).toEqual(new Set(['zk-3', 'kafka-b']));
  });

  it('--verbose lists what it did not read, with the reason', () => {
    const r = runCli(['timeline', dir, '--verbose']);
    expect(r.stderr).toMatch(/notes\.txt: no known layout/);
  });

  it('fails with exit 2 and a clear message for a missing path, a bad zone or a bad time', () => {
    const missing = runCli(['timeline', join(dir, 'nope')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('No such file or directory');
    const zone = runCli(['timeline', dir, '--tz', 'Mars/Olympus']);
    expect(zone.status).toBe(2);
    expect(zone.stderr).toContain('Unknown time zone');
    const time = runCli(['timeline', dir, '--since', 'yesterday']);
    expect(time.status).toBe(2);
    expect(time.stderr).toContain('--since');
  });
});
