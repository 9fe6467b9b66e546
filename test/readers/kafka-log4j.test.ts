import { describe, expect, it } from 'vitest';
import { isForeignLine } from '../../src/readers/assembler.js';
import { kafkaLog4jLayout, splitKafkaBody } from '../../src/readers/kafka-log4j.js';
import { Zone } from '../../src/time/zone.js';
import { readText } from '../helpers/read.js';

const broker = kafkaLog4jLayout('kafka-broker');
const utc = (s: string): number => Date.parse(s);

describe('Kafka layout `[%d] %p %m (%c)`: one line', () => {
  it.each([
    ['INFO, 1.0+ wording', '[2022-10-05 17:05:39,869] INFO [KafkaServer id=0] started (kafka.server.KafkaServer)',
      { level: 'INFO', logger: 'kafka.server.KafkaServer', message: '[KafkaServer id=0] started', role: 'kafka-broker' }],
    ['FATAL (0.10 – 1.0)', '[2021-04-28 16:44:58,798] FATAL Fatal error during KafkaServer startup. Prepare to shutdown (kafka.server.KafkaServer)',
      { level: 'FATAL', logger: 'kafka.server.KafkaServer', message: 'Fatal error during KafkaServer startup. Prepare to shutdown' }],
    ['TRACE state change with nested parentheses', '[2021-04-28 16:41:33,624] TRACE Controller 1 epoch 58 sending UpdateMetadata request (Leader:-1,ISR:1002,LeaderEpoch:7,ControllerEpoch:57) to brokers Set() for partition metadata_topic-0 (state.change.logger)',
      { level: 'TRACE', logger: 'state.change.logger', message: 'Controller 1 epoch 58 sending UpdateMetadata request (Leader:-1,ISR:1002,LeaderEpoch:7,ControllerEpoch:57) to brokers Set() for partition metadata_topic-0' }],
    ['message ending in a parenthesis', '[2025-04-24 08:34:07,664] INFO Creating topic t with configuration {} and initial partition assignment HashMap(0 -> ArrayBuffer(0)) (kafka.zk.AdminZkClient)',
      { logger: 'kafka.zk.AdminZkClient', message: 'Creating topic t with configuration {} and initial partition assignment HashMap(0 -> ArrayBuffer(0))' }],
    ['empty partition set (two spaces before the logger)', '[2021-04-28 16:41:34,336] INFO [ReplicaFetcherManager on broker 1] Removed fetcher for partitions  (kafka.server.ReplicaFetcherManager)',
      { logger: 'kafka.server.ReplicaFetcherManager', message: '[ReplicaFetcherManager on broker 1] Removed fetcher for partitions ' }],
    ['empty message (ZooKeeper banner under Kafka)', '[2022-04-26 09:11:23,282] INFO  (org.apache.zookeeper.server.ZooKeeperServer)',
      { level: 'INFO', logger: 'org.apache.zookeeper.server.ZooKeeperServer', message: '', role: 'zookeeper' }],
    ['ZooKeeper server logger → zookeeper role', '[2021-05-01 10:50:00,000] INFO Expiring session 0x100000a1b2c0003, timeout of 18000ms exceeded (org.apache.zookeeper.server.ZooKeeperServer)',
      { logger: 'org.apache.zookeeper.server.ZooKeeperServer', role: 'zookeeper' }],
    ['ZooKeeper audit logger → zookeeper role', '[2021-12-07 22:05:17,714] ERROR session=0x1000094b2a00000\tuser=127.0.0.1\tresult=failure (org.apache.zookeeper.audit.Log4jAuditLogger)',
      { level: 'ERROR', role: 'zookeeper', message: 'session=0x1000094b2a00000\tuser=127.0.0.1\tresult=failure' }],
    ['ZooKeeper client in a broker → broker role', '[2018-04-02 10:48:05,071] WARN Session 0x0 for server null, unexpected error, closing socket connection and attempting reconnect (org.apache.zookeeper.ClientCnxn)',
      { logger: 'org.apache.zookeeper.ClientCnxn', role: 'kafka-broker' }],
    ['Kafka 4.x Java logger names', '[2025-10-15 20:38:45,018] INFO [UnifiedLog partition=p-1, dir=/tmp/kafka-logs-1] Truncating to 768982 has no effect (org.apache.kafka.storage.internals.log.UnifiedLog)',
      { logger: 'org.apache.kafka.storage.internals.log.UnifiedLog' }],
    ['inner-class logger with $', '[2022-03-31 10:13:23,785] INFO Registered kafka:type=kafka.Log4jController MBean (kafka.utils.Log4jControllerRegistration$)',
      { logger: 'kafka.utils.Log4jControllerRegistration$' }],
    ['Connect `(%c:%L)`', '[2022-01-01 00:00:00,000] INFO Starting connectors (org.apache.kafka.connect.runtime.Worker:123)',
      { logger: 'org.apache.kafka.connect.runtime.Worker:123', message: 'Starting connectors' }],
    ['Windows path in the message', '[2021-04-28 12:11:56,594] WARN No meta.properties file under dir C:\\tmp\\kafka-logs-1\\meta.properties (kafka.server.BrokerMetadataCheckpoint)',
      { level: 'WARN', message: 'No meta.properties file under dir C:\\tmp\\kafka-logs-1\\meta.properties' }],
    ['T separator', '[2022-10-05T17:05:39,869] INFO x (kafka.Kafka$)', { time: utc('2022-10-05T17:05:39.869Z') }],
    ['dot before millis', '[2022-10-05 17:05:39.869] INFO x (kafka.Kafka$)', { time: utc('2022-10-05T17:05:39.869Z') }],
    ['no logger suffix (message continues on later lines)', '[2021-12-07 22:05:17,931] INFO KafkaConfig values: ',
      { level: 'INFO', logger: '', message: 'KafkaConfig values:' }],
    ['unknown level token', '[2022-10-05 17:05:39,869] NOTICE x (y.Z)', { level: '', logger: '' }],
  ] as const)('%s', (_name, line, expected) => {
    const { records, counts } = readText(line, broker);
    expect(counts).toMatchObject({ linesRead: 1, records: 1, unrecognised: 0 });
    const time = utc(`${line.slice(1, 24).replace(' ', 'T').replace(',', '.')}Z`);
    expect(records[0]).toMatchObject({ time, line: 1, folded: 0, ...expected });
  });

  it('applies the zone given, not the process zone', () => {
    const { records } = readText('[2022-10-05 17:05:39,869] INFO x (kafka.Kafka$)', broker, new Zone('Asia/Seoul'));
    expect(records[0]!.time).toBe(utc('2022-10-05T08:05:39.869Z'));
  });

  it('a file of ZooKeeper lines only takes the family role for loggers that do not tell', () => {
    const zk = kafkaLog4jLayout('zookeeper');
    const { records } = readText('[2022-10-05 17:05:39,869] INFO Client environment:java.version=1.8 (org.apache.zookeeper.ZooKeeper)', zk);
    expect(records[0]!.role).toBe('zookeeper');
  });
});

describe('Kafka layout: multi-line records', () => {
  it('folds a KafkaConfig dump and takes the logger from its own line', () => {
    const text = [
      '[2021-12-07 22:05:17,931] INFO KafkaConfig values: ',
      '\tadvertised.listeners = null',
      '\tbroker.id = 0',
      '\tzookeeper.sync.time.ms = 2000',
      ' (kafka.server.KafkaConfig)',
      '[2021-12-07 22:05:17,941] INFO next (kafka.server.KafkaServer)',
    ].join('\n');
    const { records, counts } = readText(text, kafkaLog4jLayout('zookeeper'));
    expect(counts).toMatchObject({ linesRead: 6, records: 2, folded: 4, unrecognised: 0 });
    expect(records[0]).toMatchObject({ logger: 'kafka.server.KafkaConfig', role: 'kafka-broker', folded: 4, message: 'KafkaConfig values:' });
    expect(records[0]!.continuation).toEqual(['\tadvertised.listeners = null', '\tbroker.id = 0', '\tzookeeper.sync.time.ms = 2000', ' (kafka.server.KafkaConfig)']);
  });

  it.each([
    ['tab frames, Caused by and ... N more', [
      'org.apache.kafka.common.KafkaException: Socket server failed to bind to 0.0.0.0:9092: Address already in use.',
      '\tat kafka.network.Acceptor.openServerSocket(SocketServer.scala:734)',
      'Caused by: java.net.BindException: Address already in use',
      '\tat java.base/sun.nio.ch.Net.bind0(Native Method) ~[?:?]',
      '\t... 18 more',
    ]],
    ['localized exception text', ['java.net.ConnectException: 拒绝连接', '\tat sun.nio.ch.SocketChannelImpl.checkConnect(Native Method)']],
    ['four-space frames (pasted)', ['java.io.EOFException', '    at java.io.DataInputStream.readInt(DataInputStream.java:392)', '    at org.apache.zookeeper.server.quorum.Learner.readPacket(Learner.java:63)']],
    ['two- and eight-space frames', ['java.lang.Exception: shutdown Follower', '  at org.apache.zookeeper.server.quorum.Follower.shutdown(Follower.java:166)', '        at java.base/java.lang.Thread.run(Thread.java:829)']],
    ['hard-wrapped continuation of a long line', [':3,5,6,LeaderEpoch:0,ControllerEpoch:1), [LIVETOPICOLD,7] -> (Leader:4,ISR:4,1,2,LeaderEpoch:0,ControllerEpoch:1)']],
  ])('folds a stack trace: %s', (_name, trace) => {
    const text = ['[2025-05-14 22:55:36,172] ERROR [KafkaServer id=1] Fatal error during KafkaServer startup. (kafka.server.KafkaServer)', ...trace, '[2025-05-14 22:55:36,173] INFO next (kafka.server.KafkaServer)'].join('\n');
    const { records, counts } = readText(text, broker);
    expect(counts).toMatchObject({ records: 2, folded: trace.length, unrecognised: 0 });
    expect(records[0]!.continuation).toEqual(trace);
    expect(records[1]!.line).toBe(trace.length + 2);
  });

  it('keeps only MAX_CONTINUATION folded lines but counts them all', () => {
    const frames = Array.from({ length: 100 }, (_, i) => `\tat a.B.c(B.java:${i})`);
    const { records, counts } = readText(['[2022-10-05 17:05:39,869] ERROR boom (x.Y)', ...frames].join('\n'), broker);
    expect(counts.folded).toBe(100);
    expect(records[0]!.folded).toBe(100);
    expect(records[0]!.continuation.length).toBe(40);
  });
});

describe('Kafka layout: accounting of lines that are not records', () => {
  it('counts lines before the first record as unrecognised (SLF4J, nohup, entrypoint, orphan frames)', () => {
    const pre = [
      'nohup: ignoring input',
      'SLF4J: Class path contains multiple SLF4J bindings.',
      "[Configuring] 'port' in '/opt/kafka/config/server.properties'",
      'Excluding KAFKA_HOME from broker config',
      '\tat java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.awaitNanos(AbstractQueuedSynchronizer.java:2088)',
    ];
    const { records, counts, unrecognised } = readText([...pre, '[2024-04-09 10:00:00,000] INFO a (kafka.Kafka$)'].join('\n'), broker);
    expect(counts).toMatchObject({ linesRead: 6, records: 1, folded: 0, unrecognised: 5, badTimestamps: 0 });
    expect(unrecognised.map((u) => u.reason)).toEqual(Array(5).fill('no-record-yet'));
    expect(records[0]!.line).toBe(6);
  });

  it('does not fold other writers\' lines (container restart) into the record before them', () => {
    const text = [
      '[2024-04-10 11:44:55,957] INFO [KafkaServer id=1001] shut down completed (kafka.server.KafkaServer)',
      "[Configuring] 'port' in '/opt/kafka/config/server.properties'",
      'Excluding KAFKA_VERSION from broker config',
      'SLF4J: See http://www.slf4j.org/codes.html#multiple_bindings for an explanation.',
      '[2024-04-10 11:45:01,000] INFO Registered kafka:type=kafka.Log4jController MBean (kafka.utils.Log4jControllerRegistration$)',
    ].join('\n');
    const { records, counts, unrecognised } = readText(text, broker);
    expect(counts).toMatchObject({ records: 2, folded: 0, unrecognised: 3 });
    expect(records[0]!.continuation).toEqual([]);
    expect(unrecognised.map((u) => u.reason)).toEqual(['foreign', 'foreign', 'foreign']);
  });

  it.each([
    ['month 13', '[2022-13-05 17:05:39,869] INFO x (y.Z)'],
    ['Feb 30', '[2022-02-30 17:05:39,869] INFO x (y.Z)'],
    ['no millis', '[2022-10-05 17:05:39] INFO x (y.Z)'],
    ['hour 25', '[2022-10-05 25:05:39,869] INFO x (y.Z)'],
  ])('counts a bad timestamp (%s) as unrecognised + badTimestamps, never folded', (_name, bad) => {
    const text = ['[2022-10-05 17:05:39,000] INFO ok (y.Z)', bad, '\tat a.B.c(B.java:1)'].join('\n');
    const { records, counts, unrecognised } = readText(text, broker);
    expect(counts).toMatchObject({ linesRead: 3, records: 1, folded: 1, unrecognised: 1, badTimestamps: 1 });
    expect(unrecognised).toEqual([{ line: 2, text: bad, reason: 'bad-timestamp' }]);
    expect(records[0]!.continuation).toEqual(['\tat a.B.c(B.java:1)']);
  });

  it('keeps out-of-order lines in file order and flags them', () => {
    const text = [
      '[2022-10-05 17:05:39,100] INFO a (x.Y)',
      '[2022-10-05 17:05:39,090] INFO b (x.Y)',
      '[2022-10-05 17:05:39,200] INFO c (x.Y)',
      '[2022-10-05 17:02:00,000] INFO d (x.Y)',
    ].join('\n');
    const { records, counts } = readText(text, broker);
    expect(records.map((r) => [r.message, r.outOfOrder])).toEqual([['a', false], ['b', true], ['c', false], ['d', true]]);
    expect(counts.outOfOrder).toBe(2);
  });

  it('is not fooled by lines that start with `[` and a digit but are not timestamps', () => {
    const text = ['[2022-10-05 17:05:39,100] INFO a (x.Y)', '[1] item one', '[  411514] [   104.777836] [service_kafka] [I] at x'].join('\n');
    expect(readText(text, broker).counts).toMatchObject({ records: 1, folded: 2, unrecognised: 0 });
  });

  it('handles an empty input and a file of blank lines', () => {
    expect(readText('', broker).counts).toMatchObject({ linesRead: 0, records: 0 });
    expect(readText('\n\n', broker).counts).toMatchObject({ linesRead: 2, unrecognised: 2 });
  });
});

describe('helpers', () => {
  it.each([
    ['INFO x (a.B)', { level: 'INFO', message: 'x', logger: 'a.B' }],
    ['WARN a (b) c (d.E)', { level: 'WARN', message: 'a (b) c', logger: 'd.E' }],
    ['INFO (a.B)', { level: 'INFO', message: '', logger: 'a.B' }],
    ['INFO x (not a logger)', { level: 'INFO', message: 'x (not a logger)', logger: '' }],
    ['INFO x (a.B:12)', { level: 'INFO', message: 'x', logger: 'a.B:12' }],
    ['INFO x (a.B:)', { level: 'INFO', message: 'x (a.B:)', logger: '' }],
    ['ERROR', { level: 'ERROR', message: '', logger: '' }],
  ])('splitKafkaBody(%s)', (body, expected) => {
    expect(splitKafkaBody(body)).toEqual(expected);
  });

  it('splitKafkaBody rejects a non-level', () => {
    expect(splitKafkaBody('info x (a.B)')).toBeUndefined();
  });

  it.each([
    ['SLF4J: Found binding in [jar:file:/x.jar]', true],
    ['nohup: ignoring input', true],
    ["[Configuring] 'port' in '/opt/kafka/config/server.properties'", true],
    ['Excluding KAFKA_HOME from broker config', true],
    ['\tat a.B.c(B.java:1)', false],
    ['Caused by: x', false],
    ['[2022-10-05 17:05:39,100] INFO a (x.Y)', false],
    ['', false],
  ])('isForeignLine(%j) = %s', (line, expected) => {
    expect(isForeignLine(line)).toBe(expected);
  });
});
