import type { TimelineEvent } from '../timeline/event.js';
import { evidenceOf, type Evidence } from './window.js';

interface Sighting {
  time: number;
  evidence: Evidence;
}

/**
 * Who owns which ZooKeeper session, and what ZooKeeper saw of each. A
 * session belongs to a broker when the broker's own log names it (`Session
 * establishment complete … sessionid = 0x…`); every other session is a
 * client's (kafka-topics, zookeeper-shell, consumers of old versions): its
 * expiry says nothing about a broker.
 */
export class SessionMap {
  private readonly owners = new Map<string, { node: string; timeoutMs?: number }>();
  private readonly current = new Map<string, string>();
  private readonly closes = new Map<string, Sighting>();
  private readonly expiries = new Map<string, Sighting & { timeoutMs?: number }>();

  private readonly servers = new Map<string, number>();

  /** The node's ZooKeeper connect string (`host:port,host:port`): how many servers it tries in turn. */
  clientServers(node: string, connectString: string): void {
    const n = connectString.split(',').filter((x) => x.trim() !== '').length;
    if (n > 0) this.servers.set(node, n);
  }

  /** How many ZooKeeper servers the node's client tries in turn, when its log said. */
  serversOf(node: string): number | undefined {
    return this.servers.get(node);
  }

  established(node: string, session: string, timeoutMs: number | undefined): void {
    this.owners.set(session, { node, ...(timeoutMs !== undefined && { timeoutMs }) });
    this.current.set(node, session);
  }

  closed(session: string, e: TimelineEvent): void {
    this.closes.set(session, { time: e.time, evidence: evidenceOf(e) });
  }

  expired(session: string, timeoutMs: number | undefined, e: TimelineEvent): void {
    this.expiries.set(session, { time: e.time, evidence: evidenceOf(e), ...(timeoutMs !== undefined && { timeoutMs }) });
  }

  ownerOf(session: string): string | undefined {
    return this.owners.get(session)?.node;
  }

  /** The negotiated session timeout of the node's current session. */
  timeoutOf(node: string): number | undefined {
    const session = this.current.get(node);
    return session === undefined ? undefined : this.owners.get(session)?.timeoutMs;
  }

  sessionOf(node: string): string | undefined {
    return this.current.get(node);
  }

  /** ZooKeeper saw the node's current session's socket close in (after, upTo]. */
  closeOf(node: string, after: number, upTo: number): Sighting | undefined {
    const session = this.current.get(node);
    const c = session === undefined ? undefined : this.closes.get(session);
    return c && c.time > after && c.time <= upTo ? c : undefined;
  }

  /** ZooKeeper expired the node's current session at or before `upTo`. */
  expiryOf(node: string, upTo: number): (Sighting & { timeoutMs?: number }) | undefined {
    const session = this.current.get(node);
    const x = session === undefined ? undefined : this.expiries.get(session);
    return x && x.time <= upTo ? x : undefined;
  }
}
