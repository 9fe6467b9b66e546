import { bestTime, fill, literals } from '../helpers/adversarial.js';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, Classifier } from '../../src/catalogue/index.js';
import { checkRules, CATEGORIES, type Rule } from '../../src/catalogue/schema.js';
import type { LogRecord } from '../../src/model/record.js';
import { RecordReader } from '../../src/readers/assembler.js';
import { kafkaLog4jLayout } from '../../src/readers/kafka-log4j.js';
import { zookeeperLayout } from '../../src/readers/zookeeper.js';
import { Zone } from '../../src/time/zone.js';

const classifier = new Classifier(CATALOGUE);

/** Reads a sample (lines joined by \n) the way the CLI does: Kafka layout if it starts with '['. */
function records(sample: string): LogRecord[] {
  const lines = sample.split('\n');
  const layout = lines[0]!.startsWith('[') ? kafkaLog4jLayout('kafka-broker') : zookeeperLayout;
  const reader = new RecordReader(layout, new Zone('UTC'));
  const out: LogRecord[] = [];
  for (const line of lines) {
    const done = reader.push(line);
    if (done) out.push(done);
  }
  const last = reader.end();
  if (last) out.push(last);
  return out;
}

function classifyOne(sample: string) {
  const recs = records(sample);
  expect(recs, `one record from: ${sample}`).toHaveLength(1);
  return classifier.classify(recs[0]!);
}

/** Capturing groups that have no name (a `(` not followed by `?`), outside character classes. */
function unnamedGroups(source: string): number {
  let count = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; continue; }
    if (c === '(' && source[i + 1] !== '?') count++;
    if (c === '(' && source[i + 1] === '?' && source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
      if (!/^\(\?<[A-Za-z_$][\w$]*>/.test(source.slice(i))) count++;
    }
  }
  return count;
}

describe('catalogue table', () => {
  it('passes the schema check and has unique ids', () => {
    expect(() => checkRules(CATALOGUE)).not.toThrow();
    const ids = CATALOGUE.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rejects malformed rules, naming the rule and what is wrong', () => {
    const good = CATALOGUE.find((r) => r.id === 'kafka.isr.shrink')!;
    const bad: [Partial<Rule> & Record<string, unknown>, RegExp][] = [
      [{ id: 'Bad Id' }, /Bad Id is malformed: id/],
      [{ title: 'x' }, /title/],
      [{ category: 'nonsense' as never }, /category/],
      [{ severity: 'loud' as never }, /severity/],
      [{ appliesTo: [] }, /appliesTo/],
      [{ loggers: ['*'], keyword: undefined }, /needs a keyword/],
      [{ keyword: ['ok!', 'x'] }, /keyword/],
      [{ pattern: 'not a regexp' as never }, /pattern/],
      [{ samples: [] }, /samples/],
      [{ fields: { from: 'float' as never } }, /fields/],
      [{ effect: { signal: 'isr-change', partition: 'nowhere' } as never }, /names field "nowhere"/],
    ];
    for (const [change, message] of bad) expect(() => checkRules([{ ...good, ...change } as Rule]), JSON.stringify(change)).toThrow(message);
    expect(() => checkRules([good, good])).toThrow(/used twice/);
  });

  it('contains every required rule', () => {
    const required = [
      'zk.session.expired', 'zk.session.close-submitted', 'zk.client.connection-lost', 'zk.server.not-running',
      'zk.learner.lost', 'zk.learner.goodbye', 'zk.leader.not-enough-followers', 'zk.leader.shutdown',
      'zk.election.channel-failed', 'zk.peer.send-interrupted', 'zk.peer.send-worker-leaving', 'zk.peer.state',
      'zk.peer.state-changed', 'zk.election.took', 'zk.election.new', 'zk.election.notification-timeout',
      'zk.follower.lost-leader',
      'kafka.broker.starting', 'kafka.broker.started', 'kafka.broker.shutting-down', 'kafka.broker.shut-down',
      'kafka.broker.controlled-shutdown', 'kafka.fetcher.removed', 'kafka.fetcher.added', 'kafka.isr.shrink',
      'kafka.isr.expand', 'kafka.isr.updated', 'kafka.zk.session-established', 'kafka.zk.session-timeout',
      'kafka.zk.session-expired', 'kafka.zk.socket-error', 'kafka.fetch.disconnected', 'kafka.fetch.client-shutdown',
      'kafka.fetcher.partition-failed', 'kafka.fetcher.older-epoch', 'kafka.truncation.fetcher', 'kafka.truncation.log',
      'kafka.controller.elected', 'kafka.controller.resigned', 'kafka.controller.state-reset', 'kafka.controller.moved', 'kafka.controller.broker-failure',
      'kafka.controller.broker-change', 'kafka.controller.offline-partition', 'kafka.controller.partition-online',
      'kafka.controller.unclean-election', 'kafka.partition.no-leader',
      'kafka.storage.cleanup-failed', 'kafka.storage.log-dir-offline', 'kafka.group.offsets-expired',
      'kafka.network.connection-failed',
      'kafka.kraft.raft-leader', 'kafka.kraft.raft-follower', 'kafka.kraft.raft-election', 'kafka.kraft.raft-resigned',
      'kafka.kraft.controller-activated', 'kafka.kraft.controller-renounced', 'kafka.kraft.broker-fenced',
      'kafka.kraft.broker-unfence-granted', 'kafka.kraft.broker-unfenced', 'kafka.kraft.registration-change',
      'kafka.kraft.broker-registered', 'kafka.kraft.shutdown-granted', 'kafka.kraft.heartbeat-failed',
      'kafka.kraft.unclean-election', 'kafka.kraft.partition-leader', 'kafka.kraft.not-leader-or-follower',
      'kafka.kraft.metadata-log-corrupt', 'kafka.kraft.metadata-log-recovered',
    ];
    const ids = new Set(CATALOGUE.map((r) => r.id));
    expect(required.filter((id) => !ids.has(id))).toEqual([]);
  });

  it.each(CATALOGUE.map((r) => [r.id, r] as const))('%s: pattern uses only named groups and no stateful flags', (_id, rule) => {
    expect(unnamedGroups(rule.pattern.source)).toBe(0);
    expect(rule.pattern.global || rule.pattern.sticky).toBe(false);
    expect(CATEGORIES).toContain(rule.category);
    for (const name of Object.keys(rule.fields ?? {})) {
      expect(rule.pattern.source, `field ${name} has a group`).toContain(`(?<${name}>`);
    }
  });
});

describe('window effects', () => {
  // The window engine (src/windows/engine.ts) reads these signals; one rule per signal source.
  const expected: Record<string, string> = {
    'kafka.broker.starting': 'broker-starting', 'kafka.broker.started': 'broker-started',
    'kafka.broker.shutting-down': 'broker-stopping', 'kafka.controller.broker-failure': 'brokers-lost',
    'kafka.controller.broker-change': 'brokers-joined', 'kafka.controller.elected': 'controller-elected',
    'kafka.kraft.broker-fenced': 'broker-fenced', 'kafka.kraft.broker-unfence-granted': 'broker-unfenced',
    'kafka.kraft.broker-unfenced': 'broker-unfenced', 'kafka.kraft.raft-leader': 'raft-leader',
    'kafka.kraft.raft-follower': 'raft-leader', 'kafka.kraft.controller-activated': 'raft-leader',
    'kafka.kraft.controller-renounced': 'raft-leader', 'kafka.kraft.raft-election': 'raft-leaderless',
    'kafka.kraft.raft-resigned': 'raft-leaderless', 'kafka.kraft.partition-leader': 'isr-change',
    'kafka.zk.session-established': 'session-established', 'zk.session.expired': 'session-expired',
    'kafka.zk.client-connecting': 'zk-client-servers', 'kafka.zk.session-timeout': 'zk-contact-lost', 'kafka.zk.session-expired': 'zk-contact-lost',
    'kafka.zk.socket-error': 'zk-contact-lost', 'kafka.zk.disconnected': 'zk-dropped', 'zk.election.channel-failed': 'zk-peer-unreachable',
    'zk.peer.connection-broken': 'zk-peer-lost', 'zk.peer.connection-handover': 'zk-peer-handover', 'zk.learner.closing-socket': 'zk-follower-lost',
    'zk.learner.goodbye': 'zk-follower-lost', 'zk.follower.lost-leader': 'zk-leader-lost',
    'zk.leader.not-enough-followers': 'zk-leader-stepped-down', 'zk.leader.shutdown': 'zk-leader-stepped-down',
    'zk.peer.state': 'zk-state', 'zk.election.took': 'zk-state',
    'kafka.controller.offline-partition': 'partition-offline', 'kafka.controller.partition-online': 'partition-online',
    'kafka.isr.shrink': 'isr-change', 'kafka.isr.expand': 'isr-change', 'kafka.isr.updated': 'isr-change',
    'kafka.truncation.fetcher': 'truncation', 'kafka.truncation.log': 'truncation',
    'kafka.controller.partition-state': 'partition-state', 'kafka.controller.replica-offline': 'replica-offline',
    'zk.client.connection-lost': 'session-closed', 'zk.server.starting': 'zk-starting',
    'kafka.storage.cleanup-failed': 'storage-error', 'kafka.storage.io-error': 'storage-error',
    'kafka.storage.log-dir-offline': 'log-dir-offline', 'zk.peer.state-changed': 'zk-zab-state', 'zk.learner.lost': 'zk-learner-error',
  };
  // The effect members the schema marks optional (`name?:` in Effect): a rule
  // captures them only from the lines that carry them (a SocketTimeoutException
  // cause, a negotiated timeout, an idle time…). Every other member names a
  // field the engine needs, so it must be filled on every sample.
  const optional: Record<string, readonly string[]> = {
    'session-established': ['timeout'], 'session-expired': ['timeout'], 'zk-contact-lost': ['idle'],
    'zk-leader-lost': ['timedOut'], 'partition-online': ['leader'], 'partition-state': ['replicas'],
    'isr-change': ['from', 'underMinIsr'], 'truncation': ['highWatermark'], 'storage-error': ['dir'],
    'zk-zab-state': ['zab'], 'zk-learner-error': ['timedOut'],
  };
  it('puts each signal on its rules and on no other', () => {
    const actual = Object.fromEntries(CATALOGUE.filter((r) => r.effect).map((r) => [r.id, r.effect!.signal]));
    expect(actual).toEqual(expected);
  });
  it.each(Object.keys(expected))('%s: every effect field is filled on every sample', (id) => {
    const rule = CATALOGUE.find((r) => r.id === id)!;
    // Strings name captured fields; flags (true) are facts about the rule, not fields.
    const members = Object.entries(rule.effect!).filter(([k, v]) => k !== 'signal' && typeof v === 'string');
    const maybe = optional[rule.effect!.signal] ?? [];
    const required = members.filter(([k]) => !maybe.includes(k)).map(([, v]) => String(v));
    const optionals = members.filter(([k]) => maybe.includes(k)).map(([, v]) => String(v));
    const hits = rule.samples.map((sample) => ({ sample, fields: classifyOne(sample)!.fields }));
    for (const { sample, fields } of hits) {
      for (const name of required) expect(fields[name], `${name} in ${sample}`).toBeDefined();
    }
    // An optional capture still has to work: some sample must fill it.
    for (const name of optionals) {
      expect(hits.some(({ fields }) => fields[name] !== undefined), `no sample of ${id} fills ${name}`).toBe(true);
    }
  });
});

describe('every sample is classified as its own rule', () => {
  const cases = CATALOGUE.flatMap((rule) => rule.samples.map((sample) => [rule.id, sample, rule] as const));
  it.each(cases)('%s: %s', (id, sample, rule: Rule) => {
    const hit = classifyOne(sample);
    expect(hit?.rule.id).toBe(id);
    expect(rule.appliesTo).toContain(records(sample)[0]!.role);
  });
});

describe('look-alike lines are not classified as the rule they resemble', () => {
  const cases: [string, string | undefined][] = [
    // Lifecycle words from other components.
    ['[2021-03-02 09:00:01,010] INFO [ReplicaFetcherManager on broker 1] shutting down (kafka.server.ReplicaFetcherManager)', undefined],
    ['[2021-03-02 09:00:01,020] INFO [ReplicaFetcherManager on broker 1] shutdown completed (kafka.server.ReplicaFetcherManager)', undefined],
    ['[2021-03-02 09:00:01,030] INFO [ReplicaAlterLogDirsManager on broker 0] shutting down (kafka.server.ReplicaAlterLogDirsManager)', undefined],
    ['[2024-02-23 07:59:43,415] INFO [ReplicaFetcher replicaId=3, leaderId=2, fetcherId=0] Shutting down (kafka.server.ReplicaFetcherThread)', undefined],
    ['[2024-02-23 07:59:43,416] INFO [ReplicaFetcher replicaId=3, leaderId=2, fetcherId=0] Shutdown completed (kafka.server.ReplicaFetcherThread)', undefined],
    ['[2020-10-08 16:51:34,231] INFO [data-plane Kafka Request Handler on Broker 0], shutting down (kafka.server.KafkaRequestHandlerPool)', undefined],
    ['[2020-10-08 16:51:35,321] INFO [ReplicaManager broker=0] Shutting down (kafka.server.ReplicaManager)', undefined],
    ['[2025-05-14 22:49:12,773] INFO [ControllerServer id=10] Waiting for all of the SocketServer Acceptors to be started (kafka.server.ControllerServer)', undefined],
    ['[2019-05-01 09:00:00,050] INFO [Controller id=1] Shutting down broker 2 (kafka.controller.KafkaController)', undefined],
    // Empty fetcher changes (0.10–2.2 print them on every LeaderAndIsr).
    ['[2021-04-28 16:41:34,336] INFO [ReplicaFetcherManager on broker 1] Removed fetcher for partitions  (kafka.server.ReplicaFetcherManager)', undefined],
    ['[2019-04-28 16:41:34,336] INFO [ReplicaFetcherManager on broker 1] Removed fetcher for partitions Set() (kafka.server.ReplicaFetcherManager)', undefined],
    ['[2021-04-28 16:41:34,348] INFO [ReplicaFetcherManager on broker 1] Added fetcher for partitions List() (kafka.server.ReplicaFetcherManager)', undefined],
    // No-op truncation, partition recovery, group unloading.
    ['[2021-12-07 22:20:30,690] INFO [Log partition=new-kafka-topic-2, dir=/data/kafka] Truncating to 0 has no effect as the largest offset in the log is -1 (kafka.log.Log)', undefined],
    ['[2017-11-10 13:17:57,563] INFO Truncating test-kafkacat-0 to 2334 has no effect as the largest offset in the log is 2333. (kafka.log.Log)', undefined],
    ['[2018-04-02 10:51:44,894] TRACE [Controller id=1 epoch=3] Changed partition test-0 from OfflinePartition to OnlinePartition with leader 1 (state.change.logger)', 'kafka.controller.partition-online'],
    ['[2018-04-02 10:51:44,882] DEBUG [OfflinePartitionLeaderSelector]: No broker in ISR is alive for [orders,0]. Pick the leader from the alive assigned replicas:  (kafka.controller.OfflinePartitionLeaderSelector)', undefined],
    ['[2021-06-01 10:12:00,000] INFO [Controller id=1 epoch=17] Changed partition failed-events-0 from NewPartition to OnlinePartition with state LeaderAndIsr(leader=3, leaderEpoch=0, isr=List(3), zkVersion=0) (state.change.logger)', undefined],
    ['[2024-02-23 08:14:05,125] INFO [GroupMetadataManager brokerId=2] Finished unloading __consumer_offsets-24. Removed 0 cached offsets and 0 cached groups. (kafka.coordinator.group.GroupMetadataManager)', undefined],
    // ZooKeeper client connect lines are not sessions; other close reasons are not "not running".
    ['[2019-05-01 10:40:00,010] INFO Socket connection established to zk1/10.0.0.11:2181, initiating session (org.apache.zookeeper.ClientCnxn)', undefined],
    ['[2022-03-31 10:13:24,113] WARN Close of session 0x0 (org.apache.zookeeper.server.NIOServerCnxn)\njava.io.IOException: Unreasonable length = 1213486160', undefined],
    ['2014-05-06 13:35:32,213 [myid:1] - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:FollowerZooKeeperServer@139] - Shutting down', undefined],
    ['2019-05-01 10:54:00,000 [myid:1] - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:Leader@403] - Waiting for a quorum of followers, only synced with sids: [ 1 ]', undefined],
    ['[2024-02-23 01:08:10,858] WARN Interrupting SendWorker thread from RecvWorker. sid: 1. myId: 3 (org.apache.zookeeper.server.quorum.QuorumCnxManager)', undefined],
    // Specific rules win over their catch-alls.
    ['[2023-05-01 10:42:00,000] WARN Session 0x0 for sever localhost/127.0.0.1:2181, Closing socket connection. Attempting reconnect except it is a SessionExpiredException. (org.apache.zookeeper.ClientCnxn)\njava.net.ConnectException: Connection refused', 'kafka.zk.socket-error'],
    ['[2024-02-23 08:20:31,187] INFO Shutdown called (org.apache.zookeeper.server.quorum.Leader)\njava.lang.Exception: shutdown Leader! reason: Not sufficient followers synced, only synced with sids: [ [3],[3] ]', 'zk.leader.not-enough-followers'],
    ['[2023-05-01 09:00:03,220] INFO [KafkaServer id=2] Controlled shutdown request returned after 3187ms with error NOT_CONTROLLER (kafka.server.KafkaServer)', 'kafka.broker.controlled-shutdown-failed'],
    // KRaft: an attempt is not a transition; replays carry no effect; other partitions' segment recovery is not the metadata log's.
    ['[2026-08-08 14:49:20,640] INFO [RaftManager id=0] Attempting durable transition to Leader(localReplicaKey=ReplicaKey(id=0, directoryId=HdLrZmMjbKrt4LUPAS48Ew), epoch=3, epochStartOffset=3885, highWatermark=Optional.empty, voterStates={}) from CandidateState(localId=0, epoch=3) (org.apache.kafka.raft.QuorumState)', undefined],
    ['[2026-08-08 14:49:20,936] INFO [QuorumController id=0] Replayed initial RegisterBrokerRecord for broker 0: RegisterBrokerRecord(brokerId=0, isMigratingZkBroker=false, incarnationId=9hpUVjy1QbaYxZCUrwXn6Q, brokerEpoch=13, endPoints=[], features=[], rack=null, fenced=true, inControlledShutdown=false, logDirs=[]) (org.apache.kafka.controller.ClusterControlManager)', 'kafka.kraft.broker-registered'],
    ['[2026-08-08 14:49:20,173] INFO [LogLoader partition=orders-0, dir=/data] Recovering unflushed segment 0. 0 recovered for orders-0. (org.apache.kafka.storage.internals.log.LogLoader)', undefined],
    ['[2025-05-14 23:17:51,062] INFO [NodeToControllerChannelManager id=10 name=heartbeat] Disconnecting from node 10 due to request timeout. (org.apache.kafka.clients.NetworkClient)', undefined],
  ];
  it.each(cases)('%s → %s', (sample, expected) => {
    expect(classifyOne(sample)?.rule.id).toBe(expected);
  });
});

describe('patterns are linear (no catastrophic backtracking)', () => {

  function adversarial(rule: Rule): string[] {
    const lits = literals(rule.pattern.source);
    const out = [fill('a'), fill(' '), fill('1'), fill('1,'), fill('('), fill('['), fill('a-1'), fill('0x1'), fill(']'), fill('\n ')];
    for (const lit of lits) {
      out.push(fill(lit));
      out.push(lit + fill('a-1 '));
      out.push(lit + fill('1,') + '!');
      out.push(lit + '\n' + fill(lit));
    }
    // The pattern's own leading literal followed by every other literal, repeated.
    if (lits.length > 1) out.push(fill(lits.join(' ')));
    return out;
  }

  it.each(CATALOGUE.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    for (const text of adversarial(rule)) {
      const took = bestTime(() => rule.pattern.exec(text), 50);
      expect(took, `${rule.id} on ${JSON.stringify(text.slice(0, 40))}…`).toBeLessThan(50);
    }
  });
});
