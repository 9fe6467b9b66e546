import type { FieldValue } from '../catalogue/fields.js';
import type { WindowKind } from '../model/window.js';
import type { Rule } from '../catalogue/schema.js';
import type { NodeKind, Severity } from '../model/record.js';
import { ownCopy, PASS_POSITION, rowOnly, type Positioned, type TimelineEvent } from '../timeline/event.js';
import type { WindowSpool } from './spool.js';
import { FalseAlarmList } from './false-alarms.js';
import type { EventRun } from '../timeline/run.js';
import { ParkedWindow, ParkedWindows } from './parked.js';

export { ParkedWindow } from './parked.js';

/** A line that supports a window; time null for snapshot lines without one. */
export interface Evidence {
  file: string;
  line: number;
  time: number | null;
  ruleId: string | null;
  text: string;
  /**
   * What a consumer after the pass needs of the event the line was read as
   * (log lines only): its row's worth and its position in the pass (rowOnly;
   * the report's key events). Not output.
   */
  event?: TimelineEvent;
}

/** What set one edge of a window: the method, in words, and the line it rests on. */
export interface EdgeSource {
  how: string;
  evidence: Evidence | null;
}

/** What a window is about and when: shared by log and metadata-log windows. */
export interface WindowSpan {
  kind: WindowKind;
  node?: string;
  topic?: string;
  partition?: number;
  start: number;
  /** null: still open at the end of the input. */
  end: number | null;
}

export interface Window extends WindowSpan {
  /** earliest = last sign of life, latest = when the cluster noticed. */
  startBounds: [number, number] | null;
  endBounds: [number, number] | null;
  /** Which source set the start (and the end): the most precise one present. */
  startSource?: EdgeSource;
  endSource?: EdgeSource;
  confidence: 'high' | 'medium' | 'low';
  reason: string;
  details: Record<string, string | number | boolean | number[]>;
  evidence: Evidence[];
  evidenceOmitted: number;
  /** The engine's bookkeeping; not part of the output. */
  track: Track;
}

export interface Track {
  /** Its place among the windows opened (what breaks ties in the windows' order); set by WindowBook.open. */
  seq?: number;
  /** When the cluster noticed (for windows opened by detection). */
  detectedAt?: number;
  /** The node logged a restart: its lines are its comeback, not signs it lived on. */
  restarting?: boolean;
  /** Its first line back after the silence: when its process ran again, and the line to cite. */
  firstSignOfLife?: LastSeen;
  /** Its line saying it was in service again (a restart's end's latest bound). */
  servingAgain?: LastSeen;
  /** The node's own lines after the cluster gave up on it. */
  alive: number;
  /**
   * Its first line after a silence long enough to be a freeze, not yet told
   * from a restart's first line (a restart says `starting` a moment later).
   */
  maybeHung?: boolean;
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
  /**
   * min.insync.replicas by topic (describe output's `Configs:`), and the
   * brokers' default (`*`, from server.properties), with the line that says so.
   */
  minIsr?: Map<string, { value: number; evidence: Evidence }>;
}

export const MAX_EVIDENCE = 12;
/** A JVM (a broker, a ZooKeeper server) logs its first line within this of being started. */
export const JVM_START_MS = 10_000;
/**
 * How long after being started a JVM typically logs its first line: a Kafka
 * broker loads Scala and its log4j set-up first (1.2–2.4 s over 14 starts of
 * Kafka 2.1 on Java 17), a ZooKeeper server far less (0.37–0.42 s, 3.8). A
 * restart's end is its first line less this; the bounds stay JVM_START_MS
 * before that line and the line (or serving again).
 */
export const FIRST_LINE_AFTER_START_MS = { broker: 1800, zookeeper: 400 } as const;

/**
 * When a restarted process started: its first line less the typical start-up,
 * never before it was last known down. `earliest` is the end's earliest bound.
 */
export function restartEstimate(firstLine: number, lastKnownDown: number, typicalMs: number): { at: number; earliest: number } {
  const earliest = Math.min(firstLine, Math.max(lastKnownDown, firstLine - JVM_START_MS));
  return { at: Math.max(earliest, firstLine - typicalMs), earliest };
}

/**
 * The evidence of a line: one object per line however many windows, edges
 * and trackers cite it (the trackers cite the event at hand, often twice:
 * an edge's source and the window's evidence).
 */
export function evidenceOf(e: TimelineEvent): Evidence {
  if (e !== lastCited) {
    lastEvidence = LineEvidence.of(e);
    lastCited = e;
  }
  return lastEvidence!;
}
let lastCited: TimelineEvent | undefined;
let lastEvidence: Evidence | undefined;

/**
 * A log line's evidence, with what the report's key events need of the
 * event it was read as (a row's worth and its position in the pass) on it,
 * not the event (fields, continuation lines), nor a second object: thousands
 * of windows keep up to MAX_EVIDENCE each to the end of the pass.
 */
class LineEvidence implements Evidence {
  readonly file: string;
  readonly line: number;
  readonly time: number;
  readonly ruleId: string | null;
  readonly text: string;
  private readonly node: string;
  private readonly nodeKind: NodeKind;
  private readonly rule: Rule | null;
  private readonly category: string;
  private readonly severity: Severity;
  /** Its event's position in the pass (where a sink numbered them: the report's key events). */
  readonly position: number | undefined;
  private row: Positioned | undefined;
  /** The spool that numbered it (WindowSpool) and its number there: a field, not a weak map's entry (tens of thousands of lines). */
  numberedBy: object | undefined = undefined;
  number = -1;

  static of(e: Positioned): LineEvidence {
    // A copy of its own: the message is a slice of the line it was read from, which would be kept whole with it.
    return new LineEvidence(e.file, e.line, e.time, e.rule, ownCopy(e.message), e.node, e.nodeKind, e.category, e.severity, e[PASS_POSITION]);
  }

  constructor(
    file: string, line: number, time: number, rule: Rule | null, text: string,
    node: string, nodeKind: NodeKind, category: string, severity: Severity, position: number | undefined,
  ) {
    this.file = file;
    this.line = line;
    this.time = time;
    this.rule = rule;
    this.ruleId = rule?.id ?? null;
    this.text = text;
    this.node = node;
    this.nodeKind = nodeKind;
    this.category = category;
    this.severity = severity;
    this.position = position;
  }

  /** The event's row form (rowOnly), made when asked for. */
  get event(): TimelineEvent {
    this.row ??= rowOnly({
      time: this.time, node: this.node, nodeKind: this.nodeKind, file: this.file, line: this.line, rule: this.rule, category: this.category,
      severity: this.severity, message: this.text, fields: {}, continuation: [], [PASS_POSITION]: this.position,
    });
    return this.row;
  }

  record(id: number): EvidenceRecord {
    return {
      id, file: this.file, line: this.line, time: this.time, ruleId: this.ruleId, text: this.text, rule: this.rule,
      event: { node: this.node, nodeKind: this.nodeKind, category: this.category, severity: this.severity }, position: this.position,
    };
  }
}

/** Evidence as plain data (a spooled window's): what a line's evidence is made again from. */
export interface EvidenceRecord {
  /** One number per evidence object. */
  id: number;
  file: string;
  line: number;
  time: number | null;
  ruleId: string | null;
  text: string;
  rule?: Rule | null;
  /** A log line's: what its row needs besides the above. */
  event?: { node: string; nodeKind: NodeKind; category: string; severity: Severity };
  position?: number | undefined;
}

/** The number `owner` gave a line's evidence (numberEvidence), where it is a log line's and was given one. */
export function evidenceNumber(ev: Evidence, owner: object): number | undefined {
  return ev instanceof LineEvidence && ev.numberedBy === owner ? ev.number : undefined;
}

/** Gives a log line's evidence its number in `owner`, unless another owner numbered it; false: not done. */
export function numberEvidence(ev: Evidence, owner: object, id: number): boolean {
  if (!(ev instanceof LineEvidence) || (ev.numberedBy !== undefined && ev.numberedBy !== owner)) return false;
  ev.numberedBy = owner;
  ev.number = id;
  return true;
}

/** The position in the pass of the event a line's evidence was made of, where the events were numbered. */
export function positionOf(ev: Evidence): number | undefined {
  return ev instanceof LineEvidence ? ev.position : undefined;
}

export function evidenceRecord(ev: Evidence, id: number): EvidenceRecord {
  if (ev instanceof LineEvidence) return ev.record(id);
  return { id, file: ev.file, line: ev.line, time: ev.time, ruleId: ev.ruleId, text: ev.text };
}

/** The evidence a record was made of, again (a log line's with its row's worth; `rule` looked up by the caller). */
export function evidenceFromRecord(r: EvidenceRecord): Evidence {
  if (!r.event) return { file: r.file, line: r.line, time: r.time, ruleId: r.ruleId, text: r.text };
  const { node, nodeKind, category, severity } = r.event;
  return new LineEvidence(r.file, r.line, r.time!, r.rule ?? null, r.text, node, nodeKind, category, severity, r.position);
}

/**
 * A line judged a false alarm, kept for the output: the line's evidence and
 * why, nothing else of the event (tens of thousands on an event-dense log).
 */
export function falseAlarm(ev: Evidence, why: string): FalseAlarm {
  return { file: ev.file, line: ev.line, time: ev.time, ruleId: ev.ruleId, text: ev.text, why };
}

export function addEvidence(w: Window, ev: Evidence): void {
  if (w.evidence.some((x) => x.file === ev.file && x.line === ev.line)) return;
  if (w.evidence.length < MAX_EVIDENCE) w.evidence.push(ev);
  else w.evidenceOmitted++;
}

export function asList(v: FieldValue | undefined): (string | number)[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export function asIds(v: FieldValue | undefined): number[] {
  const ids: number[] = [];
  if (v === undefined) return ids;
  // One list made, not three (an ISR line on every other line of an event-dense log).
  const add = (x: string | number): void => {
    const n = Number(x);
    if (Number.isInteger(n) && n >= 0) ids.push(n);
  };
  if (Array.isArray(v)) for (const x of v) add(x);
  else add(v);
  return ids;
}

const brokerIds = new Map<string, number>();
/** The broker id in a node's name (`broker-N`), NaN for any other node. */
export function brokerIdOf(node: string): number {
  let id = brokerIds.get(node);
  if (id === undefined) {
    id = Number(/^broker-(\d+)$/.exec(node)?.[1] ?? Number.NaN);
    if (brokerIds.size < 4096) brokerIds.set(node, id);
  }
  return id;
}

/** A number field, or undefined when the rule did not capture it. */
export function asNumber(v: FieldValue | undefined): number | undefined {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return v === undefined || v === '' || !Number.isFinite(n) ? undefined : n;
}

export function splitPartition(p: string): { topic: string; partition: number } {
  const dash = p.lastIndexOf('-');
  return { topic: p.slice(0, dash), partition: Number(p.slice(dash + 1)) };
}

export function overlaps(w: Window, from: number, to: number | null): boolean {
  return w.start <= (to ?? Infinity) && (w.end ?? Infinity) >= from;
}

/** Windows read a block at a time by `Listed.find`. */
const BLOCK = 32;
/** Blocks whose bounds `Listed.find` passes over a group at a time. */
const GROUP = 32;

/**
 * One node's windows of one kind, in the order they were opened, with, for
 * each block of BLOCK of them, a time no window in it ends after (Infinity
 * while one is open, or until a look-up reads the block whole again), and
 * the latest of those per group of GROUP blocks: a look-up for windows that
 * ended since a time passes over groups, then blocks, ended before it (an
 * event-dense log gives one broker tens of thousands of windows of a kind;
 * a look-up read every block's bound, on every truncation line).
 */
class Listed {
  /** The windows held, and the numbers of those parked (ParkedWindows). */
  readonly windows: (Window | number)[] = [];
  private readonly latestEnd: number[] = [];
  private readonly groupEnd: number[] = [];

  constructor(private readonly parked: ParkedWindows) {}

  push(w: Window): void {
    this.windows.push(w);
    this.unbound((this.windows.length - 1) / BLOCK | 0);
  }

  insert(i: number, w: Window): void {
    this.windows.splice(i, 0, w);
    this.loosen();
  }

  remove(w: Window): void {
    // From the end: the window retired or changed is most often one of the latest.
    const i = this.windows.lastIndexOf(w);
    if (i < 0) return;
    this.windows.splice(i, 1);
    this.loosen();
  }

  /** `w` (of this list) out of memory: its number among those parked stands in its place. */
  park(w: Window, parked: number): void {
    const i = this.windows.lastIndexOf(w);
    if (i >= 0) this.windows[i] = parked;
  }

  /** Parked window `p` (of this list) read back as `w`. */
  unpark(p: number, w: Window): void {
    const i = this.windows.lastIndexOf(p);
    if (i >= 0) this.windows[i] = w;
  }

  /** A window's place among those opened, held or parked. */
  seqOf(w: Window | number): number {
    return typeof w === 'number' ? this.parked.seq(w) : w.track.seq!;
  }

  /** `w` (of this list) now ends later than it did. */
  later(w: Window): void {
    const i = this.windows.lastIndexOf(w);
    if (i >= 0) this.unbound(i / BLOCK | 0);
  }

  /** Block `b` may hold a window that ends at any time. */
  private unbound(b: number): void {
    this.latestEnd[b] = Infinity;
    this.groupEnd[b / GROUP | 0] = Infinity;
  }

  /** Windows moved between blocks: no bound holds until read again. */
  private loosen(): void {
    this.latestEnd.length = Math.ceil(this.windows.length / BLOCK);
    this.latestEnd.fill(Infinity);
    this.groupEnd.length = Math.ceil(this.latestEnd.length / GROUP);
    this.groupEnd.fill(Infinity);
  }

  /**
   * The first window `match` accepts, of those that ended at `since` or
   * later or have not ended. A window parked is read back (`unpark`) to be
   * asked, unless `span` (which `match` implies) rules it out by its start
   * and end.
   */
  find(match: (w: Window) => boolean, since: number, unpark: (p: number) => Window, span?: Span): Window | undefined {
    const { windows, latestEnd, groupEnd, parked } = this;
    const blocks = latestEnd.length;
    for (let g = 0; g * GROUP < blocks; g++) {
      if (groupEnd[g]! < since) continue;
      const lastBlock = Math.min(blocks, (g + 1) * GROUP);
      let groupLatest = -Infinity;
      for (let b = g * GROUP; b < lastBlock; b++) {
        if (latestEnd[b]! < since) {
          if (latestEnd[b]! > groupLatest) groupLatest = latestEnd[b]!;
          continue;
        }
        const to = Math.min(windows.length, (b + 1) * BLOCK);
        let latest = -Infinity;
        for (let i = b * BLOCK; i < to; i++) {
          const x = windows[i]!;
          const end = typeof x === 'number' ? parked.end(x) : x.end ?? Infinity;
          if (end > latest) latest = end;
          if (end < since) continue;
          if (typeof x === 'number' && span && !span(parked.start(x), end)) continue;
          const w = typeof x === 'number' ? unpark(x) : x;
          if (match(w)) return w;
        }
        latestEnd[b] = latest;
        if (latest > groupLatest) groupLatest = latest;
      }
      // Every block of the group read or passed over: the group's bound is theirs.
      groupEnd[g] = groupLatest;
    }
    return undefined;
  }
}

/** A condition on a window's start and end alone. */
export type Span = (start: number, end: number | null) => boolean;

/** A broker window's end this long before the latest line: no look-up of the pass reaches it (the longest, a truncation's, looks back 15 minutes). */
const PARK_AFTER_MS = 30 * 60_000;

/**
 * Lines kept to cite (WindowBook.keep) held in memory besides the spool, the
 * latest: on an event-dense log, nine in ten truncations that cite a
 * partition's new leader cite one of the latest ~N elections.
 */
const KEPT_RECENT = 4096;

export interface LastSeen {
  time: number;
  evidence: Evidence;
}

type OpenArgs = Omit<Window, 'evidence' | 'evidenceOmitted' | 'details' | 'end' | 'endBounds' | 'track'> &
  Partial<Pick<Window, 'details' | 'track'>>;

/**
 * The windows found so far and what every tracker needs to know of every
 * node: its first and latest line (any line is a sign of life). Trackers
 * open and close windows here; nothing else holds them.
 */
export class WindowBook {
  readonly windows: Window[] = [];
  /** Out of memory where the windows are spooled. */
  readonly falseAlarms: FalseAlarmList;
  /** Each node's latest line (one object per node, updated in place: read it, do not keep it). */
  readonly lastSeen: ReadonlyMap<string, LastSeen> = new Map<string, SeenLine>();
  readonly firstSeen = new Map<string, number>();

  /**
   * The windows of each node and kind, in the order they were opened (each
   * window's place in that order below): what the trackers look up for every
   * event that may join a window, so that a lookup reads one node's windows
   * of the kinds asked for, not every window found so far.
   */
  private readonly index = new Map<string, Map<WindowKind, Listed>>();
  private opened = 0;
  /**
   * Broker windows closed, to park (out of memory, in the spool) once the
   * pass is PARK_AFTER_MS past their end; and those parked, in the order
   * they were parked (undefined where one was read back).
   */
  private readonly toPark: Window[] = [];
  private readonly parked = new ParkedWindows();
  /**
   * Lines kept to cite later (keep): those in the spool, the latest
   * KEPT_RECENT by their number there (most are cited soon after, if ever:
   * a truncation cites the election a moment before it; the others are read
   * back when cited); those held (no spool, or one it cannot keep), all.
   */
  private readonly recentKept: (Evidence | undefined)[] = [];
  private readonly recentNumbers = new Int32Array(KEPT_RECENT).fill(-1);
  private readonly keptHeld: Evidence[] = [];
  /**
   * The evidence objects the steps after the pass read back parked windows
   * with (WindowSpool.shared): one object per line, as held.
   */
  private sharedEvidence: Map<number, Evidence> | undefined;
  /** The reasons false alarms were judged, one string each however many lines share one. */
  private readonly whys = new Map<string, string>();

  /**
   * `spool`: where windows the pass is done with go (none: every window is
   * held to the end); `parkAfterMs`: how long after its end a broker window
   * no tracker holds leaves memory.
   */
  constructor(readonly spool?: WindowSpool, private readonly parkAfterMs = PARK_AFTER_MS) {
    this.falseAlarms = new FalseAlarmList(spool !== undefined);
  }

  /**
   * `w` is final: closed, out of every tracker's reach, and changed by no step
   * after the pass. Spooled (where there is a spool), it leaves memory: what
   * is returned is then its place in the spool, to add evidence to it by
   * (addLater); else `w` itself.
   */
  retire(w: Window): Window | number {
    const i = this.spool ? this.windows.lastIndexOf(w) : -1;
    if (i < 0) return w;
    const place = this.spool!.put(w, w.track.seq!);
    if (place === undefined) return w;
    this.windows.splice(i, 1);
    this.unindex(w);
    return place;
  }

  /**
   * `w`, a broker window closed that no tracker holds, is to leave memory
   * once the pass is well past its end (parkUpTo); look-ups read it back if
   * they may take it.
   */
  parkLater(w: Window): void {
    if (this.spool && w.end !== null) this.toPark.push(w);
  }

  /** The pass is at `now`: windows to park that ended parkAfterMs before it leave memory. */
  parkUpTo(now: number): void {
    const { toPark } = this;
    const before = now - this.parkAfterMs;
    if (toPark.length === 0 || !(toPark[0]!.end! < before)) return;
    let n = 0;
    while (n < toPark.length && toPark[n]!.end! < before) this.park(toPark[n++]!);
    toPark.splice(0, n);
  }

  private park(w: Window): void {
    const i = this.windows.lastIndexOf(w);
    if (i < 0 || w.end === null) return;
    const place = this.spool!.put(w, w.track.seq!);
    if (place === undefined) return;
    this.windows.splice(i, 1);
    const parked = this.parked.add(w.kind, w.node, w.start, w.end, w.track.seq!, place);
    this.index.get(w.node ?? '')?.get(w.kind)?.park(w, parked);
  }

  /** Parked window `p` (its number among those parked) back in memory, as it was when parked (a look-up may change it); it leaves the spool. */
  private unpark(p: number): Window {
    const { parked } = this;
    const place = parked.place(p);
    const seq = parked.seq(p);
    const w = this.spool!.read(place, this.sharedEvidence);
    w.track.seq = seq;
    this.spool!.drop(place);
    this.index.get(parked.node(p) ?? '')?.get(parked.kind(p))?.unpark(p, w);
    parked.readBack(p);
    // In the order opened, as windows held are.
    let lo = 0;
    let hi = this.windows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.windows[mid]!.track.seq! < seq) lo = mid + 1;
      else hi = mid;
    }
    this.windows.splice(lo, 0, w);
    // It is final again once the pass is past it (it was).
    this.toPark.unshift(w);
    return w;
  }

  /**
   * The windows of `kinds`, held or parked, in the order they were opened
   * (the order `windows` held them all in): for the steps after the pass,
   * which choose them by what is held of the parked ones, then read those
   * they need (full) or change (held). Those held and parked when it is
   * called, each parked one made as it is reached (ParkedWindow).
   */
  *entries(kinds: readonly WindowKind[]): Generator<Window | ParkedWindow> {
    const held = this.windows.filter((w) => kinds.includes(w.kind));
    const { parked } = this;
    const order = parked.count === 0 ? new Int32Array(0) : parked.ofKinds(kinds);
    let i = 0;
    let j = 0;
    while (i < held.length || j < order.length) {
      if (j >= order.length || (i < held.length && held[i]!.track.seq! < parked.seq(order[j]!))) yield held[i++]!;
      else yield parked.view(order[j++]!);
    }
  }

  /** A window as it is: one held, or a parked one read back (a copy: what is changed on it is lost). */
  full(w: Window | ParkedWindow): Window {
    if (!(w instanceof ParkedWindow)) return w;
    const copy = this.spool!.read(w.place, this.sharedEvidence);
    copy.track.seq = w.seq;
    return copy;
  }

  /** A window held: one held, or a parked one back in memory (to change it). */
  held(w: Window | ParkedWindow): Window {
    return w instanceof ParkedWindow ? this.unpark(w.index) : w;
  }

  /**
   * The pass is over: parked windows read back from here on cite the
   * evidence objects held windows cite (one object per line, as held).
   */
  passOver(): void {
    this.toPark.length = 0;
    if (this.spool) this.sharedEvidence = this.spool.shared(this.windows);
  }

  /**
   * A line a tracker keeps to cite later, maybe (a controller's election, a
   * partition's new leader), by a number (cite's): out of memory where there
   * is a spool (the latest KEPT_RECENT held too), else held.
   */
  keep(ev: Evidence): number {
    const out = this.spool && Number.isFinite(ev.line) && (ev.time === null || Number.isFinite(ev.time));
    if (!out) {
      // Held: a negative number (the spool's are 0 and up).
      this.keptHeld.push(ev);
      return -this.keptHeld.length;
    }
    const k = this.spool!.keepLine(ev);
    this.remember(k, ev);
    return k;
  }

  /** Line `k` kept in the spool, among the latest held. */
  private remember(k: number, ev: Evidence): void {
    const slot = k % KEPT_RECENT;
    this.recentKept[slot] = ev;
    this.recentNumbers[slot] = k;
  }

  /**
   * A line kept, to cite: the object kept while anything holds it, else read
   * back (then cited by nothing, so none can tell it from the first; after
   * the pass, as the windows read back cite it).
   */
  cite(k: number): Evidence {
    if (k < 0) return this.keptHeld[-k - 1]!;
    if (this.recentNumbers[k % KEPT_RECENT] === k) return this.recentKept[k % KEPT_RECENT]!;
    const ev = this.spool!.line(k, this.sharedEvidence);
    this.remember(k, ev);
    return ev;
  }

  /** Evidence for a window retired (`retired`: what retire returned). */
  addLater(retired: Window | number, ev: Evidence): void {
    if (typeof retired === 'number') this.spool!.addEvidence(retired, ev);
    else addEvidence(retired, ev);
  }

  /** Opening order of a window held (what breaks ties in the windows' order). */
  seqOf(w: Window): number {
    return w.track.seq!;
  }

  /** A line judged a false alarm, and why. */
  falseAlarm(ev: Evidence, why: string): void {
    let text = this.whys.get(why);
    if (text === undefined) this.whys.set(why, (text = ownCopy(why)));
    this.falseAlarms.push(falseAlarm(ev, text));
  }

  open(w: OpenArgs): Window {
    const window: Window = { end: null, endBounds: null, details: {}, evidence: [], evidenceOmitted: 0, track: { alive: 0 }, ...w };
    window.track.seq = this.opened++;
    this.windows.push(window);
    this.listOf(window.node, window.kind).push(window);
    return window;
  }

  /**
   * The first window opened (as `windows.find` would find it) of `node`, of
   * one of `kinds`, that `match` accepts. `since`: `match` accepts no window
   * that ended before then (those are passed over unread: a node's windows
   * of a kind are read from the first, and there are thousands on a long log).
   */
  first(node: string | undefined, kinds: readonly WindowKind[], match: (w: Window) => boolean, since = -Infinity, span?: Span): Window | undefined {
    let found: Window | undefined;
    for (const kind of kinds) {
      const w = this.index.get(node ?? '')?.get(kind)?.find(match, since, this.unparkInList, span);
      if (w && (!found || w.track.seq! < found.track.seq!)) found = w;
    }
    return found;
  }

  private readonly unparkInList = (p: number): Window => this.unpark(p);

  /** Changes what a window is (a down broker found frozen, a silent ZooKeeper server found dead). */
  setKind(w: Window, kind: WindowKind): void {
    this.unindex(w);
    w.kind = kind;
    const list = this.listOf(w.node, kind);
    const at = w.track.seq!;
    let i = list.windows.length;
    while (i > 0 && list.seqOf(list.windows[i - 1]!) > at) i--;
    list.insert(i, w);
  }

  private listOf(node: string | undefined, kind: WindowKind): Listed {
    let kinds = this.index.get(node ?? '');
    if (!kinds) this.index.set(node ?? '', (kinds = new Map()));
    let list = kinds.get(kind);
    if (!list) kinds.set(kind, (list = new Listed(this.parked)));
    return list;
  }

  private unindex(w: Window): void {
    this.index.get(w.node ?? '')?.get(w.kind)?.remove(w);
  }

  /**
   * Ends `w` at `end`, an estimate between `earliest` and `latest` (both `end`
   * when it is exact). A window's end changes here alone during the pass (the
   * index's bounds on ends follow it).
   */
  close(w: Window, end: number, earliest = end, source?: EdgeSource, latest = end): void {
    const before = w.end;
    w.end = Math.max(end, w.start);
    if (before !== null && w.end > before) this.index.get(w.node ?? '')?.get(w.kind)?.later(w);
    w.endBounds = [Math.min(earliest, w.end), Math.max(latest, w.end)];
    if (source) w.endSource = source;
  }

  remove(w: Window): void {
    const i = this.windows.indexOf(w);
    if (i >= 0) this.windows.splice(i, 1);
    this.unindex(w);
  }

  /** Records a run's lines [from, to) (timeline/run.ts) as seen() one by one would: its node's first line, if none before, and its last. */
  seenRun(run: EventRun, from = 0, to = run.length): void {
    const first = !this.lastSeen.has(run.node);
    if (first) this.seen(run.eventAt(from));
    if (!first || to - from > 1) this.seen(run.eventAt(to - 1));
  }

  /** Records a line of `e.node`; called after the trackers saw the event. */
  seen(e: TimelineEvent): void {
    const seen = (this.lastSeen as Map<string, SeenLine>).get(e.node);
    if (seen) {
      seen.update(e);
      return;
    }
    this.firstSeen.set(e.node, e.time);
    (this.lastSeen as Map<string, SeenLine>).set(e.node, new SeenLine(e));
  }
}

/**
 * A node's latest line: its evidence made only when a tracker asks for it
 * (every line is seen, few are cited; a light event's text is then read back).
 */
class SeenLine implements LastSeen {
  time: number;
  private cited: Evidence | undefined;

  constructor(private event: TimelineEvent) {
    this.time = event.time;
  }

  update(e: TimelineEvent): void {
    this.event = e;
    this.time = e.time;
    this.cited = undefined;
  }

  get evidence(): Evidence {
    this.cited ??= evidenceOf(this.event);
    return this.cited;
  }
}
