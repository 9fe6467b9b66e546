import type { Rule } from '../schema.js';

// Follower replication: fetcher managers, fetcher threads and their fetch
// sessions.
//
// Fetcher thread prefixes: `[ReplicaFetcherThread-0-2], ` (0.10),
// `[ReplicaFetcherThread-0-2]: ` (0.11), and from 1.0 the LogContext
// `[ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] `, which the
// fetcher's FetchSessionHandler and NetworkClient lines carry too. Patterns
// take the ids from the 1.0+ form and accept any other bracket.
export const KAFKA_REPLICATION_RULES: readonly Rule[] = [
  {
    id: 'kafka.fetcher.removed',
    title: 'Replica fetchers removed',
    category: 'replication',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.ReplicaFetcherManager', 'kafka.server.ReplicaAlterLogDirsManager'],
    keyword: 'Removed fetcher for partitions',
    // `[orders,0],[orders,1]` (0.10), `orders-0,orders-1` (0.11–2.0),
    // `Set(…)`/`HashSet(…)` (2.1+). Empty removals (printed on every
    // LeaderAndIsr before 2.3: blank or `Set()`) are not events.
    pattern: /^\[\w+ on broker (?<broker>\d+)\] Removed fetcher for partitions (?<partitions>(?!\w*\(\)$)\S.*)$/,
    fields: { broker: 'int', partitions: 'partitions' },
    samples: [
      '[2024-02-23 07:47:50,149] INFO [ReplicaFetcherManager on broker 2] Removed fetcher for partitions Set(test-topic-2) (kafka.server.ReplicaFetcherManager)',
      '[2024-02-23 07:59:42,876] INFO [ReplicaFetcherManager on broker 3] Removed fetcher for partitions Set(__consumer_offsets-22, __consumer_offsets-4, __consumer_offsets-7, __consumer_offsets-46, __consumer_offsets-25, __consumer_offsets-49, __consumer_offsets-16, __consumer_offsets-28, __consumer_offsets-31, __consumer_offsets-37, __consumer_offsets-19, __consumer_offsets-13, __consumer_offsets-43, test-topic-0, __consumer_offsets-1, __consumer_offsets-34, __consumer_offsets-10, __consumer_offsets-40) (kafka.server.ReplicaFetcherManager)',
      '[2017-06-01 10:01:00,000] INFO [ReplicaFetcherManager on broker 1] Removed fetcher for partitions [orders,0],[orders,1] (kafka.server.ReplicaFetcherManager)',
      '[2018-02-01 10:01:00,000] INFO [ReplicaFetcherManager on broker 1] Removed fetcher for partitions orders-0,orders-1 (kafka.server.ReplicaFetcherManager)',
      '[2022-02-01 10:01:00,000] INFO [ReplicaAlterLogDirsManager on broker 1] Removed fetcher for partitions HashSet(orders-0, orders-1, orders-2, orders-3, orders-4) (kafka.server.ReplicaAlterLogDirsManager)',
    ],
  },
  {
    id: 'kafka.fetcher.added',
    title: 'Replica fetchers added',
    category: 'replication',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.ReplicaFetcherManager', 'kafka.server.ReplicaAlterLogDirsManager'],
    keyword: 'Added fetcher',
    // Up to 2.0 "for partitions List([…, initOffset N to broker BrokerEndPoint(…)] )";
    // 2.1–2.4 "to broker BrokerEndPoint(id=2, host=…)"; 2.5+ "to broker 2".
    pattern: /^\[\w+ on broker (?<broker>\d+)\] Added fetcher (?:to broker (?:BrokerEndPoint\(id=)?(?<leader>\d+)(?:, host=[^)\s]*\))? )?for partitions (?<partitions>(?!\w*\(\)$)\S.*)$/,
    fields: { broker: 'int', leader: 'int', partitions: 'partitions' },
    samples: [
      '[2017-06-01 10:01:00,100] INFO [ReplicaFetcherManager on broker 1] Added fetcher for partitions List([[orders,0], initOffset 42 to broker BrokerEndPoint(2,kafka2,9092)] ) (kafka.server.ReplicaFetcherManager)',
      '[2019-04-01 10:01:00,100] INFO [ReplicaFetcherManager on broker 1] Added fetcher to broker BrokerEndPoint(id=2, host=kafka2:9092) for partitions Map(orders-0 -> (offset=42, leaderEpoch=7)) (kafka.server.ReplicaFetcherManager)',
      '[2020-08-01 10:01:00,100] INFO [ReplicaFetcherManager on broker 1] Added fetcher to broker 2 for partitions Map(orders-0 -> (offset=42, leaderEpoch=7)) (kafka.server.ReplicaFetcherManager)',
      '[2022-08-01 10:01:00,100] INFO [ReplicaFetcherManager on broker 1] Added fetcher to broker 2 for partitions Map(orders-0 -> InitialFetchState(Some(q0CwXcYbS8OmJ2l1b7Fv3Q),BrokerEndPoint(id=2, host=kafka2:9092),7,42)) (kafka.server.ReplicaFetcherManager)',
    ],
  },
  {
    id: 'kafka.fetch.disconnected',
    title: 'Fetch from leader failed: connection lost',
    category: 'network',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.ReplicaFetcherThread', 'org.apache.kafka.clients.FetchSessionHandler'],
    keyword: 'fetch',
    withCause: true,
    // The IOException is on the next line (fetcher thread; FetchSessionHandler
    // 2.6+) or inline after "to node N: " (FetchSessionHandler 1.1–2.5).
    // "Error in fetch …" 0.10–1.0, "Error in response for fetch request …" 1.1+.
    pattern: /^\[(?:ReplicaFetcher replicaId=(?<broker>\d+), leaderId=(?<leader>\d+), fetcherId=\d+|[^\]]*)\][,:]? Error (?:in fetch|in response for fetch request|sending fetch request)[^\n]*[ \n](?:java\.io\.IOException: )?Connection to (?<node>\d+) was disconnected before the response was read/,
    fields: { broker: 'int', leader: 'int', node: 'int' },
    samples: [
      '[2024-02-23 08:20:53,942] INFO [ReplicaFetcher replicaId=3, leaderId=2, fetcherId=0] Error sending fetch request (sessionId=1656834178, epoch=1834) to node 2: (org.apache.kafka.clients.FetchSessionHandler)\njava.io.IOException: Connection to 2 was disconnected before the response was read',
      '[2019-04-01 10:02:00,001] INFO [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Error sending fetch request (sessionId=1618023742, epoch=812) to node 2: java.io.IOException: Connection to 2 was disconnected before the response was read. (org.apache.kafka.clients.FetchSessionHandler)',
      '[2020-08-01 10:02:00,000] WARN [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Error in response for fetch request (type=FetchRequest, replicaId=1, maxWait=500, minBytes=1, maxBytes=10485760, fetchData={orders-0=(fetchOffset=42, logStartOffset=0, maxBytes=1048576, currentLeaderEpoch=Optional[7])}, isolationLevel=READ_UNCOMMITTED, toForget=, metadata=(sessionId=1618023742, epoch=812)) (kafka.server.ReplicaFetcherThread)\njava.io.IOException: Connection to 2 was disconnected before the response was read\n\tat org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:100)',
      '[2021-04-28 16:43:56,375] WARN [ReplicaFetcherThread-0-1], Error in fetch kafka.server.ReplicaFetcherThread$FetchRequest@61ba2b6e (kafka.server.ReplicaFetcherThread)\njava.io.IOException: Connection to 1 was disconnected before the response was read',
      '[2017-11-01 10:02:00,000] WARN [ReplicaFetcherThread-0-2]: Error in fetch to broker 2, request (type=FetchRequest, replicaId=1, maxWait=500, minBytes=1, maxBytes=10485760, fetchData={orders-0=(offset=42, logStartOffset=0, maxBytes=1048576)}) (kafka.server.ReplicaFetcherThread)\njava.io.IOException: Connection to 2 was disconnected before the response was read',
    ],
  },
  {
    id: 'kafka.fetch.client-shutdown',
    title: 'Fetch aborted: fetcher client shut down',
    category: 'replication',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.ReplicaFetcherThread', 'org.apache.kafka.clients.FetchSessionHandler'],
    keyword: 'fetch',
    withCause: true,
    // NetworkClientUtils throws this when the fetcher is stopped mid-request
    // (fetcher removal, broker shutdown); usually seen only as the folded line.
    pattern: /^\[(?:ReplicaFetcher replicaId=(?<broker>\d+), leaderId=(?<leader>\d+), fetcherId=\d+|[^\]]*)\][,:]? Error (?:in fetch|in response for fetch request|sending fetch request)[^\n]*[ \n](?:java\.io\.IOException: )?Client was shutdown before response was read/,
    fields: { broker: 'int', leader: 'int' },
    samples: [
      '[2024-02-23 08:14:05,120] WARN [ReplicaFetcher replicaId=2, leaderId=1, fetcherId=0] Error in response for fetch request (type=FetchRequest, replicaId=2, maxWait=500, minBytes=1, maxBytes=10485760, fetchData={test-topic-1=(fetchOffset=3, logStartOffset=0, maxBytes=1048576, currentLeaderEpoch=Optional[4])}, isolationLevel=READ_UNCOMMITTED, toForget=, metadata=(sessionId=1618023742, epoch=812)) (kafka.server.ReplicaFetcherThread)\njava.io.IOException: Client was shutdown before response was read\n\tat org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:109)',
      '[2024-02-23 08:14:05,120] INFO [ReplicaFetcher replicaId=2, leaderId=1, fetcherId=0] Error sending fetch request (sessionId=1618023742, epoch=812) to node 1: (org.apache.kafka.clients.FetchSessionHandler)\njava.io.IOException: Client was shutdown before response was read',
    ],
  },
  {
    id: 'kafka.fetch.failed',
    title: 'Fetch from leader failed',
    category: 'replication',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.ReplicaFetcherThread', 'org.apache.kafka.clients.FetchSessionHandler'],
    keyword: 'fetch',
    // Any other cause (after the two rules above); the exception becomes fields.cause.
    pattern: /^\[(?:ReplicaFetcher replicaId=(?<broker>\d+), leaderId=(?<leader>\d+), fetcherId=\d+|[^\]]*)\][,:]? Error (?:in fetch|in response for fetch request|sending fetch request)/,
    fields: { broker: 'int', leader: 'int' },
    samples: [
      '[2020-08-01 10:02:00,000] WARN [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Error in response for fetch request (type=FetchRequest, replicaId=1, maxWait=500, minBytes=1, maxBytes=10485760, fetchData={}, isolationLevel=READ_UNCOMMITTED, toForget=, metadata=(sessionId=1618023742, epoch=812)) (kafka.server.ReplicaFetcherThread)\njava.net.SocketTimeoutException: Failed to connect within 30000 ms',
    ],
  },
  {
    id: 'kafka.fetcher.partition-failed',
    title: 'Fetcher marked a partition as failed (replication stopped)',
    category: 'replication',
    severity: 'error',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.ReplicaFetcherThread', 'kafka.server.ReplicaAlterLogDirsThread'],
    keyword: 'marked as failed',
    // 2.3+.
    pattern: /^(?:\[(?:ReplicaFetcher replicaId=(?<broker>\d+), leaderId=(?<leader>\d+), fetcherId=\d+|[^\]]*)\][,:]? )?Partition (?<partitions>\S+) marked as failed/,
    fields: { broker: 'int', leader: 'int', partitions: 'partitions' },
    samples: [
      '[2020-08-01 10:04:00,000] WARN [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Partition orders-0 marked as failed (kafka.server.ReplicaFetcherThread)',
    ],
  },
  {
    id: 'kafka.fetcher.older-epoch',
    title: 'Fetcher has an older leader epoch than the leader',
    category: 'replication',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.ReplicaFetcherThread', 'kafka.server.ReplicaAlterLogDirsThread'],
    keyword: 'has an older epoch',
    // 2.1+; from 2.3 followed by "marked as failed".
    pattern: /^(?:\[(?:ReplicaFetcher replicaId=(?<broker>\d+), leaderId=(?<leader>\d+), fetcherId=\d+|[^\]]*)\][,:]? )?Partition (?<partitions>\S+) has an older epoch \((?<epoch>-?\d+)\) than the current leader/,
    fields: { broker: 'int', leader: 'int', partitions: 'partitions', epoch: 'int' },
    samples: [
      '[2020-08-01 10:04:00,000] INFO [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Partition orders-0 has an older epoch (7) than the current leader. Will await the new LeaderAndIsr state before resuming fetching. (kafka.server.ReplicaFetcherThread)',
    ],
  },
  {
    id: 'kafka.fetcher.offset-reset',
    title: 'Follower reset its fetch offset to the leader (out of range)',
    category: 'replication',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.ReplicaFetcherThread', 'kafka.server.ReplicaAlterLogDirsThread'],
    keyword: 'etch offset',
    // 0.10 "Replica 1 for partition [orders,0] reset its fetch offset from …
    // to current leader 2's latest offset …"; 1.1+ "Reset fetch offset for partition …".
    pattern: /^(?:\[[^\]]*\][,:]? )?(?:Replica \d+ for partition |Reset fetch offset for partition )(?<partitions>\S+) (?:reset its fetch offset )?from (?<from>\d+) to current leader(?: \d+)?'s (?<which>latest|start) offset (?<to>\d+)/,
    fields: { partitions: 'partitions', from: 'int', to: 'int' },
    samples: [
      '[2017-06-01 10:03:10,000] WARN [ReplicaFetcherThread-0-2], Replica 1 for partition [orders,0] reset its fetch offset from 1500 to current leader 2\'s latest offset 1400 (kafka.server.ReplicaFetcherThread)',
      '[2020-08-01 10:03:10,000] WARN [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Reset fetch offset for partition orders-0 from 1500 to current leader\'s start offset 1600 (kafka.server.ReplicaFetcherThread)',
    ],
  },
];
