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
  {
    id: 'kafka.auth.failed',
    title: 'A connection failed to authenticate to the broker',
    category: 'network',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.common.network.Selector'],
    keyword: 'authentication with ',
    // Selector: "Failed authentication with {} ({})" up to 2.1, "Failed {}authentication
    // with {} ({})" ("re-" for a re-authentication) from 2.2; the peer's description
    // gained " (channelId=…)" in 2.x. The broker's SocketServer prefixes its log
    // context: `[SocketServer brokerId=1] ` (2.x), `[SocketServer listenerType=…, nodeId=1] ` (3.x+).
    pattern: /^(?:\[(?<listener>[^\]]*)\] )?Failed (?<reauthentication>re-)?authentication with (?<peer>\S+)(?: \(channelId=(?<channel>[^()\s]+)\))? \((?<reason>.*)\)$/,
    samples: [
      '[2025-05-17 12:13:00,792] INFO [SocketServer listenerType=BROKER, nodeId=1] Failed authentication with /172.23.38.230 (channelId=172.23.38.230:9094-172.23.38.230:57250-4-1) (SSL handshake failed) (org.apache.kafka.common.network.Selector)',
      '[2020-06-01 10:00:00,000] INFO [SocketServer brokerId=1] Failed authentication with /10.0.0.5 (Authentication failed: Invalid username or password) (org.apache.kafka.common.network.Selector)',
      '[2018-06-01 10:00:00,000] INFO Failed authentication with /10.0.0.5 (Authentication failed: Invalid username or password) (org.apache.kafka.common.network.Selector)',
      '[2023-06-01 10:00:00,000] INFO [SocketServer listenerType=ZK_BROKER, nodeId=1] Failed re-authentication with /10.0.0.5 (channelId=10.0.0.1:9093-10.0.0.5:51234-3) (Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512) (org.apache.kafka.common.network.Selector)',
    ],
  },
  {
    id: 'kafka.auth.client-failed',
    title: 'The broker failed to authenticate to another node',
    category: 'network',
    severity: 'error',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.clients.NetworkClient'],
    keyword: 'failed authentication due to',
    // NetworkClient.processDisconnection: "Connection to node {} ({}) failed
    // authentication due to: {}" (the address from 2.0). Inside a broker: its
    // fetchers' and controller channel's clients, whose replication stops.
    pattern: /^(?:\[(?<client>[^\]]*)\] )?Connection to node (?<node>-?\d+)(?: \((?<address>[^()\s]*)\))? failed authentication due to: (?<reason>.*)$/,
    fields: { node: 'int' },
    samples: [
      '[2021-06-01 10:02:01,500] ERROR [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Connection to node 2 (kafka2/10.0.0.2:9093) failed authentication due to: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512 (org.apache.kafka.clients.NetworkClient)',
      '[2018-06-01 10:02:01,500] ERROR [Controller id=1, targetBrokerId=2] Connection to node 2 failed authentication due to: Authentication failed: Invalid username or password (org.apache.kafka.clients.NetworkClient)',
    ],
  },
  {
    id: 'kafka.authorizer.denied',
    title: 'Request denied by the authorizer',
    category: 'network',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.authorizer.logger'],
    keyword: ' is Denied ',
    // The authorizer's audit line (kafka-authorizer.log), at INFO for a denial:
    // SimpleAclAuthorizer up to 2.3 ("Operation = Describe … on resource =
    // Topic:orders", LITERAL from 2.0), AclAuthorizer from 2.4 ("for request =
    // Produce with resourceRefCount = 1"), StandardAuthorizer (KRaft) "operation
    // = READ … based on rule DefaultDeny". A principal may hold spaces (X.500 names).
    pattern: /^Principal = (?<principal>.+?) is Denied [Oo]peration = (?<operation>\w+) from host = (?<host>\S+) on resource = (?<resource>\S+)(?: for request = (?<request>\w+))?/,
    samples: [
      '[2018-01-12 21:13:18,454] INFO Principal = User:CN=client,OU=TEST,O=CONFLUENT,L=PaloAlto,ST=Ca,C=US is Denied Operation = Describe from host = 172.23.0.7 on resource = Topic:wikipedia.parsed (kafka.authorizer.logger)',
      '[2021-03-02 10:00:00,000] INFO Principal = User:alice is Denied Operation = Write from host = 10.0.0.5 on resource = Topic:LITERAL:orders for request = Produce with resourceRefCount = 1 (kafka.authorizer.logger)',
      '[2024-03-13 20:10:17,259] INFO Principal = User:client1 is Denied operation = CREATE from host = 10.244.0.9 on resource = Topic:LITERAL:orders for request = CreateTopics with resourceRefCount = 1 based on rule DefaultDeny (kafka.authorizer.logger)',
      '[2020-02-29 06:41:26,510] INFO Principal = User:CN=kafka,OU=PS,O=Example Ltd,L=Berlin,C=DE is Denied Operation = Describe from host = 127.0.0.1 on resource = Topic:LITERAL:test (kafka.authorizer.logger)',
    ],
  },
];
