import { describe, expect, it } from 'vitest';
import { brokerSessions, isClientSessionExpiry, noteBrokerSession } from '../../src/analysis/client-sessions.js';
import { defaultClassifier } from '../../src/catalogue/index.js';
import type { NodeKind } from '../../src/model/record.js';
import type { TimelineEvent } from '../../src/timeline/event.js';

/** A classified event from a log line's message, as the timeline makes it. */
function event(node: string, nodeKind: NodeKind, logger: string, message: string): TimelineEvent {
  const c = defaultClassifier().classify({ time: 0, level: 'INFO', logger, message, line: 1, continuation: [], folded: 0, outOfOrder: false, role: nodeKind });
  expect(c, message).toBeDefined();
  return { time: 0, node, nodeKind, file: 'f', line: 1, rule: c!.rule, category: c!.rule.category, severity: c!.rule.severity, message, fields: c!.fields, continuation: [] };
}

const established = (session: string, timeout: number) => event('broker-2', 'kafka-broker', 'org.apache.zookeeper.ClientCnxn',
  `Session establishment complete on server 127.0.0.1/127.0.0.1:32181, sessionid = ${session}, negotiated timeout = ${timeout}`);
const expired = (session: string, timeout: number) => event('zk-1', 'zookeeper', 'org.apache.zookeeper.server.ZooKeeperServer',
  `Expiring session ${session}, timeout of ${timeout}ms exceeded`);

describe('client sessions are not brokers\' sessions', () => {
  it('an expiry of a session no broker established, with a timeout no broker negotiated, is a client\'s', () => {
    const s = brokerSessions();
    noteBrokerSession(s, established('0x10000174e650001', 6000));
    expect(isClientSessionExpiry(s, expired('0x10000174e650001', 6000))).toBe(false);
    expect(isClientSessionExpiry(s, expired('0x10000174e65000d', 30000))).toBe(true);
    // A broker whose log is missing may own a session with the brokers' timeout: kept.
    expect(isClientSessionExpiry(s, expired('0x10000174e650009', 6000))).toBe(false);
  });

  it('without any broker session the logs cannot tell: nothing is dropped', () => {
    expect(isClientSessionExpiry(brokerSessions(), expired('0x10000174e65000d', 30000))).toBe(false);
  });
});
