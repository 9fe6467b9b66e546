import type { Rule } from '../schema.js';

// Kafka client-library lines printed inside a broker (the fetcher's, the
// controller channel's, KRaft's RaftManager NetworkClient) and by the tools.
// All carry their owner's LogContext prefix, e.g. `[RaftManager id=1] `,
// `[ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] `, `[Consumer …] `.
export const KAFKA_NETWORK_RULES: readonly Rule[] = [
  {
    id: 'kafka.network.connection-failed',
    title: 'Cannot connect to a Kafka node',
    category: 'network',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.clients.NetworkClient'],
    keyword: 'could not be established',
    // 1.0–2.0 without the address; "Broker may not be available" up to 3.6,
    // "Node may not be available" from 3.7.
    pattern: /^(?:\[(?<client>[^\]]*)\] )?Connection to node (?<node>-?\d+)(?: \((?<address>[^()\s]*)\))? could not be established\. (?:Broker|Node) may not be available/,
    fields: { node: 'int' },
    samples: [
      '[2022-08-01 10:02:01,500] WARN [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Connection to node 2 (kafka2/10.0.0.2:9092) could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)',
      '[2025-05-17 12:05:58,174] WARN [RaftManager id=1] Connection to node 2 (localhost/127.0.0.1:9096) could not be established. Node may not be available. (org.apache.kafka.clients.NetworkClient)',
      '[2018-08-01 10:02:01,500] WARN [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Connection to node 2 could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)',
    ],
  },
  {
    id: 'kafka.partition.no-leader',
    title: 'Partition has no (reachable) leader',
    category: 'leadership',
    severity: 'error',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.clients.NetworkClient', 'org.apache.kafka.clients.Metadata'],
    withCause: true,
    // Clients' metadata: the leader's broker is gone from the cluster metadata
    // ("…without a matching listener", 2.x+) or LEADER_NOT_AVAILABLE. GetOffsetShell
    // prints "Error: partition N does not have a leader" on stdout, not through
    // log4j; in a console capture it folds into the tool's log line before it.
    pattern: /^(?:\[[^\]]*\] )?(?:(?<count>\d+) partitions have leader brokers without a matching listener, including \[(?<partitions>[^\]]*)\]|Error while fetching metadata with correlation id \d+ : \{(?:[^}]*, )?(?<topic>[^=},\s]+)=LEADER_NOT_AVAILABLE)|\n(?:Error: )?partition (?<partition>\d+) does not have a leader/,
    fields: { count: 'int', partitions: 'partitions', partition: 'int' },
    samples: [
      '[2024-02-23 08:04:19,505] WARN [Consumer clientId=GetOffsetShell, groupId=null] 1 partitions have leader brokers without a matching listener, including [test-topic-2] (org.apache.kafka.clients.NetworkClient)',
      '[2024-02-23 01:00:45,181] WARN [Consumer clientId=GetOffsetShell, groupId=null] 1 partitions have leader brokers without a matching listener, including [test-topic-2] (org.apache.kafka.clients.NetworkClient)\nError: partition 2 does not have a leader. Skip getting offsets',
      '[2022-06-01 10:30:01,000] WARN [Producer clientId=producer-1] Error while fetching metadata with correlation id 5 : {orders=LEADER_NOT_AVAILABLE} (org.apache.kafka.clients.NetworkClient)',
    ],
  },
];
