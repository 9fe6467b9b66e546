import type { Effect } from '../catalogue/schema.js';
import type { WindowKind } from '../model/window.js';
import type { TimelineEvent } from '../timeline/event.js';
import type { EventRun } from '../timeline/run.js';
import { BrokerTracker } from './brokers.js';
import { ControllerTracker } from './controller.js';
import { KraftTracker } from './kraft.js';
import { PartitionTracker } from './partitions.js';
import { SessionMap } from './sessions.js';
import { StorageTracker } from './storage.js';
import { asIds, asList, asNumber, WindowBook, type FalseAlarm, type Window, type WindowContext } from './window.js';
import type { FalseAlarmList } from './false-alarms.js';
import { WindowSpool } from './spool.js';
import { byOrder, type OrderKey } from './order-runs.js';
import { FALSE_ALARM_MS, ZooKeeperTracker } from './zookeeper.js';

export type { Evidence, FalseAlarm, Window, WindowContext } from './window.js';

/**
 * Infers outage windows from the merged timeline. Streaming: it keeps state
 * per node, session and partition (and each partition's leader changes),
 * never the events themselves. Which events open or close windows is data
 * (each rule's `effect`); one tracker per concern interprets those signals.
 */
export class WindowEngine {
  private readonly book: WindowBook;
  private readonly sessions = new SessionMap();
  private readonly brokers: BrokerTracker;
  private readonly partitions: PartitionTracker;
  private readonly zookeeper: ZooKeeperTracker;
  private readonly kraft: KraftTracker;
  private readonly controller: ControllerTracker;
  private readonly storage: StorageTracker;

  /**
   * `spool`: where the windows the pass is done with are put (none: all are
   * held); `parkAfterMs`: how long after its end a broker window the pass is
   * done with is put there (the default reaches past every look-up's).
   */
  constructor(context: WindowContext = { replicas: new Map(), zkAddresses: new Map() }, spool?: WindowSpool, options: { parkAfterMs?: number } = {}) {
    this.book = new WindowBook(spool, options.parkAfterMs);
    this.brokers = new BrokerTracker(this.book, this.sessions, context.replicas.size === 0);
    this.partitions = new PartitionTracker(this.book, context);
    this.zookeeper = new ZooKeeperTracker(this.book, context);
    this.kraft = new KraftTracker(this.book);
    this.controller = new ControllerTracker(this.book);
    this.storage = new StorageTracker(this.book);
  }

  get windows(): readonly Window[] {
    return this.book.windows;
  }

  /** The lines judged false alarms, in an array of their own. */
  get falseAlarms(): FalseAlarm[] {
    return [...this.book.falseAlarms];
  }

  /** The same, read one at a time (out of memory where the windows are spooled). */
  get falseAlarmList(): FalseAlarmList {
    return this.book.falseAlarms;
  }

  /** Feeds one event (classified or not) in time order. */
  push(e: TimelineEvent): void {
    this.book.parkUpTo(e.time);
    this.flushPending(e.time);
    const effect = e.rule?.effect;
    if (effect) this.apply(effect, e);
    this.brokers.noteLine(e);
    this.zookeeper.noteLine(e);
    this.book.seen(e);
  }

  /**
   * Feeds a run of unclassified records (timeline/run.ts), in time order
   * with the events around it. Such a record's push only marks its node
   * seen, but for the record at which a session expiry's verdict falls due
   * (it is pushed: its time decides the verdict), and while a tracker
   * watches its node's lines (a window of it is open: a record may be its
   * first sign of life) each is pushed.
   */
  pushRun(run: EventRun): void {
    const { length } = run;
    for (let from = 0; from < length;) {
      if (this.brokers.watches(run.node) || this.zookeeper.watches(run.node)) {
        for (let i = from; i < length; i++) this.push(run.eventAt(i));
        return;
      }
      const due = this.firstDue(run, from);
      if (due > from) this.book.seenRun(run, from, due);
      if (due === length) return;
      // The verdict, and whatever it opens (a window of this very node may be watched from here on).
      this.push(run.eventAt(due));
      from = due + 1;
    }
  }

  /**
   * The first of the run's records from `from` at which flushPending would
   * decide a pending session expiry (its length where none): the run's
   * times do not go back, so it is found by halving.
   */
  private firstDue(run: EventRun, from: number): number {
    const { pending } = this.zookeeper;
    if (pending.length === 0) return run.length;
    // flushPending's own test, at the record's time.
    const dueAt = (now: number): boolean => pending.some((p) => now - p.event.time > FALSE_ALARM_MS);
    let lo = from;
    let hi = run.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (dueAt(run.timeAt(mid))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Closes the stream: infers windows that need the whole story and returns every window by start. */
  finish(): Window[] {
    return [...this.finishList()];
  }

  /**
   * finish's windows, those spooled read back as they are reached (each
   * pass over the list reads them again): by start, then kind, then the
   * order they were opened in.
   */
  finishList(): WindowList {
    this.flushPending(Number.POSITIVE_INFINITY);
    this.book.passOver();
    this.brokers.finish();
    this.controller.finish();
    this.partitions.inferLeaderless();
    this.partitions.inferOfflineFromReplicas();
    const { book } = this;
    const held = book.windows.map((w) => ({ w, start: w.start, kind: kindOrder(w.kind), seq: book.seqOf(w) }));
    held.sort(byOrder);
    return new WindowList(held, book.spool);
  }

  private apply(effect: Effect, e: TimelineEvent): void {
    const f = e.fields;
    switch (effect.signal) {
      case 'broker-stopping':
        this.storage.restarted(e);
        return this.brokers.stopping(e);
      case 'broker-starting':
        this.storage.restarted(e);
        return this.brokers.starting(e);
      case 'storage-error': return this.storage.error(e);
      case 'log-dir-offline': return this.storage.dirOffline(String(f[effect.dir] ?? ''), e);
      case 'broker-started': return this.brokers.back(e.node, e);
      case 'controller-elected': {
        const id = asNumber(f[effect.field]);
        if (id !== undefined) this.controller.elected(id, e);
        return;
      }
      case 'brokers-lost':
        for (const id of asIds(f[effect.field])) this.brokers.lost(`broker-${id}`, e, 'the controller removed it from the live brokers');
        return;
      case 'brokers-joined':
        for (const id of asIds(f[effect.field])) this.brokers.back(`broker-${id}`, e);
        return;
      case 'session-established': {
        const session = String(f[effect.field] ?? '');
        if (!session) return;
        this.sessions.established(e.node, session, effect.timeout ? asNumber(f[effect.timeout]) : undefined);
        this.brokers.sessionEstablished(e, session);
        return;
      }
      case 'session-expired': {
        const session = String(f[effect.field] ?? '');
        if (!session) return;
        this.sessions.expired(session, effect.timeout ? asNumber(f[effect.timeout]) : undefined, e);
        this.zookeeper.pending.push({ event: e, session });
        return;
      }
      case 'session-closed': {
        const session = String(f[effect.field] ?? '');
        if (session && session !== '0x0') this.sessions.closed(session, e);
        return;
      }
      case 'zk-client-servers': return this.sessions.clientServers(e.node, String(f[effect.servers] ?? ''));
      case 'zk-dropped': return this.brokers.dropped(e);
      case 'zk-contact-lost': return this.brokers.contactLost(e, effect.idle ? asNumber(f[effect.idle]) : undefined, effect.answered === true);
      case 'zk-starting': return this.zookeeper.starting(e);
      case 'zk-zab-state': return this.zookeeper.zabState(e, String(f[effect.state] ?? ''), String(f[effect.zab] ?? ''));
      case 'zk-peer-unreachable':
        return this.zookeeper.peerLost(String(f[effect.field] ?? ''), e, 'a serving peer could not open a connection to it', ['FOLLOWING', 'LEADING'], false);
      case 'zk-peer-lost': return this.zookeeper.connectionBroke(String(f[effect.field] ?? ''), e);
      case 'zk-peer-handover': return this.zookeeper.handedOver(String(f[effect.field] ?? ''), e);
      case 'zk-follower-lost':
        return this.zookeeper.peerLost(this.zookeeper.idOf(String(f[effect.field] ?? '')) ?? '', e, 'the leader lost its connection to it', 'leader', true);
      case 'zk-learner-error': return this.zookeeper.learnerError(e, effect.timedOut !== undefined && Boolean(f[effect.timedOut]));
      case 'zk-leader-lost': return this.zookeeper.leaderLost(e, effect.timedOut !== undefined && Boolean(f[effect.timedOut]));
      case 'zk-leader-stepped-down': return this.zookeeper.steppedDown(e);
      case 'zk-state': return this.zookeeper.stateChange(e, String(f[effect.field] ?? '').toUpperCase());
      case 'partition-offline':
        for (const p of asList(f[effect.field])) this.partitions.offlineSignal(String(p), e);
        return;
      case 'partition-online': {
        const leader = effect.leader ? asNumber(f[effect.leader]) : undefined;
        for (const p of asList(f[effect.field])) this.partitions.onlineSignal(String(p), leader, e);
        return;
      }
      case 'partition-state': return this.partitions.state(effect, e);
      case 'replica-offline': return this.partitions.replicaOffline(effect, e);
      case 'isr-change': return this.partitions.isrChange(effect, e);
      case 'truncation': return this.partitions.truncation(effect, e);
      case 'broker-fenced':
        for (const id of asIds(f[effect.field])) {
          this.kraft.fenced(`broker-${id}`, e);
          this.brokers.lost(`broker-${id}`, e, 'the KRaft controller fenced it (its session timed out)');
        }
        return;
      case 'broker-unfenced':
        for (const id of asIds(f[effect.field])) this.kraft.unfenced(`broker-${id}`, e);
        return;
      case 'raft-leader': return this.kraft.leader(f[effect.leader], Number(f[effect.epoch]), e);
      case 'raft-leaderless': return this.kraft.noLeader(Number(f[effect.epoch]), e);
    }
  }

  /**
   * A session expiry opens a broker window only once it is clear the
   * ZooKeeper server that logged it was not a frozen leader expiring
   * sessions it could not see; and only for a broker's own session (a CLI
   * tool's session expiring is no outage).
   */
  private flushPending(now: number): void {
    const pending = this.zookeeper.pending;
    if (pending.length === 0) return;
    const due = pending.filter((p) => now - p.event.time > FALSE_ALARM_MS);
    if (due.length === 0) return;
    this.zookeeper.pending = pending.filter((p) => now - p.event.time <= FALSE_ALARM_MS);
    for (const p of due) {
      const owner = this.sessions.ownerOf(p.session);
      if (owner !== undefined) this.brokers.lost(owner, p.event, `ZooKeeper expired its session ${p.session}`);
    }
  }
}

const ORDER: readonly WindowKind[] = [
  'zk-quorum-lost', 'controller-quorum-leaderless', 'zk-node-down', 'zk-node-unreachable', 'zk-stale-leader',
  'zookeeper-unreachable', 'controller-unavailable', 'broker-down', 'broker-hung', 'broker-fenced', 'isolated', 'log-dir-offline',
  'partition-leaderless', 'partition-offline', 'two-leaders', 'under-min-isr', 'under-replicated',
];
function kindOrder(k: WindowKind): number {
  return ORDER.indexOf(k);
}

/** Where a window comes in the output: by start, then kind, then the order the windows were opened in (byOrder). */
type Place = Omit<OrderKey, 'place'>;

/** A spool for the engine's windows, sorted as finish sorts them; `order`: as WindowSpool's (tests make its runs tiny). */
export function windowSpool(order?: { run?: number; fanIn?: number }): WindowSpool {
  return new WindowSpool(kindOrder, order);
}

/**
 * The windows found, in order: those held in memory and those spooled,
 * read back one at a time as they are reached. Iterate it as often as
 * needed (each pass reads the spool again, and makes new objects of what it
 * read: keep none of them longer than needed).
 */
export class WindowList implements Iterable<Window> {
  constructor(private readonly held: readonly (Place & { w: Window })[], private readonly spool: WindowSpool | undefined) {}

  /** Windows already in their order, all in memory. */
  static of(windows: readonly Window[]): WindowList {
    return new WindowList(windows.map((w, seq) => ({ w, start: w.start, kind: kindOrder(w.kind), seq })), undefined);
  }

  get length(): number {
    return this.held.length + (this.spool?.size ?? 0);
  }

  *[Symbol.iterator](): Iterator<Window> {
    const { held, spool } = this;
    if (!spool || spool.size === 0) {
      for (const h of held) yield h.w;
      return;
    }
    const order = spool.inOrder();
    let next = order.next();
    // Each window read back cites objects of its own, even for a line other windows cite too: what reads the list tells
    // lines apart by their file and line, or their place in the pass (the report's key events), never by object. Making
    // them one object again held every such line read back until the pass over the list ended (~110 MB in a report of
    // a gibibyte of event-dense logs).
    let i = 0;
    while (i < held.length || !next.done) {
      if (next.done || (i < held.length && byOrder(held[i]!, next.value) < 0)) yield held[i++]!.w;
      else {
        // The key is the merge's own object: its place read before the next step changes it.
        const { place } = next.value;
        next = order.next();
        yield spool.read(place, undefined, true);
      }
    }
  }
}
