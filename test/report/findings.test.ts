import { describe, expect, it } from 'vitest';
import { CHECKS, propertiesRole, runChecks, type FindingContext } from '../../src/analysis/findings.js';
import type { WindowJson } from '../../src/model/window.js';
import { parseProperties } from '../../src/readers/properties.js';
import { parseDescribe } from '../../src/readers/topics-describe.js';

const clock = (iso: string) => iso.slice(11, 16);

function window(kind: WindowJson['kind'], start: string, end: string | null, extra: Partial<WindowJson> = {}): WindowJson {
  return {
    kind, start, end, startBounds: null, endBounds: null,
    durationMs: end === null ? null : Date.parse(end) - Date.parse(start),
    confidence: 'high', reason: 'test', evidence: [], ...extra,
  };
}

function props(file: string, text: string) {
  const p = parseProperties(text.split('\n'));
  return { file, role: propertiesRole(p)!, node: 'broker-1', props: p };
}

const RF1 = parseDescribe([
  'Topic:account_event\tPartitionCount:1\tReplicationFactor:1\tConfigs:',
  '\tTopic: account_event\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1',
]);

describe('configuration findings', () => {
  it('every check has an id, a title, why it matters and a recommended value', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CHECKS) {
      expect(c.title.length, c.id).toBeGreaterThan(5);
      expect(c.why.length, c.id).toBeGreaterThan(40);
      expect(c.recommended.length, c.id).toBeGreaterThan(0);
    }
  });

  it('ties RF=1 to the window of its only replica\'s broker', () => {
    const ctx: FindingContext = {
      describes: [{ file: 'd.txt', snapshot: RF1 }], properties: [], clock,
      windows: [
        window('broker-down', '2022-10-05T17:05:39.869+09:00', '2022-10-05T19:18:00.480+09:00', { node: 'broker-1' }),
        window('broker-down', '2022-10-05T17:00:00.000+09:00', '2022-10-05T17:01:00.000+09:00', { node: 'broker-2' }),
      ],
    };
    const { findings } = runChecks(ctx);
    const rf1 = findings.find((f) => f.id === 'topic.replication-factor-1')!;
    expect(rf1.incident).toBe('account_event has RF=1 and its only replica was broker 1, down 17:05–19:18 (2 h 12 m 21 s)');
    expect(rf1.windows).toEqual([0]);
    expect(rf1.evidence).toEqual([{ file: 'd.txt', line: 2 }]);
    expect(findings[0]!.id).toBe('topic.replication-factor-1');
  });

  it('an RF=1 topic whose broker stayed up is a risk, not a cause', () => {
    const { findings } = runChecks({ describes: [{ file: 'd.txt', snapshot: RF1 }], properties: [], windows: [], clock });
    const rf1 = findings.find((f) => f.id === 'topic.replication-factor-1')!;
    expect(rf1.incident).toBeNull();
    expect(rf1.windows).toEqual([]);
  });

  it('reads server.properties: explicit risks with their line, Kafka defaults without one', () => {
    const ctx: FindingContext = {
      describes: [], windows: [], clock,
      properties: [props('server.properties', 'broker.id=1\nlog.dirs=/tmp/kafka-logs\nunclean.leader.election.enable=true\noffsets.topic.replication.factor=1\ndefault.replication.factor=3\nnum.partitions=3\nmin.insync.replicas=2\nauto.create.topics.enable=false')],
    };
    const { findings, recommendations } = runChecks(ctx);
    const byId = Object.fromEntries(findings.map((f) => [f.id, f]));
    expect(byId['broker.log-dirs-tmp']!.evidence).toEqual([{ file: 'server.properties', line: 2 }]);
    expect(byId['broker.unclean-leader-election']!.observed).toBe('unclean.leader.election.enable=true (properties file)');
    expect(byId['broker.offsets-topic-replication-factor']!.observed).toBe('offsets.topic.replication.factor=1 (properties file)');
    expect(byId['broker.default-replication-factor']).toBeUndefined();
    expect(byId['broker.min-insync-replicas']).toBeUndefined();
    expect(recommendations.find((r) => r.setting === 'default.replication.factor')!.status).toBe('ok');
    expect(recommendations.find((r) => r.setting === 'replication factor')!.status).toBe('not-checked');
  });

  it('a broker with log.dirs unset keeps Kafka\'s default under /tmp', () => {
    const { findings } = runChecks({ describes: [], windows: [], clock, properties: [props('s.properties', 'broker.id=1\nzookeeper.connect=zk:2181')] });
    expect(findings.find((f) => f.id === 'broker.log-dirs-tmp')!.observed).toBe("log.dirs not set (Kafka's default: /tmp/kafka-logs)");
  });

  it('brokers with the same value share one finding', () => {
    const a = props('b1/server.properties', 'broker.id=1\nlog.dirs=/data\ndefault.replication.factor=1');
    const b = { ...props('b2/server.properties', 'broker.id=2\nlog.dirs=/data\ndefault.replication.factor=1'), node: 'broker-2' };
    const { findings } = runChecks({ describes: [], windows: [], clock, properties: [a, b] });
    const f = findings.filter((x) => x.id === 'broker.default-replication-factor');
    expect(f).toHaveLength(1);
    expect(f[0]!.subject).toBe('broker-1, broker-2');
    expect(f[0]!.evidence).toHaveLength(2);
  });

  it('snapshot checks: Leader none, ISR short of the replicas, leader off its preferred replica', () => {
    const snap = parseDescribe([
      'Topic: t\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: min.insync.replicas=2',
      '\tTopic: t\tPartition: 0\tLeader: 3\tReplicas: 2,3\tIsr: 3',
      '\tTopic: t\tPartition: 1\tLeader: 3\tReplicas: 3,1\tIsr: 3,1',
      '\tTopic: t\tPartition: 2\tLeader: none\tReplicas: 1,2\tIsr: 2',
    ]);
    const { findings } = runChecks({ describes: [{ file: 'd', snapshot: snap }], properties: [], windows: [], clock });
    const ids = findings.map((f) => `${f.id} ${f.subject}`);
    expect(ids).toContain('topic.no-leader t-2');
    expect(ids).toContain('topic.isr-short t-0');
    expect(ids).toContain('topic.leader-not-preferred t-0');
    expect(ids).toContain('topic.replication-factor-below-3 t');
    expect(ids).toContain('topic.min-insync-replicas t');
    expect(ids).not.toContain('topic.isr-short t-1');
  });

  it('values come from topic configs, then the start-up dump, then server.properties, then defaults; each row names its source', () => {
    const describe = parseDescribe([
      'Topic:orders\tPartitionCount:3\tReplicationFactor:3\tConfigs:min.insync.replicas=2',
      'Topic:clicks\tPartitionCount:1\tReplicationFactor:3\tConfigs:',
    ]);
    const dump = (line: number, stamp: string, values: Record<string, string>) => ({
      node: 'broker-1',
      config: { file: 'server.log', line, stamp, brokerId: '1', values: new Map(Object.entries(values).map(([k, v], i) => [k, { value: v, line: line + 1 + i }])) },
    });
    const ctx: FindingContext = {
      describes: [{ file: 'd.txt', snapshot: describe }], clock,
      // server.properties says 18000; the broker ran with 6000 (its dump), which wins.
      properties: [props('server.properties', 'broker.id=1\nzookeeper.session.timeout.ms=18000\nnum.partitions=3')],
      startup: [
        dump(10, '2024-01-01 00:00:00,000', { 'zookeeper.session.timeout.ms': '6000', 'min.insync.replicas': '1' }),
        // A later start (after the incident began) is not the configuration in effect.
        dump(500, '2024-01-01 02:00:00,000', { 'zookeeper.session.timeout.ms': '4000', 'min.insync.replicas': '1' }),
      ],
      windows: [window('broker-down', '2024-01-01T01:00:00.000Z', '2024-01-01T01:10:00.000Z', { node: 'broker-1' })],
    };
    const { recommendations, findings } = runChecks(ctx);
    const row = (s: string) => recommendations.find((r) => r.setting === s)!;
    expect(row('min.insync.replicas').values).toEqual([
      { subject: 'orders', value: '2', source: 'topic', evidence: { file: 'd.txt', line: 1 } },
      { subject: 'clicks', value: '1', source: 'start-up', evidence: { file: 'server.log', line: 12 } },
    ]);
    expect(row('min.insync.replicas').status).toBe('violated');
    expect(row('min.insync.replicas').note).toContain('orders: 2 (kafka-topics output); clicks: 1 (broker start-up config)');
    expect(row('zookeeper.session.timeout.ms')).toMatchObject({ status: 'ok', values: [{ subject: 'broker-1', value: '6000', source: 'start-up', evidence: { file: 'server.log', line: 11 } }] });
    expect(row('num.partitions').values).toEqual([{ subject: 'broker-1', value: '3', source: 'properties', evidence: { file: 'server.properties', line: 3 } }]);
    expect(row('default.replication.factor').values).toEqual([{ subject: 'broker-1', value: '1', source: 'default', evidence: null }]);
    expect(row('replica.lag.time.max.ms')).toMatchObject({ status: 'not-checked', values: [] });
    expect(findings.find((f) => f.id === 'broker.zookeeper-session-timeout')).toBeUndefined();
    // A row is never "violated" on a value the evidence contradicts: every status follows from its values.
    for (const r of recommendations) if (r.values.length === 0) expect(r.status).not.toBe('ok');
  });

  it('says a topic may have been auto-created only without a create command and with auto-creation on', () => {
    const rf1 = (created: boolean) => parseDescribe([
      ...(created ? ['Created topic "account_event".'] : []),
      'Topic:account_event\tPartitionCount:1\tReplicationFactor:1\tConfigs:',
      '\tTopic: account_event\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1',
    ]);
    const windows = [window('partition-offline', '2022-10-05T17:05:58.060+09:00', '2022-10-05T19:18:00.480+09:00', { topic: 'account_event', partition: 0 })];
    const run = (created: boolean, extra = '') => runChecks({
      describes: [{ file: 'd.txt', snapshot: rf1(created) }], windows, clock,
      properties: [props('server.properties', `broker.id=1\ndefault.replication.factor=1${extra}`)],
    }).findings.find((f) => f.id === 'broker.default-replication-factor')!;
    const auto = run(false);
    expect(auto.incident).toContain('account_event has replication factor 1, no create command in the inputs and auto.create.topics.enable=true (Kafka\'s default, not in the inputs): a producer may have created it with these defaults');
    expect(auto.windows).toEqual([0]);
    for (const f of [run(true), run(false, '\nauto.create.topics.enable=false')]) {
      expect(f.incident).toBeNull();
      expect(f.windows).toEqual([]);
    }
  });

  it('two-leaders windows mark acks as likely violated', () => {
    const { recommendations } = runChecks({
      describes: [], properties: [], clock,
      windows: [window('two-leaders', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:01.000Z', { topic: 't', partition: 0, node: 'broker-1' })],
    });
    expect(recommendations.find((r) => r.setting === 'acks')!.status).toBe('violated');
  });
});

describe('narrative', () => {
  it('tells every window kind, those it has no sentence for by their label', async () => {
    const { narrative } = await import('../../src/report/narrative.js');
    const text = narrative({
      windows: [
        window('controller-unavailable' as WindowJson['kind'], '2024-01-01T00:00:00.000Z', '2024-01-01T00:01:00.000Z'),
        window('under-min-isr' as WindowJson['kind'], '2024-01-01T00:00:00.000Z', '2024-01-01T00:01:00.000Z', { topic: 'orders', partition: 0 }),
        window('under-min-isr' as WindowJson['kind'], '2024-01-01T00:00:10.000Z', '2024-01-01T00:00:20.000Z', { topic: 'orders', partition: 1 }),
      ],
      missing: [], findings: [], clock,
    });
    expect(text).toContain('3 outage windows (1 cluster-wide; 2 on partitions)');
    expect(text).toContain('No controller: the cluster 00:00:00–00:01:00 (1 m).');
    expect(text).toContain('Below min.insync.replicas: 2 windows (orders-0, orders-1); the longest orders-0 00:00:00–00:01:00 (1 m).');
  });
});
