import type { Rule } from '../schema.js';

// Controller lines: ZooKeeper-mode KafkaController (controller.log) and
// state.change.logger (state-change.log). Their KRaft counterparts
// (QuorumController and friends) live in kafka-kraft.ts.
//
// ZooKeeper-mode prefix: `[Controller 1]: ` (0.10–0.11), `[Controller id=1] `
// (1.0+); state-change lines: `[Controller id=1 epoch=17] ` (1.1+) or no
// prefix with "Controller 1 epoch 17 " in the text (0.10–1.0).
export const KAFKA_CONTROLLER_RULES: readonly Rule[] = [
  {
    id: 'kafka.controller.elected',
    title: 'Broker elected as controller',
    category: 'controller',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.controller.KafkaController', 'kafka.server.ZookeeperLeaderElector'],
    keyword: 'successfully elected as',
    // 0.10: ZookeeperLeaderElector "N successfully elected as leader"; 0.11–2.1
    // "… as the controller"; 2.2+ append the epoch and its zk version.
    pattern: /^(?:\[Controller (?:id=)?\d+\]:? )?(?<broker>\d+) successfully elected as (?:the controller|leader)(?:\. Epoch incremented to (?<epoch>\d+) and epoch zk version is now (?<epochZkVersion>\d+))?/,
    fields: { broker: 'int', epoch: 'int', epochZkVersion: 'int' },
    effect: { signal: 'controller-elected', field: 'broker' },
    samples: [
      '[2017-06-01 10:08:00,000] INFO 1 successfully elected as leader (kafka.server.ZookeeperLeaderElector)',
      '[2017-08-01 10:08:00,000] INFO [Controller 1]: 1 successfully elected as the controller (kafka.controller.KafkaController)',
      '[2018-04-02 09:23:39,390] INFO [Controller id=1] 1 successfully elected as the controller (kafka.controller.KafkaController)',
      '[2021-06-01 10:08:00,000] INFO [Controller id=1] 1 successfully elected as the controller. Epoch incremented to 17 and epoch zk version is now 16 (kafka.controller.KafkaController)',
    ],
  },
  {
    id: 'kafka.controller.resigned',
    title: 'Broker resigned as controller',
    category: 'controller',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.controller.KafkaController'],
    keyword: 'resigned as the controller',
    // 0.10–0.11: printed only by the broker that held the controller.
    pattern: /^(?:\[Controller (?:id=)?(?<broker>\d+)\]:? )?Broker \d+ resigned as the controller$/,
    fields: { broker: 'int' },
    samples: [
      '[2017-06-01 10:09:59,000] INFO [Controller 1]: Broker 1 resigned as the controller (kafka.controller.KafkaController)',
    ],
  },
  {
    id: 'kafka.controller.state-reset',
    title: 'Controller state reset ("Resigned"): printed at every ZooKeeper session re-init, controller or not',
    category: 'controller',
    severity: 'debug',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.controller.KafkaController'],
    keyword: 'Resigned',
    // 1.1+ onControllerResignation runs on every broker when its ZooKeeper
    // session is re-initialised (and at shutdown), whether or not it was the
    // controller: the line alone says nothing about a controller change.
    pattern: /^\[Controller (?:id=)?(?<broker>\d+)\]:? Resigned$/,
    fields: { broker: 'int' },
    samples: [
      '[2021-06-01 10:09:59,000] INFO [Controller id=1] Resigned (kafka.controller.KafkaController)',
    ],
  },
  {
    id: 'kafka.controller.moved',
    title: 'Controller moved to another broker',
    category: 'controller',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    // 2.2 logs it from the event thread, 2.3+ from KafkaController.
    loggers: ['kafka.controller.KafkaController', 'ControllerEventManager'],
    keyword: 'Controller moved to another broker',
    pattern: /^(?:\[[^\]]*\]:? )?Controller moved to another broker(?: when processing (?<event>[^\s.]+))?/,
    samples: [
      '[2021-06-01 10:10:00,000] INFO [Controller id=2] Controller moved to another broker when processing BrokerChange. (kafka.controller.KafkaController)',
      '[2019-03-01 10:10:00,000] INFO [ControllerEventThread controllerId=2] Controller moved to another broker when processing BrokerChange. (kafka.controller.ControllerEventManager$ControllerEventThread)\norg.apache.kafka.common.errors.ControllerMovedException: Controller moved to another broker. Aborting controller startup procedure',
    ],
  },
  {
    id: 'kafka.controller.broker-failure',
    title: 'Controller handling failed brokers',
    category: 'controller',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.controller.KafkaController'],
    keyword: 'Broker failure callback',
    // Also printed for brokers that shut down cleanly.
    pattern: /^(?:\[Controller (?:id=)?(?<controller>\d+)\]:? )?Broker failure callback for (?<brokers>[\d,]+)/,
    fields: { controller: 'int', brokers: 'ids' },
    effect: { signal: 'brokers-lost', field: 'brokers' },
    samples: [
      '[2021-06-01 10:09:00,010] INFO [Controller id=1] Broker failure callback for 3 (kafka.controller.KafkaController)',
      '[2015-09-01 09:54:30,030] INFO [Controller 3]: Broker failure callback for 1 (kafka.controller.KafkaController)',
    ],
  },
  {
    id: 'kafka.controller.broker-change',
    title: 'Controller saw live brokers change',
    category: 'controller',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    // 0.10 logs it from ReplicaStateMachine$BrokerChangeListener.
    loggers: ['kafka.controller.KafkaController', 'ReplicaStateMachine$BrokerChangeListener'],
    keyword: 'Newly added brokers',
    // "bounced brokers" from 2.2.
    pattern: /^(?:\[(?:Controller (?:id=)?|BrokerChangeListener on Controller )(?<controller>\d+)\]:? )?Newly added brokers: (?<added>[\d,]*), deleted brokers: (?<deleted>[\d,]*)(?:, bounced brokers: (?<bounced>[\d,]*))?, all live brokers: (?<live>[\d,]*)/,
    fields: { controller: 'int', added: 'ids', deleted: 'ids', bounced: 'ids', live: 'ids' },
    effect: { signal: 'brokers-joined', field: 'added' },
    samples: [
      '[2021-06-01 10:09:00,000] INFO [Controller id=1] Newly added brokers: , deleted brokers: 3, bounced brokers: , all live brokers: 1,2 (kafka.controller.KafkaController)',
      '[2018-04-02 09:23:39,653] INFO [Controller id=1] Newly added brokers: 1, deleted brokers: , all live brokers: 1 (kafka.controller.KafkaController)',
      '[2015-09-01 09:54:30,027] INFO [BrokerChangeListener on Controller 3]: Newly added brokers: , deleted brokers: 1, all live brokers: 0,5,2,3,4 (kafka.controller.ReplicaStateMachine$BrokerChangeListener)',
    ],
  },
  {
    id: 'kafka.controller.offline-partition',
    title: 'Partition offline (no leader) or its leader election failed',
    category: 'leadership',
    severity: 'critical',
    appliesTo: ['kafka-broker'],
    loggers: ['state.change.logger', 'kafka.controller.OfflinePartitionLeaderSelector', 'kafka.controller.PartitionStateMachine', 'kafka.controller.ZkPartitionStateMachine'],
    keyword: 'artition',
    // A partition moved to OfflinePartition (TRACE up to 2.5) or a failed state
    // change ("initiated … failed" 0.10–1.0, "failed to change state" 1.1+). The
    // lookahead keeps recoveries ("from OfflinePartition to OnlinePartition
    // with …", kafka.controller.partition-online) out.
    pattern: /^(?=.*(?: failed$| failed to change state|to OfflinePartition))(?:\[[^\]]*\]:? )?(?:Controller \d+ epoch \d+ )?(?:[Ii]nitiated state change for partition |failed to change state for partition |[Cc]hanged partition )(?<partitions>\[[^\]\s]+\]|[^\s[]+) (?:state )?from (?<from>\w+) to (?<to>\w+)/,
    fields: { partitions: 'partitions' },
    effect: { signal: 'partition-offline', field: 'partitions' },
    samples: [
      '[2021-06-01 10:11:00,000] ERROR [Controller id=1 epoch=17] Controller 1 epoch 17 failed to change state for partition orders-0 from OfflinePartition to OnlinePartition (state.change.logger)\nkafka.common.StateChangeFailedException: Failed to elect leader for partition orders-0 under strategy OfflinePartitionLeaderElectionStrategy(false)',
      '[2018-04-02 10:51:44,816] ERROR [Controller id=1 epoch=3] Initiated state change for partition test-0 from OfflinePartition to OnlinePartition failed (state.change.logger)',
      '[2017-06-01 10:11:00,000] ERROR Controller 1 epoch 9 initiated state change for partition [orders,0] from OfflinePartition to OnlinePartition failed (state.change.logger)',
      '[2020-03-21 18:36:50,162] TRACE [Controller id=0 epoch=1] Changed partition dev1-0 state from OnlinePartition to OfflinePartition (state.change.logger)',
      '[2017-06-01 10:11:00,000] TRACE Controller 1 epoch 9 changed partition [orders,0] state from OnlinePartition to OfflinePartition (state.change.logger)',
    ],
  },
  {
    id: 'kafka.controller.partition-online',
    title: 'Offline partition has a leader again',
    category: 'leadership',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['state.change.logger'],
    keyword: 'from OfflinePartition to OnlinePartition',
    // TRACE "… with leader N" (0.10–1.0), TRACE/INFO "… with state LeaderAndIsr(…)" (1.1+).
    pattern: /^(?:\[[^\]]*\] )?(?:Controller \d+ epoch \d+ )?[Cc]hanged partition (?<partitions>\[[^\]\s]+\]|[^\s[]+) from OfflinePartition to OnlinePartition with (?:leader |state LeaderAndIsr\(leader=)(?<leader>-?\d+)/,
    fields: { partitions: 'partitions', leader: 'int' },
    effect: { signal: 'partition-online', field: 'partitions', leader: 'leader' },
    samples: [
      '[2017-06-01 10:12:00,000] TRACE Controller 1 epoch 9 changed partition [orders,0] from OfflinePartition to OnlinePartition with leader 3 (state.change.logger)',
      '[2018-04-02 10:51:44,894] TRACE [Controller id=1 epoch=3] Changed partition test-0 from OfflinePartition to OnlinePartition with leader 1 (state.change.logger)',
      '[2021-06-01 10:12:00,000] INFO [Controller id=1 epoch=17] Changed partition orders-0 from OfflinePartition to OnlinePartition with state LeaderAndIsr(leader=3, leaderEpoch=8, isr=List(3), zkVersion=21) (state.change.logger)',
    ],
  },
  {
    id: 'kafka.controller.unclean-election',
    title: 'Unclean leader election: leader chosen outside the ISR (potential data loss)',
    category: 'leadership',
    severity: 'critical',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.controller.OfflinePartitionLeaderSelector'],
    keyword: 'potential data loss',
    // The only explicit unclean-election line of ZooKeeper mode (0.10–1.0); from
    // 1.1 only a metric records it. The partition is online again afterwards.
    pattern: /^(?:\[[^\]]*\]:? )?No broker in ISR is alive for (?<partitions>\[[^\]\s]+\]|[^\s[]+?)\. Elect leader (?<leader>\d+) from live brokers (?<live>[\d,]*)\. There's potential data loss/,
    fields: { partitions: 'partitions', leader: 'int', live: 'ids' },
    samples: [
      '[2017-06-01 10:11:00,000] WARN [OfflinePartitionLeaderSelector]: No broker in ISR is alive for [orders,0]. Elect leader 3 from live brokers 3. There\'s potential data loss. (kafka.controller.OfflinePartitionLeaderSelector)',
      '[2018-01-01 10:11:00,000] WARN [OfflinePartitionLeaderSelector]: No broker in ISR is alive for orders-0. Elect leader 3 from live brokers 3,4. There\'s potential data loss. (kafka.controller.OfflinePartitionLeaderSelector)',
    ],
  },
  {
    id: 'kafka.controller.partition-state',
    title: "Controller sent a partition's leader and ISR to the brokers",
    category: 'leadership',
    severity: 'debug',
    appliesTo: ['kafka-broker'],
    loggers: ['state.change.logger'],
    keyword: 'UpdateMetadata request',
    // The controller's UpdateMetadata at every leader or ISR change (TRACE):
    // 0.10–1.0 "(Leader:3,ISR:3,1,LeaderEpoch:8,ControllerEpoch:9)", 1.1–2.3
    // "PartitionState(controllerEpoch=1, leader=3, leaderEpoch=1, isr=[3, 1],
    // zkVersion=1, replicas=[2, 3, 1], offlineReplicas=[2])", 2.4+
    // "UpdateMetadataPartitionState(topicName='orders', partitionIndex=0, …)".
    pattern: /^(?=.*\b(?:leader=|Leader:)(?<leader>-?\d+))(?=.*\b(?:isr=\[?|ISR:)(?<isr>\d+(?:, ?\d+)*|))(?=(?:.*\breplicas=\[?(?<replicas>\d+(?:, ?\d+)*))?)(?:\[[^\]]*\] )?(?:Controller \d+ epoch \d+ )?[Ss]ending UpdateMetadata request .* for partition (?<partition>\[[^\]\s]+\]|\S+)$/,
    fields: { leader: 'int', isr: 'ids', replicas: 'ids', partition: 'partitions' },
    effect: { signal: 'partition-state', partition: 'partition', leader: 'leader', isr: 'isr', replicas: 'replicas' },
    samples: [
      '[2021-04-28 16:41:33,624] TRACE Controller 1 epoch 58 sending UpdateMetadata request (Leader:-1,ISR:1002,LeaderEpoch:7,ControllerEpoch:57) to brokers Set() for partition metadata_topic-0 (state.change.logger)',
      '[2026-11-21 04:40:44,319] TRACE [Controller id=1 epoch=1] Sending UpdateMetadata request PartitionState(controllerEpoch=1, leader=3, leaderEpoch=1, isr=[3, 1], zkVersion=1, replicas=[2, 3, 1], offlineReplicas=[2]) to brokers Set(1, 3) for partition orders-0 (state.change.logger)',
      "[2022-03-01 10:12:00,000] TRACE [Controller id=1 epoch=4] Sending UpdateMetadata request UpdateMetadataPartitionState(topicName='orders', partitionIndex=0, controllerEpoch=4, leader=3, leaderEpoch=9, isr=[3, 1], zkVersion=12, replicas=[2, 3, 1], offlineReplicas=[2]) to brokers HashSet(1, 3) for partition orders-0 (state.change.logger)",
    ],
  },
  {
    id: 'kafka.controller.replica-offline',
    title: 'Controller took a replica offline (its broker is gone)',
    category: 'isr',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['state.change.logger'],
    keyword: 'to OfflineReplica',
    // When a broker dies nobody writes "Shrinking ISR": the controller removes
    // its replicas from the ISRs itself, right after this line (TRACE).
    pattern: /^(?:\[[^\]]*\] )?(?:Controller \d+ epoch \d+ )?[Cc]hanged state of replica (?<replica>\d+) for partition (?<partition>\[[^\]\s]+\]|\S+) from \w+ to OfflineReplica/,
    fields: { replica: 'int', partition: 'partitions' },
    effect: { signal: 'replica-offline', partition: 'partition', replica: 'replica' },
    samples: [
      '[2026-11-21 04:40:44,370] TRACE [Controller id=1 epoch=1] Changed state of replica 2 for partition orders-0 from OnlineReplica to OfflineReplica (state.change.logger)',
      '[2017-06-01 10:11:00,000] TRACE Controller 1 epoch 9 changed state of replica 2 for partition [orders,0] from OnlineReplica to OfflineReplica (state.change.logger)',
    ],
  },
];
