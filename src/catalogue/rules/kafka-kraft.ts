import type { Rule } from '../schema.js';

// KRaft lines (Kafka 2.8 → 4.x; the only mode from 4.0): the raft quorum
// (org.apache.kafka.raft, server.log), the active controller
// (org.apache.kafka.controller.*, controller.log from 3.4), the broker's
// lifecycle towards the controller, the broker-side partition state changes
// (state-change.log), metadata-log damage and the clients' NOT_LEADER_OR_FOLLOWER.
// Prefixes are Java LogContext ones: `[RaftManager id=N] ` (3.6+; `nodeId=N`
// before), `[QuorumController id=N] `, `[BrokerLifecycleManager id=N] `.
//
// Lines a controller prints while *replaying* the metadata log (`Replayed …`)
// carry no effect: a controller that restarts replays the whole log and
// prints years-old fencings with today's time. Only decisions (`Fencing
// broker`, `to unfence has been granted`) and a node's own state open or
// close windows.

const RAFT = ['org.apache.kafka.raft.QuorumState'];
const RAFT_PREFIX = String.raw`^\[RaftManager (?:id|nodeId)=(?<node>\d+)\] Completed transition to `;

export const KAFKA_KRAFT_RULES: readonly Rule[] = [
  // --- raft quorum -----------------------------------------------------
  {
    id: 'kafka.kraft.raft-leader',
    title: 'KRaft node became the raft quorum leader',
    category: 'controller',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: RAFT,
    keyword: 'Completed transition to Leader(',
    // 2.8–3.5 `Leader(localId=N, epoch=…`, 3.7+ `Leader(localReplicaKey=ReplicaKey(id=N, directoryId=…), epoch=…`.
    pattern: new RegExp(`${RAFT_PREFIX}Leader\\((?:localId=\\d+|localReplicaKey=ReplicaKey\\(id=\\d+, directoryId=[^)\\s]*\\)), epoch=(?<epoch>\\d+)`),
    fields: { node: 'int', epoch: 'int' },
    effect: { signal: 'raft-leader', leader: 'node', epoch: 'epoch' },
    samples: [
      '[2025-05-14 22:49:12,554] INFO [RaftManager id=10] Completed transition to Leader(localReplicaKey=ReplicaKey(id=10, directoryId=Cco6adTtSDDCzLYisIcG7w), epoch=1, epochStartOffset=0, highWatermark=Optional.empty, voterStates={10=ReplicaState(replicaKey=ReplicaKey(id=10, directoryId=<undefined>), endOffset=Optional.empty, lastFetchTimestamp=-1, lastCaughtUpTimestamp=-1, hasAcknowledgedLeader=true)}) from CandidateState(localId=10, localDirectoryId=Cco6adTtSDDCzLYisIcG7w, epoch=1, retries=1, epochElection=EpochElection(voterStates={10=VoterState(replicaKey=ReplicaKey(id=10, directoryId=<undefined>), state=GRANTED)}), highWatermark=Optional.empty, electionTimeoutMs=1420) (org.apache.kafka.raft.QuorumState)',
      '[2023-10-01 12:00:01,000] INFO [RaftManager id=1] Completed transition to Leader(localId=1, epoch=12, epochStartOffset=40213, highWatermark=Optional.empty, voterStates={1=ReplicaState(nodeId=1, endOffset=Optional.empty, lastFetchTimestamp=-1, lastCaughtUpTimestamp=-1, hasAcknowledgedLeader=true)}) from CandidateState(localId=1, epoch=12, retries=1, voteStates={1=GRANTED}, highWatermark=Optional[LogOffsetMetadata(offset=40213, metadata=Optional.empty)], electionTimeoutMs=1453) (org.apache.kafka.raft.QuorumState)',
    ],
  },
  {
    id: 'kafka.kraft.raft-follower',
    title: 'KRaft node follows a raft quorum leader',
    category: 'controller',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: RAFT,
    keyword: 'Completed transition to Follower',
    // 2.8–3.6 `leaderId=N`; 3.7+ `leader=N` (some builds print the leader's
    // endpoint: `leader=host:9093 (id: N …`).
    pattern: new RegExp(`${RAFT_PREFIX}Follower(?:State)?\\(fetchTimeoutMs=\\d+, epoch=(?<epoch>\\d+), (?:leaderId=|leader=(?:[^\\s(,]+ \\(id: )?)(?<leader>\\d+)`),
    fields: { node: 'int', epoch: 'int', leader: 'int' },
    effect: { signal: 'raft-leader', leader: 'leader', epoch: 'epoch' },
    samples: [
      '[2023-06-15 09:43:38,734] INFO [RaftManager nodeId=1] Completed transition to FollowerState(fetchTimeoutMs=2000, epoch=86, leaderId=9992, voters=[9991, 9992, 9993], highWatermark=Optional.empty, fetchingSnapshot=Optional.empty) (org.apache.kafka.raft.QuorumState)',
      '[2026-06-18 17:14:03,688] INFO [RaftManager id=2] Completed transition to FollowerState(fetchTimeoutMs=2000, epoch=1, leader=1, leaderEndpoints=Endpoints(endpoints={ListenerName(CONTROLLER)=localhost/<unresolved>:9093}), votedKey=Optional.empty, voters=[1], highWatermark=Optional.empty, fetchingSnapshot=Optional.empty) from null (org.apache.kafka.raft.QuorumState)',
    ],
  },
  {
    id: 'kafka.kraft.raft-election',
    title: 'KRaft node has no quorum leader (electing one)',
    category: 'controller',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: RAFT,
    keyword: 'Completed transition to ',
    // Unattached (no leader known), Voted (3.x; 4.0 folds it into
    // Unattached), Prospective (4.0 pre-vote), Candidate.
    pattern: new RegExp(`${RAFT_PREFIX}(?<state>Candidate|Prospective|Unattached|Voted)(?:State)?\\((?:localId=\\d+, )?(?:localDirectoryId=[^,\\s]+, )?epoch=(?<epoch>\\d+)`),
    fields: { node: 'int', epoch: 'int' },
    effect: { signal: 'raft-leaderless', epoch: 'epoch' },
    samples: [
      '[2026-08-08 14:49:20,666] INFO [RaftManager id=0] Completed transition to ProspectiveState(epoch=2, leaderId=OptionalInt[0], retries=1, votedKey=Optional.empty, epochElection=EpochElection(voterStates={0=VoterState(replicaKey=ReplicaKey(id=0, directoryId=<undefined>), state=GRANTED)}), electionTimeoutMs=1856, highWatermark=Optional.empty) from ResignedState(localId=0, epoch=2, voters=[0], electionTimeoutMs=1400, unackedVoters=[], preferredSuccessors=[]) (org.apache.kafka.raft.QuorumState)',
      '[2026-08-08 14:49:20,680] INFO [RaftManager id=0] Completed transition to CandidateState(localId=0, localDirectoryId=HdLrZmMjbKrt4LUPAS48Ew, epoch=3, retries=1, epochElection=EpochElection(voterStates={0=VoterState(replicaKey=ReplicaKey(id=0, directoryId=<undefined>), state=GRANTED)}), highWatermark=Optional.empty, electionTimeoutMs=1346) from ProspectiveState(epoch=2, leaderId=OptionalInt[0], retries=1, votedKey=Optional.empty, epochElection=EpochElection(voterStates={0=VoterState(replicaKey=ReplicaKey(id=0, directoryId=<undefined>), state=GRANTED)}), electionTimeoutMs=1856, highWatermark=Optional.empty) (org.apache.kafka.raft.QuorumState)',
      '[2026-08-08 14:52:45,281] INFO [RaftManager id=0] Completed transition to UnattachedState(epoch=0, leaderId=OptionalInt.empty, votedKey=Optional.empty, voters=[0], electionTimeoutMs=1807, highWatermark=Optional.empty) from null (org.apache.kafka.raft.QuorumState)',
      '[2023-06-15 09:43:38,532] INFO [RaftManager nodeId=1] Completed transition to Unattached(epoch=0, voters=[9991, 9992, 9993], electionTimeoutMs=1415) (org.apache.kafka.raft.QuorumState)',
    ],
  },
  {
    id: 'kafka.kraft.raft-resigned',
    title: 'KRaft quorum leader resigned',
    category: 'controller',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: RAFT,
    keyword: 'Completed transition to Resigned',
    pattern: new RegExp(`${RAFT_PREFIX}Resigned(?:State)?\\(localId=\\d+, epoch=(?<epoch>\\d+)`),
    fields: { node: 'int', epoch: 'int' },
    effect: { signal: 'raft-leaderless', epoch: 'epoch' },
    samples: [
      '[2026-08-08 14:49:20,658] INFO [RaftManager id=0] Completed transition to ResignedState(localId=0, epoch=2, voters=[0], electionTimeoutMs=1400, unackedVoters=[], preferredSuccessors=[]) from null (org.apache.kafka.raft.QuorumState)',
    ],
  },

  // --- active controller -----------------------------------------------
  {
    id: 'kafka.kraft.controller-activated',
    title: 'KRaft controller became active',
    category: 'controller',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.controller.QuorumController'],
    keyword: 'Becoming the active controller',
    // The KRaft counterpart of kafka.controller.elected; 3.6+ "next write
    // offset", 3.3–3.5 "committed offset …".
    pattern: /^\[QuorumController id=(?<broker>\d+)\] Becoming the active controller at epoch (?<epoch>\d+)/,
    fields: { broker: 'int', epoch: 'int' },
    effect: { signal: 'raft-leader', leader: 'broker', epoch: 'epoch' },
    samples: [
      '[2023-10-01 12:00:01,050] INFO [QuorumController id=1] Becoming the active controller at epoch 12, next write offset 40214. (org.apache.kafka.controller.QuorumController)',
      '[2022-10-01 12:00:01,050] INFO [QuorumController id=1] Becoming the active controller at epoch 12, committed offset 40213, committed epoch 11 (org.apache.kafka.controller.QuorumController)',
      '[2025-05-14 22:49:12,667] INFO [QuorumController id=10] Becoming the active controller at epoch 1, next write offset 1. (org.apache.kafka.controller.QuorumController)',
    ],
  },
  {
    id: 'kafka.kraft.controller-renounced',
    title: 'KRaft controller lost leadership',
    category: 'controller',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.controller.QuorumController'],
    keyword: 'Renouncing the leadership',
    // 3.0 "Renouncing the leadership at oldEpoch N due to …"; 3.3+ name the
    // new leader, or `(none)`: the effect then says the quorum has no leader.
    pattern: /^\[QuorumController id=(?<broker>\d+)\] Renouncing the leadership (?:at oldEpoch \d+ )?due to a metadata log event\.(?: We were the leader at epoch (?<epoch>\d+), but in the new epoch (?<newEpoch>\d+), the leader is (?<leader>\(none\)|\d+)\.)?/,
    fields: { broker: 'int', epoch: 'int', newEpoch: 'int' },
    effect: { signal: 'raft-leader', leader: 'leader', epoch: 'newEpoch' },
    samples: [
      '[2023-10-01 12:10:00,000] WARN [QuorumController id=1] Renouncing the leadership due to a metadata log event. We were the leader at epoch 12, but in the new epoch 13, the leader is 2. Reverting to last stable offset 40300. (org.apache.kafka.controller.QuorumController)',
    ],
  },

  // --- broker fencing and registration ---------------------------------
  {
    id: 'kafka.kraft.broker-fenced',
    title: 'KRaft controller fenced a broker (session timed out)',
    category: 'controller',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.controller.ReplicationControlManager'],
    keyword: 'Fencing broker',
    // The KRaft counterpart of "Broker failure callback"; 4.0 adds "at epoch N".
    pattern: /^(?:\[[^\]]*\] )?Fencing broker (?<fenced>\d+)(?: at epoch (?<brokerEpoch>\d+))? because its session has timed out/,
    fields: { fenced: 'int', brokerEpoch: 'int' },
    effect: { signal: 'broker-fenced', field: 'fenced' },
    samples: [
      '[2023-10-01 12:05:00,000] INFO [QuorumController id=1] Fencing broker 3 because its session has timed out. (org.apache.kafka.controller.ReplicationControlManager)',
      '[2025-05-17 12:08:17,701] INFO [QuorumController id=1] Fencing broker 1 at epoch 8 because its session has timed out. (org.apache.kafka.controller.ReplicationControlManager)',
    ],
  },
  {
    id: 'kafka.kraft.broker-unfence-granted',
    title: 'KRaft controller unfenced a broker that caught up',
    category: 'controller',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.controller.BrokerHeartbeatManager'],
    keyword: 'to unfence has been granted',
    pattern: /^(?:\[[^\]]*\] )?The request from broker (?<broker>\d+) to unfence has been granted because it has caught up with the offset of its register broker record (?<offset>\d+)/,
    fields: { broker: 'int', offset: 'int' },
    effect: { signal: 'broker-unfenced', field: 'broker' },
    samples: [
      '[2026-08-08 14:52:47,660] INFO [QuorumController id=0] The request from broker 0 to unfence has been granted because it has caught up with the offset of its register broker record 11. (org.apache.kafka.controller.BrokerHeartbeatManager)',
    ],
  },
  {
    id: 'kafka.kraft.broker-unfenced',
    title: 'KRaft broker was unfenced (running)',
    category: 'lifecycle',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.BrokerLifecycleManager'],
    keyword: 'has been unfenced',
    pattern: /^\[BrokerLifecycleManager id=(?<broker>\d+)\] The broker has been unfenced\. Transitioning from (?<from>\w+) to (?<to>\w+)/,
    fields: { broker: 'int' },
    effect: { signal: 'broker-unfenced', field: 'broker' },
    samples: [
      '[2026-08-08 14:52:47,700] INFO [BrokerLifecycleManager id=0] The broker has been unfenced. Transitioning from RECOVERY to RUNNING. (kafka.server.BrokerLifecycleManager)',
    ],
  },
  {
    id: 'kafka.kraft.registration-change',
    title: 'KRaft controller replayed a broker fencing change',
    category: 'controller',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.controller.ClusterControlManager'],
    keyword: 'roker',
    // 3.6+ replay of BrokerRegistrationChangeRecord (fenced 1 = fenced, -1 =
    // unfenced, 0 = unchanged); 3.0–3.3 "Fenced broker: <record>" / "Unfenced
    // broker: <record or id>". Replays carry no effect (see the header).
    pattern: /^(?:\[[^\]]*\] )?(?:Replayed BrokerRegistrationChangeRecord modifying the registration for broker (?<broker>\d+): BrokerRegistrationChangeRecord\(brokerId=\d+, brokerEpoch=(?<brokerEpoch>\d+), fenced=(?<fenced>-?\d+), inControlledShutdown=(?<inControlledShutdown>-?\d+)|(?<change>Fenced|Unfenced) broker: (?:\w+Record\(id=)?(?<id>\d+))/,
    fields: { broker: 'int', brokerEpoch: 'int', fenced: 'int', inControlledShutdown: 'int', id: 'int' },
    samples: [
      '[2026-08-08 14:49:20,960] INFO [QuorumController id=0] Replayed BrokerRegistrationChangeRecord modifying the registration for broker 0: BrokerRegistrationChangeRecord(brokerId=0, brokerEpoch=13, fenced=1, inControlledShutdown=0, logDirs=[]) (org.apache.kafka.controller.ClusterControlManager)',
      '[2026-08-08 14:49:20,942] INFO [QuorumController id=0] Replayed BrokerRegistrationChangeRecord modifying the registration for broker 0: BrokerRegistrationChangeRecord(brokerId=0, brokerEpoch=13, fenced=-1, inControlledShutdown=0, logDirs=[]) (org.apache.kafka.controller.ClusterControlManager)',
      '[2022-03-01 12:05:00,010] INFO [Controller 1] Fenced broker: FenceBrokerRecord(id=3, epoch=22) (org.apache.kafka.controller.ClusterControlManager)',
    ],
  },
  {
    id: 'kafka.kraft.broker-registered',
    title: 'KRaft broker registered with the controller',
    category: 'lifecycle',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.controller.ClusterControlManager', 'kafka.server.BrokerLifecycleManager'],
    keyword: 'egister',
    pattern: /^(?:\[[^\]]*\] )?(?:Replayed (?:RegisterBrokerRecord establishing a new incarnation of|initial RegisterBrokerRecord for) broker (?<broker>\d+): RegisterBrokerRecord\(brokerId=\d+, (?:isMigratingZkBroker=\w+, )?incarnationId=(?<incarnationId>[\w-]+), brokerEpoch=(?<brokerEpoch>\d+)|Successfully registered broker (?<registered>\d+) with broker epoch (?<epoch>\d+))/,
    fields: { broker: 'int', brokerEpoch: 'int', registered: 'int', epoch: 'int' },
    samples: [
      '[2026-08-08 14:49:20,971] INFO [QuorumController id=0] Replayed RegisterBrokerRecord establishing a new incarnation of broker 0: RegisterBrokerRecord(brokerId=0, isMigratingZkBroker=false, incarnationId=pfWNy2eBSAesGtctu2iIFg, brokerEpoch=1072, endPoints=[BrokerEndpoint(name=\'SASL_SSL\', host=\'192.168.168.25\', port=9094, securityProtocol=3)], features=[BrokerFeature(name=\'group.version\', minSupportedVersion=0, maxSupportedVersion=1), BrokerFeature(name=\'transaction.version\', minSupportedVersion=0, maxSupportedVersion=2), BrokerFeature(name=\'eligible.leader.replicas.version\', minSupportedVersion=0, maxSupportedVersion=1), BrokerFeature(name=\'kraft.version\', minSupportedVersion=0, maxSupportedVersion=1), BrokerFeature(name=\'metadata.version\', minSupportedVersion=7, maxSupportedVersion=25)], rack=null, fenced=true, inControlledShutdown=false, logDirs=[HdLrZmMjbKrt4LUPAS48Ew]) (org.apache.kafka.controller.ClusterControlManager)',
      '[2026-08-08 14:52:47,360] INFO [BrokerLifecycleManager id=0] Successfully registered broker 0 with broker epoch 11 (kafka.server.BrokerLifecycleManager)',
    ],
  },
  {
    id: 'kafka.kraft.registration-failed',
    title: 'KRaft broker could not register with the controller',
    category: 'controller',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.BrokerLifecycleManager'],
    keyword: 'Unable to register',
    pattern: /^\[BrokerLifecycleManager id=(?<broker>\d+)\] Unable to register (?:broker \d+ because the controller returned error (?<error>\w+)|the broker because the RPC got timed out)/,
    fields: { broker: 'int' },
    samples: [
      '[2026-08-08 14:49:22,720] INFO [BrokerLifecycleManager id=0] Unable to register broker 0 because the controller returned error DUPLICATE_BROKER_REGISTRATION (kafka.server.BrokerLifecycleManager)',
      '[2025-05-17 12:06:03,601] INFO [BrokerLifecycleManager id=1] Unable to register the broker because the RPC got timed out before it could be sent. (kafka.server.BrokerLifecycleManager)',
    ],
  },
  {
    id: 'kafka.kraft.shutdown-granted',
    title: 'KRaft controller granted a broker its shutdown',
    category: 'lifecycle',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.controller.BrokerHeartbeatManager'],
    keyword: 'has requested and been granted',
    pattern: /^(?:\[[^\]]*\] )?(?<state>Fenced|Unfenced) broker (?<broker>\d+) has requested and been granted (?:an immediate|a controlled) shutdown/,
    fields: { broker: 'int' },
    samples: [
      '[2023-10-01 12:20:00,000] INFO [QuorumController id=1] Unfenced broker 3 has requested and been granted a controlled shutdown. (org.apache.kafka.controller.BrokerHeartbeatManager)',
      '[2023-10-01 12:20:00,000] INFO [QuorumController id=1] Fenced broker 3 has requested and been granted an immediate shutdown. (org.apache.kafka.controller.BrokerHeartbeatManager)',
    ],
  },
  {
    id: 'kafka.kraft.heartbeat-failed',
    title: 'KRaft broker heartbeat to the controller failed',
    category: 'controller',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['kafka.server.BrokerLifecycleManager'],
    keyword: 'heartbeat',
    pattern: /^\[BrokerLifecycleManager id=(?<broker>\d+)\] (?:Unable to send a heartbeat because the RPC got timed out|Broker \d+ sent a heartbeat request but received error (?<error>\w+))/,
    fields: { broker: 'int' },
    samples: [
      '[2025-05-14 23:17:51,062] INFO [BrokerLifecycleManager id=10] Unable to send a heartbeat because the RPC got timed out before it could be sent. (kafka.server.BrokerLifecycleManager)',
      '[2023-10-01 12:04:50,000] WARN [BrokerLifecycleManager id=3] Broker 3 sent a heartbeat request but received error STALE_BROKER_EPOCH. (kafka.server.BrokerLifecycleManager)',
    ],
  },

  // --- partitions ------------------------------------------------------
  {
    id: 'kafka.kraft.unclean-election',
    title: 'KRaft unclean leader election (potential data loss)',
    category: 'leadership',
    severity: 'critical',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.controller.ReplicationControlManager', 'org.apache.kafka.controller.PartitionChangeBuilder'],
    keyword: 'nclean',
    pattern: /^(?:\[[^\]]*\] )?(?:Triggering unclean leader election for offline partition (?<partitions>\S+?)\.?$|Setting new leader for topicId (?<topicId>\S+), partition (?<partition>\d+) to (?<leader>-?\d+) using an unclean election)/,
    fields: { partitions: 'partitions', partition: 'int', leader: 'int' },
    samples: [
      '[2024-10-01 12:06:00,000] ERROR [QuorumController id=1] Triggering unclean leader election for offline partition orders-0. (org.apache.kafka.controller.ReplicationControlManager)',
      '[2024-10-01 12:06:00,001] INFO [QuorumController id=1] Setting new leader for topicId q0CwXcYbS8OmJ2l1b7Fv3Q, partition 0 to 3 using an unclean election (org.apache.kafka.controller.PartitionChangeBuilder)',
    ],
  },
  {
    id: 'kafka.kraft.partition-leader',
    title: 'KRaft broker became leader of a partition (new leader epoch)',
    category: 'leadership',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['state.change.logger'],
    keyword: 'starts at leader epoch',
    // The broker applying a metadata delta (3.0+): its ISR opens or closes
    // under-replicated windows like the ZooKeeper-mode ISR lines.
    pattern: /^\[Broker id=(?<broker>\d+)\] Leader (?<partitions>\S+) with topic id (?:Some\()?(?<topicId>[\w-]+)\)? starts at leader epoch (?<leaderEpoch>\d+) from offset (?<offset>\d+) with partition epoch (?<partitionEpoch>\d+), high watermark (?<highWatermark>\d+), ISR \[(?<isr>[\d,]*)\]/,
    fields: { broker: 'int', partitions: 'partitions', leaderEpoch: 'int', offset: 'int', partitionEpoch: 'int', highWatermark: 'int', isr: 'ids' },
    effect: { signal: 'isr-change', partition: 'partitions', to: 'isr' },
    samples: [
      '[2026-08-08 14:56:08,683] INFO [Broker id=0] Leader __consumer_offsets-13 with topic id Some(FQl7uE37TLu471FHQIVNzg) starts at leader epoch 0 from offset 0 with partition epoch 0, high watermark 0, ISR [0], adding replicas [] and removing replicas [] . Previous leader None and previous leader epoch was -1. (state.change.logger)',
    ],
  },
  {
    id: 'kafka.kraft.partition-follower',
    title: 'KRaft broker follows a partition leader',
    category: 'leadership',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['state.change.logger'],
    keyword: 'starts at leader epoch',
    pattern: /^\[Broker id=(?<broker>\d+)\] Follower (?<partitions>\S+) starts at leader epoch (?<leaderEpoch>\d+) from offset (?<offset>\d+) with partition epoch (?<partitionEpoch>\d+) and high watermark (?<highWatermark>\d+)\. Current leader is (?<leader>-?\d+)\./,
    fields: { broker: 'int', partitions: 'partitions', leaderEpoch: 'int', offset: 'int', partitionEpoch: 'int', highWatermark: 'int', leader: 'int' },
    samples: [
      '[2026-08-08 14:49:23,720] INFO [Broker id=0] Follower __consumer_offsets-13 starts at leader epoch 1 from offset 0 with partition epoch 1 and high watermark 0. Current leader is -1. Previous leader Some(-1) and previous leader epoch was 1. (state.change.logger)',
    ],
  },
  {
    id: 'kafka.kraft.not-leader-or-follower',
    title: 'Client sent to a broker that is no longer the partition leader',
    category: 'leadership',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.clients.producer.internals.Sender'],
    keyword: 'partition',
    // Printed by producers (2.7+ name) in bursts while leadership moves;
    // the timeline compacts the burst.
    pattern: /^\[Producer clientId=(?<client>[^\]]+)\] (?:Got error produce response with correlation id \d+ on topic-partition|Received invalid metadata error in produce request on partition) (?<partitions>[^\s,]+),? (?:retrying \((?<attemptsLeft>\d+) attempts left\)\. Error: NOT_LEADER_OR_FOLLOWER|due to org\.apache\.kafka\.common\.errors\.NotLeaderOrFollowerException)/,
    fields: { partitions: 'partitions', attemptsLeft: 'int' },
    samples: [
      '[2023-12-18 12:58:57,041] WARN [Producer clientId=producer-1] Got error produce response with correlation id 25 on topic-partition my-topic-0, retrying (2147483646 attempts left). Error: NOT_LEADER_OR_FOLLOWER (org.apache.kafka.clients.producer.internals.Sender)',
      '[2024-01-23 08:41:24,017] WARN [Producer clientId=console-producer] Received invalid metadata error in produce request on partition poc-0 due to org.apache.kafka.common.errors.NotLeaderOrFollowerException: For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.. Going to request metadata update now (org.apache.kafka.clients.producer.internals.Sender)',
    ],
  },

  // --- metadata log damage ---------------------------------------------
  {
    id: 'kafka.kraft.metadata-log-corrupt',
    title: 'KRaft metadata log corrupt (truncated on load)',
    category: 'storage',
    severity: 'error',
    appliesTo: ['kafka-broker'],
    loggers: [
      'org.apache.kafka.storage.internals.log.LogLoader', 'kafka.log.LogLoader',
      'org.apache.kafka.storage.internals.log.LogSegment', 'kafka.log.LogSegment',
    ],
    keyword: '__cluster_metadata',
    pattern: /^(?:\[LogLoader partition=(?<partitions>__cluster_metadata-\d+), dir=[^\]]*\] Corruption found in segment (?<segment>\d+), truncating to offset (?<offset>\d+)|Found invalid messages in log segment (?<file>\S*__cluster_metadata-\d+\S*) at byte offset (?<position>\d+))/,
    fields: { partitions: 'partitions', segment: 'int', offset: 'int', position: 'int' },
    samples: [
      '[2025-05-14 22:51:04,152] WARN [LogLoader partition=__cluster_metadata-0, dir=/home/ammar/kafka_data/broker_4.0.0] Corruption found in segment 0, truncating to offset 121 (org.apache.kafka.storage.internals.log.LogLoader)',
      '[2025-05-14 22:51:04,115] WARN Found invalid messages in log segment /home/ammar/kafka_data/broker_4.0.0/__cluster_metadata-0/00000000000000000000.log at byte offset 8564. (org.apache.kafka.storage.internals.log.LogSegment)\norg.apache.kafka.common.errors.CorruptRecordException: Record is corrupt (stored crc = 125399841, computed crc = 3972186305)',
    ],
  },
  {
    id: 'kafka.kraft.metadata-log-recovered',
    title: 'KRaft metadata log recovered an unflushed segment',
    category: 'storage',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.kafka.storage.internals.log.LogLoader', 'kafka.log.LogLoader'],
    keyword: '__cluster_metadata',
    pattern: /^\[LogLoader partition=(?<partitions>__cluster_metadata-\d+), dir=[^\]]*\] Recovering unflushed segment (?<segment>\d+)\. (?<recovered>\d+) recovered/,
    fields: { partitions: 'partitions', segment: 'int', recovered: 'int' },
    samples: [
      '[2026-08-08 14:49:20,173] INFO [LogLoader partition=__cluster_metadata-0, dir=/home/deepone/kafka_2.13-4.0.0/logs/kafka-data-0] Recovering unflushed segment 0. 0 recovered for __cluster_metadata-0. (org.apache.kafka.storage.internals.log.LogLoader)',
    ],
  },
];
