import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdentityVotes, mappedNode, nodeFromFile, nodeFromPath, parseNodeMap } from '../../src/sources/identity.js';
import { planInputs } from '../../src/read/plan.js';
import { tempDir } from '../helpers/tmp.js';

const T = '[2022-10-05 17:05:39,869]';
const votesOf = (lines: string[]): IdentityVotes => {
  const v = new IdentityVotes();
  for (const l of lines) v.observe(l);
  return v;
};

describe('IdentityVotes: self-references', () => {
  it.each([
    ['config dump broker.id', '\tbroker.id = 3', '3'],
    ['config dump node.id (KRaft)', '\tnode.id = 10', '10'],
    ['1.0+ KafkaServer', `${T} INFO [KafkaServer id=2] started (kafka.server.KafkaServer)`, '2'],
    ['0.10 Kafka Server', `${T} INFO [Kafka Server 1], started (kafka.server.KafkaServer)`, '1'],
    ['KRaft server', `${T} INFO [KafkaRaftServer nodeId=1] Kafka Server started (kafka.server.KafkaRaftServer)`, '1'],
    ['QuorumController', `${T} INFO [QuorumController id=1] Becoming the active controller (org.apache.kafka.controller.QuorumController)`, '1'],
    ['RaftManager', `${T} WARN [RaftManager id=1] Connection to node 2 (localhost/127.0.0.1:9096) could not be established. (org.apache.kafka.clients.NetworkClient)`, '1'],
    ['ControllerApis nodeId', `${T} ERROR [ControllerApis nodeId=10] Unexpected error handling request (kafka.server.ControllerApis)`, '10'],
    ['controller channel (target is a peer)', `${T} WARN [Controller id=0, targetBrokerId=2] Error connecting to node x:9092 (org.apache.kafka.clients.NetworkClient)`, '0'],
    ['replica fetcher (leader is a peer)', `${T} INFO [ReplicaFetcher replicaId=2, leaderId=1, fetcherId=0] Truncating partition t-9 (kafka.server.ReplicaFetcherThread)`, '2'],
    ['RequestSendThread controllerId', `${T} INFO [RequestSendThread controllerId=1] Controller 1 connected to b:9092 (id: 2 rack: null) for sending state change requests (kafka.controller.RequestSendThread)`, '1'],
    ['GroupMetadataManager brokerId', `${T} INFO [GroupMetadataManager brokerId=0] Removed 0 expired offsets in 1 milliseconds. (kafka.coordinator.group.GroupMetadataManager)`, '0'],
    ['Partition broker=', `${T} INFO [Partition t-0 broker=1] ISR updated to 1,2 (kafka.cluster.Partition)`, '1'],
    ['0.10 Partition on broker', `${T} INFO Partition [t,2] on broker 1: Expanding ISR for partition t-2 from 1 to 1,2 (kafka.cluster.Partition)`, '1'],
    ['0.10 Controller N]:', `${T} INFO [Controller 1]: Controller starting up (kafka.controller.KafkaController)`, '1'],
    ['0.10 state-change controller', `${T} TRACE Controller 1 epoch 58 sending UpdateMetadata request (Leader:-1,ISR:1002) to brokers Set() for partition t-0 (state.change.logger)`, '1'],
    ['0.10 state-change broker', `${T} TRACE Broker 2 cached leader info (LeaderAndIsrInfo:(Leader:3,ISR:3)) for partition t-1 (state.change.logger)`, '2'],
    ['0.10 ReplicaFetcherManager', `${T} INFO [ReplicaFetcherManager on broker 1] Removed fetcher for partitions  (kafka.server.ReplicaFetcherManager)`, '1'],
    ['AppInfo of the server', `${T} INFO App info kafka.server for 1001 unregistered (org.apache.kafka.common.utils.AppInfoParser)`, '1001'],
  ])('broker: %s', (_name, line, id) => {
    expect(votesOf([line]).winner('kafka-broker')).toBe(id);
  });

  it.each([
    ['[myid:N]', '2017-09-13 11:21:49,261 [myid:2] - ERROR [LearnerHandler-/1.2.3.4:5:LearnerHandler@631] - x', '2'],
    ['QuorumPeer thread (3.8, empty [myid:])', '2025-08-11 09:49:48,747 [myid:] - WARN  [QuorumPeer[myid=0](plain=[0:0:0:0:0:0:0:0]:2181)(secure=disabled):o.a.z.s.q.Follower@128] - x', '0'],
    ['my id =', '2015-07-29 19:04:12,394 - WARN  [RecvWorker:1:QuorumCnxManager$RecvWorker@780] - Connection broken for id 1, my id = 3, error = ', '3'],
    ['Kafka layout my id', `${T} WARN Send worker leaving thread  id 1 my id = 2 (org.apache.zookeeper.server.quorum.QuorumCnxManager)`, '2'],
  ])('zookeeper: %s', (_name, line, id) => {
    expect(votesOf([line]).winner('zookeeper')).toBe(id);
  });

  it.each([
    ['a peer named by "Added fetcher to broker"', `${T} INFO [ReplicaFetcherManager on broker 1] Added fetcher to broker 2 for partitions Map() (kafka.server.ReplicaFetcherManager)`, '1'],
    ['a consumer client id', `${T} INFO [Consumer clientId=consumer-1, groupId=g] Resetting offset (org.apache.kafka.clients.consumer.internals.SubscriptionState)`, undefined],
    ['plain text', `${T} INFO starting (kafka.server.KafkaServer)`, undefined],
  ])('ignores %s', (_name, line, id) => {
    expect(votesOf([line]).winner('kafka-broker')).toBe(id);
  });

  it('a declaration outvotes any number of references (a controller naming itself in a shared file)', () => {
    const v = votesOf([
      ...Array.from({ length: 50 }, () => `${T} TRACE [Controller id=1 epoch=3] Sending become-leader LeaderAndIsr request (state.change.logger)`),
      '\tbroker.id = 0',
    ]);
    expect(v.winner('kafka-broker')).toBe('0');
    expect(v.ids('kafka-broker')).toEqual(['0', '1']);
  });

  it('merges votes', () => {
    const a = votesOf([`${T} INFO [Broker id=1] x (state.change.logger)`]);
    const b = votesOf([`${T} INFO [Broker id=2] x (state.change.logger)`, `${T} INFO [Broker id=2] y (state.change.logger)`]);
    expect(a.merge(b).winner('kafka-broker')).toBe('2');
    expect(a.total('kafka-broker')).toBe(3);
  });
});

describe('node names from paths', () => {
  it.each([
    ['/data/node1/logs/server.log', 'kafka-broker', 'broker@node1'],
    ['/data/broker-2/server.log', 'kafka-broker', 'broker-2'],
    ['/data/zk-3/zookeeper.out', 'zookeeper', 'zk-3'],
    ['/data/kafka-1/server.log', 'zookeeper', 'zk@kafka-1'],
    ['/data/anything/server.log', 'kafka-broker', undefined],
  ] as const)('nodeFromPath(%s, %s) = %s', (path, role, name) => {
    expect(nodeFromPath(path, role)).toBe(name);
  });

  it.each([
    ['/corpus/kafakainfo/zookeeper.out', 'zookeeper', 'zk@kafakainfo'],
    ['/srv/host-a/logs/server.log', 'kafka-broker', 'broker@host-a/logs'],
    ['/srv/host-a/kafka/logs/server.log', 'kafka-broker', 'broker@host-a/kafka/logs'],
  ] as const)('nodeFromFile(%s, %s) = %s', (path, role, name) => {
    expect(nodeFromFile(path, role)).toBe(name);
  });

  it('--node-map: the longest matching prefix wins, and bad entries are explained', () => {
    const map = parseNodeMap(['/logs=all', '/logs/host-a=broker-1']);
    expect(mappedNode('/logs/host-a/server.log', map)).toBe('broker-1');
    expect(mappedNode('/logs/host-b/server.log', map)).toBe('all');
    expect(mappedNode('/elsewhere/server.log', map)).toBeUndefined();
    expect(() => parseNodeMap(['nonsense'])).toThrow(/PATH=NAME/);
  });
});

describe('planInputs: node identity', () => {
  const tmp = tempDir();
  const kline = (ts: string, msg: string, logger: string): string => `[${ts}] INFO ${msg} (${logger})`;
  const banner = (id: number, ts: string): string =>
    [kline(ts, 'KafkaConfig values: ', 'x').replace(' (x)', ''), `\tbroker.id = ${id}`, ' (kafka.server.KafkaConfig)', kline(ts, `[KafkaServer id=${id}] started`, 'kafka.server.KafkaServer')].join('\n') + '\n';

  async function nodesOf(dir: string): Promise<Record<string, string>> {
    const plan = await planInputs([dir]);
    const out: Record<string, string> = {};
    for (const f of plan.families) for (const file of f.files) out[file.path.slice(dir.length + 1)] = f.defaultRole === 'zookeeper' ? f.nodes.zookeeper : f.nodes['kafka-broker'];
    return out;
  }

  it('names every log of a broker directory after the broker, including logs that never say', async () => {
    const dir = join(tmp.root, 'one');
    tmp.write('one/server.log', banner(2, '2022-10-05 17:00:00,000'));
    tmp.write('one/state-change.log', kline('2022-10-05 17:00:01,000', '[Broker id=2] Transitioning 1 partition(s) to local leaders.', 'state.change.logger') + '\n');
    tmp.write('one/log-cleaner.log', kline('2022-10-05 17:00:02,000', 'Starting the log cleaner', 'kafka.log.LogCleaner') + '\n');
    expect(await nodesOf(dir)).toEqual({ 'server.log': 'broker-2', 'state-change.log': 'broker-2', 'log-cleaner.log': 'broker-2' });
  });

  it('splits a log whose rotated files were written by different nodes, and pairs files of the same hour', async () => {
    const dir = join(tmp.root, 'reused');
    tmp.write('reused/server.log.2025-05-14-22', banner(10, '2025-05-14 22:00:00,000'));
    tmp.write('reused/server.log.2025-05-14-23', kline('2025-05-14 23:00:00,000', '[RaftManager id=10] Completed transition', 'org.apache.kafka.raft.QuorumState') + '\n');
    tmp.write('reused/server.log', banner(0, '2026-08-08 14:49:18,232'));
    tmp.write('reused/log-cleaner.log.2025-05-14-22', kline('2025-05-14 22:49:12,000', 'Starting the log cleaner', 'kafka.log.LogCleaner') + '\n');
    tmp.write('reused/log-cleaner.log', kline('2026-08-08 14:49:23,395', 'Starting the log cleaner', 'kafka.log.LogCleaner') + '\n');
    expect(await nodesOf(dir)).toEqual({
      'server.log.2025-05-14-22': 'broker-10',
      'server.log.2025-05-14-23': 'broker-10',
      'server.log': 'broker-0',
      'log-cleaner.log.2025-05-14-22': 'broker-10',
      'log-cleaner.log': 'broker-0',
    });
    const plan = await planInputs([dir]);
    const server = plan.families.filter((f) => f.key.includes('server.log'));
    expect(server.map((f) => f.files.length)).toEqual([2, 1]);
  });

  it('reports the other writers of a shared file', async () => {
    const dir = join(tmp.root, 'shared');
    tmp.write('shared/server.log', banner(1, '2021-04-28 12:11:57,332') + banner(2, '2021-04-28 12:12:31,763') + banner(1, '2021-04-28 16:41:34,185'));
    const plan = await planInputs([dir]);
    expect(plan.families[0]!.nodes['kafka-broker']).toBe('broker-1');
    expect(plan.families[0]!.sharedWith?.['kafka-broker']).toEqual(['broker-2']);
  });

  it('names ZooKeeper by myid, and a standalone ZooKeeper in Kafka layout by its directory', async () => {
    tmp.write('zkq/zookeeper.out', [
      '2017-09-13 11:21:49,261 [myid:2] - INFO  [QuorumPeer[myid=2]/0:0:0:0:0:0:0:0:2181:Follower@63] - FOLLOWING',
      '2017-09-13 11:21:49,262 [myid:2] - INFO  [QuorumPeer[myid=2]/0:0:0:0:0:0:0:0:2181:Follower@64] - x',
      '2017-09-13 11:21:49,263 [myid:3] - INFO  [QuorumPeer[myid=3]/0:0:0:0:0:0:0:0:2181:Leader@64] - y',
    ].join('\n'));
    tmp.write('kafka_2.13-3.3.1/zookeeper.out', kline('2023-01-16 17:25:15,662', 'Reading configuration from: config/zookeeper.properties', 'org.apache.zookeeper.server.quorum.QuorumPeerConfig') + '\n');
    const zkq = await planInputs([join(tmp.root, 'zkq')]);
    expect(zkq.families[0]!.nodes.zookeeper).toBe('zk-2');
    expect(zkq.families[0]!.sharedWith?.zookeeper).toEqual(['zk-3']);
    expect(await nodesOf(join(tmp.root, 'kafka_2.13-3.3.1'))).toEqual({ 'zookeeper.out': 'zk@kafka_2.13-3.3.1' });
  });

  it('--node-map overrides what the content says', async () => {
    const dir = join(tmp.root, 'mapped');
    tmp.write('mapped/server.log', banner(5, '2022-10-05 17:00:00,000'));
    const plan = await planInputs([dir], { nodeMap: [`${dir}=kafka-east-1`] });
    expect(plan.families[0]!.nodes['kafka-broker']).toBe('kafka-east-1');
  });
});
