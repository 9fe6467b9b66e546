import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flat, runCli } from './run-cli.js';

const HA = 'fixtures/ha-test-2024-02-23';

describe('every flag value is checked: exit 2 and what to do', () => {
  it.each([
    ['an hour that does not exist', ['--since', '2024-02-23 25:00'], '--since "2024-02-23 25:00" is not a time that exists'],
    ['February 30', ['--until', '2024-02-30'], '--until "2024-02-30" is not a time that exists'],
    ['an inverted range', ['--since', '2024-02-23 08:00', '--until', '2024-02-23 07:00'], 'is after --until "2024-02-23 07:00": nothing can be in between. Swap them.'],
    ['an unknown category, with the known ones', ['--category', 'isr,replicaton'], '--category "replicaton" (did you mean replication?): no such category. The categories: controller, group, isr,'],
    ['an unknown rule id', ['--rule', 'zk.session.expird'], '--rule "zk.session.expird" (did you mean zk.session.expired?): no such rule. The rule ids: '],
    ['a node the logs do not have', ['--node', 'broker-9'], '--node "broker-9" (did you mean broker-1?): no such node in these logs. The nodes in these logs: broker-1, broker-2, broker-3, zk-1, zk-2, zk-3.'],
    ['a --node-map that matches no file', ['--node-map', 'fixtures/ha-test/node1=broker-1'], '--node-map "fixtures/ha-test/node1=broker-1": no file under fixtures/ha-test-2024-02-23 is at or below that path'],
    ['a --node-map that is not PATH=NAME', ['--node-map', 'node1'], '--node-map "node1" is not PATH=NAME'],
  ])('timeline: %s', (_, args, message) => {
    const r = runCli(['timeline', HA, ...args]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(flat(r.stderr)).toContain(message);
  });

  it('the other commands check --node-map too', () => {
    for (const args of [['windows', HA], ['gap', HA, '--topic', 'test-topic-2'], ['report', HA, '--out', '-']]) {
      const r = runCli([...args, '--node-map', 'fixtures/nope=broker-1']);
      expect(r.status, args[0]).toBe(2);
      expect(flat(r.stderr), args[0]).toContain('no file under fixtures/ha-test-2024-02-23 is at or below that path');
    }
  });

  it('a --node-map that names a directory of the inputs is taken', () => {
    const r = runCli(['timeline', HA, '--node-map', `${HA}/node2/kafka=kafka-b`, '--node', 'kafka-b', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(new Set(JSON.parse(r.stdout).events.map((e: { node: string }) => e.node))).toEqual(new Set(['kafka-b']));
  });
});

describe('nothing read is a failure (exit 1), said on stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kf-nothing-'));
  mkdirSync(join(dir, 'empty'));
  mkdirSync(join(dir, 'notes'));
  writeFileSync(join(dir, 'notes', 'README.txt'), 'We restarted broker 1 at about eight.\n');

  it.each(['timeline', 'windows'])('%s of an empty folder and of a folder with no logs', (command) => {
    const empty = runCli([command, join(dir, 'empty')]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('No files found under');
    const notes = runCli([command, join(dir, 'notes'), '--json']);
    expect(notes.status).toBe(1);
    expect(notes.stderr).toContain('No log read from');
    expect(JSON.parse(notes.stdout).schema).toMatch(/^kforensics\//);
  });

  it('gap with no dump of the topic', () => {
    const r = runCli(['gap', HA, '--topic', 'test-topic-2']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('No dump of topic test-topic-2 found (exit code 1)');
  });

  it('report of a folder with no logs', () => {
    const r = runCli(['report', join(dir, 'notes'), '--json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('No log read from');
  });
});

describe('the filters apply to every table', () => {
  it('the windows summary after the rows shows only the windows the filters keep', () => {
    const all = runCli(['timeline', HA, '--json']);
    const allWindows = JSON.parse(all.stdout).windows as { node?: string; start: string; end: string | null }[];
    const node = runCli(['timeline', HA, '--node', 'zk-1', '--json']);
    const nodeWindows = JSON.parse(node.stdout).windows as { node?: string }[];
    expect(nodeWindows.length).toBeGreaterThan(0);
    expect(nodeWindows.length).toBeLessThan(allWindows.length);
    expect(new Set(nodeWindows.map((w) => w.node))).toEqual(new Set(['zk-1']));

    const table = runCli(['timeline', HA, '--node', 'zk-1']);
    expect(table.stdout).toContain(`Outage windows matching the filters: ${nodeWindows.length} of ${allWindows.length}`);
    // The summary follows the rows (it needs the whole pass).
    expect(table.stdout.indexOf('Time (UTC)')).toBeLessThan(table.stdout.indexOf('Outage windows matching the filters'));
    const summary = table.stdout.slice(table.stdout.indexOf('Outage windows matching the filters'));
    expect(summary).toContain('zk-node-down');
    expect(summary).not.toMatch(/broker-down|isolated/);

    const late = runCli(['timeline', HA, '--since', '2024-02-23 08:20', '--json']);
    const lateWindows = JSON.parse(late.stdout).windows as { end: string | null }[];
    expect(lateWindows.length).toBeGreaterThan(0);
    for (const w of lateWindows) if (w.end !== null) expect(Date.parse(w.end)).toBeGreaterThanOrEqual(Date.parse('2024-02-23T08:20:00Z'));

    const rule = runCli(['timeline', HA, '--rule', 'zk.leader.shutdown', '--json']);
    const doc = JSON.parse(rule.stdout) as { events: { rule: string }[]; windows: { kind: string; evidence: { rule: string | null }[] }[] };
    expect(new Set(doc.events.map((e) => e.rule))).toEqual(new Set(['zk.leader.shutdown']));
    expect(doc.windows.length).toBeGreaterThan(0);
    for (const w of doc.windows) expect(w.evidence.map((e) => e.rule)).toContain('zk.leader.shutdown');
  });
});
