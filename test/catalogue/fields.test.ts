import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, Classifier } from '../../src/catalogue/index.js';
import { parseIds, parsePartitions } from '../../src/catalogue/fields.js';
import type { LogRecord } from '../../src/model/record.js';
import { RecordReader } from '../../src/readers/assembler.js';
import { kafkaLog4jLayout } from '../../src/readers/kafka-log4j.js';
import { zookeeperLayout } from '../../src/readers/zookeeper.js';
import { Zone } from '../../src/time/zone.js';

const classifier = new Classifier(CATALOGUE);

function classify(sample: string) {
  const lines = sample.split('\n');
  const layout = lines[0]!.startsWith('[') ? kafkaLog4jLayout('kafka-broker') : zookeeperLayout;
  const reader = new RecordReader(layout, new Zone('UTC'));
  const recs: LogRecord[] = [];
  for (const line of lines) {
    const r = reader.push(line);
    if (r) recs.push(r);
  }
  const last = reader.end();
  if (last) recs.push(last);
  expect(recs).toHaveLength(1);
  return classifier.classify(recs[0]!);
}

describe('extracted fields', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['kafka.fetcher.removed', '[2024-02-23 07:47:50,149] INFO [ReplicaFetcherManager on broker 2] Removed fetcher for partitions Set(test-topic-2) (kafka.server.ReplicaFetcherManager)',
      { broker: 2, partitions: ['test-topic-2'] }],
    ['kafka.fetcher.removed', '[2017-06-01 10:01:00,000] INFO [ReplicaFetcherManager on broker 1] Removed fetcher for partitions [orders,0],[orders,1] (kafka.server.ReplicaFetcherManager)',
      { broker: 1, partitions: ['orders-0', 'orders-1'] }],
    ['kafka.fetcher.removed', '[2024-02-23 07:47:50,147] INFO [ReplicaFetcherManager on broker 3] Removed fetcher for partitions Set(__consumer_offsets-22, __consumer_offsets-30,... (kafka.server.ReplicaFetcherManager)',
      { broker: 3, partitions: ['__consumer_offsets-22', '__consumer_offsets-30'] }],
    ['kafka.fetcher.added', '[2022-08-01 10:01:00,100] INFO [ReplicaFetcherManager on broker 1] Added fetcher to broker 2 for partitions Map(orders-0 -> InitialFetchState(Some(q0CwXcYbS8OmJ2l1b7Fv3Q),BrokerEndPoint(id=2, host=kafka2:9092),7,42), orders-3 -> InitialFetchState(None,BrokerEndPoint(id=2, host=kafka2:9092),7,0)) (kafka.server.ReplicaFetcherManager)',
      { broker: 1, leader: 2, partitions: ['orders-0', 'orders-3'] }],
    ['kafka.fetcher.added', '[2019-04-01 10:01:00,100] INFO [ReplicaFetcherManager on broker 1] Added fetcher to broker BrokerEndPoint(id=2, host=kafka2:9092) for partitions Map(orders-0 -> (offset=42, leaderEpoch=7)) (kafka.server.ReplicaFetcherManager)',
      { leader: 2, partitions: ['orders-0'] }],
    ['kafka.fetcher.added', '[2021-04-28 16:41:51,048] INFO [ReplicaFetcherManager on broker 2] Added fetcher for partitions List([dns-0, initOffset 0 to broker BrokerEndPoint(1,host,9094)] , [dns-2, initOffset 0 to broker BrokerEndPoint(1,host,9094)] ) (kafka.server.ReplicaFetcherManager)',
      { broker: 2, partitions: ['dns-0', 'dns-2'] }],
    ['zk.session.expired', '[2024-02-23 07:45:07,751] INFO Expiring session 0x100000e95480003, timeout of 18000ms exceeded (org.apache.zookeeper.server.ZooKeeperServer)',
      { session: '0x100000e95480003', timeoutMs: 18000 }],
    ['zk.client.connection-lost', '2019-05-01 10:51:00,000 [myid:1] - WARN  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxn@357] - caught end of stream exception\nEndOfStreamException: Unable to read additional data from client sessionid 0x16a7b3c4d5e0001, likely client has closed socket',
      { session: '0x16a7b3c4d5e0001' }],
    ['zk.client.connection-lost', '2024-05-01 10:51:00,000 [myid:] - INFO  [NIOWorkerThread-3:o.a.z.s.NIOServerCnxn@340] - Unable to read additional data from client, it probably closed the socket: address = /10.0.0.21:51544, session = 0x100000a1b2c0003',
      { address: '/10.0.0.21:51544', session: '0x100000a1b2c0003' }],
    ['kafka.isr.shrink', '[2017-06-01 10:05:00,000] INFO Partition [orders,0] on broker 1: Shrinking ISR for partition [orders,0] from 1,2,3 to 1,2 (kafka.cluster.Partition)',
      { partitions: ['orders-0'], broker: 1, from: [1, 2, 3], to: [1, 2] }],
    ['kafka.isr.shrink', '[2022-02-01 10:05:00,000] INFO [Partition orders-0 broker=1] Shrinking ISR from 1,2,3 to 1,2. Leader: (highWatermark: 1500, endOffset: 1520). Out of sync replicas: (brokerId: 3, endOffset: 1400). (kafka.cluster.Partition)',
      { partitions: ['orders-0'], from: [1, 2, 3], to: [1, 2], highWatermark: 1500, endOffset: 1520 }],
    ['kafka.isr.expand', '[2021-04-28 16:41:51,067] INFO Partition [dns_kafka_topic,2] on broker 1: Expanding ISR for partition dns_kafka_topic-2 from 1 to 1,2 (kafka.cluster.Partition)',
      { partitions: ['dns_kafka_topic-2'], from: [1], to: [1, 2] }],
    ['kafka.isr.updated', '[2023-05-01 10:06:00,010] INFO [Partition orders-0 broker=1] ISR updated to 1,2,3  and version updated to 15 (kafka.cluster.Partition)',
      { partitions: ['orders-0'], isr: [1, 2, 3], version: 15 }],
    ['kafka.isr.updated', '[2023-05-01 10:06:30,010] INFO [Partition orders-0 broker=1] ISR updated to 1 (under-min-isr) and version updated to 16 (kafka.cluster.Partition)',
      { isr: [1], underMinIsr: 'under-min-isr', version: 16 }],
    ['zk.leader.not-enough-followers', '[2024-02-23 08:20:31,187] INFO Shutdown called (org.apache.zookeeper.server.quorum.Leader)\njava.lang.Exception: shutdown Leader! reason: Not sufficient followers synced, only synced with sids: [ [3],[3] ]',
      { synced: [3, 3] }],
    ['zk.leader.not-enough-followers', '2019-05-01 10:54:00,000 [myid:1] - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:Leader@499] - Shutdown called\njava.lang.Exception: shutdown Leader! reason: Not sufficient followers synced, only synced with sids: [ 1,3 ]\n\tat org.apache.zookeeper.server.quorum.Leader.shutdown(Leader.java:499)',
      { synced: [1, 3] }],
    ['zk.leader.shutdown', '2022-05-01 10:54:00,000 [myid:1] - INFO  [QuorumPeer[myid=1](plain=0.0.0.0:2181)(secure=disabled):Leader@799] - Shutdown called. For the reason Forcing shutdown',
      { reason: 'Forcing shutdown' }],
    ['zk.learner.lost', '[2024-02-23 08:13:53,660] ERROR Unexpected exception causing shutdown while sock still open (org.apache.zookeeper.server.quorum.LearnerHandler)\njava.net.SocketTimeoutException: Read timed out\n\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:283)',
      { cause: 'java.net.SocketTimeoutException: Read timed out' }],
    ['zk.peer.send-worker-leaving', '[2024-02-23 00:55:45,214] WARN Send worker leaving thread  id 1 my id = 3 (org.apache.zookeeper.server.quorum.QuorumCnxManager)',
      { sid: 1, myid: 3 }],
    ['zk.election.took', '2016-08-27 21:32:47,556 [myid:1] - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2182:Follower@63] - FOLLOWING - LEADER ELECTION TOOK - 1298',
      { state: 'FOLLOWING', tookMs: 1298 }],
    ['kafka.zk.session-timeout', '[2024-02-23 08:20:33,994] INFO Client session timed out, have not heard from server in 12005ms for sessionid 0x200000de6bd0003, closing socket connection and attempting reconnect (org.apache.zookeeper.ClientCnxn)',
      { idleMs: 12005, session: '0x200000de6bd0003' }],
    ['kafka.zk.socket-error', '[2024-02-23 08:20:34,530] INFO Socket error occurred: 10.0.0.220/10.0.0.220:2181: No route to host (org.apache.zookeeper.ClientCnxn)',
      { server: '10.0.0.220/10.0.0.220:2181', error: 'No route to host' }],
    ['kafka.fetch.disconnected', '[2024-02-23 08:20:53,942] INFO [ReplicaFetcher replicaId=3, leaderId=2, fetcherId=0] Error sending fetch request (sessionId=1656834178, epoch=1834) to node 2: (org.apache.kafka.clients.FetchSessionHandler)\njava.io.IOException: Connection to 2 was disconnected before the response was read',
      { broker: 3, leader: 2, node: 2, cause: 'java.io.IOException: Connection to 2 was disconnected before the response was read' }],
    ['kafka.truncation.fetcher', '[2020-08-01 10:07:00,001] WARN [ReplicaFetcher replicaId=3, leaderId=1, fetcherId=0] Truncating orders-0 to offset 1400 below high watermark 1500 (kafka.server.ReplicaFetcherThread)',
      { partitions: ['orders-0'], offset: 1400, highWatermark: 1500 }],
    ['kafka.truncation.fetcher', '[2023-08-01 10:07:00,000] INFO [ReplicaFetcher replicaId=3, leaderId=1, fetcherId=0] Truncating partition orders-0 with TruncationState(offset=1500, completed=true) due to leader epoch and offset EpochEndOffset(errorCode=0, partition=0, leaderEpoch=7, endOffset=1500) (kafka.server.ReplicaFetcherThread)',
      { partitions: ['orders-0'], offset: 1500, reason: 'leader epoch and offset' }],
    ['kafka.truncation.log', '[2017-06-01 10:07:01,000] INFO Truncating log orders-0 to offset 1400. (kafka.log.Log)',
      { partitions: ['orders-0'], offset: 1400 }],
    ['kafka.controller.broker-change', '[2021-06-01 10:09:00,000] INFO [Controller id=1] Newly added brokers: , deleted brokers: 3, bounced brokers: , all live brokers: 1,2 (kafka.controller.KafkaController)',
      { controller: 1, added: [], deleted: [3], live: [1, 2] }],
    ['kafka.controller.unclean-election', '[2017-06-01 10:11:00,000] WARN [OfflinePartitionLeaderSelector]: No broker in ISR is alive for [orders,0]. Elect leader 3 from live brokers 3. There\'s potential data loss. (kafka.controller.OfflinePartitionLeaderSelector)',
      { partitions: ['orders-0'], leader: 3, live: [3] }],
    ['kafka.controller.offline-partition', '[2020-03-21 18:36:50,162] TRACE [Controller id=0 epoch=1] Changed partition dev1-0 state from OnlinePartition to OfflinePartition (state.change.logger)',
      { partitions: ['dev1-0'], from: 'OnlinePartition', to: 'OfflinePartition' }],
    ['kafka.controller.partition-online', '[2021-06-01 10:12:00,000] INFO [Controller id=1 epoch=17] Changed partition orders-0 from OfflinePartition to OnlinePartition with state LeaderAndIsr(leader=3, leaderEpoch=8, isr=List(3), zkVersion=21) (state.change.logger)',
      { partitions: ['orders-0'], leader: 3 }],
    ['kafka.network.connection-failed', '[2022-08-01 10:02:01,500] WARN [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Connection to node 2 (kafka2/10.0.0.2:9092) could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)',
      { node: 2, address: 'kafka2/10.0.0.2:9092' }],
    ['kafka.partition.no-leader', '[2024-02-23 08:04:19,505] WARN [Consumer clientId=GetOffsetShell, groupId=null] 1 partitions have leader brokers without a matching listener, including [test-topic-2] (org.apache.kafka.clients.NetworkClient)',
      { count: 1, partitions: ['test-topic-2'] }],
    ['kafka.partition.no-leader', '[2024-02-23 01:00:45,100] WARN [Consumer clientId=GetOffsetShell, groupId=null] Error while fetching metadata with correlation id 2 : {test-topic=UNKNOWN_TOPIC_OR_PARTITION} (org.apache.kafka.clients.NetworkClient)\nError: partition 2 does not have a leader. Skip getting offsets',
      { partition: 2 }],
    ['kafka.partition.no-leader', '[2022-06-01 10:30:01,000] WARN [Producer clientId=producer-1] Error while fetching metadata with correlation id 5 : {payments=UNKNOWN_TOPIC_OR_PARTITION, orders=LEADER_NOT_AVAILABLE} (org.apache.kafka.clients.NetworkClient)',
      { topic: 'orders' }],
    ['kafka.storage.cleanup-failed', '[2022-10-05 17:03:12,345] ERROR Failed to clean up log for __consumer_offsets-17 in dir /var/kafka/data due to IOException (kafka.server.LogDirFailureChannel)\njava.io.IOException: No space left on device',
      { partitions: ['__consumer_offsets-17'], dir: '/var/kafka/data', cause: 'java.io.IOException: No space left on device' }],
    ['kafka.group.offsets-expired', '[2022-10-05 17:05:39,869] INFO [GroupMetadataManager brokerId=1] Removed 0 expired offsets in 0 milliseconds. (kafka.coordinator.group.GroupMetadataManager)',
      { broker: 1, count: 0, tookMs: 0 }],
    ['kafka.kraft.broker-fenced', '[2025-05-17 12:08:17,701] INFO [QuorumController id=1] Fencing broker 1 at epoch 8 because its session has timed out. (org.apache.kafka.controller.ReplicationControlManager)',
      { fenced: 1, brokerEpoch: 8 }],
  ];
  it.each(cases)('%s: %s', (id, sample, fields) => {
    const hit = classify(sample);
    expect(hit?.rule.id).toBe(id);
    expect(hit?.fields).toMatchObject(fields);
  });
});

describe('field converters', () => {
  it('normalise every partition rendering to topic-N', () => {
    expect(parsePartitions('[orders,0],[orders,1]')).toEqual(['orders-0', 'orders-1']);
    expect(parsePartitions('orders-0,orders-1')).toEqual(['orders-0', 'orders-1']);
    expect(parsePartitions('HashSet(a-0, b.c-12, my-topic-3)')).toEqual(['a-0', 'b.c-12', 'my-topic-3']);
    expect(parsePartitions('Map(orders-0 -> (offset=42, leaderEpoch=7), orders-1 -> (offset=1, leaderEpoch=7))')).toEqual(['orders-0', 'orders-1']);
    expect(parsePartitions('List([[orders,0], initOffset 42 to broker BrokerEndPoint(2,kafka2,9092)] )')).toEqual(['orders-0']);
    expect(parsePartitions('Set()')).toEqual([]);
  });
  it('read a plain list of partitions as trimming, splitting and matching /^(.+)-(\\d+)$/ would', () => {
    // The list's reading before it went by offsets: the reference.
    const reference = (text: string): string[] => {
      let body = text.trim().replace(/^\w*(?:Set|List|Buffer|Seq)\(/, '');
      if (body.endsWith(')')) body = body.slice(0, -1);
      return body.split(',').map((t) => t.trim()).filter((t) => /^(.+)-(\d+)$/.test(t));
    };
    const pieces = fc.constantFrom('Set(', 'HashSet(', 'List(', 'Seq(', 'ListBuffer(', 'Buffer', 'xSet(', 'Se(', '(', ')', ',', ', ', '-', '--', '0', '12', 'a', 'orders', '.', '_',
      ' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u2029', '\ufeff', '\u3000', '\u200b', 'é', '\u0660');
    fc.assert(fc.property(fc.array(pieces, { maxLength: 14 }).map((p) => p.join('')), (text) => {
      expect(parsePartitions(text)).toEqual(reference(text));
    }), { numRuns: 20000 });
    for (const text of ['orders-3', ' HashSet(audit-0) ', 'Set(orders-10, __consumer_offsets-0)', '-1', 'a-', 'a\n-1', 'a-1\n', 'ListBuffer(t-1,t-2)', 'Set(t-1', 't-1)', 'x-1,,y-2']) {
      expect(parsePartitions(text), text).toEqual(reference(text));
    }
  });
  it('read broker ids from every list rendering', () => {
    expect(parseIds('1,2,3')).toEqual([1, 2, 3]);
    expect(parseIds('')).toEqual([]);
    expect(parseIds('[3],[3]')).toEqual([3, 3]);
    expect(parseIds('List(1, 2)')).toEqual([1, 2]);
    expect(parseIds('Set(-1)')).toEqual([-1]);
  });
  it('read every number /-?\\d+/g finds, a minus only when a digit follows it', () => {
    const samples = ['1--2', '-', '--3', 'a-b-4-', '12-34', '-0', '0007', 'x9y-8z', '1,\u0662,3', '99999999999999999999', '-'.repeat(3) + '5', 'broker-12 -> 3'];
    for (const text of samples) expect(parseIds(text), text).toEqual([...text.matchAll(/-?\d+/g)].map((m) => Number(m[0])));
  });
});
