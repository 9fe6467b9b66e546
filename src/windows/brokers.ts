import type { WindowKind } from '../model/window.js';
import type { TimelineEvent } from '../timeline/event.js';
import type { SessionMap } from './sessions.js';
import { addEvidence, evidenceOf, FIRST_LINE_AFTER_START_MS, restartEstimate, type EdgeSource, type Evidence, type ParkedWindow, type Window, type WindowBook } from './window.js';

/** The windows of a broker cut off from the cluster, whichever way. */
export const CUT_OFF = ['broker-down', 'broker-hung', 'isolated'] as const satisfies readonly WindowKind[];

/** A node silent this long before it logs a restart was down, not idle. */
const RESTART_SILENCE_MS = 60_000;
/** ZooKeeper's session tracker expires in ticks (tickTime, 2000 ms by default). */
const ZK_TICK_MS = 2000;
/** Brokers losing ZooKeeper this close together lost it together. */
const TOGETHER_MS = 15_000;
/** A thaw line ("have not heard from server in N ms") this soon after a broker's first line back belongs to that freeze. */
const THAW_MS = 5000;
/** A ZooKeeper client sleeps up to this between connection attempts (ClientCnxn: a random 0–1000 ms). */
const RECONNECT_BACKOFF_MS = 1000;
/** zookeeper.session.timeout.ms by default (Kafka before 2.5; 18 s since). */
const DEFAULT_SESSION_TIMEOUT_MS = 6000;

interface Estimate {
  start: number;
  bounds: [number, number];
  source: EdgeSource;
  confidence: Window['confidence'];
}

/**
 * ZooKeeper expired a session `timeoutMs` after its last contact, on a tick
 * boundary: that contact, between `after` and `upTo`.
 */
function lastContactByExpiry(expiredAt: number, timeoutMs: number, evidence: Evidence | null, after: number, upTo: number): Estimate {
  const lastContact = expiredAt - timeoutMs;
  const earliest = Math.max(after, lastContact - ZK_TICK_MS);
  const latest = Math.min(upTo, Math.max(earliest, lastContact + timeoutMs / 3));
  return {
    start: Math.min(latest, Math.max(earliest, lastContact)), bounds: [earliest, latest], confidence: 'medium',
    source: { how: `ZooKeeper expired its session: expiry − negotiated timeout (${timeoutMs} ms), within a tick`, evidence },
  };
}

/**
 * Broker liveness: down (crashed, stopped), hung (frozen: no line while the
 * cluster gave up on it, then back without a restart) or isolated (kept
 * logging while cut off from ZooKeeper). A death's start is estimated from
 * every source present, most precise first: ZooKeeper seeing the broker's
 * own session socket close (within milliseconds of a kill), the session's
 * expiry minus its negotiated timeout (within a tick), the broker's last
 * line (any time before).
 */
export class BrokerTracker {
  private readonly down = new Map<string, Window>();
  private readonly cleanStop = new Set<string>();
  private readonly isolated = new Map<string, Window>();
  /** When each isolated broker last said it could not reach ZooKeeper. */
  private readonly lastCut = new Map<string, number>();
  /**
   * The first sign that an isolated broker reached ZooKeeper again, where no
   * new session of its own is logged: a server answering it (its session had
   * expired) or the controller seeing it register again.
   */
  private readonly reached = new Map<string, { time: number; evidence: Evidence; what: string; why?: string }>();
  /** Each broker's latest ZooKeeper session established (a reconnect logs one too): a contact. */
  private readonly lastSession = new Map<string, number>();
  /** Each broker's first dropped connection to a ZooKeeper server since that session (the last contact came before it). */
  private readonly lastDrop = new Map<string, { time: number; evidence: Evidence }>();
  /**
   * The most an isolated window a broker heard its own expiry in ended
   * before it heard so (its end is the heal, estimated before that line):
   * a later telling of that expiry (justHeard) looks no further back.
   */
  private heardLag = 0;

  /** `parkDowns`: down and frozen brokers' windows may leave memory once final (no step after the pass reads their every field). */
  constructor(private readonly book: WindowBook, private readonly sessions: SessionMap, private readonly parkDowns = true) {}

  /**
   * `w`, closed, is held by no tracker: it leaves memory once the pass is
   * past it (WindowBook.parkLater), unless a step after the pass changes it
   * (a broker said down that kept logging is found cut off: finish) or reads
   * more than is held of a parked window (replica sets from describe output
   * against the downs: PartitionTracker.inferOfflineFromReplicas).
   */
  private final(w: Window): void {
    if (w.kind !== 'isolated' && (!this.parkDowns || (w.kind === 'broker-down' && w.track.alive > 0 && !w.track.restarting))) return;
    this.book.parkLater(w);
  }

  openWindows(): Iterable<Window> {
    return this.down.values();
  }

  stopping(e: TimelineEvent): void {
    if (this.down.has(e.node)) return;
    const w = this.book.open({
      kind: 'broker-down', node: e.node, start: e.time, startBounds: [e.time, e.time],
      startSource: { how: 'the broker logged its own shutdown', evidence: evidenceOf(e) },
      confidence: 'high', reason: 'the broker logged its own shutdown',
    });
    addEvidence(w, evidenceOf(e));
    this.down.set(e.node, w);
    this.cleanStop.add(e.node);
  }

  /** When did `node` stop, as best all the evidence says; `detectedAt`: when the cluster noticed. */
  private estimateDeath(node: string, detectedAt: number): Estimate {
    const last = this.book.lastSeen.get(node);
    const lastTime = last && last.time <= detectedAt ? last.time : undefined;
    const close = this.sessions.closeOf(node, lastTime ?? -Infinity, detectedAt);
    if (close) {
      return {
        start: close.time, bounds: [lastTime ?? close.time, close.time], confidence: 'high',
        source: { how: "ZooKeeper saw the broker's own session socket close (its process died or left)", evidence: close.evidence },
      };
    }
    const expiry = this.sessions.expiryOf(node, detectedAt);
    if (expiry?.timeoutMs !== undefined && (lastTime === undefined || expiry.time > lastTime)) {
      return lastContactByExpiry(expiry.time, expiry.timeoutMs, expiry.evidence, lastTime ?? -Infinity, detectedAt);
    }
    const start = lastTime ?? detectedAt;
    return {
      start, bounds: [start, detectedAt], confidence: last ? 'medium' : 'low',
      source: last
        ? { how: 'its last line (no ZooKeeper-side evidence of when it stopped): the earliest it can have stopped', evidence: last.evidence }
        : { how: 'when the cluster noticed (none of its own logs were given)', evidence: null },
    };
  }

  lost(node: string, e: TimelineEvent, why: string): void {
    const open = this.down.get(node);
    if (open) {
      addEvidence(open, evidenceOf(e));
      if (open.track.detectedAt === undefined) open.track.detectedAt = e.time;
      return;
    }
    // Late news (an expiry acted on after its grace period) of a window already told.
    const told = this.book.first(node, CUT_OFF, (w) => w.start <= e.time && w.end !== null && w.end >= e.time, e.time);
    if (told) {
      addEvidence(told, evidenceOf(e));
      return;
    }
    const est = this.estimateDeath(node, e.time);
    const last = this.book.lastSeen.get(node);
    const w = this.book.open({
      kind: 'broker-down', node, start: est.start, startBounds: est.bounds, startSource: est.source,
      confidence: est.confidence,
      reason: `${why}${last ? '' : '; none of its own logs were given'}`,
      track: { detectedAt: e.time, alive: 0 },
      details: { noticedAt: e.time },
    });
    if (last) addEvidence(w, last.evidence);
    if (est.source.evidence) addEvidence(w, est.source.evidence);
    addEvidence(w, evidenceOf(e));
    this.down.set(node, w);
  }

  starting(e: TimelineEvent): void {
    const open = this.down.get(e.node);
    if (open) {
      open.track.restarting = true;
      // A restart's first lines may come before it says `starting`.
      if (!open.track.maybeHung) open.track.firstSignOfLife = { time: e.time, evidence: evidenceOf(e) };
      open.track.maybeHung = false;
      addEvidence(open, evidenceOf(e));
      return;
    }
    const last = this.book.lastSeen.get(e.node);
    if (last && !this.cleanStop.has(e.node) && e.time - last.time > RESTART_SILENCE_MS) {
      const est = this.estimateDeath(e.node, e.time);
      const w = this.book.open({
        kind: 'broker-down', node: e.node, start: est.start, startBounds: est.bounds, startSource: est.source,
        confidence: 'medium',
        reason: 'its log went silent with no shutdown and its next line is a restart: it died without a word',
        track: { restarting: true, firstSignOfLife: { time: e.time, evidence: evidenceOf(e) }, alive: 0 },
      });
      addEvidence(w, last.evidence);
      addEvidence(w, evidenceOf(e));
      this.down.set(e.node, w);
    }
    this.cleanStop.delete(e.node);
  }

  /** `[KafkaServer id=N] started` or the controller seeing it register again. */
  back(node: string, e: TimelineEvent): void {
    if (node === e.node) this.cleanStop.delete(node);
    this.reachedAgain(node, e, node === e.node ? 'it said it was serving again' : 'the controller saw it register again');
    const open = this.down.get(node);
    if (!open || e.time < open.start) return;
    addEvidence(open, evidenceOf(e));
    if (open.track.maybeHung) {
      open.details.rejoinedAt = e.time;
      this.thawed(open, node, 'it registered again without starting up');
      return;
    }
    const first = open.track.firstSignOfLife;
    if (!first) {
      this.book.close(open, e.time, e.time, { how: 'it registered again / said it was serving', evidence: evidenceOf(e) });
      this.down.delete(node);
      this.final(open);
      return;
    }
    // A restarted process was down until it ran again: a JVM's start-up
    // before its first line, not before it was last known down (the cluster
    // noticing); being in service again is the latest bound.
    const typical = FIRST_LINE_AFTER_START_MS.broker;
    const { at, earliest } = restartEstimate(first.time, Math.max(open.start, open.track.detectedAt ?? open.start), typical);
    this.book.close(open, at, earliest, {
      how: `its first line after the restart, less a broker's typical start-up before its first line (${typical / 1000} s); it served again at the latest bound`,
      evidence: first.evidence,
    }, Math.max(first.time, e.time));
    open.track.servingAgain = { time: e.time, evidence: evidenceOf(e) };
    this.down.delete(node);
    this.final(open);
  }

  /**
   * A line of the node itself after the cluster gave up on it (not a
   * restart). Silent for a session timeout or more across its window's
   * start, it may have been frozen and now be back; a restart's first lines
   * look the same until it says `starting`, so that waits. Lines of a node
   * that was not silent say it kept running, cut off.
   */
  /** Whether noteLine may do anything with a line of `node` (a window of it is open). */
  watches(node: string): boolean {
    return this.down.has(node);
  }

  noteLine(e: TimelineEvent): void {
    const w = this.down.get(e.node);
    if (!w || w.track.detectedAt === undefined || w.track.restarting || w.track.maybeHung || e.time <= w.track.detectedAt) return;
    const before = this.book.lastSeen.get(e.node);
    const timeout = this.timeoutOf(e.node);
    // A broker that said it lost ZooKeeper and is cut off may well be silent: not a freeze.
    const cutOff = this.isolated.has(e.node);
    if (w.track.alive === 0 && !cutOff && (!before || (before.time <= w.start && e.time - before.time >= timeout))) {
      w.track.maybeHung = true;
      w.track.firstSignOfLife = { time: e.time, evidence: evidenceOf(e) };
      addEvidence(w, evidenceOf(e));
      return;
    }
    w.track.alive++;
    w.track.aliveEvidence ??= evidenceOf(e);
  }

  /** A frozen broker is back: its window ends at its first line after the silence. */
  private thawed(w: Window, node: string, why: string): void {
    const first = w.track.firstSignOfLife!;
    this.book.setKind(w, 'broker-hung');
    w.track.maybeHung = false;
    w.reason = `${w.reason}; it logged nothing from before then and came back without a restart (${why}): its process was frozen (a long GC pause, a stalled VM or a stopped process), not dead`;
    this.book.close(w, first.time, first.time, { how: 'its first line after the silence (no restart in between)', evidence: first.evidence });
    this.down.delete(node);
    this.final(w);
  }

  /** The broker itself lost ZooKeeper; `idleMs`: how long it had not heard from it. */
  contactLost(e: TimelineEvent, idleMs: number | undefined, answered = false): void {
    // An expiry is heard from a server reached again: not a failed reach.
    if (!answered) this.lastCut.set(e.node, e.time);
    else this.reachedAgain(e.node, e, 'a ZooKeeper server answered it', 'its session had expired');
    const heard = idleMs === undefined ? undefined : e.time - idleMs;
    const maybe = this.down.get(e.node);
    if (maybe?.track.maybeHung && idleMs !== undefined) {
      this.thawed(maybe, e.node, `its ZooKeeper client had not heard from the server for ${idleMs} ms`);
    }
    const hung = this.book.first(e.node, ['broker-hung'], (w) => w.end !== null && e.time >= w.end && e.time - w.end <= THAW_MS, e.time - THAW_MS);
    if (hung) {
      if (heard !== undefined) this.refineByLastContact(hung, heard, e, 'its first line after the freeze');
      addEvidence(hung, evidenceOf(e));
      return;
    }
    if (this.down.has(e.node)) return;
    const open = this.isolated.get(e.node) ?? (answered ? this.justHeard(e) : undefined);
    if (open) {
      addEvidence(open, evidenceOf(e));
      return;
    }
    if (answered) return this.heardOwnExpiry(e);
    const w = this.book.open({
      kind: 'isolated', node: e.node, start: e.time, startBounds: [heard ?? e.time, e.time], confidence: 'medium',
      startSource: { how: 'the broker logged that it lost ZooKeeper', evidence: evidenceOf(e) },
      reason: 'the broker kept running but lost contact with ZooKeeper',
    });
    if (heard !== undefined) this.refineByLastContact(w, heard, e, 'it');
    addEvidence(w, evidenceOf(e));
    this.isolated.set(e.node, w);
  }

  /** A window this expiry heard already told (the client and its wrapper each log it). */
  private justHeard(e: TimelineEvent): Window | undefined {
    // Such a window ended at most heardLag before it was heard: those that ended earlier are passed over unread.
    return this.book.first(e.node, ['isolated'], (w) => {
      const heard = w.details.heardOwnExpiry;
      return typeof heard === 'number' && e.time >= heard && e.time - heard <= THAW_MS;
    }, e.time - THAW_MS - this.heardLag);
  }

  /**
   * The broker heard from a server it reached again that its session had
   * expired, and no earlier line said it lost ZooKeeper. ZooKeeper expires a
   * session the negotiated timeout after its last contact, so the broker was
   * cut off (or frozen: a stopped process logs nothing either) from at least
   * that long before until it reached a server, just before this line. The
   * last contact is dated by ZooKeeper's own expiry where its logs were
   * given; else it came no later than the timeout before, nor than a
   * dropped connection logged since the last session.
   */
  private heardOwnExpiry(e: TimelineEvent): void {
    const node = e.node;
    const timeout = this.timeoutOf(node);
    const negotiated = this.sessions.timeoutOf(node) !== undefined;
    const expiry = this.sessions.expiryOf(node, e.time);
    const drop = this.lastDrop.get(node);
    const since = this.lastSession.get(node) ?? this.book.firstSeen.get(node) ?? e.time;
    let est: Estimate;
    if (expiry?.timeoutMs !== undefined && expiry.time - expiry.timeoutMs >= since) {
      est = lastContactByExpiry(expiry.time, expiry.timeoutMs, expiry.evidence, since, e.time);
    } else {
      const byTimeout = e.time - timeout;
      const latest = Math.max(since, drop !== undefined && drop.time < byTimeout ? drop.time : byTimeout);
      est = {
        start: latest, bounds: [Math.min(since, latest), latest], confidence: 'low',
        source: drop !== undefined && drop.time < byTimeout
          ? { how: 'its connection to ZooKeeper dropped here and its session then expired: the last contact came at or before this line (how long before is not logged)', evidence: drop.evidence }
          : {
            how: `its session expired, so ZooKeeper had not heard from it for the ${negotiated ? 'negotiated' : 'default (not logged)'} session timeout (${timeout} ms) before it heard so: the latest it can have lost contact (how much earlier is not logged)`,
            evidence: evidenceOf(e),
          },
      };
    }
    const { start, bounds, source, confidence } = est;
    const before = this.book.lastSeen.get(node);
    const silent = before === undefined || before.time <= start;
    const w = this.book.open({
      kind: 'isolated', node, start, startBounds: bounds, startSource: source, confidence,
      reason: silent
        ? 'the broker heard that its ZooKeeper session had expired: it had lost contact with ZooKeeper; it logged nothing in between, so it may as well have been frozen (a long GC pause, a stopped VM) as cut off'
        : 'the broker heard that its ZooKeeper session had expired: it kept running but had lost contact with ZooKeeper',
      details: { heardOwnExpiry: e.time },
    });
    if (source.evidence) addEvidence(w, source.evidence);
    addEvidence(w, evidenceOf(e));
    // It reached a server: the expiry is that server's answer.
    this.endIsolation(w, node, e.time, evidenceOf(e), 'it heard of its expiry from a server it reached', 'a ZooKeeper server answered it (its session had expired)');
    // Its end is final for the pass (it is no longer in `isolated`).
    const lag = e.time - w.end!;
    if (lag > this.heardLag) this.heardLag = lag;
  }

  /** A dropped connection to one server: the last contact came before it. */
  dropped(e: TimelineEvent): void {
    if (!this.lastDrop.has(e.node)) this.lastDrop.set(e.node, { time: e.time, evidence: evidenceOf(e) });
  }

  /**
   * "Have not heard from server in N ms": the last answer from ZooKeeper came
   * N ms before. The client pings every third of its session timeout, so the
   * freeze or cut came within one ping interval after that answer.
   */
  private refineByLastContact(w: Window, heard: number, e: TimelineEvent, who: string): void {
    const ping = this.timeoutOf(e.node) / 3;
    const [lo, hi] = w.startBounds ?? [heard, e.time];
    const earliest = Math.max(lo, heard);
    const latest = Math.max(earliest, Math.min(hi, heard + ping));
    w.startBounds = [earliest, latest];
    w.start = Math.min(latest, Math.max(earliest, heard + ping / 2));
    w.startSource = {
      how: `${who} said it had not heard from ZooKeeper for ${e.time - heard} ms: the last contact, plus half a ping interval (${Math.round(ping)} ms)`,
      evidence: evidenceOf(e),
    };
    w.details.lastContactWithZooKeeper = heard;
  }

  /** The node's negotiated session timeout, or Kafka's default before 2.5 (6 s) where its log did not say. */
  private timeoutOf(node: string): number {
    return this.sessions.timeoutOf(node) ?? DEFAULT_SESSION_TIMEOUT_MS;
  }

  sessionEstablished(e: TimelineEvent, session: string): void {
    this.lastSession.set(e.node, e.time);
    this.lastDrop.delete(e.node);
    const iso = this.isolated.get(e.node);
    if (!iso) return;
    iso.details.reconnectedSession = session;
    this.endIsolation(iso, e.node, e.time, evidenceOf(e), 'its new ZooKeeper session', 'it established a new ZooKeeper session');
  }

  /** A sign that an isolated broker reached ZooKeeper again (the first one is kept). */
  private reachedAgain(node: string, e: TimelineEvent, what: string, why?: string): void {
    const iso = this.isolated.get(node);
    if (!iso || e.time < iso.start || this.reached.has(node)) return;
    this.reached.set(node, { time: e.time, evidence: evidenceOf(e), what, ...(why !== undefined && { why }) });
  }

  /**
   * An isolated broker's end at `at`, when it reached ZooKeeper again. A
   * cut-off client keeps trying, one server after another: each attempt
   * waits up to the session timeout ÷ servers to connect, then it sleeps up
   * to a second; it reconnects within that of the heal. Its last failed
   * attempt (begun up to a session timeout before it gave up) came before.
   */
  private endIsolation(iso: Window, node: string, at: number, evidence: Evidence, what: string, exact: string): void {
    addEvidence(iso, evidence);
    const cut = this.lastCut.get(node);
    const timeout = this.timeoutOf(node);
    const servers = this.sessions.serversOf(node);
    const retry = Math.round(timeout / (servers ?? 1)) + RECONNECT_BACKOFF_MS;
    const earliest = Math.min(at, Math.max(iso.start, at - retry, cut === undefined ? -Infinity : cut - timeout));
    // Nothing inside that span dates the heal (no line is written when a
    // network comes back): its middle errs least either way.
    const mid = Math.round((earliest + at) / 2);
    this.book.close(iso, mid, earliest, {
      how: earliest < at
        ? `the heal came before ${what}, by at most one connection attempt (${timeout} ms session timeout ÷ ${servers ?? '1 (servers not logged)'} server(s)) and its ${RECONNECT_BACKOFF_MS} ms back-off, and after its last failed attempt: midway`
        : exact,
      evidence,
    }, at);
    this.isolated.delete(node);
    this.reached.delete(node);
    this.final(iso);
  }

  /**
   * A broker the cluster gave up on but which kept logging was cut off, not
   * down: the window becomes (or joins) an `isolated` one.
   */
  finish(): void {
    for (const [node, w] of [...this.down]) if (w.track.maybeHung) this.thawed(w, node, 'no restart followed');
    // No new session of its own logged: the first sign it reached ZooKeeper again ends it.
    for (const [node, r] of [...this.reached]) {
      const iso = this.isolated.get(node);
      if (!iso || iso.end !== null) continue;
      this.endIsolation(iso, node, r.time, r.evidence, `${r.what} (no new session of its own is logged)`, r.why ? `${r.what} (${r.why})` : r.what);
    }
    for (const w of [...this.book.windows]) {
      if (w.kind !== 'broker-down' || w.track.alive === 0 || w.track.restarting) continue;
      const why = `the cluster gave up on it (${w.reason}) but it kept logging (${w.track.alive} lines): it was cut off, not down`;
      if (w.track.aliveEvidence) addEvidence(w, w.track.aliveEvidence);
      const overlap = (start: number, end: number | null) => start <= (w.end ?? Infinity) && (end ?? Infinity) >= w.start;
      const twin = this.book.first(w.node, ['isolated'], (x) => overlap(x.start, x.end), -Infinity, overlap);
      if (twin) {
        for (const ev of w.evidence) addEvidence(twin, ev);
        twin.reason = `${twin.reason}; ${why}`;
        twin.details.clusterRemovedAt = w.track.detectedAt ?? w.start;
        this.book.remove(w);
      } else {
        this.book.setKind(w, 'isolated');
        w.reason = why;
      }
    }
    this.collapseEnsembleLoss();
  }

  /**
   * ZooKeeper's own logs may say when it served again: the quorum back (a
   * leader elected), or a standalone server back. The brokers reconnect
   * right after; no broker line dates it as well.
   */
  private endAtEnsembleBack(w: Window): void {
    if (!w.endBounds) return;
    const [lo, hi] = w.endBounds;
    const zkNodes = [...this.book.firstSeen.keys()].filter((n) => n.startsWith('zk-'));
    const back = this.book.windows
      .filter((z) => z.end !== null && z.end >= lo && z.end <= hi &&
        (z.kind === 'zk-quorum-lost' || (z.kind === 'zk-node-down' && zkNodes.length === 1)))
      .sort((a, b) => b.end! - a.end!)[0];
    if (!back) return;
    this.book.close(w, back.end!, back.end!, {
      how: `ZooKeeper served again (${back.kind === 'zk-quorum-lost' ? 'its quorum back' : 'its server back'}); the brokers' new sessions followed`,
      evidence: back.endSource?.evidence ?? null,
    }, hi);
    if (back.endSource?.evidence) addEvidence(w, back.endSource.evidence);
  }

  /**
   * Every broker losing ZooKeeper at once is ZooKeeper going away (its quorum
   * lost, its servers down or cut off), not every broker being cut off: one
   * window for the cluster instead of one per broker.
   */
  private collapseEnsembleLoss(): void {
    const brokers = [...this.book.firstSeen.keys()].filter((n) => n.startsWith('broker-'));
    if (brokers.length < 2) return;
    // Those parked too: what is held of them tells the groups; a group's are read back (to change).
    const isolated = [...this.book.entries(['isolated'])].sort((a, b) => a.start - b.start);
    const used = new Set<Window | ParkedWindow>();
    // By start: the windows starting within TOGETHER_MS of one are a run of
    // the list, found by two indices that only move forward.
    let from = 0;
    let to = 0;
    for (const first of isolated) {
      if (used.has(first)) continue;
      while (isolated[from]!.start < first.start) from++;
      while (to < isolated.length && isolated[to]!.start - first.start <= TOGETHER_MS) to++;
      const group = isolated.slice(from, to).filter((w) => !used.has(w));
      const nodes = new Set(group.map((w) => w.node));
      if (!brokers.every((b) => nodes.has(b))) continue;
      for (const w of group) used.add(w);
      const members = group.map((g) => this.book.held(g));
      const lead = members[group.indexOf(first)]!;
      const ends = members.map((w) => w.end);
      const w = this.book.open({
        kind: 'zookeeper-unreachable', start: lead.start, startBounds: lead.startBounds,
        ...(lead.startSource && { startSource: lead.startSource }),
        confidence: 'high',
        reason: `every broker (${[...nodes].sort().join(', ')}) lost ZooKeeper within ${Math.round((group.at(-1)!.start - first.start) / 1000)} s: ZooKeeper itself was down or unreachable, not the brokers`,
        details: { brokers: [...nodes].map((n) => Number(n!.slice('broker-'.length))).sort((a, b) => a - b) },
      });
      if (ends.every((x) => x !== null)) {
        const last = members.reduce((a, b) => ((a.end ?? 0) >= (b.end ?? 0) ? a : b));
        this.book.close(w, last.end!, Math.min(...members.map((g) => g.endBounds?.[0] ?? g.end!)), last.endSource,
          Math.max(...members.map((g) => g.endBounds?.[1] ?? g.end!)));
        this.endAtEnsembleBack(w);
      }
      for (const g of members) {
        for (const ev of g.evidence.slice(0, 2)) addEvidence(w, ev);
        this.book.remove(g);
      }
    }
  }
}

