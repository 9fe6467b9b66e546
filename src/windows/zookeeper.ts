import type { TimelineEvent } from '../timeline/event.js';
import { addEvidence, evidenceOf, FIRST_LINE_AFTER_START_MS, restartEstimate, type Evidence, type Window, type WindowBook, type WindowContext } from './window.js';

/** Followers losing the leader this close together lost the same leader. */
const FOLLOWERS_AGREE_MS = 10_000;
/** A leader's GOODBYE follows its handler's error for that follower this soon. */
const LEARNER_GOODBYE_MS = 1000;
/** A new leader reaches broadcast this soon after it said LEADING. */
const SERVING_MS = 10_000;
/**
 * A quorum connection between two servers breaking this close to the lower
 * id's hand-over line (either side of it: the two are different hosts'
 * clocks) is that hand-over closing the older connection.
 */
const HANDOVER_MS = 1000;
/** How long an expiry waits for proof that its ZooKeeper leader was frozen. */
export const FALSE_ALARM_MS = 10_000;

export interface PendingExpiry {
  event: TimelineEvent;
  session: string;
}

/**
 * The ZooKeeper ensemble: servers down (dead: their sockets closed at once)
 * or unreachable (frozen or cut off: their peers waited out a read timeout,
 * and they came back without a restart), the quorum without a leader, and a
 * leader that woke up still acting as leader after the others replaced it.
 */
export class ZooKeeperTracker {
  private readonly down = new Map<string, Window>();
  private readonly state = new Map<string, string>();
  /** Servers seen serving (or connected to) once: one never up yet is not down. */
  private readonly everUp = new Set<string>();
  private readonly restarting = new Set<string>();
  private leader: string | undefined;
  private noLeader: Window | undefined;
  private staleLeader: Window | undefined;
  /** The quorum window last closed: `LEADER ELECTION TOOK` follows the bare state line. */
  private lastNoLeader: Window | undefined;
  private readonly leaderLostBy = new Map<string, { time: number; timedOut: boolean }>();
  pending: PendingExpiry[] = [];
  /** When a leader last timed out on one of its followers (the GOODBYE naming it follows at once). */
  private readonly learnerTimedOut = new Map<string, number>();
  /** The latest hand-over line of each pair of servers (pairKey). */
  private readonly handovers = new Map<string, number>();
  /** Down windows a broken connection opened, while a hand-over could still explain it: by the node down. */
  private readonly openedByBreak = new Map<string, { window: Window; reporter: string; at: number; state: string | undefined; evidence: Evidence }>();

  constructor(private readonly book: WindowBook, private readonly context: WindowContext) {}

  isDown(node: string): boolean {
    return this.down.has(node);
  }

  /** Expiries a ZooKeeper server logged just before it lost its own leadership are not real. */
  discardPendingOf(zkNode: string, why: string): void {
    const keep: PendingExpiry[] = [];
    for (const p of this.pending) {
      if (p.event.node === zkNode) this.book.falseAlarm(evidenceOf(p.event), why);
      else keep.push(p);
    }
    this.pending = keep;
  }

  idOf(text: string): string | undefined {
    if (/^\d+$/.test(text)) return text;
    const host = text.replace(/^\//, '').replace(/^[^/]*\//, '').replace(/:\d+$/, '');
    return this.context.zkAddresses.get(host) ?? this.context.zkAddresses.get(text.replace(/^\//, '').replace(/:\d+$/, ''));
  }

  learnerError(e: TimelineEvent, timedOut: boolean): void {
    if (timedOut) this.learnerTimedOut.set(e.node, e.time);
    else this.learnerTimedOut.delete(e.node);
  }

  starting(e: TimelineEvent): void {
    this.restarting.add(e.node);
    this.state.delete(e.node);
    const w = this.down.get(e.node);
    if (w) {
      if (w.kind === 'zk-node-unreachable') {
        // Silent, then back only through a restart: the process or its host
        // died without closing its sockets (power loss, kernel panic).
        this.book.setKind(w, 'zk-node-down');
        w.reason = `${w.reason}; it came back only through a restart, so it had died`;
      }
      w.track.restarting = true;
      w.track.firstSignOfLife ??= { time: e.time, evidence: evidenceOf(e) };
      addEvidence(w, evidenceOf(e));
    }
  }

  /** A line of the node itself: the first one after it went away says it is back (process up, not yet serving). */
  /** Whether noteLine may do anything with a line of `node`: a window of it is open, its first sign of life not yet seen. */
  watches(node: string): boolean {
    const w = this.down.get(node);
    return w !== undefined && w.track.firstSignOfLife === undefined;
  }

  noteLine(e: TimelineEvent): void {
    const w = this.down.get(e.node);
    if (!w || w.track.firstSignOfLife !== undefined || e.time <= w.start) return;
    const last = this.book.lastSeen.get(e.node);
    if (last && e.time - last.time <= 1000 && last.time > w.start) return;
    w.track.firstSignOfLife = { time: e.time, evidence: evidenceOf(e) };
    if (this.restarting.has(e.node) || w.kind !== 'zk-node-unreachable') return;
    // Back without a restart: it was frozen or cut off. Until it steps down
    // it may still act as the leader the others have replaced.
    this.book.close(w, e.time, e.time, { how: 'its first line after the silence (no restart in between)', evidence: evidenceOf(e) });
    addEvidence(w, evidenceOf(e));
    this.down.delete(e.node);
    if (w.details.wasLeader === true && this.leader !== e.node && !this.staleLeader) {
      this.staleLeader = this.book.open({
        kind: 'zk-stale-leader', node: e.node, start: e.time, startBounds: [e.time, e.time], confidence: 'medium',
        startSource: { how: 'its first line after it was replaced as leader', evidence: evidenceOf(e) },
        reason: `${e.node} came back still acting as the leader the others had replaced; what it logged until it stepped down (session expiries among them) is not the ensemble's state`,
      });
      addEvidence(this.staleLeader, evidenceOf(e));
    }
  }

  /**
   * `e.node` reached `sid` and handed the connection over (it has the lower
   * id). A broken connection between the two already taken for a death
   * (the other host's clock ahead) is withdrawn: both were up.
   */
  handedOver(sid: string, e: TimelineEvent): void {
    if (!sid) return;
    const peer = `zk-${sid}`;
    if (peer === e.node) return;
    this.handovers.set(pairKey(e.node, peer), e.time);
    for (const node of [e.node, peer]) {
      const opened = this.openedByBreak.get(node);
      if (!opened || opened.reporter !== (node === peer ? e.node : peer) || e.time - opened.at > HANDOVER_MS) continue;
      this.openedByBreak.delete(node);
      const w = opened.window;
      const stillOpen = this.down.get(node) === w;
      // Closed already (its server logged FOLLOWING in between): withdrawn too while it is held.
      if (!stillOpen && (w.end === null || !this.book.windows.includes(w))) continue;
      this.book.remove(w);
      if (stillOpen) {
        this.down.delete(node);
        if (opened.state !== undefined) this.state.set(node, opened.state);
      }
      this.book.falseAlarm(opened.evidence, handoverWhy(e.node, peer));
    }
  }

  /** A quorum connection to `sid` broke: a death, unless it was a hand-over's doing. */
  connectionBroke(sid: string, e: TimelineEvent): void {
    if (!sid) return;
    const node = `zk-${sid}`;
    const at = this.handovers.get(pairKey(node, e.node));
    if (at !== undefined && Math.abs(e.time - at) <= HANDOVER_MS) {
      this.book.falseAlarm(evidenceOf(e), handoverWhy(node, e.node));
      return;
    }
    const before = this.down.get(node);
    const state = this.state.get(node);
    this.peerLost(sid, e, "a serving peer's quorum connection to it broke", ['FOLLOWING', 'LEADING', undefined], true);
    const opened = this.down.get(node);
    if (opened && opened !== before && opened.details.wasLeader !== true) {
      this.openedByBreak.set(node, { window: opened, reporter: e.node, at: e.time, state, evidence: evidenceOf(e) });
    }
  }

  /**
   * A peer lost `sid`. Whether that means `sid` went away depends on the
   * reporter: while an ensemble starts, every server fails to reach the ones
   * not up yet, and connections break and re-form during every election; a
   * serving server (or one whose state the logs have not shown yet, for a
   * connection that had been established) losing a peer that had been up
   * means it went away. Only a leader has followers to lose, so `leader`
   * accepts any reporter.
   */
  peerLost(sid: string, e: TimelineEvent, why: string, reporterStates: readonly (string | undefined)[] | 'leader', wasConnected: boolean): void {
    if (!sid) return;
    const node = `zk-${sid}`;
    if (node === e.node) return;
    const open = this.down.get(node);
    if (open) {
      addEvidence(open, evidenceOf(e));
      return;
    }
    if (this.down.has(e.node)) return;
    if (!wasConnected && !this.everUp.has(node)) return;
    let silent = false;
    if (reporterStates === 'leader') {
      if (this.leader !== undefined && this.leader !== e.node) return;
      this.leader = e.node;
      const timedOutAt = this.learnerTimedOut.get(e.node);
      silent = timedOutAt !== undefined && e.time - timedOutAt <= LEARNER_GOODBYE_MS;
    } else if (!reporterStates.includes(this.state.get(e.node))) {
      return;
    }
    this.nodeDown(node, e, silent ? 'the leader timed out waiting for it' : why, e.time, silent);
  }

  /**
   * Peers notice a ZooKeeper server's death at once (a broken quorum
   * connection, EOF), so its window starts there, its own last line the
   * earliest bound. A server that went silent (its followers waited out a
   * read timeout) went away at its last line: that is its start.
   */
  private nodeDown(node: string, e: TimelineEvent, why: string, detectedAt: number, silent: boolean): void {
    const last = this.book.lastSeen.get(node);
    const earliest = last && last.time <= detectedAt ? last.time : detectedAt;
    const start = silent ? earliest : detectedAt;
    const w = this.book.open({
      kind: silent ? 'zk-node-unreachable' : 'zk-node-down', node, start, startBounds: [earliest, detectedAt],
      startSource: silent
        ? { how: 'its last line: its peers waited out a read timeout, so it had gone silent (frozen or cut off) by then', evidence: last?.evidence ?? evidenceOf(e) }
        : { how: 'a peer saw its connection break (a dead process closes its sockets at once)', evidence: evidenceOf(e) },
      confidence: last ? 'medium' : 'low',
      reason: `${why}${last ? '' : '; none of its own logs were given'}`,
      details: { noticedAt: detectedAt, ...(this.leader === node && { wasLeader: true }) },
    });
    if (last) addEvidence(w, last.evidence);
    addEvidence(w, evidenceOf(e));
    this.down.set(node, w);
    this.state.delete(node);
    if (this.leader === node) this.openNoLeader(start, e, `the leader ${node} ${silent ? 'went silent' : 'went away'}`, node, [earliest, detectedAt]);
  }

  /** The ensemble lost its leader (`node`: the leader that was lost). */
  private openNoLeader(start: number, e: TimelineEvent, why: string, node = this.leader ?? e.node, bounds: [number, number] = [start, e.time]): void {
    this.leader = undefined;
    if (this.noLeader) {
      addEvidence(this.noLeader, evidenceOf(e));
      return;
    }
    this.noLeader = this.book.open({
      kind: 'zk-quorum-lost', node, start, startBounds: bounds, confidence: 'high',
      startSource: { how: why, evidence: evidenceOf(e) },
      reason: `the ZooKeeper ensemble had no leader: ${why}`,
    });
    addEvidence(this.noLeader, evidenceOf(e));
  }

  leaderLost(e: TimelineEvent, timedOut: boolean): void {
    this.leaderLostBy.set(e.node, { time: e.time, timedOut });
    if (!this.leader || this.noLeader) {
      if (this.noLeader) addEvidence(this.noLeader, evidenceOf(e));
      return;
    }
    // One follower losing the leader may be that follower's own trouble; all
    // the followers we know of losing it means the leader is gone.
    const followers = [...this.state.keys()].filter((n) => n !== this.leader);
    const lost = followers.filter((n) => (this.leaderLostBy.get(n)?.time ?? -Infinity) >= e.time - FOLLOWERS_AGREE_MS);
    if (lost.length < Math.max(1, followers.length)) return;
    const first = Math.min(...lost.map((n) => this.leaderLostBy.get(n)!.time));
    const silent = lost.some((n) => this.leaderLostBy.get(n)!.timedOut);
    const gone = this.leader;
    if (!this.down.has(gone)) {
      this.nodeDown(gone, e, silent ? 'every follower timed out waiting for this leader' : 'every follower lost its connection to this leader', first, silent);
    } else {
      this.openNoLeader(first, e, 'its followers lost the leader');
    }
  }

  steppedDown(e: TimelineEvent): void {
    this.discardPendingOf(e.node, `logged by ${e.node} just before it stepped down as leader: a leader that was frozen or cut off expires sessions it could not see, so these sessions were not really lost`);
    const wasLeader = this.leader === undefined || this.leader === e.node;
    this.state.set(e.node, 'LOOKING');
    this.closeStale(e);
    if (!wasLeader) return;
    // The leader lost its quorum when a follower it needed died: the quorum
    // was gone from that death, not from the step-down a tick or two later.
    const deaths = [...this.down.values()].filter((w) => w.node !== e.node && w.start <= e.time);
    const cause = deaths.length > 0 ? deaths.reduce((a, b) => (a.start > b.start ? a : b)) : undefined;
    if (cause) {
      this.openNoLeader(cause.start, e, `${e.node} stepped down when ${cause.node} went away and it had no quorum left`, e.node, cause.startBounds ?? [cause.start, e.time]);
      if (this.noLeader && cause.evidence[0]) addEvidence(this.noLeader, cause.evidence[cause.evidence.length - 1]!);
    } else {
      this.openNoLeader(e.time, e, `${e.node} stepped down (${e.rule?.title ?? 'leader shutdown'})`, e.node);
    }
  }

  private closeStale(e: TimelineEvent): void {
    if (!this.staleLeader || this.staleLeader.node !== e.node) return;
    addEvidence(this.staleLeader, evidenceOf(e));
    this.book.close(this.staleLeader, e.time, e.time, { how: 'it stepped down / went back to LOOKING', evidence: evidenceOf(e) });
    this.book.retire(this.staleLeader);
    this.staleLeader = undefined;
  }

  /**
   * The new leader serving (`leading - broadcast`, 3.6+) is when the ensemble
   * answered again: the LEADING line that closed the quorum window came a
   * few hundred milliseconds before, while it was still syncing followers.
   */
  zabState(e: TimelineEvent, state: string, zab: string): void {
    if (state !== 'leading' || zab !== 'broadcast') return;
    const w = this.lastNoLeader;
    if (!w || w.end === null || e.time < w.end || e.time - w.end > SERVING_MS || w.details.servingAt !== undefined) return;
    const leadingAt = w.end;
    this.book.close(w, e.time, leadingAt, { how: 'the new leader was serving (leading - broadcast)', evidence: evidenceOf(e) });
    w.details.servingAt = e.time;
    addEvidence(w, evidenceOf(e));
  }

  stateChange(e: TimelineEvent, state: string): void {
    const previous = this.state.get(e.node);
    this.state.set(e.node, state);
    if (state === 'LOOKING') {
      this.closeStale(e);
      if (previous === 'LEADING') {
        this.discardPendingOf(e.node, `logged by ${e.node} just before it lost leadership: these sessions were not really lost`);
        this.openNoLeader(e.time, e, `the leader ${e.node} went back to LOOKING`);
      }
      return;
    }
    if (state !== 'LEADING' && state !== 'FOLLOWING' && state !== 'OBSERVING') return;
    const took = e.fields.tookMs;
    if (typeof took === 'number' && this.lastNoLeader?.end != null && e.time - this.lastNoLeader.end <= 5000 && this.lastNoLeader.details.electionTookMs === undefined) {
      this.lastNoLeader.details.electionTookMs = took;
    }
    this.everUp.add(e.node);
    this.restarting.delete(e.node);
    this.leaderLostBy.delete(e.node);
    if (state === 'LEADING') this.leader = e.node;
    const down = this.down.get(e.node);
    if (down) {
      addEvidence(down, evidenceOf(e));
      // Down until its process ran again; serving again is the latest bound.
      const first = down.track.firstSignOfLife;
      // A node the ensemble took for dead came back through a restart, said
      // or not (older servers log no start-up banner the rules know).
      if (first && first.time < e.time) {
        const typical = FIRST_LINE_AFTER_START_MS.zookeeper;
        const { at, earliest } = restartEstimate(first.time, Math.max(down.start, Number(down.details.noticedAt ?? down.start)), typical);
        this.book.close(down, at, earliest, {
          how: `its first line back, less a ZooKeeper server's typical start-up before its first line (${typical / 1000} s); it was serving again at the latest bound`,
          evidence: first.evidence,
        }, e.time);
      } else {
        this.book.close(down, e.time, e.time, { how: `it was ${state} again`, evidence: evidenceOf(e) });
      }
      down.details.servingAgainAt = e.time;
      this.down.delete(e.node);
    }
    if (this.noLeader && state !== 'OBSERVING') {
      addEvidence(this.noLeader, evidenceOf(e));
      if (typeof e.fields.tookMs === 'number') this.noLeader.details.electionTookMs = e.fields.tookMs;
      this.book.close(this.noLeader, e.time, e.time, { how: `a server was ${state} again`, evidence: evidenceOf(e) });
      this.lastNoLeader = this.noLeader;
      this.noLeader = undefined;
    }
  }
}

/** The two servers of a quorum connection, in one order whichever reports it. */
function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Why a broken connection between `a` and `b` (either order) was a hand-over's. */
function handoverWhy(a: string, b: string): string {
  const id = (n: string) => Number(n.replace(/^zk-/, ''));
  const [low, high] = id(a) < id(b) ? [a, b] : [b, a];
  return `the quorum connection between ${low} and ${high} was replaced, not lost: ${low} had just reached ${high} and handed the connection over (ZooKeeper keeps the one the higher id opens), which closes the older one`;
}
