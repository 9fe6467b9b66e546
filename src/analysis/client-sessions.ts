import type { TimelineEvent } from '../timeline/event.js';

/**
 * Which ZooKeeper sessions are brokers': a ZooKeeper server's log holds every
 * client's session next to the brokers' — kafka-topics, zookeeper-shell and
 * other CLI tools open one for a few seconds and leave it to expire
 * (`Expiring session 0x…, timeout of 30000ms exceeded`), dozens per incident.
 * Those expiries say nothing about the cluster. A broker's session is the one
 * its own log established (`Session establishment complete on server …,
 * sessionid = 0x…, negotiated timeout = 6000`).
 *
 * Kept to one small state and two pure steps over events in time order, so
 * that a richer session map (from the window engine) can replace it.
 */
export interface BrokerSessions {
  /** Session id → the broker whose log established it. */
  sessions: Map<string, string>;
  /** Timeouts the brokers negotiated: an expiry with one of these may be a broker whose log is missing. */
  timeouts: Set<number>;
}

export function brokerSessions(): BrokerSessions {
  return { sessions: new Map(), timeouts: new Set() };
}

function sessionOf(e: TimelineEvent, signal: string): string | undefined {
  const effect = e.rule?.effect;
  if (!effect || effect.signal !== signal || !('field' in effect)) return undefined;
  const v = e.fields[effect.field];
  return typeof v === 'string' ? v.toLowerCase() : undefined;
}

/** Records a broker's session when `e` is a broker log's session establishment. */
export function noteBrokerSession(state: BrokerSessions, e: TimelineEvent): void {
  if (e.nodeKind !== 'kafka-broker') return;
  const session = sessionOf(e, 'session-established');
  if (session === undefined) return;
  state.sessions.set(session, e.node);
  const timeout = e.fields['timeoutMs'];
  if (typeof timeout === 'number') state.timeouts.add(timeout);
}

/**
 * Whether `e` is the expiry of a client's session, not a broker's: no broker
 * log established it and its timeout is none the brokers negotiated. False
 * when the logs cannot tell (no broker session seen, or no timeout given).
 */
export function isClientSessionExpiry(state: BrokerSessions, e: TimelineEvent): boolean {
  const session = sessionOf(e, 'session-expired');
  if (session === undefined || state.sessions.size === 0 || state.sessions.has(session)) return false;
  const timeout = e.fields['timeoutMs'];
  return typeof timeout === 'number' && !state.timeouts.has(timeout);
}
