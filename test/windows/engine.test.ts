import { describe, expect, it } from 'vitest';
import type { Effect, Rule } from '../../src/catalogue/schema.js';
import type { FieldValue } from '../../src/catalogue/fields.js';
import type { TimelineEvent } from '../../src/timeline/event.js';
import { WindowEngine, type WindowContext } from '../../src/windows/engine.js';

// Rules reduced to what the engine reads: an id and an effect.
function rule(id: string, effect?: Effect): Rule {
  return {
    id, title: id, category: 'lifecycle', severity: 'info', appliesTo: ['kafka-broker', 'zookeeper'],
    loggers: ['*'], keyword: 'xxx', pattern: /x/, samples: ['x'], ...(effect && { effect }),
  };
}
const R = {
  stopping: rule('t.stopping', { signal: 'broker-stopping' }),
  starting: rule('t.starting', { signal: 'broker-starting' }),
  started: rule('t.started', { signal: 'broker-started' }),
  lost: rule('t.lost', { signal: 'brokers-lost', field: 'deleted' }),
  joined: rule('t.joined', { signal: 'brokers-joined', field: 'added' }),
  session: rule('t.session', { signal: 'session-established', field: 'session' }),
  expired: rule('t.expired', { signal: 'session-expired', field: 'session' }),
  contactLost: rule('t.contact', { signal: 'zk-contact-lost' }),
  unreachable: rule('t.unreachable', { signal: 'zk-peer-unreachable', field: 'sid' }),
  followerLost: rule('t.follower-lost', { signal: 'zk-follower-lost', field: 'peer' }),
  leaderLost: rule('t.leader-lost', { signal: 'zk-leader-lost' }),
  steppedDown: rule('t.stepped-down', { signal: 'zk-leader-stepped-down' }),
  state: rule('t.state', { signal: 'zk-state', field: 'state' }),
  offline: rule('t.offline', { signal: 'partition-offline', field: 'partitions' }),
  online: rule('t.online', { signal: 'partition-online', field: 'partitions' }),
  isr: rule('t.isr', { signal: 'isr-change', partition: 'partition', from: 'from', to: 'to' }),
  truncate: rule('t.truncate', { signal: 'truncation', partition: 'partition', offset: 'offset', highWatermark: 'hw' }),
  plain: rule('t.plain'),
};

const T0 = Date.UTC(2022, 9, 5, 8, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;

function ev(seconds: number, node: string, r: Rule | null, fields: Record<string, FieldValue> = {}, message = ''): TimelineEvent {
  return {
    time: s(seconds), node, nodeKind: node.startsWith('zk') ? 'zookeeper' : 'kafka-broker', file: `${node}.log`,
    line: seconds + 1, rule: r, category: 'x', severity: 'info', message: message || (r?.id ?? 'routine'), fields, continuation: [],
  };
}

function run(events: TimelineEvent[], context?: WindowContext) {
  const engine = new WindowEngine(context);
  for (const e of events) engine.push(e);
  return { windows: engine.finish(), falseAlarms: engine.falseAlarms };
}

describe('WindowEngine: brokers', () => {
  it('a graceful stop opens at the shutdown line and closes at started', () => {
    const { windows } = run([
      ev(0, 'broker-1', null), ev(10, 'broker-1', R.stopping), ev(12, 'broker-1', null),
      ev(100, 'broker-1', R.starting), ev(105, 'broker-1', R.started),
    ]);
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatchObject({ kind: 'broker-down', node: 'broker-1', start: s(10), end: s(105), endBounds: [s(100), s(105)], confidence: 'high' });
  });

  it('a silent death carries the last sign of life and the detection time (seed 001)', () => {
    const { windows } = run([
      ev(0, 'broker-1', null), ev(339, 'broker-1', R.plain),
      ev(346, 'broker-2', R.lost, { deleted: [1] }),
      ev(8100, 'broker-1', R.starting), ev(8105, 'broker-1', R.started),
    ]);
    expect(windows).toHaveLength(1);
    const w = windows[0]!;
    expect(w).toMatchObject({ kind: 'broker-down', node: 'broker-1', start: s(339), startBounds: [s(339), s(346)], end: s(8105) });
    expect(w.evidence.map((e) => e.ruleId)).toEqual(['t.plain', 't.lost', 't.starting', 't.started']);
  });

  it('a restart after a long silence with no shutdown is a crash even if nobody noticed', () => {
    const { windows } = run([ev(0, 'broker-3', R.plain), ev(3600, 'broker-3', R.starting), ev(3610, 'broker-3', R.started)]);
    expect(windows).toMatchObject([{ kind: 'broker-down', start: s(0), end: s(3610), endBounds: [s(3600), s(3610)] }]);
  });

  it('joins a ZooKeeper expiry to the broker that owned the session', () => {
    const { windows } = run([
      ev(0, 'broker-2', R.session, { session: '0xabc' }), ev(5, 'broker-2', R.plain),
      ev(30, 'zk-1', R.expired, { session: '0xabc' }), ev(45, 'zk-1', R.plain),
    ]);
    expect(windows).toMatchObject([{ kind: 'broker-down', node: 'broker-2', start: s(5), startBounds: [s(5), s(30)], end: null }]);
  });

  it('a broker that keeps logging after the cluster gave up on it was isolated, not down', () => {
    const { windows } = run([
      ev(0, 'broker-3', R.plain), ev(10, 'broker-3', R.contactLost),
      ev(25, 'broker-2', R.lost, { deleted: [3] }), ev(26, 'broker-3', R.plain), ev(27, 'broker-3', R.plain),
      ev(60, 'broker-3', R.session, { session: '0xnew' }),
    ]);
    expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([['isolated', 'broker-3', s(10), s(60)]]);
  });
});

describe('WindowEngine: ZooKeeper', () => {
  const serving = [ev(0, 'zk-1', R.state, { state: 'LEADING' }), ev(0, 'zk-2', R.state, { state: 'FOLLOWING' }), ev(0, 'zk-3', R.state, { state: 'FOLLOWING' })];

  it('a follower killed: down from when peers lost it (its last line the earliest bound) until it follows again', () => {
    const { windows } = run([
      ...serving, ev(50, 'zk-2', R.plain), ev(52, 'zk-1', R.followerLost, { peer: '/10.0.0.2:33266' }),
      ev(53, 'zk-3', R.unreachable, { sid: '2' }), ev(90, 'zk-2', R.plain), ev(91, 'zk-2', R.state, { state: 'LOOKING' }),
      ev(92, 'zk-2', R.state, { state: 'FOLLOWING' }),
    ], { replicas: new Map(), zkAddresses: new Map([['10.0.0.2', '2']]) });
    expect(windows).toMatchObject([{ kind: 'zk-node-down', node: 'zk-2', start: s(52), startBounds: [s(50), s(52)], end: s(92), endBounds: [s(90), s(92)] }]);
  });

  it('ignores channel failures while the ensemble is still starting', () => {
    const { windows } = run([ev(0, 'zk-1', R.state, { state: 'LOOKING' }), ev(1, 'zk-1', R.unreachable, { sid: '2' })]);
    expect(windows).toEqual([]);
  });

  it('the leader stepping down opens a no-leader window that the next election closes', () => {
    const { windows } = run([
      ...serving, ev(100, 'zk-1', R.steppedDown), ev(101, 'zk-1', R.state, { state: 'LOOKING' }),
      ev(140, 'zk-3', R.state, { state: 'LEADING', tookMs: 226 }),
    ]);
    expect(windows).toMatchObject([{ kind: 'zk-quorum-lost', start: s(100), end: s(140), details: { electionTookMs: 226 } }]);
  });

  it('a leader every follower loses is down, and the ensemble has no leader until the next election', () => {
    const { windows } = run([
      ...serving, ev(100, 'zk-2', R.leaderLost), ev(100.5, 'zk-3', R.leaderLost),
      ev(101, 'zk-2', R.state, { state: 'LOOKING' }), ev(102, 'zk-3', R.state, { state: 'LEADING', tookMs: 900 }),
      ev(130, 'zk-1', R.state, { state: 'LOOKING' }), ev(131, 'zk-1', R.state, { state: 'FOLLOWING' }),
    ]);
    expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([
      ['zk-quorum-lost', 'zk-1', s(100), s(102)],
      ['zk-node-down', 'zk-1', s(100), s(131)],
    ]);
  });

  it('a restarted former leader logging LOOKING is not a new leader loss', () => {
    const { windows } = run([
      ...serving, ev(50, 'zk-2', R.unreachable, { sid: '1' }), ev(51, 'zk-3', R.state, { state: 'LEADING' }),
      ev(60, 'zk-1', R.state, { state: 'LOOKING' }), ev(61, 'zk-1', R.state, { state: 'FOLLOWING' }),
    ]);
    expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([
      ['zk-quorum-lost', 'zk-1', s(50), s(51)],
      ['zk-node-down', 'zk-1', s(50), s(61)],
    ]);
  });

  it('expiries logged by a leader just before it steps down are false alarms, not outages', () => {
    const { windows, falseAlarms } = run([
      ...serving, ev(1, 'broker-1', R.session, { session: '0x1' }), ev(2, 'broker-1', R.plain),
      ev(200, 'zk-1', R.expired, { session: '0x1' }), ev(202, 'zk-1', R.steppedDown),
      ev(203, 'zk-2', R.state, { state: 'LEADING' }), ev(300, 'broker-1', R.plain),
    ]);
    expect(falseAlarms).toHaveLength(1);
    expect(falseAlarms[0]!.why).toMatch(/stepped down/);
    expect(windows.map((w) => w.kind)).toEqual(['zk-quorum-lost']);
  });
});

describe('WindowEngine: partitions', () => {
  it('RF=1: the partition is offline for as long as its only replica is down', () => {
    const replicas = new Map([['account_event-0', { replicas: [1], evidence: { file: 'describe.txt', line: 2, time: null, ruleId: null, text: 'Topic: account_event Partition: 0 Leader: 1 Replicas: 1 Isr: 1' } }]]);
    const { windows } = run([
      ev(0, 'broker-1', R.plain), ev(20, 'broker-2', R.lost, { deleted: [1] }), ev(900, 'broker-1', R.starting), ev(905, 'broker-1', R.started),
    ], { replicas, zkAddresses: new Map() });
    expect(windows.map((w) => [w.kind, w.node ?? `${w.topic}-${w.partition}`, w.start, w.end])).toEqual([
      ['broker-down', 'broker-1', s(0), s(905)],
      ['partition-offline', 'account_event-0', s(0), s(905)],
    ]);
    expect(windows[1]!.reason).toMatch(/replication factor 1/);
  });

  it('offline and online lines bound a partition-offline window', () => {
    const { windows } = run([ev(5, 'broker-2', R.offline, { partitions: ['orders-0'] }), ev(9, 'broker-2', R.online, { partitions: ['orders-0'] })]);
    expect(windows).toMatchObject([{ kind: 'partition-offline', topic: 'orders', partition: 0, start: s(5), end: s(9) }]);
  });

  it('ISR shrink to expand is an under-replicated window', () => {
    const { windows } = run([
      ev(5, 'broker-1', R.isr, { partition: ['orders-0'], from: [1, 2, 3], to: [1, 2] }),
      ev(8, 'broker-1', R.isr, { partition: ['orders-0'], from: [1, 2], to: [1] }),
      ev(60, 'broker-1', R.isr, { partition: ['orders-0'], from: [1], to: [1, 2, 3] }),
    ]);
    expect(windows).toMatchObject([{ kind: 'under-replicated', topic: 'orders', partition: 0, start: s(5), end: s(60) }]);
  });

  it('a cut-off broker that truncates on rejoining was a stale leader; the lost offsets are counted', () => {
    const { windows } = run([
      ev(0, 'broker-1', R.plain), ev(10, 'broker-1', R.contactLost), ev(40, 'broker-1', R.session, { session: '0x9' }),
      ev(45, 'broker-1', R.truncate, { partition: ['orders-0'], offset: 1400, hw: 1500 }),
    ]);
    const stale = windows.find((w) => w.kind === 'stale-leader')!;
    expect(stale).toMatchObject({ node: 'broker-1', topic: 'orders', partition: 0, start: s(10), end: s(45), details: { truncatedTo: 1400, truncatedOffsets: 100 } });
  });
});
