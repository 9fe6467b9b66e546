import type { Rule } from '../schema.js';
import { ZOOKEEPER_QUORUM_RULES } from './zookeeper-quorum.js';
import { ZOOKEEPER_SESSION_RULES } from './zookeeper-sessions.js';

// ZooKeeper server lines (native layout and Kafka's layout). Samples come from
// seed 000 and ../research/message-catalogue.md §1.12.
export const ZOOKEEPER_RULES: readonly Rule[] = [...ZOOKEEPER_SESSION_RULES, ...ZOOKEEPER_QUORUM_RULES];
