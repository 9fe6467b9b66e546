import { describe, expect, it } from 'vitest';
import { isLogKind, sniffLines, type InputKind } from '../../src/sources/sniff.js';

const k = (ts: string, level: string, msg: string, logger: string): string => `[${ts}] ${level} ${msg} (${logger})`;
const T = '2022-10-05 17:05:39,869';

const CASES: { name: string; lines: string[]; kind: InputKind; zookeeperServer?: boolean; kafka?: boolean }[] = [
  {
    name: 'Kafka server.log',
    lines: [
      k(T, 'INFO', 'Registered kafka:type=kafka.Log4jController MBean', 'kafka.utils.Log4jControllerRegistration$'),
      k(T, 'INFO', 'KafkaConfig values: ', 'kafka.server.KafkaConfig').replace(' (kafka.server.KafkaConfig)', ''),
      '\tbroker.id = 0',
      ' (kafka.server.KafkaConfig)',
      k(T, 'INFO', '[KafkaServer id=0] started', 'kafka.server.KafkaServer'),
      k(T, 'WARN', '[ReplicaFetcher replicaId=0, leaderId=1, fetcherId=0] Error in response for fetch request', 'kafka.server.ReplicaFetcherThread'),
    ],
    kind: 'kafka-server', zookeeperServer: false, kafka: true,
  },
  {
    name: 'Kafka controller.log (ZooKeeper mode)',
    lines: [
      k(T, 'INFO', '[Controller id=0] Starting become controller state transition', 'kafka.controller.KafkaController'),
      k(T, 'DEBUG', '[Controller id=0] Register BrokerModifications handler', 'kafka.controller.KafkaController'),
      k(T, 'TRACE', '[Controller id=0] Checking need to trigger auto leader balancing', 'kafka.controller.KafkaController'),
    ],
    kind: 'kafka-controller',
  },
  {
    name: 'Kafka controller.log holding only the log4j registration line (logger `kafka.controller`)',
    lines: [k(T, 'DEBUG', 'preRegister called. Server=com.sun.jmx.mbeanserver.JmxMBeanServer@66d3c617, name=log4j:logger=kafka.controller', 'kafka.controller')],
    kind: 'kafka-controller',
  },
  {
    name: 'Kafka 4.0 KRaft controller.log',
    lines: [k(T, 'INFO', '[QuorumController id=1] Creating new QuorumController with clusterId x', 'org.apache.kafka.controller.QuorumController')],
    kind: 'kafka-controller',
  },
  {
    name: 'state-change.log (0.10 TRACE)',
    lines: [
      k(T, 'TRACE', 'Controller 1 epoch 58 sending UpdateMetadata request (Leader:-1,ISR:1002,LeaderEpoch:7,ControllerEpoch:57) to brokers Set() for partition t-0', 'state.change.logger'),
      k(T, 'TRACE', 'Broker 1 cached leader info (LeaderAndIsrInfo:(Leader:3,ISR:3,LeaderEpoch:4,ControllerEpoch:1),ReplicationFactor:3) for partition t-1', 'state.change.logger'),
    ],
    kind: 'kafka-state-change',
  },
  {
    name: 'state-change.log (4.0 stage-change.log name does not matter)',
    lines: [k(T, 'INFO', '[Broker id=10] Transitioning 1 partition(s) to local leaders.', 'state.change.logger')],
    kind: 'kafka-state-change',
  },
  {
    name: 'ZooKeeper native with [myid:N]',
    lines: [
      '2017-09-13 11:21:49,261 [myid:2] - ERROR [LearnerHandler-/192.168.56.101:51603:LearnerHandler@631] - Unexpected exception causing shutdown while sock still open',
      'java.io.EOFException',
      '\tat java.io.DataInputStream.readInt(DataInputStream.java:392)',
    ],
    kind: 'zookeeper-native', zookeeperServer: true, kafka: false,
  },
  {
    name: 'ZooKeeper native with [myid:] (standalone)',
    lines: ['2016-08-27 21:32:45,850 [myid:] - INFO  [main:QuorumPeerConfig@103] - Reading configuration from: /conf/zoo.cfg'],
    kind: 'zookeeper-native',
  },
  {
    name: 'ZooKeeper legacy without myid (3.4.5)',
    lines: ['2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200'],
    kind: 'zookeeper-native',
  },
  {
    name: 'ZooKeeper 3.8 logback abbreviated classes',
    lines: ['2025-08-11 09:49:48,747 [myid:] - WARN  [QuorumPeer[myid=0](plain=[0:0:0:0:0:0:0:0]:2181)(secure=disabled):o.a.z.s.q.Follower@128] - Exception when following the leader'],
    kind: 'zookeeper-native',
  },
  {
    name: 'ZooKeeper under Log4j 2 (T separator)',
    lines: ['2023-05-19T23:47:57,354 [myid:1] - INFO  [main:QuorumPeerMain@123] - Starting quorum peer'],
    kind: 'zookeeper-native',
  },
  {
    name: 'ZooKeeper in Kafka layout (zookeeper-server-start.sh)',
    lines: [
      k(T, 'INFO', 'Reading configuration from: config/zookeeper.properties', 'org.apache.zookeeper.server.quorum.QuorumPeerConfig'),
      k(T, 'INFO', 'Expiring session 0x100000a1b2c0003, timeout of 18000ms exceeded', 'org.apache.zookeeper.server.ZooKeeperServer'),
      k(T, 'WARN', 'caught end of stream exception', 'org.apache.zookeeper.server.NIOServerCnxn'),
    ],
    kind: 'zookeeper-kafka-layout', zookeeperServer: true, kafka: false,
  },
  {
    name: 'mixed broker + ZooKeeper server.log (both from one Kafka install)',
    lines: [
      k(T, 'INFO', 'Reading configuration from: config/zookeeper.properties', 'org.apache.zookeeper.server.quorum.QuorumPeerConfig'),
      k(T, 'INFO', 'Registered kafka:type=kafka.Log4jController MBean', 'kafka.utils.Log4jControllerRegistration$'),
      k(T, 'INFO', '[KafkaServer id=0] started', 'kafka.server.KafkaServer'),
      k(T, 'INFO', 'Accepted socket connection from /127.0.0.1:55710', 'org.apache.zookeeper.server.NIOServerCnxnFactory'),
    ],
    kind: 'kafka-server', zookeeperServer: true, kafka: true,
  },
  {
    name: 'kafka.log behind nohup and SLF4J noise',
    lines: ['nohup: ignoring input', 'SLF4J: Class path contains multiple SLF4J bindings.', k(T, 'INFO', 'starting', 'kafka.server.KafkaServer')],
    kind: 'kafka-server',
  },
  {
    name: 'DumpLogSegments output (3.x)',
    lines: [
      'Dumping /tmp/kafka-logs/t-0/00000000000000000000.log',
      'Log starting offset: 0',
      'baseOffset: 0 lastOffset: 0 count: 1 baseSequence: 0 lastSequence: 0 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1680383687941 size: 82 magic: 2 compresscodec: none crc: 2785707995 isvalid: true',
      '| offset: 0 CreateTime: 1680383687941 keySize: -1 valueSize: 14 sequence: 0 headerKeys: [] payload: tset',
    ],
    kind: 'dump-log-segments',
  },
  {
    name: 'DumpLogSegments output (0.9, magic 0)',
    lines: ['Starting offset: 0', 'offset: 0 position: 0 isvalid: true payloadsize: 8 magic: 0 compresscodec: NoCompressionCodec crc: 3916773564'],
    kind: 'dump-log-segments',
  },
  {
    name: 'topics --describe, old format (no space after colons)',
    lines: ['Topic:orders\tPartitionCount:3\tReplicationFactor:3\tConfigs:', '\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3'],
    kind: 'topics-describe',
  },
  {
    name: 'topics --describe, new format (TopicId, Elr)',
    lines: [
      'Topic: sample\tTopicId: clHkbrXASlSJd5FgWZu5kA\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: min.insync.replicas=1',
      '\tTopic: sample\tPartition: 0\tLeader: 1\tReplicas: 1,2,0\tIsr: 1,2,0\tElr: \tLastKnownElr: ',
    ],
    kind: 'topics-describe',
  },
  {
    name: 'GetOffsetShell output',
    lines: ['orders:0:1500', 'orders:1:1498', 'orders:2:', 'orders-archive:10:0'],
    kind: 'get-offset-shell',
  },
  {
    name: 'GetOffsetShell output with the tool\'s own warning in log layout (seed 000)',
    lines: [
      'Error: partition 2 does not have a leader. Skip getting offsets',
      '[2024-02-23 01:00:45,181] WARN [Consumer clientId=GetOffsetShell, groupId=null] 1 partitions have leader brokers without a matching listener, including [test-topic-2] (org.apache.kafka.clients.NetworkClient)',
      'test-topic:0:16',
      'test-topic:1:24',
    ],
    kind: 'get-offset-shell',
  },
  {
    name: 'GetOffsetShell output outnumbered by the client\'s own warnings (no broker up)',
    lines: [
      '# $ kafka-run-class.sh kafka.tools.GetOffsetShell --broker-list 127.0.0.1:39092 --topic account_event --time -1',
      '[2026-11-21 04:37:59,321] WARN [Consumer clientId=GetOffsetShell, groupId=] Connection to node -1 (/127.0.0.1:39092) could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)',
      '[2026-11-21 04:38:00,779] WARN [Consumer clientId=GetOffsetShell, groupId=] Connection to node -1 (/127.0.0.1:39092) could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)',
      '[2026-11-21 04:38:00,881] WARN [Consumer clientId=GetOffsetShell, groupId=] Connection to node -1 (/127.0.0.1:39092) could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)',
      'Error: partition 0 does not have a leader. Skip getting offsets',
      '# exit=0',
    ],
    kind: 'get-offset-shell',
  },
  {
    name: 'properties (zoo.cfg)',
    lines: ['# The number of milliseconds of each tick', 'tickTime=2000', 'initLimit=10', 'dataDir=/tmp/zookeeper', 'clientPort=2181', 'server.1=10.0.0.1:2888:3888'],
    kind: 'properties',
  },
];

describe('sniffLines', () => {
  it.each(CASES)('$name → $kind', ({ lines, kind, zookeeperServer, kafka }) => {
    const s = sniffLines(lines);
    expect(s.kind).toBe(kind);
    if (s.kind !== null && zookeeperServer !== undefined) expect(s.zookeeperServer).toBe(zookeeperServer);
    if (s.kind !== null && kafka !== undefined) expect(s.kafka).toBe(kafka);
  });

  it.each([
    ['empty', [], /empty/],
    ['only blank lines', ['', '   ', '\t'], /empty/],
    ['binary', ['\u0001\u0002\u0003\u0004PK\u0003\u0004\u0000\u0000\u0008\u0000\u0000\u0000\u0011\u0012'], /binary/],
    ['random prose', ['It was a dark and stormy night.', 'The broker did not answer, and nobody knew why.', 'Then the pager went off.'], /no known layout/],
    ['JVM GC log', ['[2021-12-07T22:06:32.654+0700][gc,heap] Heap region size: 1M', '[2021-12-07T22:06:32.660+0700][gc     ] Using G1'], /no known layout/],
    ['a client application\'s log (client loggers only: not a node)', [
      '[2024-02-23 08:00:01,000] WARN [Producer clientId=orders-app] Connection to node 1 (/10.0.0.1:9092) could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)',
      '[2024-02-23 08:00:02,000] INFO [Producer clientId=orders-app] Node 1 disconnected. (org.apache.kafka.clients.NetworkClient)',
    ], /client/],
    ['JVM GC log (JDK 8)', ['2022-04-26T09:11:27.023+0700: 6.216: [GC pause (G1 Evacuation Pause) (young), 0.0191112 secs]'], /no known layout/],
  ])('%s → skipped with a reason', (_name, lines, reason) => {
    const s = sniffLines(lines as string[]);
    expect(s.kind).toBeNull();
    if (s.kind === null) expect(s.reason).toMatch(reason);
  });

  it('decides on the first 200 non-empty lines only', () => {
    const prose = Array.from({ length: 200 }, () => 'prose');
    expect(sniffLines([...prose, k(T, 'INFO', 'x', 'kafka.server.KafkaServer')]).kind).toBeNull();
  });

  it('isLogKind', () => {
    expect(isLogKind('kafka-server')).toBe(true);
    expect(isLogKind('zookeeper-native')).toBe(true);
    expect(isLogKind('dump-log-segments')).toBe(false);
    expect(isLogKind('properties')).toBe(false);
  });
});
