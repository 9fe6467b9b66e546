import type { Rule } from '../schema.js';

// Broker process lifecycle, log directories and the group coordinator.
//
// Prefixes changed with the Kafka version: `[Kafka Server 1], ` (0.10–0.11),
// `[KafkaServer id=1] ` (1.0+), KRaft `[BrokerServer id=1] `,
// `[ControllerServer id=1] ` and `[KafkaRaftServer nodeId=1] ` (3.3+).
// Lifecycle words are printed by many components ("shutting down" by
// ReplicaFetcherManager, "Shutting down" by every ShutdownableThread), so these
// rules gate on the server loggers and anchor the exact text.
export const KAFKA_BROKER_RULES: readonly Rule[] = [
  {
    id: 'kafka.broker.starting',
    title: 'Broker starting',
    category: 'lifecycle',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.KafkaServer', 'kafka.server.BrokerServer'],
    keyword: ['starting', 'SHUTDOWN to STARTING'],
    // KafkaServer prints "starting" before it sets its prefix; KRaft brokers
    // only log the status transition.
    pattern: /^(?:starting|\[BrokerServer id=(?<broker>\d+)\] Transition from SHUTDOWN to STARTING)$/,
    fields: { broker: 'int' },
    effect: { signal: 'broker-starting' },
    samples: [
      '[2017-06-01 10:00:00,101] INFO starting (kafka.server.KafkaServer)',
      '[2024-10-01 12:00:01,900] INFO [BrokerServer id=1] Transition from SHUTDOWN to STARTING (kafka.server.BrokerServer)',
    ],
  },
  {
    id: 'kafka.broker.started',
    title: 'Broker started',
    category: 'lifecycle',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.KafkaServer', 'kafka.server.KafkaRaftServer', 'kafka.server.BrokerServer'],
    keyword: ['started', 'STARTING to STARTED'],
    // KafkaRaftServer says "Kafka Server started" without a prefix in 2.8–3.2.
    pattern: /^(?:\[(?:Kafka Server |KafkaServer id=|KafkaRaftServer nodeId=|BrokerServer id=)(?<broker>\d+)\],? )?(?:started|Kafka Server started|Transition from STARTING to STARTED)$/,
    fields: { broker: 'int' },
    effect: { signal: 'broker-started' },
    samples: [
      '[2017-06-01 10:00:05,123] INFO [Kafka Server 1], started (kafka.server.KafkaServer)',
      '[2021-03-02 08:15:04,517] INFO [KafkaServer id=1] started (kafka.server.KafkaServer)',
      '[2024-10-01 12:00:03,456] INFO [KafkaRaftServer nodeId=1] Kafka Server started (kafka.server.KafkaRaftServer)',
      '[2022-01-01 12:00:03,456] INFO Kafka Server started (kafka.server.KafkaRaftServer)',
      '[2024-10-01 12:00:03,401] INFO [BrokerServer id=1] Transition from STARTING to STARTED (kafka.server.BrokerServer)',
    ],
  },
  {
    id: 'kafka.broker.startup-failed',
    title: 'Broker failed to start',
    category: 'lifecycle',
    severity: 'error',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.KafkaServer', 'kafka.server.KafkaServerStartable', 'kafka.server.KafkaRaftServer', 'kafka.server.BrokerServer', 'kafka.server.ControllerServer'],
    keyword: 'Fatal error during',
    // FATAL up to 1.0, ERROR with a FATAL marker from 1.1; KRaft says "broker"/"controller".
    pattern: /^(?:\[[^\]]*\],? )?Fatal error during (?<component>\w+) startup\. Prepare to shutdown/,
    samples: [
      '[2020-10-15 14:48:32,070] FATAL [Kafka Server 0], Fatal error during KafkaServer startup. Prepare to shutdown (kafka.server.KafkaServer)',
      '[2021-04-28 16:44:58,798] FATAL Fatal error during KafkaServer startup. Prepare to shutdown (kafka.server.KafkaServer)',
      '[2024-10-01 12:00:03,456] ERROR [BrokerServer id=1] Fatal error during broker startup. Prepare to shutdown (kafka.server.BrokerServer)',
    ],
  },
  {
    id: 'kafka.broker.shutting-down',
    title: 'Broker shutting down',
    category: 'lifecycle',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.KafkaServer', 'kafka.server.BrokerServer', 'kafka.server.ControllerServer'],
    keyword: 'shutting down',
    pattern: /^(?:\[(?:Kafka Server |KafkaServer id=|BrokerServer id=|ControllerServer id=)(?<broker>\d+)\],? )?shutting down$/,
    fields: { broker: 'int' },
    effect: { signal: 'broker-stopping' },
    samples: [
      '[2021-03-02 09:00:00,001] INFO [KafkaServer id=1] shutting down (kafka.server.KafkaServer)',
      '[2017-06-01 11:00:00,001] INFO [Kafka Server 1], shutting down (kafka.server.KafkaServer)',
      '[2018-04-02 10:48:11,791] INFO shutting down (kafka.server.KafkaServer)',
      '[2024-10-01 13:00:00,001] INFO [BrokerServer id=1] shutting down (kafka.server.BrokerServer)',
      '[2024-10-01 13:00:00,300] INFO [ControllerServer id=1] shutting down (kafka.server.ControllerServer)',
    ],
  },
  {
    id: 'kafka.broker.shut-down',
    title: 'Broker shut down completed',
    category: 'lifecycle',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.KafkaServer', 'kafka.server.BrokerServer'],
    keyword: 'shut down completed',
    // "shut down completed" (two words); the fetcher managers' "shutdown completed" is not this.
    pattern: /^(?:\[(?:Kafka Server |KafkaServer id=|BrokerServer id=)(?<broker>\d+)\],? )?shut down completed$/,
    fields: { broker: 'int' },
    samples: [
      '[2021-03-02 09:00:07,812] INFO [KafkaServer id=1] shut down completed (kafka.server.KafkaServer)',
      '[2017-06-01 11:00:02,001] INFO [Kafka Server 1], shut down completed (kafka.server.KafkaServer)',
      '[2024-10-01 13:00:00,200] INFO [BrokerServer id=1] shut down completed (kafka.server.BrokerServer)',
    ],
  },
  {
    id: 'kafka.broker.controlled-shutdown',
    title: 'Broker controlled shutdown',
    category: 'lifecycle',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.KafkaServer', 'kafka.server.BrokerLifecycleManager'],
    keyword: 'ontrolled shutdown',
    // "succeeded" up to 3.0, "request returned successfully after Nms" from 3.1;
    // KRaft: BrokerLifecycleManager "Beginning controlled shutdown."
    pattern: /^(?:\[(?:Kafka Server |KafkaServer id=|BrokerLifecycleManager id=)(?<broker>\d+)\],? )?(?:(?:Starting|Beginning) controlled shutdown|Controlled shutdown (?<outcome>succeeded|request returned successfully after (?<tookMs>\d+) ?ms))/,
    fields: { broker: 'int', tookMs: 'int' },
    samples: [
      '[2019-05-01 09:00:00,010] INFO [KafkaServer id=2] Starting controlled shutdown (kafka.server.KafkaServer)',
      '[2017-06-01 11:00:00,002] INFO [Kafka Server 2], Starting controlled shutdown (kafka.server.KafkaServer)',
      '[2019-05-01 09:00:03,220] INFO [KafkaServer id=2] Controlled shutdown succeeded (kafka.server.KafkaServer)',
      '[2023-05-01 09:00:03,220] INFO [KafkaServer id=2] Controlled shutdown request returned successfully after 3187ms (kafka.server.KafkaServer)',
      '[2024-10-01 13:00:00,010] INFO [BrokerLifecycleManager id=1] Beginning controlled shutdown. (kafka.server.BrokerLifecycleManager)',
    ],
  },
  {
    id: 'kafka.broker.controlled-shutdown-failed',
    title: 'Broker controlled shutdown failed or retried',
    category: 'lifecycle',
    severity: 'error',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.KafkaServer'],
    keyword: 'ontrolled shutdown',
    // Retry is WARN "…previous attempt failed..." up to 3.0 and INFO "(N retries
    // remaining)" from 3.1; 3.1+ also report the error or the partitions left.
    pattern: /^(?:\[(?:Kafka Server |KafkaServer id=)(?<broker>\d+)\],? )?(?:Error during controlled shutdown|Retrying controlled shutdown|Proceeding to do an unclean shutdown as all the controlled shutdown attempts failed|Controlled shutdown request returned after \d+ ?ms with (?:error (?<error>\w+)|(?<remaining>\d+) partitions remaining))/,
    fields: { broker: 'int', remaining: 'int' },
    samples: [
      '[2019-05-01 09:00:30,000] WARN [KafkaServer id=2] Retrying controlled shutdown after the previous attempt failed... (kafka.server.KafkaServer)',
      '[2023-05-01 09:00:30,000] INFO [KafkaServer id=2] Retrying controlled shutdown (2 retries remaining) (kafka.server.KafkaServer)',
      '[2019-05-01 09:00:30,000] WARN [KafkaServer id=2] Error during controlled shutdown, possibly because leader movement took longer than the configured controller.socket.timeout.ms and/or request.timeout.ms: Connection to 1 was disconnected before the response was read (kafka.server.KafkaServer)',
      '[2019-05-01 09:01:00,000] WARN [KafkaServer id=2] Proceeding to do an unclean shutdown as all the controlled shutdown attempts failed (kafka.server.KafkaServer)',
      '[2023-05-01 09:00:03,220] INFO [KafkaServer id=2] Controlled shutdown request returned after 3187ms with 4 partitions remaining to move (kafka.server.KafkaServer)',
    ],
  },
  {
    id: 'kafka.storage.cleanup-failed',
    title: 'Log cleaner failed on an IOException (log dir goes offline)',
    category: 'storage',
    severity: 'error',
    appliesTo: ['kafka-broker'],
    // Printed by LogDirFailureChannel (kafka.server up to 3.4, storage module
    // from 3.5), so it lands in server.log rather than log-cleaner.log.
    loggers: ['kafka.server.LogDirFailureChannel', 'org.apache.kafka.storage.internals.log.LogDirFailureChannel'],
    keyword: 'Failed to clean up log for',
    pattern: /^Failed to clean up log for (?<partitions>\S+) in dir (?<dir>\S+) due to IOException/,
    fields: { partitions: 'partitions' },
    effect: { signal: 'storage-error', dir: 'dir' },
    samples: [
      '[2022-10-05 17:03:12,345] ERROR Failed to clean up log for __consumer_offsets-17 in dir /var/kafka/data due to IOException (kafka.server.LogDirFailureChannel)\njava.io.IOException: No space left on device',
      '[2024-10-05 17:03:12,345] ERROR Failed to clean up log for __consumer_offsets-17 in dir /var/kafka/data due to IOException (org.apache.kafka.storage.internals.log.LogDirFailureChannel)',
    ],
  },
  {
    id: 'kafka.storage.io-error',
    title: 'I/O error on a log directory',
    category: 'storage',
    severity: 'error',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.LogDirFailureChannel', 'org.apache.kafka.storage.internals.log.LogDirFailureChannel'],
    keyword: ['rror while ', 'rror in '],
    // Every other message handed to maybeAddOfflineLogDir; each takes the dir offline.
    pattern: /^[A-Za-z ]*?[Ee]rror (?:while|in) [a-z ]+? (?:for|to) (?<partitions>[^\s,]+-\d+)|^[A-Za-z ]*?[Ee]rror (?:while|in) /,
    fields: { partitions: 'partitions' },
    effect: { signal: 'storage-error' },
    samples: [
      '[2022-10-05 17:03:12,345] ERROR Error while appending records to orders-0 in dir /var/kafka/data (kafka.server.LogDirFailureChannel)\njava.io.IOException: No space left on device',
      '[2022-10-05 17:03:12,346] ERROR Error while writing to checkpoint file /var/kafka/data/replication-offset-checkpoint (kafka.server.LogDirFailureChannel)',
    ],
  },
  {
    id: 'kafka.storage.log-dir-offline',
    title: 'Log directory taken offline',
    category: 'storage',
    severity: 'error',
    appliesTo: ['kafka-broker'],
    // ReplicaManager (also its LogDirFailureHandler thread) and LogManager; INFO
    // up to 2.7, WARN from 2.8; trunk adds "with uuid …".
    loggers: ['ReplicaManager', 'kafka.log.LogManager'],
    keyword: ' dir',
    pattern: /^(?:\[(?:ReplicaManager broker=|Replica Manager on Broker )(?<broker>\d+)\]:? )?(?:Stopping serving (?:replicas|logs) in dir |Halting broker because dir |Shutdown broker because all log dirs in )(?<dir>[^\s,]+)/,
    fields: { broker: 'int' },
    effect: { signal: 'log-dir-offline', dir: 'dir' },
    samples: [
      '[2022-10-05 17:03:12,400] WARN [ReplicaManager broker=1] Stopping serving replicas in dir /var/kafka/data (kafka.server.ReplicaManager)',
      '[2019-10-05 17:03:12,400] INFO [ReplicaManager broker=1] Stopping serving replicas in dir /var/kafka/data (kafka.server.ReplicaManager)',
      '[2022-10-05 17:03:12,410] WARN Stopping serving logs in dir /var/kafka/data (kafka.log.LogManager)',
      '[2022-10-05 17:03:12,420] ERROR [ReplicaManager broker=1] Halting broker because dir /var/kafka/data is offline (kafka.server.ReplicaManager$LogDirFailureHandler)',
      '[2020-03-21 18:36:50,539] ERROR Shutdown broker because all log dirs in /var/kafka/data have failed (kafka.log.LogManager)',
    ],
  },
  {
    id: 'kafka.group.offsets-expired',
    title: 'Group coordinator removed expired offsets',
    category: 'group',
    severity: 'debug',
    appliesTo: ['kafka-broker'],
    // 0.10 logger kafka.coordinator.GroupMetadataManager with "[Group Metadata
    // Manager on Broker N]: "; 0.11+ kafka.coordinator.group; logged even for 0
    // offsets before 2.7. The KIP-848 coordinator (3.7+) logs tombstones instead.
    loggers: ['GroupMetadataManager', 'org.apache.kafka.coordinator.group.GroupCoordinatorShard'],
    keyword: ' milliseconds.',
    pattern: /^\[(?:GroupMetadataManager brokerId=|Group Metadata Manager on Broker |GroupCoordinator id=)(?<broker>\d+)[^\]]*\]:? (?:Removed (?<count>\d+) expired offsets|Generated (?<tombstones>\d+) tombstone records while cleaning up group metadata) in (?<tookMs>\d+) milliseconds\.$/,
    fields: { broker: 'int', count: 'int', tombstones: 'int', tookMs: 'int' },
    samples: [
      '[2022-10-05 17:05:39,869] INFO [GroupMetadataManager brokerId=1] Removed 0 expired offsets in 0 milliseconds. (kafka.coordinator.group.GroupMetadataManager)',
      '[2024-02-23 07:53:27,345] INFO [GroupMetadataManager brokerId=3] Removed 0 expired offsets in 27 milliseconds. (kafka.coordinator.group.GroupMetadataManager)',
      '[2017-06-01 10:20:00,000] INFO [Group Metadata Manager on Broker 1]: Removed 0 expired offsets in 1 milliseconds. (kafka.coordinator.GroupMetadataManager)',
      '[2025-04-01 10:20:00,000] INFO [GroupCoordinator id=1 topic=__consumer_offsets partition=17] Generated 3 tombstone records while cleaning up group metadata in 2 milliseconds. (org.apache.kafka.coordinator.group.GroupCoordinatorShard)',
    ],
  },
];
