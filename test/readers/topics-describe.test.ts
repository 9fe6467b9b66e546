import { describe, expect, it } from 'vitest';
import { parseDescribe } from '../../src/readers/topics-describe.js';

describe('parseDescribe', () => {
  it('reads the old --zookeeper format (seed 001)', () => {
    const snap = parseDescribe([
      'Topic:account_event\tPartitionCount:1\tReplicationFactor:1\tConfigs:',
      '\tTopic: account_event\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1',
    ]);
    expect(snap.topics).toMatchObject([{ topic: 'account_event', partitionCount: 1, replicationFactor: 1 }]);
    expect(snap.partitions).toMatchObject([{ topic: 'account_event', partition: 0, leader: 1, replicas: [1], isr: [1], line: 2 }]);
  });

  it('reads the --bootstrap-server format with Leader: none (seed 000)', () => {
    const snap = parseDescribe([
      '$ bin/kafka-topics.sh --describe --topic test-topic --bootstrap-server localhost:9092',
      'Topic: test-topic\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: ',
      '\tTopic: test-topic\tPartition: 0\tLeader: 3\tReplicas: 2,3\tIsr: 3',
      '\tTopic: test-topic\tPartition: 2\tLeader: none\tReplicas: 1,2\tIsr: 2',
    ]);
    expect(snap.other).toBe(1);
    expect(snap.partitions.map((p) => [p.partition, p.leader, p.replicas, p.isr])).toEqual([[0, 3, [2, 3], [3]], [2, null, [1, 2], [2]]]);
  });

  it('reads 3.x/4.x columns (TopicId, Elr) and topic configs', () => {
    const snap = parseDescribe([
      'Topic: orders\tTopicId: q0CwXcYbS8OmJ2l1b7Fv3Q\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: min.insync.replicas=2,cleanup.policy=delete',
      '\tTopic: orders\tPartition: 0\tLeader: -1\tReplicas: 1,2,3\tIsr: \tElr: 2,3\tLastKnownElr: ',
    ]);
    expect(snap.topics[0]!.configs).toEqual({ 'min.insync.replicas': '2', 'cleanup.policy': 'delete' });
    expect(snap.partitions[0]).toMatchObject({ leader: null, replicas: [1, 2, 3], isr: [] });
  });
});
