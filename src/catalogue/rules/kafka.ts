import type { Rule } from '../schema.js';
import { KAFKA_BROKER_RULES } from './kafka-broker.js';
import { KAFKA_CONTROLLER_RULES } from './kafka-controller.js';
import { KAFKA_KRAFT_RULES } from './kafka-kraft.js';
import { KAFKA_NETWORK_RULES } from './kafka-network.js';
import { KAFKA_PARTITION_RULES } from './kafka-partition.js';
import { KAFKA_REPLICATION_RULES } from './kafka-replication.js';
import { KAFKA_ZK_CLIENT_RULES } from './kafka-zk-client.js';

// Kafka broker lines (server.log, controller.log, state-change.log) and the
// ZooKeeper client lines a broker prints. Each pattern accepts every wording
// from 0.10 to 4.x that ../research/message-catalogue.md quotes; samples come
// from seed 000/001 or that catalogue. Within one logger the first matching
// rule wins, so specific rules come before their catch-alls.
export const KAFKA_RULES: readonly Rule[] = [
  ...KAFKA_BROKER_RULES,
  ...KAFKA_ZK_CLIENT_RULES,
  ...KAFKA_REPLICATION_RULES,
  ...KAFKA_PARTITION_RULES,
  ...KAFKA_NETWORK_RULES,
  ...KAFKA_CONTROLLER_RULES,
  ...KAFKA_KRAFT_RULES,
];
