import { describe, expect, it } from 'vitest';
import type { Effect, Rule } from '../../src/catalogue/schema.js';
import type { FieldValue } from '../../src/catalogue/fields.js';
import fc from 'fast-check';
import type { TimelineEvent } from '../../src/timeline/event.js';
import { asRuns, TestRun } from '../helpers/event-run.js';
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
  session: rule('t.session', { signal: 'session-established', field: 'session', timeout: 'timeoutMs' }),
  expired: rule('t.expired', { signal: 'session-expired', field: 'session', timeout: 'timeoutMs' }),
  closed: rule('t.closed', { signal: 'session-closed', field: 'session' }),
  contactLost: rule('t.contact', { signal: 'zk-contact-lost', idle: 'idleMs' }),
  expiredHeard: rule('t.expired-heard', { signal: 'zk-contact-lost', answered: true }),
  servers: rule('t.servers', { signal: 'zk-client-servers', servers: 'servers' }),
  zkStarting: rule('t.zk-starting', { signal: 'zk-starting' }),
  unreachable: rule('t.unreachable', { signal: 'zk-peer-unreachable', field: 'sid' }),
  broken: rule('t.broken', { signal: 'zk-peer-lost', field: 'sid' }),
  handover: rule('t.handover', { signal: 'zk-peer-handover', field: 'sid' }),
  followerLost: rule('t.follower-lost', { signal: 'zk-follower-lost', field: 'peer' }),
  leaderLost: rule('t.leader-lost', { signal: 'zk-leader-lost', timedOut: 'timedOut' }),
  steppedDown: rule('t.stepped-down', { signal: 'zk-leader-stepped-down' }),
  state: rule('t.state', { signal: 'zk-state', field: 'state' }),
  offline: rule('t.offline', { signal: 'partition-offline', field: 'partitions' }),
  online: rule('t.online', { signal: 'partition-online', field: 'partitions', leader: 'leader' }),
  partitionState: rule('t.partition-state', { signal: 'partition-state', partition: 'partition', leader: 'leader', isr: 'isr', replicas: 'replicas' }),
  replicaOffline: rule('t.replica-offline', { signal: 'replica-offline', partition: 'partition', replica: 'replica' }),
  isr: rule('t.isr', { signal: 'isr-change', partition: 'partition', from: 'from', to: 'to' }),
  truncate: rule('t.truncate', { signal: 'truncation', partition: 'partition', offset: 'offset', highWatermark: 'hw' }),
  learnerError: rule('t.learner-error', { signal: 'zk-learner-error', timedOut: 'timedOut' }),
  elected: rule('t.elected', { signal: 'controller-elected', field: 'broker' }),
  storageError: rule('t.storage-error', { signal: 'storage-error' }),
  dirOffline: rule('t.dir-offline', { signal: 'log-dir-offline', dir: 'dir' }),
  zab: rule('t.zab', { signal: 'zk-zab-state', state: 'state', zab: 'zab' }),
  plain: rule('t.plain'),
};

const T0 = Date.UTC(2022, 9, 5, 8, 0, 0);
const s = (seconds: number) => T0 + Math.round(seconds * 1000);

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
  it('a graceful stop opens at the shutdown line and closes when the process runs again; serving again is the latest end', () => {
    const { windows } = run([
      ev(0, 'broker-1', null), ev(10, 'broker-1', R.stopping), ev(12, 'broker-1', null),
      ev(100, 'broker-1', R.starting), ev(105, 'broker-1', R.started),
    ]);
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatchObject({ kind: 'broker-down', node: 'broker-1', start: s(10), end: s(98.2), endBounds: [s(90), s(105)], confidence: 'high' });
    expect(windows[0]!.endSource?.how).toMatch(/first line after the restart, less a broker's typical start-up/);
  });

  it('a silent death carries the last sign of life and the detection time', () => {
    const { windows } = run([
      ev(0, 'broker-1', null), ev(339, 'broker-1', R.plain),
      ev(346, 'broker-2', R.lost, { deleted: [1] }),
      ev(8100, 'broker-1', R.starting), ev(8105, 'broker-1', R.started),
    ]);
    expect(windows).toHaveLength(1);
    const w = windows[0]!;
    expect(w).toMatchObject({ kind: 'broker-down', node: 'broker-1', start: s(339), startBounds: [s(339), s(346)], end: s(8098.2), endBounds: [s(8090), s(8105)] });
    expect(w.evidence.map((e) => e.ruleId)).toEqual(['t.plain', 't.lost', 't.starting', 't.started']);
  });

  it('a restart after a long silence with no shutdown is a crash even if nobody noticed', () => {
    const { windows } = run([ev(0, 'broker-3', R.plain), ev(3600, 'broker-3', R.starting), ev(3610, 'broker-3', R.started)]);
    expect(windows).toMatchObject([{ kind: 'broker-down', start: s(0), end: s(3598.2), endBounds: [s(3590), s(3610)] }]);
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
    // A cut-off client keeps trying: it reconnects within one attempt (6 s,
    // one server assumed when the log does not say) and 1 s of back-off of
    // the heal; nothing inside that dates it: midway.
    expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([['isolated', 'broker-3', s(10), s(56.5)]]);
    expect(windows[0]!.endBounds).toEqual([s(53), s(60)]);
  });

  it('an isolated broker reconnects within one connection attempt (timeout ÷ servers) and its back-off of the heal; hearing of its expiry is no failed reach', () => {
    const { windows } = run([
      ev(0, 'broker-3', R.servers, { servers: 'zk1:2181,zk2:2181,zk3:2181' }),
      ev(1, 'broker-3', R.session, { session: '0xold', timeoutMs: 6000 }),
      ev(10, 'broker-3', R.contactLost, { idleMs: 4000 }), ev(14, 'broker-3', R.contactLost, { idleMs: 8000 }),
      ev(59.9, 'broker-3', R.expiredHeard), ev(60, 'broker-3', R.session, { session: '0xnew', timeoutMs: 6000 }),
    ]);
    // 6000 ms ÷ 3 servers + 1000 ms: the heal came in [57, 60]; the expiry heard at 59.9 does not move it.
    expect(windows).toMatchObject([{ kind: 'isolated', node: 'broker-3', end: s(58.5), endBounds: [s(57), s(60)] }]);
    expect(windows[0]!.endSource?.how).toMatch(/6000 ms session timeout ÷ 3 server/);
  });

  it('an isolated broker whose new session is not logged ends when a server answered it, else when the controller saw it register again', () => {
    const story = (heard: boolean) => run([
      ev(0, 'broker-3', R.servers, { servers: 'zk1:2181,zk2:2181,zk3:2181' }),
      ev(1, 'broker-3', R.session, { session: '0xold', timeoutMs: 6000 }),
      ev(10, 'broker-3', R.contactLost, { idleMs: 4000 }),
      ev(25, 'broker-2', R.lost, { deleted: [3] }), ev(26, 'broker-3', R.plain),
      ...(heard ? [ev(59.9, 'broker-3', R.expiredHeard)] : []),
      ev(60.2, 'broker-2', R.joined, { added: [3] }),
    ]).windows;
    // Without the heal dated it stayed open to the end of the logs; the first
    // sign it reached ZooKeeper again is the latest bound, one connection
    // attempt (6000 ms ÷ 3) and its back-off before it the earliest.
    expect(story(true)).toMatchObject([{ kind: 'isolated', node: 'broker-3', end: s(58.4), endBounds: [s(56.9), s(59.9)] }]);
    expect(story(true)[0]!.endSource?.how).toMatch(/a ZooKeeper server answered it/);
    expect(story(false)).toMatchObject([{ kind: 'isolated', node: 'broker-3', end: s(58.7), endBounds: [s(57.2), s(60.2)] }]);
    expect(story(false)[0]!.endSource?.how).toMatch(/the controller saw it register again/);
  });

  it('a broker that only hears of its own expiry was cut off from a session timeout before until it reached a server: closed there, not left open', () => {
    const dropped = rule('t.dropped', { signal: 'zk-dropped' });
    const story = (...middle: TimelineEvent[]) => run([
      ev(0, 'broker-3', R.servers, { servers: 'zk1:2181,zk2:2181,zk3:2181' }),
      ev(1, 'broker-3', R.session, { session: '0xold', timeoutMs: 6000 }),
      ev(20, 'broker-3', R.plain),
      ...middle,
      // The ZooKeeper client and Kafka's wrapper each say it: one window.
      ev(40, 'broker-3', R.expiredHeard), ev(40.002, 'broker-3', R.expiredHeard),
      ev(50, 'broker-3', R.plain),
    ]).windows;
    // Nothing else dates the cut: ZooKeeper had not heard from it for the
    // negotiated timeout, so it lost contact at 34 at the latest (since its
    // session at 1); it reached a server by 40, within one attempt (2 s) and
    // its back-off (1 s) of the heal.
    const bare = story();
    expect(bare).toMatchObject([{ kind: 'isolated', node: 'broker-3', start: s(34), startBounds: [s(1), s(34)], end: s(38.5), endBounds: [s(37), s(40)], confidence: 'low' }]);
    expect(bare[0]!.evidence.map((x) => x.line)).toEqual([41, 41.002]);
    expect(bare[0]!.reason).toMatch(/logged nothing in between, so it may as well have been frozen/);
    // A dropped connection since the session dates the last contact better.
    const drop = story(ev(25, 'broker-3', dropped), ev(30, 'broker-3', R.plain));
    expect(drop).toMatchObject([{ kind: 'isolated', start: s(25), startBounds: [s(1), s(25)], end: s(38.5) }]);
    expect(drop[0]!.reason).toMatch(/it kept running/);
    // ZooKeeper's own expiry dates it within a tick.
    const zk = story(ev(31, 'zk-1', R.expired, { session: '0xold', timeoutMs: 6000 }));
    expect(zk).toMatchObject([{ kind: 'isolated', start: s(25), startBounds: [s(23), s(27)], confidence: 'medium' }]);
    expect(zk[0]!.startSource?.how).toMatch(/expiry − negotiated timeout/);
    // A drop followed by a reconnect (a new session line) is no cut.
    const healed = story(ev(25, 'broker-3', dropped), ev(25.5, 'broker-3', R.session, { session: '0xold', timeoutMs: 6000 }));
    expect(healed).toMatchObject([{ start: s(34), startBounds: [s(25.5), s(34)] }]);
  });

  it('a killed broker: down from ZooKeeper seeing its own session socket close, its last line the earliest bound', () => {
    const { windows } = run([
      ev(0, 'broker-2', R.session, { session: '0xabc', timeoutMs: 6000 }), ev(30, 'broker-2', R.plain),
      // Another client's socket closing says nothing about broker-2.
      ev(33, 'zk-1', R.closed, { session: '0xcli' }),
      ev(37.9, 'zk-1', R.closed, { session: '0xabc' }),
      ev(44, 'zk-1', R.expired, { session: '0xabc', timeoutMs: 6000 }), ev(44.3, 'broker-1', R.lost, { deleted: [2] }),
      ev(90, 'broker-2', R.starting), ev(91, 'broker-2', R.started),
    ]);
    expect(windows).toHaveLength(1);
    const w = windows[0]!;
    expect(w).toMatchObject({ kind: 'broker-down', node: 'broker-2', start: s(37.9), startBounds: [s(30), s(37.9)], confidence: 'high', end: s(88.2), endBounds: [s(80), s(91)] });
    expect(w.startSource?.how).toMatch(/session socket close/);
    expect(w.startSource?.evidence?.time).toBe(s(37.9));
    expect(w.details.noticedAt).toBe(s(44.3));
  });

  it('a socket close before the broker\'s last line is a reconnect, not its death: the start falls back to expiry − negotiated timeout', () => {
    const { windows } = run([
      ev(0, 'broker-2', R.session, { session: '0xabc', timeoutMs: 6000 }), ev(3, 'zk-1', R.closed, { session: '0xabc' }),
      ev(5, 'broker-2', R.plain),
      ev(30, 'zk-1', R.expired, { session: '0xabc', timeoutMs: 6000 }), ev(30.2, 'broker-1', R.lost, { deleted: [2] }),
    ]);
    // Last contact = 30 − 6 = 24; ZooKeeper expires on tick boundaries (within
    // 2 s after the timeout) and a live client pings every third of it.
    expect(windows).toMatchObject([{ kind: 'broker-down', node: 'broker-2', start: s(24), startBounds: [s(22), s(26)], confidence: 'medium', end: null }]);
    expect(windows[0]!.startSource?.how).toMatch(/expiry − negotiated timeout \(6000 ms\)/);
  });

  it('an expiry without the timeout (or with none of the broker\'s own lines after) keeps the last line as the start', () => {
    const { windows } = run([
      ev(0, 'broker-2', R.session, { session: '0xabc' }), ev(5, 'broker-2', R.plain),
      ev(30, 'zk-1', R.expired, { session: '0xabc' }), ev(30.2, 'broker-1', R.lost, { deleted: [2] }),
    ]);
    expect(windows).toMatchObject([{ kind: 'broker-down', start: s(5), startBounds: [s(5), s(30.2)] }]);
  });

  it('a frozen broker: silent past its session timeout, back without a restart, its thaw line dating the last contact', () => {
    const { windows } = run([
      ev(0, 'broker-2', R.session, { session: '0xabc', timeoutMs: 6000 }), ev(40, 'broker-2', R.plain),
      ev(50.298, 'zk-1', R.expired, { session: '0xabc', timeoutMs: 6000 }), ev(50.316, 'broker-1', R.lost, { deleted: [2] }),
      ev(59.939, 'broker-2', R.plain, {}, 'Shrinking ISR from 2,1,3 to 2'),
      ev(59.94, 'broker-2', R.contactLost, { idleMs: 16843 }),
      ev(62, 'broker-2', R.session, { session: '0xdef', timeoutMs: 6000 }), ev(62.1, 'broker-1', R.joined, { added: [2] }),
      ev(70, 'broker-2', R.plain),
    ]);
    expect(windows.map((w) => w.kind)).toEqual(['broker-hung']);
    const w = windows[0]!;
    // Last answer from ZooKeeper 59.94 − 16.843 = 43.097; the freeze came
    // within one ping interval (6000 / 3 ms) after it: start half-way.
    expect(w).toMatchObject({ node: 'broker-2', start: s(44.097), startBounds: [s(43.097), s(45.097)], end: s(59.939), endBounds: [s(59.939), s(59.939)] });
    expect(w.details.lastContactWithZooKeeper).toBe(s(43.097));
    expect(w.reason).toMatch(/frozen/);
  });

  it('a frozen broker is confirmed by its registering again, without a thaw line', () => {
    const { windows } = run([
      ev(0, 'broker-2', R.session, { session: '0xabc', timeoutMs: 6000 }), ev(40, 'broker-2', R.plain),
      ev(50.3, 'zk-1', R.expired, { session: '0xabc', timeoutMs: 6000 }), ev(50.4, 'broker-1', R.lost, { deleted: [2] }),
      ev(60, 'broker-2', R.plain), ev(61, 'broker-1', R.joined, { added: [2] }),
    ]);
    expect(windows).toMatchObject([{ kind: 'broker-hung', node: 'broker-2', start: s(44.3), end: s(60), details: { rejoinedAt: s(61) } }]);
  });

  it('a frozen broker with neither thaw line nor re-registration is told as hung at the end of the logs when no restart followed', () => {
    const { windows } = run([
      ev(0, 'broker-2', R.session, { session: '0xabc', timeoutMs: 6000 }), ev(40, 'broker-2', R.plain),
      ev(50.3, 'zk-1', R.expired, { session: '0xabc', timeoutMs: 6000 }), ev(50.4, 'broker-1', R.lost, { deleted: [2] }),
      ev(60, 'broker-2', R.plain), ev(61, 'broker-2', R.plain),
    ]);
    expect(windows).toMatchObject([{ kind: 'broker-hung', node: 'broker-2', start: s(44.3), end: s(60) }]);
  });

  it('a restart whose first lines come before it says `starting` is down until its first line, serving again the latest end', () => {
    const { windows } = run([
      ev(0, 'broker-2', R.session, { session: '0xabc', timeoutMs: 6000 }), ev(30, 'broker-2', R.plain),
      ev(37.9, 'zk-1', R.closed, { session: '0xabc' }),
      ev(44, 'zk-1', R.expired, { session: '0xabc', timeoutMs: 6000 }), ev(44.3, 'broker-1', R.lost, { deleted: [2] }),
      // A killed broker's restart: log4j's first lines precede KafkaServer's `starting`.
      ev(84.709, 'broker-2', R.plain, {}, 'Registered kafka:type=kafka.Log4jController MBean'),
      ev(85, 'broker-2', R.starting), ev(85.991, 'broker-2', R.started),
    ]);
    expect(windows).toHaveLength(1);
    const w = windows[0]!;
    expect(w).toMatchObject({ kind: 'broker-down', node: 'broker-2', start: s(37.9), end: s(82.909), endBounds: [s(74.709), s(85.991)] });
    expect(w.endSource?.evidence?.text).toBe('Registered kafka:type=kafka.Log4jController MBean');
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
    expect(windows).toMatchObject([{ kind: 'zk-node-down', node: 'zk-2', start: s(52), startBounds: [s(50), s(52)], end: s(89.6), endBounds: [s(80), s(92)] }]);
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
      ['zk-node-down', 'zk-1', s(100), s(129.6)],
    ]);
  });

  it('a restarted former leader logging LOOKING is not a new leader loss', () => {
    const { windows } = run([
      ...serving, ev(50, 'zk-2', R.unreachable, { sid: '1' }), ev(51, 'zk-3', R.state, { state: 'LEADING' }),
      ev(60, 'zk-1', R.state, { state: 'LOOKING' }), ev(61, 'zk-1', R.state, { state: 'FOLLOWING' }),
    ]);
    expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([
      ['zk-quorum-lost', 'zk-1', s(50), s(51)],
      ['zk-node-down', 'zk-1', s(50), s(59.6)],
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

  it('a server refused while the ensemble starts (never seen up) is not down, even by serving peers', () => {
    const { windows } = run([
      ev(0, 'zk-1', R.zkStarting), ev(0.5, 'zk-3', R.zkStarting),
      ev(2, 'zk-1', R.state, { state: 'LOOKING' }), ev(2.1, 'zk-3', R.state, { state: 'LOOKING' }),
      ev(3, 'zk-1', R.unreachable, { sid: '2' }), ev(3.1, 'zk-3', R.unreachable, { sid: '2' }),
      ev(4, 'zk-3', R.state, { state: 'LEADING' }), ev(4.1, 'zk-1', R.state, { state: 'FOLLOWING' }),
      ev(6, 'zk-1', R.unreachable, { sid: '2' }), ev(6.1, 'zk-3', R.unreachable, { sid: '2' }),
    ]);
    expect(windows).toEqual([]);
  });

  describe('a quorum connection handed over to the higher id', () => {
    // zk-2 reaches zk-3 and drops that connection so that zk-3 connects back;
    // zk-3 shuts its older connection to zk-2 as it does, and zk-2's side of
    // that older connection sees it close.
    it('a connection breaking just after the hand-over is the replacement, not a death', () => {
      const { windows, falseAlarms } = run([
        ...serving, ev(10, 'zk-2', R.handover, { sid: 3 }), ev(10.002, 'zk-3', R.broken, { sid: 2 }), ev(10.017, 'zk-2', R.broken, { sid: 3 }),
        ev(20, 'zk-2', R.plain), ev(20, 'zk-3', R.plain),
      ]);
      expect(windows).toEqual([]);
      expect(falseAlarms.map((f) => f.line)).toEqual([11.002, 11.017]);
      expect(falseAlarms[0]!.why).toMatch(/between zk-2 and zk-3 was replaced, not lost: zk-2 had just reached zk-3/);
    });

    it('a break stamped before the hand-over (the other host\'s clock behind) is withdrawn once the hand-over is read', () => {
      const { windows, falseAlarms } = run([
        ...serving, ev(9.8, 'zk-1', R.broken, { sid: 2 }), ev(10, 'zk-2', R.handover, { sid: 1 }),
        ev(11, 'zk-2', R.state, { state: 'FOLLOWING' }), ev(12, 'zk-1', R.leaderLost), ev(12.5, 'zk-3', R.leaderLost),
      ]);
      // zk-2 stayed a follower: when the leader zk-1 is lost by every follower, zk-2 counts among them.
      expect(windows.map((w) => [w.kind, w.node])).toEqual([]);
      expect(falseAlarms).toHaveLength(1);
      expect(falseAlarms[0]).toMatchObject({ line: 10.8 });
    });

    it('a break stamped before the hand-over is withdrawn even when its server was serving again in between', () => {
      const { windows, falseAlarms } = run([
        ...serving, ev(9.8, 'zk-1', R.broken, { sid: 2 }), ev(9.9, 'zk-2', R.state, { state: 'FOLLOWING' }), ev(10, 'zk-2', R.handover, { sid: 1 }),
      ]);
      expect(windows).toEqual([]);
      expect(falseAlarms.map((f) => f.line)).toEqual([10.8]);
    });

    it('a break further from any hand-over than clocks disagree is a death', () => {
      const { windows, falseAlarms } = run([
        ...serving, ev(10, 'zk-2', R.handover, { sid: 3 }), ev(12, 'zk-3', R.broken, { sid: 2 }),
      ]);
      expect(windows).toMatchObject([{ kind: 'zk-node-down', node: 'zk-2', start: s(12), end: null }]);
      expect(falseAlarms).toEqual([]);
    });

    it('a hand-over between two other servers leaves a death alone', () => {
      const { windows } = run([
        ...serving, ev(9.9, 'zk-3', R.broken, { sid: 2 }), ev(10, 'zk-1', R.handover, { sid: 3 }),
      ]);
      expect(windows).toMatchObject([{ kind: 'zk-node-down', node: 'zk-2', start: s(9.9), end: null }]);
    });
  });

  it('a server seen up once and then refused by a serving peer is down', () => {
    const { windows } = run([
      ev(4, 'zk-3', R.state, { state: 'LEADING' }), ev(4.1, 'zk-1', R.state, { state: 'FOLLOWING' }),
      ev(10, 'zk-2', R.state, { state: 'FOLLOWING' }), ev(20, 'zk-2', R.plain),
      ev(50, 'zk-1', R.unreachable, { sid: '2' }),
    ]);
    expect(windows).toMatchObject([{ kind: 'zk-node-down', node: 'zk-2', start: s(50), startBounds: [s(20), s(50)], end: null }]);
  });

  describe('a leader that went silent (its followers timed out)', () => {
    const freeze = [
      ...serving, ev(1, 'broker-1', R.session, { session: '0x1', timeoutMs: 6000 }), ev(2, 'broker-1', R.plain),
      ev(35.264, 'zk-1', R.plain),
      ev(39.269, 'zk-3', R.leaderLost, { timedOut: 'SocketTimeoutException' }),
      ev(39.274, 'zk-2', R.leaderLost, { timedOut: 'SocketTimeoutException' }),
      ev(39.3, 'zk-2', R.state, { state: 'LOOKING' }), ev(39.31, 'zk-3', R.state, { state: 'LOOKING' }),
      ev(39.527, 'zk-2', R.state, { state: 'FOLLOWING' }), ev(39.543, 'zk-3', R.state, { state: 'LEADING', tookMs: 226 }),
      ev(45, 'broker-1', R.plain),
    ];

    it('is unreachable from its last line until its first line back; then a stale leader until it steps down; its expiries are false alarms', () => {
      const { windows, falseAlarms } = run([
        ...freeze,
        ev(50.279, 'zk-1', R.plain), ev(50.281, 'zk-1', R.expired, { session: '0x1', timeoutMs: 6000 }),
        ev(51.282, 'zk-1', R.steppedDown), ev(51.38, 'zk-1', R.state, { state: 'FOLLOWING' }),
        ev(70, 'broker-1', R.plain),
      ]);
      expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([
        ['zk-quorum-lost', 'zk-1', s(35.264), s(39.527)],
        ['zk-node-unreachable', 'zk-1', s(35.264), s(50.279)],
        ['zk-stale-leader', 'zk-1', s(50.279), s(51.282)],
      ]);
      expect(windows[0]!.startBounds).toEqual([s(35.264), s(39.269)]);
      expect(windows[1]!).toMatchObject({ startBounds: [s(35.264), s(39.269)], endBounds: [s(50.279), s(50.279)], details: { wasLeader: true } });
      expect(falseAlarms).toHaveLength(1);
      expect(falseAlarms[0]).toMatchObject({ file: 'zk-1.log', time: s(50.281) });
    });

    it('coming back only through a restart, it had died: zk-node-down until its first line, no stale leader', () => {
      const { windows } = run([
        ...freeze,
        ev(60, 'zk-1', R.zkStarting), ev(61, 'zk-1', R.state, { state: 'LOOKING' }), ev(62, 'zk-1', R.state, { state: 'FOLLOWING' }),
      ]);
      expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([
        ['zk-quorum-lost', 'zk-1', s(35.264), s(39.527)],
        ['zk-node-down', 'zk-1', s(35.264), s(59.6)],
      ]);
      expect(windows[1]!.endBounds).toEqual([s(50), s(62)]);
    });
  });

  it('a leader left without a quorum lost it when the follower it needed died, not when it stepped down', () => {
    const zkAddresses = new Map([['10.0.0.2', '2'], ['10.0.0.3', '3']]);
    const { windows } = run([
      ...serving, ev(20, 'zk-2', R.plain), ev(20.5, 'zk-1', R.followerLost, { peer: '/10.0.0.2:33266' }),
      ev(50, 'zk-3', R.plain), ev(50.2, 'zk-1', R.followerLost, { peer: '/10.0.0.3:40100' }),
      ev(52, 'zk-1', R.steppedDown), ev(53, 'zk-1', R.state, { state: 'LOOKING' }),
      ev(80, 'zk-3', R.zkStarting), ev(81, 'zk-3', R.state, { state: 'LOOKING' }), ev(82, 'zk-3', R.state, { state: 'FOLLOWING' }),
      ev(82.1, 'zk-1', R.state, { state: 'LEADING' }),
    ], { replicas: new Map(), zkAddresses });
    expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([
      ['zk-node-down', 'zk-2', s(20.5), null],
      ['zk-quorum-lost', 'zk-1', s(50.2), s(82)],
      ['zk-node-down', 'zk-3', s(50.2), s(79.6)],
    ]);
    expect(windows[1]!.startBounds).toEqual([s(50), s(50.2)]);
    expect(windows[1]!.reason).toMatch(/zk-3 went away/);
  });
});

describe('WindowEngine: partitions', () => {
  it('RF=1: the partition has no leader from its only replica\'s death until that broker serves again', () => {
    const replicas = new Map([['account_event-0', { replicas: [1], evidence: { file: 'describe.txt', line: 2, time: null, ruleId: null, text: 'Topic: account_event Partition: 0 Leader: 1 Replicas: 1 Isr: 1' } }]]);
    const { windows } = run([
      ev(0, 'broker-1', R.plain), ev(20, 'broker-2', R.lost, { deleted: [1] }), ev(900, 'broker-1', R.starting), ev(905, 'broker-1', R.started),
    ], { replicas, zkAddresses: new Map() });
    expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([
      ['broker-down', 'broker-1', s(0), s(898.2)],
      ['partition-leaderless', 'broker-1', s(0), expect.any(Number)],
    ]);
    const leaderless = windows[1]!;
    expect(leaderless).toMatchObject({ topic: 'account_event', partition: 0, details: { inferred: true, replicationFactor: 1 } });
    expect(leaderless.reason).toMatch(/replication factor 1/);
    // The process ran again at 900 but served nothing until it had started
    // (loaded its logs, registered, was made leader): a restarting broker's
    // first line is not its partitions' comeback, and start-up can take
    // minutes on a broker with many segments to recover.
    expect(leaderless.end).toBe(s(905));
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

  it('a cut-off broker that truncates on rejoining had acted as a second leader; the lost offsets are counted', () => {
    const { windows } = run([
      ev(0, 'broker-1', R.plain), ev(10, 'broker-1', R.contactLost), ev(40, 'broker-1', R.session, { session: '0x9' }),
      ev(45, 'broker-1', R.truncate, { partition: ['orders-0'], offset: 1400, hw: 1500 }),
    ]);
    // No election line for its successor: from when it was cut off.
    const two = windows.filter((w) => w.kind === 'two-leaders');
    expect(two).toHaveLength(1);
    expect(two[0]).toMatchObject({ node: 'broker-1', topic: 'orders', partition: 0, start: s(10), end: s(45), confidence: 'medium', details: { truncatedTo: 1400, truncatedOffsets: 100 } });
  });

  it("a partition has no leader from its leader's death until the controller names the next one", () => {
    const { windows } = run([
      ev(0.5, 'broker-2', R.session, { session: '0xabc', timeoutMs: 6000 }),
      ev(1, 'broker-1', R.partitionState, { partition: ['orders-0'], leader: 2, isr: [2, 3, 1], replicas: [2, 3, 1] }),
      ev(1.1, 'broker-1', R.partitionState, { partition: ['orders-1'], leader: 3, isr: [3, 1, 2], replicas: [3, 1, 2] }),
      ev(30, 'broker-2', R.plain), ev(37.9, 'zk-1', R.closed, { session: '0xabc' }),
      ev(44.3, 'broker-1', R.lost, { deleted: [2] }),
      ev(44.319, 'broker-1', R.partitionState, { partition: ['orders-0'], leader: 3, isr: [3, 1], replicas: [2, 3, 1] }),
      ev(44.37, 'broker-1', R.replicaOffline, { partition: ['orders-1'], replica: 2 }),
      ev(44.371, 'broker-1', R.partitionState, { partition: ['orders-1'], leader: 3, isr: [3, 1], replicas: [3, 1, 2] }),
    ]);
    const leaderless = windows.filter((w) => w.kind === 'partition-leaderless');
    // orders-1 was led by broker 3 throughout: short of a replica, never leaderless.
    expect(leaderless).toHaveLength(1);
    expect(leaderless[0]).toMatchObject({
      topic: 'orders', partition: 0, node: 'broker-2', start: s(37.9), startBounds: [s(30), s(37.9)], end: s(44.319),
      details: { leaderBefore: 2, leaderAfter: 3 },
    });
    expect(windows.filter((w) => w.kind === 'under-replicated').map((w) => [w.partition, w.start, w.end])).toEqual([[0, s(44.319), null], [1, s(44.37), null]]);
  });

  it("a deposed leader's ISR shrink is a false alarm, not the partition's ISR", () => {
    const { windows, falseAlarms } = run([
      ev(1, 'broker-1', R.partitionState, { partition: ['payments-0'], leader: 2, isr: [2, 1, 3], replicas: [2, 1, 3] }),
      ev(50, 'broker-1', R.partitionState, { partition: ['payments-0'], leader: 1, isr: [1, 3], replicas: [2, 1, 3] }),
      ev(60, 'broker-2', R.isr, { partition: ['payments-0'], from: [2, 1, 3], to: [2] }),
      ev(70, 'broker-1', R.partitionState, { partition: ['payments-0'], leader: 1, isr: [1, 3, 2], replicas: [2, 1, 3] }),
    ]);
    expect(falseAlarms).toHaveLength(1);
    expect(falseAlarms[0]).toMatchObject({ file: 'broker-2.log', time: s(60) });
    expect(falseAlarms[0]!.why).toMatch(/no longer led payments-0/);
    const short = windows.filter((w) => w.kind === 'under-replicated');
    expect(short).toHaveLength(1);
    expect(short[0]).toMatchObject({ start: s(50), end: s(70) });
    expect(short[0]!.evidence.some((e) => e.file === 'broker-2.log')).toBe(false);
  });

  it('an isolated leader: two leaders from the controller\'s election of the new one until the old one truncates, told once', () => {
    const { windows } = run([
      ev(1, 'broker-1', R.partitionState, { partition: ['clicks-0'], leader: 2, isr: [2, 1, 3], replicas: [2, 1, 3] }),
      ev(2, 'broker-2', R.session, { session: '0x2', timeoutMs: 6000 }),
      ev(19.9, 'broker-2', R.contactLost, { idleMs: 4002 }), ev(21, 'broker-2', R.plain), ev(23, 'broker-2', R.plain),
      ev(26.457, 'broker-1', R.lost, { deleted: [2] }),
      ev(26.472, 'broker-1', R.partitionState, { partition: ['clicks-0'], leader: 3, isr: [3, 1], replicas: [2, 1, 3] }),
      ev(30, 'broker-2', R.plain), ev(40, 'broker-2', R.plain),
      ev(53.575, 'broker-2', R.session, { session: '0x3', timeoutMs: 6000 }),
      // The fetcher's line and the log's line tell the same truncation.
      ev(53.656, 'broker-2', R.truncate, { partition: ['clicks-0'], offset: 111, hw: 173 }),
      ev(53.657, 'broker-2', R.truncate, { partition: ['clicks-0'], offset: 111 }),
    ]);
    const two = windows.filter((w) => w.kind === 'two-leaders');
    expect(two).toHaveLength(1);
    expect(two[0]).toMatchObject({
      node: 'broker-2', topic: 'clicks', partition: 0, start: s(26.472), startBounds: [s(26.472), s(26.472)], end: s(53.656), confidence: 'high',
      details: { newLeader: 3, truncatedTo: 111, truncatedOffsets: 62 },
    });
    expect(windows.filter((w) => w.node === 'broker-2' && w.kind !== 'two-leaders').map((w) => [w.kind, w.end, w.endBounds])).toEqual([
      // its new session, less one connection attempt and the back-off, bounds the heal; nothing inside dates it: midway
      ['isolated', s(53.575 - 3.5), [s(53.575 - 7), s(53.575)]],
    ]);
  });
});

describe('WindowEngine: the cluster around the brokers', () => {
  it('the controller going down leaves the cluster without one until the next election', () => {
    const { windows } = run([
      ev(0, 'broker-1', R.elected, { broker: 1 }), ev(1, 'broker-1', R.session, { session: '0x1', timeoutMs: 6000 }),
      ev(2, 'broker-2', R.plain), ev(20, 'broker-1', R.stopping),
      ev(23, 'broker-2', R.elected, { broker: 2 }), ev(60, 'broker-1', R.starting), ev(62, 'broker-1', R.started),
    ]);
    expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([
      ['controller-unavailable', 'broker-1', s(20), s(23)],
      ['broker-down', 'broker-1', s(20), s(58.2)],
    ]);
    expect(windows[0]!.details).toMatchObject({ controllerBefore: 1, controllerAfter: 2 });
  });

  it('a broker that was not the controller going down leaves the controller alone', () => {
    const { windows } = run([
      ev(0, 'broker-1', R.elected, { broker: 1 }), ev(20, 'broker-2', R.stopping), ev(60, 'broker-2', R.starting), ev(62, 'broker-2', R.started),
    ]);
    expect(windows.map((w) => w.kind)).toEqual(['broker-down']);
  });

  it('every broker losing ZooKeeper at once is ZooKeeper unreachable, one window, not one isolation per broker', () => {
    const { windows } = run([
      ev(0, 'broker-1', R.plain), ev(0, 'broker-2', R.plain), ev(0, 'broker-3', R.plain),
      ev(10, 'broker-1', R.contactLost, { idleMs: 4000 }), ev(10.2, 'broker-2', R.contactLost, { idleMs: 4000 }),
      ev(11, 'broker-3', R.contactLost, { idleMs: 4000 }),
      ev(30, 'broker-1', R.session, { session: '0x11' }), ev(30.1, 'broker-2', R.session, { session: '0x12' }), ev(30.3, 'broker-3', R.session, { session: '0x13' }),
    ]);
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatchObject({ kind: 'zookeeper-unreachable', details: { brokers: [1, 2, 3] } });
    // ZooKeeper came back after the brokers' last failed reach and before the last new session.
    expect(windows[0]!.endBounds![1]).toBe(s(30.3));
    expect(windows[0]!.endBounds![0]).toBe(s(30 - 7));
    expect(windows[0]!.end).toBeGreaterThan(s(23));
    expect(windows[0]!.end).toBeLessThan(s(30.3));
    expect(windows[0]!.node).toBeUndefined();
  });

  it('one broker of three losing ZooKeeper is that broker isolated', () => {
    const { windows } = run([
      ev(0, 'broker-1', R.plain), ev(0, 'broker-2', R.plain), ev(0, 'broker-3', R.plain),
      ev(10, 'broker-1', R.contactLost, { idleMs: 4000 }), ev(30, 'broker-1', R.session, { session: '0x11' }),
    ]);
    expect(windows.map((w) => [w.kind, w.node])).toEqual([['isolated', 'broker-1']]);
  });

  it('a log directory taken offline by an I/O error, on a live broker, until it restarts; the partitions it led there lose their leader', () => {
    const { windows } = run([
      ev(0, 'broker-1', R.partitionState, { partition: ['orders-0'], leader: 1, isr: [1, 2], replicas: [1, 2] }),
      ev(50, 'broker-1', R.storageError), ev(50.1, 'broker-1', R.dirOffline, { dir: '/data' }), ev(55, 'broker-1', R.plain),
      ev(50.3, 'broker-2', R.replicaOffline, { partition: ['orders-0'], replica: 1 }),
      ev(50.4, 'broker-2', R.partitionState, { partition: ['orders-0'], leader: 2, isr: [2], replicas: [1, 2] }),
      ev(300, 'broker-1', R.starting), ev(305, 'broker-1', R.started),
    ]);
    const byKind = Object.fromEntries(windows.map((w) => [w.kind, w]));
    expect(byKind['log-dir-offline']).toMatchObject({ node: 'broker-1', start: s(50), end: s(300), details: { dir: '/data' } });
    expect(byKind['partition-leaderless']).toMatchObject({ topic: 'orders', partition: 0, start: s(50), end: s(50.4) });
  });

  it('below min.insync.replicas from the ISR drop to its recovery, where the setting is known', () => {
    const minIsr = new Map([['orders', { value: 2, evidence: { file: 'describe.txt', line: 1, time: null, ruleId: null, text: 'Configs:min.insync.replicas=2' } }]]);
    const { windows } = run([
      ev(0, 'broker-1', R.partitionState, { partition: ['orders-0'], leader: 1, isr: [1, 2, 3], replicas: [1, 2, 3] }),
      ev(10, 'broker-1', R.partitionState, { partition: ['orders-0'], leader: 1, isr: [1, 2], replicas: [1, 2, 3] }),
      ev(20, 'broker-1', R.partitionState, { partition: ['orders-0'], leader: 1, isr: [1], replicas: [1, 2, 3] }),
      ev(40, 'broker-1', R.partitionState, { partition: ['orders-0'], leader: 1, isr: [1, 2], replicas: [1, 2, 3] }),
      ev(50, 'broker-1', R.partitionState, { partition: ['orders-0'], leader: 1, isr: [1, 2, 3], replicas: [1, 2, 3] }),
    ], { replicas: new Map(), zkAddresses: new Map(), minIsr });
    expect(windows.map((w) => [w.kind, w.start, w.end])).toEqual([
      ['under-replicated', s(10), s(50)],
      ['under-min-isr', s(20), s(40)],
    ]);
  });

  it('no below-min-ISR window where the replica set is smaller than the setting (a standing misconfiguration)', () => {
    const minIsr = new Map([['*', { value: 2, evidence: { file: 'server.properties', line: 3, time: null, ruleId: null, text: 'min.insync.replicas=2' } }]]);
    const { windows } = run([
      ev(0, 'broker-1', R.partitionState, { partition: ['audit-0'], leader: 1, isr: [1], replicas: [1] }),
    ], { replicas: new Map(), zkAddresses: new Map(), minIsr });
    expect(windows).toEqual([]);
  });
});

describe('WindowEngine: ZooKeeper followers and leaders, silent or gone', () => {
  const serving = [ev(0, 'zk-1', R.state, { state: 'LEADING' }), ev(0, 'zk-2', R.state, { state: 'FOLLOWING' }), ev(0, 'zk-3', R.state, { state: 'FOLLOWING' })];

  it('a follower the leader timed out on went silent at its last line (frozen or cut off), back at its first line', () => {
    const { windows } = run([
      ...serving, ev(30, 'zk-2', R.plain),
      ev(34.1, 'zk-1', R.learnerError, { timedOut: 'SocketTimeoutException' }), ev(34.1, 'zk-1', R.followerLost, { peer: '2' }),
      ev(46, 'zk-2', R.plain), ev(46.5, 'zk-2', R.state, { state: 'LOOKING' }), ev(47, 'zk-2', R.state, { state: 'FOLLOWING' }),
    ]);
    expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([['zk-node-unreachable', 'zk-2', s(30), s(46)]]);
  });

  it('a follower whose socket closed (EOF) died at that moment', () => {
    const { windows } = run([
      ...serving, ev(30, 'zk-2', R.plain),
      ev(34.1, 'zk-1', R.learnerError, {}), ev(34.1, 'zk-1', R.followerLost, { peer: '2' }),
      ev(46, 'zk-2', R.zkStarting), ev(47, 'zk-2', R.state, { state: 'FOLLOWING' }),
    ]);
    expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([['zk-node-down', 'zk-2', s(34.1), s(45.6)]]);
  });

  it('the quorum is back when the new leader serves (leading - broadcast), the LEADING line the earliest end', () => {
    const { windows } = run([
      ...serving, ev(10, 'zk-2', R.leaderLost, {}), ev(10, 'zk-3', R.leaderLost, {}),
      ev(10.2, 'zk-2', R.state, { state: 'LOOKING' }), ev(10.2, 'zk-3', R.state, { state: 'LOOKING' }),
      ev(10.5, 'zk-3', R.state, { state: 'LEADING' }), ev(10.6, 'zk-2', R.state, { state: 'FOLLOWING' }),
      ev(10.85, 'zk-3', R.zab, { state: 'leading', zab: 'broadcast' }),
    ]);
    const quorum = windows.find((w) => w.kind === 'zk-quorum-lost')!;
    expect([quorum.start, quorum.end, quorum.endBounds]).toEqual([s(10), s(10.85), [s(10.5), s(10.85)]]);
  });
});


describe('WindowEngine: runs of unclassified records', () => {
  it('finds what it finds with the records pushed one by one (open windows, pending expiries, silences)', () => {
    const NODES = ['broker-1', 'broker-2', 'zk-1', 'zk-2'];
    const classified = fc.oneof(
      fc.constant({ r: R.stopping, f: {} }), fc.constant({ r: R.starting, f: {} }), fc.constant({ r: R.started, f: {} }),
      fc.constant({ r: R.lost, f: { deleted: [1] } }), fc.constant({ r: R.lost, f: { deleted: [2] } }),
      fc.constant({ r: R.session, f: { session: '0xa', timeoutMs: 6000 } }), fc.constant({ r: R.expired, f: { session: '0xa', timeoutMs: 6000 } }),
      fc.constant({ r: R.contactLost, f: { idleMs: 4000 } }), fc.constant({ r: R.expiredHeard, f: {} }),
      fc.constant({ r: R.state, f: { state: 'LOOKING' } }), fc.constant({ r: R.followerLost, f: { peer: '2' } }),
      fc.constant({ r: R.plain, f: {} }),
    );
    const step = fc.record({
      dt: fc.constantFrom(0, 1, 500, 3000, 7000, 12000, 40000),
      node: fc.constantFrom(...NODES),
      what: fc.option(classified, { freq: 3 }),
    });
    fc.assert(fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      let t = 0;
      const events = steps.map((x, i) => {
        t += x.dt;
        const e = ev(t / 1000, x.node, x.what?.r ?? null, x.what?.f ?? {});
        return { ...e, line: i + 1, message: `m${i}` };
      });
      // Consecutive unclassified events of a node make a run.
      const items = asRuns(events, (run, e) => run.node === e.node);
      const one = new WindowEngine();
      for (const e of events) one.push(e);
      const byRuns = new WindowEngine();
      for (const item of items) {
        if (item instanceof TestRun) byRuns.pushRun(item);
        else byRuns.push(item);
      }
      const text = (engine: WindowEngine) => JSON.stringify({ w: engine.finish(), f: engine.falseAlarms }, (k, v) => (k === 'event' ? undefined : v));
      expect(text(byRuns)).toBe(text(one));
    }), { numRuns: 3000 });
  });
});
