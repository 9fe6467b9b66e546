import { CATALOGUE } from './index.js';

/**
 * Which logger a Kafka line came from, when its layout printed the calling
 * class (`%C{1}`, as ZooKeeper's `[%t:%C{1}@%L]` does) instead of the logger
 * (`%c`). The catalogue's rules are gated by logger; this is the data that
 * turns a class back into one.
 *
 * Kafka's Scala components log through the `kafka.utils.Logging` trait, so
 * the class printed is the trait (`Logging` from Kafka 2.0, `Logging$class`
 * before), never the component; the component shows only in the log ident
 * its messages start with (`[KafkaServer id=0] started`). Java classes
 * (clients, KRaft controller, storage, ZooKeeper's client) call log4j
 * themselves and print their own class.
 */

/** Classes that are Kafka's logging trait: the component is in the message's log ident, if anywhere. */
export const LOGGING_TRAIT: ReadonlySet<string> = new Set(['Logging', 'Logging$class']);

/** Log idents Kafka's Scala components start their messages with, and the logger each component logs to. */
export const LOG_IDENTS: readonly { ident: RegExp; logger: string }[] = [
  { ident: /^\[(?:KafkaServer id=\d+|Kafka Server \d+)\],? /, logger: 'kafka.server.KafkaServer' },
  { ident: /^\[BrokerServer id=\d+\] /, logger: 'kafka.server.BrokerServer' },
  { ident: /^\[ControllerServer id=\d+\] /, logger: 'kafka.server.ControllerServer' },
  { ident: /^\[KafkaRaftServer nodeId=\d+\] /, logger: 'kafka.server.KafkaRaftServer' },
  { ident: /^\[BrokerLifecycleManager id=\d+\] /, logger: 'kafka.server.BrokerLifecycleManager' },
  // StateChangeLogger: the controller's context carries its epoch, the broker's does not.
  { ident: /^\[(?:Controller id=\d+ epoch=\d+|Broker id=\d+)\] /, logger: 'state.change.logger' },
  // Up to 1.0 the state-change lines had no brackets.
  { ident: /^Controller \d+ epoch \d+ /, logger: 'state.change.logger' },
  { ident: /^\[OfflinePartitionLeaderSelector\]: /, logger: 'kafka.controller.OfflinePartitionLeaderSelector' },
  { ident: /^\[BrokerChangeListener on Controller \d+\]: /, logger: 'ReplicaStateMachine$BrokerChangeListener' },
  { ident: /^\[Group Metadata Manager on Broker \d+\]: /, logger: 'kafka.coordinator.group.GroupMetadataManager' },
  { ident: /^\[Controller(?: id=|\s)\d+\]:? /, logger: 'kafka.controller.KafkaController' },
  { ident: /^\[ControllerEventThread controllerId=\d+\] /, logger: 'kafka.controller.ControllerEventManager$ControllerEventThread' },
  { ident: /^\[PartitionStateMachine controllerId=\d+\] /, logger: 'kafka.controller.ZkPartitionStateMachine' },
  { ident: /^\[ReplicaStateMachine controllerId=\d+\] /, logger: 'kafka.controller.ZkReplicaStateMachine' },
  { ident: /^(?:\[Partition \S+ broker=\d+\] |Partition \[[^\]\s]+\] on broker \d+: )/, logger: 'kafka.cluster.Partition' },
  { ident: /^\[SessionExpirationListener on \d+\], /, logger: 'kafka.controller.KafkaController$SessionExpirationListener' },
  { ident: /^\[ReplicaManager broker=\d+\] /, logger: 'kafka.server.ReplicaManager' },
  { ident: /^\[(?:ReplicaFetcher replicaId=\d+, leaderId=\d+, fetcherId=\d+\] |ReplicaFetcherThread-\d+-\d+\][,:] )/, logger: 'kafka.server.ReplicaFetcherThread' },
  { ident: /^\[ReplicaAlterLogDirsThread-\d+\]: /, logger: 'kafka.server.ReplicaAlterLogDirsThread' },
  { ident: /^\[ReplicaFetcherManager on broker \d+\] /, logger: 'kafka.server.ReplicaFetcherManager' },
  { ident: /^\[ReplicaAlterLogDirsManager on broker \d+\] /, logger: 'kafka.server.ReplicaAlterLogDirsManager' },
  { ident: /^\[Log partition=[^\]]+\] /, logger: 'kafka.log.Log' },
  { ident: /^\[UnifiedLog partition=[^\]]+\] /, logger: 'kafka.log.UnifiedLog' },
  { ident: /^\[LocalLog partition=[^\]]+\] /, logger: 'kafka.log.LocalLog' },
  { ident: /^\[LogLoader partition=[^\]]+\] /, logger: 'kafka.log.LogLoader' },
  { ident: /^\[GroupCoordinator \d+\]: /, logger: 'kafka.coordinator.group.GroupCoordinator' },
  { ident: /^\[GroupMetadataManager brokerId=\d+\] /, logger: 'kafka.coordinator.group.GroupMetadataManager' },
  { ident: /^\[ZooKeeperClient[^\]]*\] /, logger: 'kafka.zookeeper.ZooKeeperClient' },
  { ident: /^\[SocketServer (?:brokerId|listenerType)=[^\]]+\] /, logger: 'kafka.network.SocketServer' },
];

/** Classes of a Kafka broker's start that no rule names, which only a Kafka process prints. */
const KAFKA_START_CLASSES = ['Log4jControllerRegistration$', 'LoggingSignalHandler', 'AppInfoParser', 'KafkaConfig', 'Kafka$'];

function simpleName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** The outer class of `AppInfoParser$AppInfo`; `Kafka$` (a Scala object) stays as it is. */
function outerClass(cls: string): string {
  const simple = simpleName(cls);
  const dollar = simple.indexOf('$');
  return dollar > 0 && dollar < simple.length - 1 ? simple.slice(0, dollar) : simple;
}

/**
 * Simple class name → the catalogue's logger of that name, by process. A
 * class printed by %C called log4j itself: for Kafka that is Java code, so
 * `org.apache.kafka.…` wins over a Scala `kafka.…` namesake.
 */
function classTable(): { kafka: Map<string, string>; zookeeper: Set<string> } {
  const kafka = new Map<string, string>();
  const zookeeper = new Set<string>();
  for (const rule of CATALOGUE) {
    for (const logger of rule.loggers) {
      if (logger === '*' || !/^[\w.$]+$/.test(logger)) continue;
      const simple = outerClass(logger);
      if (rule.appliesTo.includes('zookeeper') && !rule.appliesTo.includes('kafka-broker')) {
        zookeeper.add(simple);
        continue;
      }
      if (!rule.appliesTo.includes('kafka-broker') || !logger.includes('.') || logger === 'state.change.logger') continue;
      const known = kafka.get(simple);
      if (known === undefined || (!known.startsWith('org.apache.kafka.') && logger.startsWith('org.apache.kafka.'))) kafka.set(simple, logger);
    }
  }
  for (const { logger } of LOG_IDENTS) if (!kafka.has(outerClass(logger)) && logger.includes('.')) kafka.set(outerClass(logger), logger);
  return { kafka, zookeeper };
}

let table: ReturnType<typeof classTable> | undefined;

/**
 * The logger of a Kafka line whose layout printed its class: from the log
 * ident for the logging trait, from the catalogue for a class it names; the
 * class itself otherwise (no rule is gated by it: the record is counted,
 * unclassified). `kafka.utils.Logging` when the trait's line has no ident.
 */
export function kafkaLoggerOfClass(cls: string, message: string): string {
  if (LOGGING_TRAIT.has(simpleName(cls))) {
    for (const { ident, logger } of LOG_IDENTS) if (ident.test(message)) return logger;
    return 'kafka.utils.Logging';
  }
  table ??= classTable();
  return table.kafka.get(outerClass(cls)) ?? cls;
}

/** Whether a class printed by %C is Kafka's, ZooKeeper server's, or either's (the ZooKeeper client, X509Util …). */
export function processOfClass(cls: string): 'kafka' | 'zookeeper' | undefined {
  table ??= classTable();
  const simple = simpleName(cls);
  if (LOGGING_TRAIT.has(simple) || KAFKA_START_CLASSES.includes(simple)) return 'kafka';
  const outer = outerClass(cls);
  if (table.zookeeper.has(outer)) return 'zookeeper';
  const logger = table.kafka.get(outer);
  return logger !== undefined && (logger.startsWith('kafka.') || logger.startsWith('org.apache.kafka.')) ? 'kafka' : undefined;
}

/** Every pattern this module runs, for the regular-expression safety test. */
export const KAFKA_CLASS_PATTERNS: readonly RegExp[] = LOG_IDENTS.map((i) => i.ident);
