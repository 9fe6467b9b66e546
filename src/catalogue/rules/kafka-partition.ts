import type { Rule } from '../schema.js';

// Per-partition ISR changes (kafka.cluster.Partition) and log truncation.
//
// Partition prefix: 0.10–0.11 `Partition [orders,0] on broker 1: `, 1.0+
// `[Partition orders-0 broker=1] `. The 'partitions' converter turns both
// renderings into `orders-0`.
export const KAFKA_PARTITION_RULES: readonly Rule[] = [
  {
    id: 'kafka.isr.shrink',
    title: 'ISR shrinking',
    category: 'isr',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.cluster.Partition'],
    keyword: 'Shrinking ISR',
    // 0.10 repeats "for partition …" (even [topic,N] next to topic-N in 0.10.2);
    // 2.2+ append the leader's HW/LEO and the out-of-sync replicas. From 2.7
    // (AlterIsr) this is a proposal; kafka.isr.updated is the committed result.
    pattern: /^\[?Partition (?<partitions>\[[^\],\s]+,\d+\]|[^\s[\]]+) (?:on )?broker[= ](?<broker>\d+)(?:\]|:) Shrinking ISR (?:for partition \S+ )?from (?<from>[\d,]*) to (?<to>[\d,]*)(?:\. Leader: \(highWatermark: (?<highWatermark>\d+), endOffset: (?<endOffset>\d+)\))?/,
    fields: { partitions: 'partitions', broker: 'int', from: 'ids', to: 'ids', highWatermark: 'int', endOffset: 'int' },
    effect: { signal: 'isr-change', partition: 'partitions', from: 'from', to: 'to' },
    samples: [
      '[2017-06-01 10:05:00,000] INFO Partition [orders,0] on broker 1: Shrinking ISR for partition [orders,0] from 1,2,3 to 1,2 (kafka.cluster.Partition)',
      '[2017-08-01 10:05:00,000] INFO Partition [orders,0] on broker 1: Shrinking ISR from 1,2,3 to 1,2 (kafka.cluster.Partition)',
      '[2018-02-01 10:05:00,000] INFO [Partition orders-0 broker=1] Shrinking ISR from 1,2,3 to 1,2 (kafka.cluster.Partition)',
      '[2022-02-01 10:05:00,000] INFO [Partition orders-0 broker=1] Shrinking ISR from 1,2,3 to 1,2. Leader: (highWatermark: 1500, endOffset: 1520). Out of sync replicas: (brokerId: 3, endOffset: 1400). (kafka.cluster.Partition)',
    ],
  },
  {
    id: 'kafka.isr.expand',
    title: 'ISR expanding',
    category: 'isr',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.cluster.Partition'],
    keyword: 'Expanding ISR',
    // Gone in 2.8+ (only kafka.isr.updated shows an expansion there).
    pattern: /^\[?Partition (?<partitions>\[[^\],\s]+,\d+\]|[^\s[\]]+) (?:on )?broker[= ](?<broker>\d+)(?:\]|:) Expanding ISR (?:for partition \S+ )?from (?<from>[\d,]*) to (?<to>[\d,]*)/,
    fields: { partitions: 'partitions', broker: 'int', from: 'ids', to: 'ids' },
    effect: { signal: 'isr-change', partition: 'partitions', from: 'from', to: 'to' },
    samples: [
      '[2019-04-01 10:06:00,000] INFO [Partition orders-0 broker=1] Expanding ISR from 1,2 to 1,2,3 (kafka.cluster.Partition)',
      '[2017-06-01 10:06:00,000] INFO Partition [orders,0] on broker 1: Expanding ISR for partition [orders,0] from 1,2 to 1,2,3 (kafka.cluster.Partition)',
      '[2021-04-28 16:41:51,067] INFO Partition [dns_kafka_topic,2] on broker 1: Expanding ISR for partition dns_kafka_topic-2 from 1 to 1,2 (kafka.cluster.Partition)',
    ],
  },
  {
    id: 'kafka.isr.updated',
    title: 'ISR updated',
    category: 'isr',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.cluster.Partition'],
    keyword: 'ISR updated',
    // 2.4–2.7 "[1,2,3] and zkVersion updated to [15]", 2.7 AlterIsr "from
    // AlterIsr to", 2.8–3.0 "version updated to [15]", 3.1+ no brackets, 3.5+
    // "(under-min-isr)" or, when not under min ISR, two spaces before "and".
    pattern: /^\[?Partition (?<partitions>\[[^\],\s]+,\d+\]|[^\s[\]]+) (?:on )?broker[= ](?<broker>\d+)(?:\]|:) ISR updated (?:from AlterIsr )?to \[?(?<isr>[\d,]*)\]? (?:\((?<underMinIsr>under-min-isr)\) )? ?and (?:zk)?[vV]ersion updated to \[?(?<version>\d+)\]?/,
    fields: { partitions: 'partitions', broker: 'int', isr: 'ids', version: 'int' },
    effect: { signal: 'isr-change', partition: 'partitions', to: 'isr', underMinIsr: 'underMinIsr' },
    samples: [
      '[2020-02-01 10:06:00,010] INFO [Partition orders-0 broker=1] ISR updated to [1,2,3] and zkVersion updated to [15] (kafka.cluster.Partition)',
      '[2020-12-01 10:06:00,010] INFO [Partition orders-0 broker=1] ISR updated from AlterIsr to 1,2,3 and version updated to [15] (kafka.cluster.Partition)',
      '[2021-05-01 10:06:00,010] INFO [Partition orders-0 broker=1] ISR updated to 1,2,3 and version updated to [15] (kafka.cluster.Partition)',
      '[2022-05-01 10:06:00,010] INFO [Partition orders-0 broker=1] ISR updated to 1,2,3 and version updated to 15 (kafka.cluster.Partition)',
      '[2023-05-01 10:06:00,010] INFO [Partition orders-0 broker=1] ISR updated to 1,2,3  and version updated to 15 (kafka.cluster.Partition)',
      '[2023-05-01 10:06:30,010] INFO [Partition orders-0 broker=1] ISR updated to 1 (under-min-isr) and version updated to 16 (kafka.cluster.Partition)',
    ],
  },
  {
    id: 'kafka.isr.update-failed',
    title: 'ISR update rejected (stale zkVersion or controller refusal)',
    category: 'isr',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.cluster.Partition'],
    keyword: ['skip updating ISR', 'Failed to '],
    // "Cached zkVersion … skip updating ISR" is the classic stuck-ISR symptom
    // (0.10–2.7, brackets up to 2.3); AlterPartition failures are 3.3+.
    pattern: /^\[?Partition (?<partitions>\[[^\],\s]+,\d+\]|[^\s[\]]+) (?:on )?broker[= ](?<broker>\d+)(?:\]|:) (?:Cached zkVersion \[?(?<zkVersion>\d+)\]? not equal to that in zookeeper, skip updating ISR|Failed to (?:alter partition|update ISR) to [^\n]*? (?:since the controller rejected the request with|due to unexpected) (?<error>\w+))/,
    fields: { partitions: 'partitions', broker: 'int', zkVersion: 'int' },
    samples: [
      '[2017-06-01 10:05:00,100] INFO Partition [orders,0] on broker 1: Cached zkVersion [15] not equal to that in zookeeper, skip updating ISR (kafka.cluster.Partition)',
      '[2020-06-01 10:05:00,100] INFO [Partition orders-0 broker=1] Cached zkVersion 15 not equal to that in zookeeper, skip updating ISR (kafka.cluster.Partition)',
      '[2023-05-01 10:05:00,100] INFO [Partition orders-0 broker=1] Failed to alter partition to PendingShrinkIsr(isr=Set(1, 2), leaderRecoveryState=RECOVERED) since the controller rejected the request with INVALID_UPDATE_VERSION. Partition state may be out of sync, awaiting new the latest metadata. (kafka.cluster.Partition)',
      '[2023-05-01 10:05:00,200] WARN [Partition orders-0 broker=1] Failed to update ISR to PendingShrinkIsr(isr=Set(1, 2), leaderRecoveryState=RECOVERED) due to unexpected UNKNOWN_SERVER_ERROR. Retrying. (kafka.cluster.Partition)',
    ],
  },
  {
    id: 'kafka.truncation.fetcher',
    title: 'Follower truncating a partition',
    category: 'truncation',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.ReplicaFetcherThread', 'kafka.server.ReplicaAlterLogDirsThread'],
    keyword: 'Truncating',
    // 2.2–3.0 "to local high watermark N"; 3.1+ "with TruncationState(offset=N,
    // completed=…) due to …" (2.2–2.5 render "offset:N-truncationCompleted:…");
    // WARN "Truncating X to offset N below high watermark M" (2.0+) drops
    // data that looked committed.
    pattern: /^(?:\[(?:ReplicaFetcher replicaId=(?<broker>\d+), leaderId=(?<leader>\d+), fetcherId=\d+|[^\]]*)\][,:]? )?Truncating (?:partition )?(?<partitions>\S+) (?:with (?:TruncationState\(offset=|offset:)|to (?:local high watermark |offset ))(?<offset>\d+)(?:[^ ]*(?: completed=\w+\))? due to (?<reason>leader epoch and offset|local high watermark)| below high watermark (?<highWatermark>\d+))?/,
    fields: { broker: 'int', leader: 'int', partitions: 'partitions', offset: 'int', highWatermark: 'int' },
    effect: { signal: 'truncation', partition: 'partitions', offset: 'offset', highWatermark: 'highWatermark' },
    // Only the "below high watermark" variant proves records were removed (and committed ones).
    removes: { partition: 'partitions', from: 'offset', committedTo: 'highWatermark', requires: 'highWatermark' },
    samples: [
      '[2020-08-01 10:07:00,000] INFO [ReplicaFetcher replicaId=3, leaderId=1, fetcherId=0] Truncating partition orders-0 to local high watermark 1500 (kafka.server.ReplicaFetcherThread)',
      '[2023-08-01 10:07:00,000] INFO [ReplicaFetcher replicaId=3, leaderId=1, fetcherId=0] Truncating partition orders-0 with TruncationState(offset=1500, completed=true) due to leader epoch and offset EpochEndOffset(errorCode=0, partition=0, leaderEpoch=7, endOffset=1500) (kafka.server.ReplicaFetcherThread)',
      '[2023-08-01 10:07:00,000] INFO [ReplicaFetcher replicaId=3, leaderId=1, fetcherId=0] Truncating partition orders-0 with TruncationState(offset=1500, completed=true) due to local high watermark 1500 (kafka.server.ReplicaFetcherThread)',
      '[2019-08-01 10:07:00,000] INFO [ReplicaFetcher replicaId=3, leaderId=1, fetcherId=0] Truncating partition orders-0 with offset:1500-truncationCompleted:true due to leader epoch and offset EpochEndOffset(error=NONE, leaderEpoch=7, endOffset=1500) (kafka.server.ReplicaFetcherThread)',
      '[2020-08-01 10:07:00,001] WARN [ReplicaFetcher replicaId=3, leaderId=1, fetcherId=0] Truncating orders-0 to offset 1400 below high watermark 1500 (kafka.server.ReplicaFetcherThread)',
    ],
  },
  {
    id: 'kafka.truncation.log',
    title: 'Log truncated',
    category: 'truncation',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    // kafka.log.Log (0.10–3.0), kafka.log.UnifiedLog (3.1+), storage module in 4.x.
    loggers: ['kafka.log.Log', 'kafka.log.UnifiedLog', 'kafka.log.LocalLog', 'org.apache.kafka.storage.internals.log.UnifiedLog', 'org.apache.kafka.storage.internals.log.LocalLog'],
    keyword: 'Truncating',
    // 0.10/0.11 "Truncating log orders-0 to offset N."; 1.1+ prefix "[Log
    // partition=…, dir=…] Truncating to offset N" ("[UnifiedLog …" from 3.1).
    // "Truncating to N has no effect …" is a no-op and does not match.
    pattern: /^(?:\[(?:Unified|Local)?Log partition=|Truncating log )(?<partitions>[^,\s]+)(?:, dir=[^\]]*\] Truncating)? to offset (?<offset>\d+)/,
    fields: { partitions: 'partitions', offset: 'int' },
    effect: { signal: 'truncation', partition: 'partitions', offset: 'offset' },
    // Logged only when the log held records at or after the offset (else "… has no effect").
    removes: { partition: 'partitions', from: 'offset' },
    samples: [
      '[2017-06-01 10:07:01,000] INFO Truncating log orders-0 to offset 1400. (kafka.log.Log)',
      '[2020-08-01 10:07:01,000] INFO [Log partition=orders-0, dir=/var/kafka/data] Truncating to offset 1400 (kafka.log.Log)',
      '[2023-08-01 10:07:01,000] INFO [UnifiedLog partition=orders-0, dir=/var/kafka/data] Truncating to offset 1400 (kafka.log.UnifiedLog)',
      '[2025-08-01 10:07:01,000] INFO [UnifiedLog partition=orders-0, dir=/var/kafka/data] Truncating to offset 1400 (org.apache.kafka.storage.internals.log.UnifiedLog)',
    ],
  },
  {
    id: 'kafka.truncation.not-allowed',
    title: 'Follower halted: leader is behind and truncation is not allowed',
    category: 'truncation',
    severity: 'critical',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.ReplicaFetcherThread'],
    keyword: 'log truncation is not allowed',
    // Unclean election disabled but the new leader is behind the follower:
    // the broker exits. FATAL "Halting … for topic X" (0.10–1.0), ERROR
    // "Exiting … for partition X" (1.1+). 0.10 names only the topic.
    pattern: /^(?:\[[^\]]*\][,:]? )?(?:Halting|Exiting) because log truncation is not allowed for (?:topic|partition) (?<partition>[^,\s]+), [Cc]urrent leader(?: (?<leader>\d+))?'s latest offset (?<leaderOffset>\d+) is less than replica(?: \d+)?'s latest offset (?<replicaOffset>\d+)/,
    fields: { leader: 'int', leaderOffset: 'int', replicaOffset: 'int' },
    samples: [
      '[2017-06-01 10:03:30,000] FATAL [ReplicaFetcherThread-0-2], Halting because log truncation is not allowed for topic orders, Current leader 2\'s latest offset 1400 is less than replica 1\'s latest offset 1500 (kafka.server.ReplicaFetcherThread)',
      '[2019-04-01 10:03:30,000] ERROR [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Exiting because log truncation is not allowed for partition orders-0, current leader\'s latest offset 1400 is less than replica\'s latest offset 1500 (kafka.server.ReplicaFetcherThread)',
    ],
  },
];
