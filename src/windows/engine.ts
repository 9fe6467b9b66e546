import type { Effect } from '../catalogue/schema.js';
import type { FieldValue } from '../catalogue/fields.js';
import type { WindowKind } from '../model/window.js';
import type { TimelineEvent } from '../timeline/event.js';

/** A line that supports a window; time null for snapshot lines without one. */
export interface Evidence {
  file: string;
  line: number;
  time: number | null;
  ruleId: string | null;
  text: string;
}

export interface Window {
  kind: WindowKind;
  node?: string;
  topic?: string;
  partition?: number;
  start: number;
  end: number | null;
  /** earliest = last sign of life, latest = when the cluster noticed. */
  startBounds: [number, number] | null;
  endBounds: [number, number] | null;
  confidence: 'high' | 'medium' | 'low';
  reason: string;
  details: Record<string, string | number | boolean | number[]>;
  evidence: Evidence[];
  evidenceOmitted: number;
  /** The engine's bookkeeping; not part of the output. */
  track: Track;
}

interface Track {
  /** When the cluster noticed (for windows opened by detection). */
  detectedAt?: number;
  /** The node logged a restart: its lines are its comeback, not signs it lived on. */
  restarting?: boolean;
  firstSignOfLife?: number;
  /** The node's own lines after the cluster gave up on it. */
  alive: number;
  aliveEvidence?: Evidence;
}

export interface FalseAlarm extends Evidence {
  why: string;
}

/** What the folder says besides the logs: replica assignments and ZooKeeper addresses. */
export interface WindowContext {
  /** `topic-N` → replica broker ids, with the snapshot line that says so. */
  replicas: Map<string, { replicas: number[]; evidence: Evidence }>;
  /** Host or IP a ZooKeeper server answers on → its id. */
  zkAddresses: Map<string, string>;
}

const MAX_EVIDENCE = 12;
/** A node silent this long before it logs a restart was down, not idle. */
const RESTART_SILENCE_MS = 60_000;
/** How long an expiry waits for proof that its ZooKeeper leader was frozen. */
const FALSE_ALARM_MS = 10_000;
/** Truncation this long after a broker's outage or isolation ends is its aftermath. */
const STALE_LEADER_MS = 15 * 60_000;

function evidenceOf(e: TimelineEvent): Evidence {
  return { file: e.file, line: e.line, time: e.time, ruleId: e.rule?.id ?? null, text: e.message };
}

function addEvidence(w: Window, ev: Evidence): void {
  if (w.evidence.some((x) => x.file === ev.file && x.line === ev.line)) return;
  if (w.evidence.length < MAX_EVIDENCE) w.evidence.push(ev);
  else w.evidenceOmitted++;
}

function asList(v: FieldValue | undefined): (string | number)[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function asIds(v: FieldValue | undefined): number[] {
  return asList(v).map(Number).filter((n) => Number.isInteger(n) && n >= 0);
}

function splitPartition(p: string): { topic: string; partition: number } {
  const dash = p.lastIndexOf('-');
  return { topic: p.slice(0, dash), partition: Number(p.slice(dash + 1)) };
}

interface LastSeen {
  time: number;
  evidence: Evidence;
}

interface PendingExpiry {
  event: TimelineEvent;
  session: string;
}

/**
 * Infers outage windows from the merged timeline. Streaming: it keeps state
 * per node, session and partition, never the events themselves. Which
 * events open or close windows is data (each rule's `effect`); this class
 * interprets those signals.
 */
export class WindowEngine {
  readonly windows: Window[] = [];
  readonly falseAlarms: FalseAlarm[] = [];
  private readonly lastSeen = new Map<string, LastSeen>();
  private readonly firstSeen = new Map<string, number>();
  private readonly brokerDown = new Map<string, Window>();
  private readonly cleanStop = new Set<string>();
  private readonly zkDown = new Map<string, Window>();
  private readonly zkState = new Map<string, string>();
  private leader: string | undefined;
  private noLeader: Window | undefined;
  private readonly leaderLostBy = new Map<string, number>();
  private readonly offline = new Map<string, Window>();
  private readonly underReplicated = new Map<string, Window & { fullSize: number }>();
  private readonly isolated = new Map<string, Window>();
  private readonly sessionOwner = new Map<string, string>();
  private pending: PendingExpiry[] = [];
  private readonly fenced = new Map<string, Window>();
  /** The KRaft quorum leader last known and its epoch. */
  private raft: { leader: string; epoch: number } | undefined;
  private raftLeaderless: (Window & { epochBefore: number; leaderBefore: string }) | undefined;

  constructor(private readonly context: WindowContext = { replicas: new Map(), zkAddresses: new Map() }) {}

  /** Feeds one event (classified or not) in time order. */
  push(e: TimelineEvent): void {
    this.flushPending(e.time);
    const effect = e.rule?.effect;
    if (effect) this.apply(effect, e);
    this.noteAlive(e);
    if (!this.firstSeen.has(e.node)) this.firstSeen.set(e.node, e.time);
    this.lastSeen.set(e.node, { time: e.time, evidence: evidenceOf(e) });
  }

  /** Closes the stream: infers RF-based windows and returns every window by start. */
  finish(): Window[] {
    this.flushPending(Number.POSITIVE_INFINITY);
    this.reclassifyLiveBrokers();
    this.inferOfflineFromReplicas();
    return [...this.windows].sort((a, b) => a.start - b.start || kindOrder(a.kind) - kindOrder(b.kind));
  }

  /**
   * A broker the cluster gave up on but which kept logging was cut off, not
   * down: the window becomes (or joins) an `isolated` one.
   */
  private reclassifyLiveBrokers(): void {
    for (const w of [...this.windows]) {
      if (w.kind !== 'broker-down' || w.track.alive === 0 || w.track.restarting) continue;
      const why = `the cluster gave up on it (${w.reason}) but it kept logging (${w.track.alive} lines): it was cut off, not down`;
      if (w.track.aliveEvidence) addEvidence(w, w.track.aliveEvidence);
      const twin = this.windows.find((x) => x.kind === 'isolated' && x.node === w.node &&
        x.start <= (w.end ?? Infinity) && (x.end ?? Infinity) >= w.start);
      if (twin) {
        for (const ev of w.evidence) addEvidence(twin, ev);
        twin.reason = `${twin.reason}; ${why}`;
        this.windows.splice(this.windows.indexOf(w), 1);
      } else {
        w.kind = 'isolated';
        w.reason = why;
      }
    }
  }

  private open(w: Omit<Window, 'evidence' | 'evidenceOmitted' | 'details' | 'end' | 'endBounds' | 'track'> & Partial<Pick<Window, 'details' | 'track'>>): Window {
    const window: Window = { end: null, endBounds: null, details: {}, evidence: [], evidenceOmitted: 0, track: { alive: 0 }, ...w };
    this.windows.push(window);
    return window;
  }

  private close(w: Window, end: number, earliest = end): void {
    w.end = Math.max(end, w.start);
    w.endBounds = [Math.min(earliest, w.end), w.end];
  }

  private apply(effect: Effect, e: TimelineEvent): void {
    const f = e.fields;
    switch (effect.signal) {
      case 'broker-stopping': return this.brokerStopping(e);
      case 'broker-starting': return this.brokerStarting(e);
      case 'broker-started': return this.brokerStarted(e);
      case 'brokers-lost':
        for (const id of asIds(f[effect.field])) this.brokerLost(`broker-${id}`, e, 'the controller removed it from the live brokers');
        return;
      case 'brokers-joined':
        for (const id of asIds(f[effect.field])) this.brokerJoined(`broker-${id}`, e);
        return;
      case 'session-established': {
        const session = String(f[effect.field] ?? '');
        if (session) this.sessionOwner.set(session, e.node);
        const iso = this.isolated.get(e.node);
        if (iso) {
          addEvidence(iso, evidenceOf(e));
          iso.details.reconnectedSession = session;
          this.close(iso, e.time);
          this.isolated.delete(e.node);
        }
        return;
      }
      case 'session-expired': {
        const session = String(f[effect.field] ?? '');
        if (session) this.pending.push({ event: e, session });
        return;
      }
      case 'zk-contact-lost': return this.contactLost(e);
      case 'zk-peer-unreachable':
        return this.zkPeerLost(String(f[effect.field] ?? ''), e, 'a serving peer could not open a connection to it', ['FOLLOWING', 'LEADING']);
      case 'zk-peer-lost':
        return this.zkPeerLost(String(f[effect.field] ?? ''), e, "a serving peer's quorum connection to it broke", ['FOLLOWING', 'LEADING', undefined]);
      case 'zk-follower-lost': {
        const raw = String(f[effect.field] ?? '');
        return this.zkPeerLost(this.zkIdOf(raw) ?? '', e, 'the leader lost its connection to it', 'leader');
      }
      case 'zk-leader-lost': return this.zkLeaderLost(e);
      case 'zk-leader-stepped-down': return this.zkSteppedDown(e);
      case 'zk-state': return this.zkStateChange(e, String(f[effect.field] ?? '').toUpperCase());
      case 'partition-offline':
        for (const p of asList(f[effect.field])) this.partitionOffline(String(p), e);
        return;
      case 'partition-online':
        for (const p of asList(f[effect.field])) this.partitionOnline(String(p), e);
        return;
      case 'isr-change': return this.isrChange(effect, e);
      case 'truncation': return this.truncation(effect, e);
      case 'broker-fenced':
        for (const id of asIds(f[effect.field])) {
          this.brokerFenced(`broker-${id}`, e);
          this.brokerLost(`broker-${id}`, e, 'the KRaft controller fenced it (its session timed out)');
        }
        return;
      case 'broker-unfenced':
        for (const id of asIds(f[effect.field])) this.brokerUnfenced(`broker-${id}`, e);
        return;
      case 'raft-leader': return this.raftLeader(f[effect.leader], Number(f[effect.epoch]), e);
      case 'raft-leaderless': return this.raftNoLeader(Number(f[effect.epoch]), e);
    }
  }

  // --- KRaft -------------------------------------------------------------

  private brokerFenced(node: string, e: TimelineEvent): void {
    const open = this.fenced.get(node);
    if (open) {
      addEvidence(open, evidenceOf(e));
      return;
    }
    const w = this.open({
      kind: 'broker-fenced', node, start: e.time, startBounds: [e.time, e.time], confidence: 'high',
      reason: 'the KRaft controller fenced it: its session timed out, so it led no partition and was out of every ISR',
    });
    addEvidence(w, evidenceOf(e));
    this.fenced.set(node, w);
  }

  private brokerUnfenced(node: string, e: TimelineEvent): void {
    const open = this.fenced.get(node);
    if (!open || e.time < open.start) return;
    addEvidence(open, evidenceOf(e));
    this.close(open, e.time);
    this.fenced.delete(node);
  }

  /**
   * A node says who leads the KRaft quorum at an epoch (its own Leader state,
   * a Follower state, the active controller's activation). A leader at a
   * newer epoch ends a leaderless window; the same leader at the same epoch
   * means only the reporter had doubted it (a follower's pre-vote, a node
   * starting up), which is not a quorum without a leader.
   */
  private raftLeader(leader: FieldValue | undefined, epoch: number, e: TimelineEvent): void {
    if (!Number.isInteger(epoch)) return;
    const id = Number(leader);
    if (!Number.isInteger(id) || id < 0) {
      this.raftNoLeader(epoch, e);
      return;
    }
    if (this.raft && epoch < this.raft.epoch) return;
    const node = `broker-${id}`;
    const open = this.raftLeaderless;
    if (open) {
      if (epoch > open.epochBefore || node !== open.leaderBefore) {
        addEvidence(open, evidenceOf(e));
        open.details.epochAfter = epoch;
        open.details.leaderAfter = id;
        open.reason = `${open.reason}; ${node} leads from epoch ${epoch}`;
        this.close(open, e.time);
      } else {
        this.windows.splice(this.windows.indexOf(open), 1);
        for (const ev of open.evidence.filter((x) => x.time !== null && x.time >= open.start)) {
          this.falseAlarms.push({ ...ev, why: `${node} still led the KRaft quorum at epoch ${epoch} afterwards: only the node reporting this doubted the leader (pre-vote, start-up), the quorum kept it` });
        }
      }
      this.raftLeaderless = undefined;
    }
    this.raft = { leader: node, epoch };
  }

  /** A node has no quorum leader at `epoch`: the quorum may have lost it. */
  private raftNoLeader(epoch: number, e: TimelineEvent): void {
    if (!Number.isInteger(epoch) || !this.raft || epoch < this.raft.epoch) return;
    if (this.raftLeaderless) {
      addEvidence(this.raftLeaderless, evidenceOf(e));
      return;
    }
    const { leader, epoch: epochBefore } = this.raft;
    const last = leader !== e.node ? this.lastSeen.get(leader) : undefined;
    const earliest = last && last.time <= e.time ? last.time : e.time;
    const w = this.open({
      kind: 'controller-quorum-leaderless', node: leader, start: e.time, startBounds: [earliest, e.time], confidence: 'medium',
      reason: leader === e.node
        ? `the KRaft controller quorum had no leader: its leader ${leader} (epoch ${epochBefore}) gave up leadership`
        : `the KRaft controller quorum had no leader: ${e.node} lost its leader ${leader} (epoch ${epochBefore}) and started an election`,
      details: { epochBefore, leaderBefore: Number(leader.slice('broker-'.length)) },
    });
    if (last) addEvidence(w, last.evidence);
    addEvidence(w, evidenceOf(e));
    this.raftLeaderless = Object.assign(w, { epochBefore, leaderBefore: leader });
  }

  // --- brokers ---------------------------------------------------------

  private brokerStopping(e: TimelineEvent): void {
    if (this.brokerDown.has(e.node)) return;
    const w = this.open({
      kind: 'broker-down', node: e.node, start: e.time, startBounds: [e.time, e.time],
      confidence: 'high', reason: 'the broker logged its own shutdown',
    });
    addEvidence(w, evidenceOf(e));
    this.brokerDown.set(e.node, w);
    this.cleanStop.add(e.node);
  }

  private brokerLost(node: string, e: TimelineEvent, why: string): void {
    const open = this.brokerDown.get(node);
    if (open) {
      addEvidence(open, evidenceOf(e));
      if (open.track.detectedAt === undefined) open.track.detectedAt = e.time;
      return;
    }
    const last = this.lastSeen.get(node);
    const start = last && last.time <= e.time ? last.time : e.time;
    const w = this.open({
      kind: 'broker-down', node, start, startBounds: [start, e.time],
      confidence: last ? 'medium' : 'low',
      reason: `${why}${last ? '; it was last heard from at the start of this window' : '; none of its own logs were given'}`,
      track: { detectedAt: e.time, alive: 0 },
    });
    if (last) addEvidence(w, last.evidence);
    addEvidence(w, evidenceOf(e));
    this.brokerDown.set(node, w);
  }

  private brokerStarting(e: TimelineEvent): void {
    const open = this.brokerDown.get(e.node);
    if (open) {
      open.track.restarting = true;
      open.track.firstSignOfLife = e.time;
      addEvidence(open, evidenceOf(e));
      return;
    }
    const last = this.lastSeen.get(e.node);
    if (last && !this.cleanStop.has(e.node) && e.time - last.time > RESTART_SILENCE_MS) {
      const w = this.open({
        kind: 'broker-down', node: e.node, start: last.time, startBounds: [last.time, last.time],
        confidence: 'medium',
        reason: 'its log went silent with no shutdown and its next line is a restart: it died without a word',
        track: { restarting: true, firstSignOfLife: e.time, alive: 0 },
      });
      addEvidence(w, last.evidence);
      addEvidence(w, evidenceOf(e));
      this.brokerDown.set(e.node, w);
    }
    this.cleanStop.delete(e.node);
  }

  private brokerStarted(e: TimelineEvent): void {
    const open = this.brokerDown.get(e.node);
    this.cleanStop.delete(e.node);
    if (!open) return;
    addEvidence(open, evidenceOf(e));
    const earliest = typeof open.track.firstSignOfLife === 'number' ? open.track.firstSignOfLife : e.time;
    this.close(open, e.time, earliest);
    this.brokerDown.delete(e.node);
  }

  private brokerJoined(node: string, e: TimelineEvent): void {
    const open = this.brokerDown.get(node);
    if (!open || e.time < open.start) return;
    addEvidence(open, evidenceOf(e));
    const earliest = typeof open.track.firstSignOfLife === 'number' ? open.track.firstSignOfLife : e.time;
    this.close(open, e.time, earliest);
    this.brokerDown.delete(node);
  }

  /** A record of a node: a sign of life for windows that say it is gone. */
  private noteAlive(e: TimelineEvent): void {
    const down = this.brokerDown.get(e.node);
    if (down && down.track.detectedAt !== undefined && !down.track.restarting && e.time > Number(down.track.detectedAt)) {
      down.track.alive++;
      down.track.aliveEvidence ??= evidenceOf(e);
    }
    const zk = this.zkDown.get(e.node);
    if (zk && zk.track.firstSignOfLife === undefined && e.time > zk.start) {
      const last = this.lastSeen.get(e.node);
      // The first own line after a silence: the process is back (not yet serving).
      if (!last || e.time - last.time > 1000 || last.time <= zk.start) zk.track.firstSignOfLife = e.time;
    }
  }

  private contactLost(e: TimelineEvent): void {
    const open = this.isolated.get(e.node);
    if (open) {
      addEvidence(open, evidenceOf(e));
      return;
    }
    const w = this.open({
      kind: 'isolated', node: e.node, start: e.time, startBounds: [e.time, e.time], confidence: 'medium',
      reason: 'the broker kept running but lost contact with ZooKeeper',
    });
    addEvidence(w, evidenceOf(e));
    this.isolated.set(e.node, w);
  }

  // --- sessions and false alarms --------------------------------------

  private flushPending(now: number): void {
    if (this.pending.length === 0) return;
    const due = this.pending.filter((p) => now - p.event.time > FALSE_ALARM_MS);
    if (due.length === 0) return;
    this.pending = this.pending.filter((p) => now - p.event.time <= FALSE_ALARM_MS);
    for (const p of due) {
      const owner = this.sessionOwner.get(p.session);
      if (owner !== undefined) this.brokerLost(owner, p.event, `ZooKeeper expired its session ${p.session}`);
    }
  }

  /** Expiries a ZooKeeper server logged just before it lost its own leadership are not real. */
  private discardPendingOf(zkNode: string, why: string): void {
    const keep: PendingExpiry[] = [];
    for (const p of this.pending) {
      if (p.event.node === zkNode) this.falseAlarms.push({ ...evidenceOf(p.event), why });
      else keep.push(p);
    }
    this.pending = keep;
  }

  // --- ZooKeeper ensemble --------------------------------------------

  private zkIdOf(text: string): string | undefined {
    if (/^\d+$/.test(text)) return text;
    const host = text.replace(/^\//, '').replace(/^[^/]*\//, '').replace(/:\d+$/, '');
    return this.context.zkAddresses.get(host) ?? this.context.zkAddresses.get(text.replace(/^\//, '').replace(/:\d+$/, ''));
  }

  /**
   * A peer lost `sid`. Whether that means `sid` went away depends on the
   * reporter: while an ensemble starts, every server fails to reach the ones
   * not up yet, and connections break and re-form during every election; a
   * serving server (or one whose state the logs have not shown yet, for a
   * connection that had been established) losing a peer means it went away.
   * Only a leader has followers to lose, so `leader` accepts any reporter.
   */
  private zkPeerLost(sid: string, e: TimelineEvent, why: string, reporterStates: readonly (string | undefined)[] | 'leader'): void {
    if (!sid) return;
    const node = `zk-${sid}`;
    if (node === e.node) return;
    const open = this.zkDown.get(node);
    if (open) {
      addEvidence(open, evidenceOf(e));
      return;
    }
    // A server the others consider gone (frozen, cut off) reports its own
    // isolation, not its peers' deaths.
    if (this.zkDown.has(e.node)) return;
    if (reporterStates === 'leader') {
      // A deposed leader waking up closes its old followers' sockets.
      if (this.leader !== undefined && this.leader !== e.node) return;
      this.leader = e.node;
    } else if (!reporterStates.includes(this.zkState.get(e.node))) {
      return;
    }
    this.zkNodeDown(node, e, why);
  }

  /**
   * Peers notice a ZooKeeper server's death at once (a broken quorum
   * connection, EOF), unlike a broker's, which ZooKeeper notices only after a
   * session timeout: so the window starts at the detection, and the server's
   * own last line, often long before on an idle ensemble, is the earliest bound.
   */
  private zkNodeDown(node: string, e: TimelineEvent, why: string, detectedAt = e.time): void {
    const last = this.lastSeen.get(node);
    const earliest = last && last.time <= detectedAt ? last.time : detectedAt;
    const w = this.open({
      kind: 'zk-node-down', node, start: detectedAt, startBounds: [earliest, detectedAt], confidence: last ? 'medium' : 'low',
      reason: `${why}${last ? '' : '; none of its own logs were given'}`,
    });
    if (last) addEvidence(w, last.evidence);
    addEvidence(w, evidenceOf(e));
    this.zkDown.set(node, w);
    this.zkState.delete(node);
    if (this.leader === node) this.openNoLeader(detectedAt, e, `the leader ${node} went away`);
  }

  /** The ensemble lost its leader (`node`: the leader that was lost). */
  private openNoLeader(start: number, e: TimelineEvent, why: string, node = this.leader ?? e.node): void {
    this.leader = undefined;
    if (this.noLeader) {
      addEvidence(this.noLeader, evidenceOf(e));
      return;
    }
    this.noLeader = this.open({
      kind: 'zk-quorum-lost', node, start, startBounds: [start, e.time], confidence: 'high',
      reason: `the ZooKeeper ensemble had no leader: ${why}`,
    });
    addEvidence(this.noLeader, evidenceOf(e));
  }

  private zkLeaderLost(e: TimelineEvent): void {
    this.leaderLostBy.set(e.node, e.time);
    if (!this.leader || this.noLeader) {
      if (this.noLeader) addEvidence(this.noLeader, evidenceOf(e));
      return;
    }
    // One follower losing the leader may be that follower's own trouble; all
    // the followers we know of losing it means the leader is gone.
    const followers = [...this.zkState.keys()].filter((n) => n !== this.leader);
    const lost = followers.filter((n) => (this.leaderLostBy.get(n) ?? -Infinity) >= e.time - 10_000);
    if (lost.length < Math.max(1, followers.length)) return;
    const first = Math.min(...lost.map((n) => this.leaderLostBy.get(n)!));
    const gone = this.leader;
    if (!this.zkDown.has(gone)) this.zkNodeDown(gone, e, 'every follower lost its connection to this leader', first);
    else this.openNoLeader(first, e, 'its followers lost the leader');
  }

  private zkSteppedDown(e: TimelineEvent): void {
    this.discardPendingOf(e.node, `logged by ${e.node} just before it stepped down as leader: a leader that was frozen or cut off expires sessions it could not see, so these sessions were not really lost`);
    // Only a leader steps down; unless the others already elected another one
    // (it was frozen or cut off), the ensemble has no leader now.
    const wasLeader = this.leader === undefined || this.leader === e.node;
    this.zkState.set(e.node, 'LOOKING');
    // A leader the others already replaced (it was frozen or cut off) steps
    // down with no effect on the ensemble.
    if (wasLeader) this.openNoLeader(e.time, e, `${e.node} stepped down (${e.rule?.title ?? 'leader shutdown'})`, e.node);
  }

  private zkStateChange(e: TimelineEvent, state: string): void {
    const previous = this.zkState.get(e.node);
    this.zkState.set(e.node, state);
    if (state === 'LOOKING') {
      if (previous === 'LEADING') {
        this.discardPendingOf(e.node, `logged by ${e.node} just before it lost leadership: these sessions were not really lost`);
        this.openNoLeader(e.time, e, `the leader ${e.node} went back to LOOKING`);
      }
      return;
    }
    if (state !== 'LEADING' && state !== 'FOLLOWING' && state !== 'OBSERVING') return;
    this.leaderLostBy.delete(e.node);
    if (state === 'LEADING') this.leader = e.node;
    const down = this.zkDown.get(e.node);
    if (down) {
      addEvidence(down, evidenceOf(e));
      const earliest = typeof down.track.firstSignOfLife === 'number' ? down.track.firstSignOfLife : e.time;
      this.close(down, e.time, earliest);
      this.zkDown.delete(e.node);
    }
    if (this.noLeader && state !== 'OBSERVING') {
      addEvidence(this.noLeader, evidenceOf(e));
      if (typeof e.fields.tookMs === 'number') this.noLeader.details.electionTookMs = e.fields.tookMs;
      this.close(this.noLeader, e.time);
      this.noLeader = undefined;
    }
  }

  // --- partitions -------------------------------------------------------

  private partitionOffline(p: string, e: TimelineEvent): void {
    const open = this.offline.get(p);
    if (open) {
      addEvidence(open, evidenceOf(e));
      return;
    }
    const w = this.open({
      ...splitPartition(p), kind: 'partition-offline', start: e.time, startBounds: [e.time, e.time],
      confidence: 'high', reason: e.rule?.title ?? 'the partition had no leader',
    });
    const assignment = this.context.replicas.get(p);
    if (assignment) {
      w.details.replicas = assignment.replicas;
      addEvidence(w, assignment.evidence);
    }
    addEvidence(w, evidenceOf(e));
    this.offline.set(p, w);
  }

  private partitionOnline(p: string, e: TimelineEvent): void {
    const open = this.offline.get(p);
    if (!open) return;
    addEvidence(open, evidenceOf(e));
    this.close(open, e.time);
    this.offline.delete(p);
  }

  private isrChange(effect: Extract<Effect, { signal: 'isr-change' }>, e: TimelineEvent): void {
    const partition = String(asList(e.fields[effect.partition])[0] ?? '');
    if (!partition) return;
    const to = asIds(e.fields[effect.to]);
    const from = effect.from ? asIds(e.fields[effect.from]) : [];
    const assigned = this.context.replicas.get(partition)?.replicas.length ?? 0;
    const open = this.underReplicated.get(partition);
    if (open) {
      addEvidence(open, evidenceOf(e));
      open.details.isr = to;
      if (e.message.includes('under-min-isr')) open.details.underMinIsr = true;
      if (to.length >= open.fullSize) {
        this.close(open, e.time);
        this.underReplicated.delete(partition);
      }
      return;
    }
    const fullSize = Math.max(from.length, assigned);
    if (to.length === 0 || to.length >= fullSize) return;
    const w = this.open({
      ...splitPartition(partition), kind: 'under-replicated', start: e.time, startBounds: [e.time, e.time],
      confidence: 'high', reason: `ISR shrank from ${from.join(',') || `${fullSize} replicas`} to ${to.join(',')}`,
      details: { isrBefore: from, isr: to, ...(e.message.includes('under-min-isr') && { underMinIsr: true }) },
    });
    addEvidence(w, evidenceOf(e));
    this.underReplicated.set(partition, Object.assign(w, { fullSize }));
  }

  private truncation(effect: Extract<Effect, { signal: 'truncation' }>, e: TimelineEvent): void {
    const partition = String(asList(e.fields[effect.partition])[0] ?? '');
    const offset = Number(e.fields[effect.offset]);
    if (!partition || !Number.isFinite(offset)) return;
    const cutOff = this.windows.find((w) => w.node === e.node && (w.kind === 'isolated' || w.kind === 'broker-down') &&
      w.start <= e.time && (w.end === null || e.time - w.end <= STALE_LEADER_MS));
    if (!cutOff) return;
    const hw = effect.highWatermark !== undefined ? Number(e.fields[effect.highWatermark]) : Number.NaN;
    const w = this.open({
      ...splitPartition(partition), kind: 'stale-leader', node: e.node, start: cutOff.start,
      startBounds: cutOff.startBounds, confidence: 'medium',
      reason: `${e.node} was cut off from the cluster and, on rejoining, truncated ${partition} to offset ${offset}: writes it had acknowledged after the cut were lost (acks=1)`,
      details: { truncatedTo: offset, ...(Number.isFinite(hw) && hw > offset && { truncatedOffsets: hw - offset }) },
    });
    for (const ev of cutOff.evidence.slice(0, 3)) addEvidence(w, ev);
    addEvidence(w, evidenceOf(e));
    this.close(w, e.time);
  }

  /** RF=1 (or every replica down): a partition with no broker to lead it. */
  private inferOfflineFromReplicas(): void {
    const downs = this.windows.filter((w) => w.kind === 'broker-down' && w.node?.startsWith('broker-'));
    for (const [p, { replicas, evidence }] of this.context.replicas) {
      if (replicas.length === 0) continue;
      for (const down of downs) {
        const id = Number(down.node!.slice('broker-'.length));
        if (!replicas.includes(id)) continue;
        // Every other replica must be down over the same span as well.
        const others = replicas.filter((r) => r !== id);
        if (!others.every((r) => downs.some((d) => d.node === `broker-${r}` && d.start <= down.start && (d.end === null || (down.end !== null && d.end >= down.end))))) continue;
        const covered = this.windows.some((w) => w.kind === 'partition-offline' && `${w.topic}-${w.partition}` === p &&
          w.start <= (down.end ?? Infinity) && (w.end ?? Infinity) >= down.start && !w.details.inferred);
        if (covered) {
          for (const w of this.windows) {
            if (w.kind !== 'partition-offline' || `${w.topic}-${w.partition}` !== p || w.details.inferred) continue;
            if (w.start > (down.end ?? Infinity) || (w.end ?? Infinity) < down.start) continue;
            w.details.replicationFactor = replicas.length;
            w.details.replicas = replicas;
            if (replicas.length === 1 && down.start < w.start) {
              // Its only replica died at the broker's last sign of life: the
              // partition could take no writes from then, not from when the
              // controller wrote it down.
              w.startBounds = [down.start, w.start];
              w.start = down.start;
            }
            w.reason = `${w.reason}; replication factor ${replicas.length}: ${replicas.length === 1 ? `its only replica, broker ${id}, was down` : `every replica (${replicas.join(',')}) was down`}`;
            addEvidence(w, evidence);
          }
          continue;
        }
        const w = this.open({
          ...splitPartition(p), kind: 'partition-offline', start: down.start, startBounds: down.startBounds,
          confidence: down.confidence === 'high' ? 'high' : 'medium',
          reason: replicas.length === 1
            ? `replication factor 1: its only replica, broker ${id}, was down`
            : `every replica (${replicas.join(',')}) was down`,
          details: { inferred: true, replicationFactor: replicas.length, replicas },
        });
        w.end = down.end;
        w.endBounds = down.endBounds;
        addEvidence(w, evidence);
        for (const ev of down.evidence.slice(0, MAX_EVIDENCE - 1)) addEvidence(w, ev);
      }
    }
  }
}

const ORDER: readonly WindowKind[] = [
  'zk-quorum-lost', 'controller-quorum-leaderless', 'zk-node-down', 'broker-down', 'broker-fenced', 'isolated',
  'partition-offline', 'stale-leader', 'under-replicated',
];
function kindOrder(k: WindowKind): number {
  return ORDER.indexOf(k);
}

