import type { Effect } from '../catalogue/schema.js';
import type { TimelineEvent } from '../timeline/event.js';
import {
  addEvidence, asIds, asList, asNumber, brokerIdOf, evidenceOf, MAX_EVIDENCE, overlaps, splitPartition,
  type Evidence, type Window, type WindowBook, type WindowContext,
} from './window.js';
import { CUT_OFF } from './brokers.js';

/**
 * Two-leaders windows kept in memory a while for their truncation's later
 * tellings (the log's line after the fetcher's, the partition truncated
 * again while still cut off): on an event-dense log nine in ten come within
 * 16 windows opened since, all within 128; a later one reads back what a
 * spooled window cites.
 */
const RECENT_TWO_LEADERS = 128;
/** Truncation this long after a broker's isolation ends is its aftermath. */
const STALE_LEADER_MS = 15 * 60_000;

interface LeaderChange {
  time: number;
  leader: number;
  /** The controller's line (WindowBook.keep's number: out of memory where the windows are spooled). */
  line: number;
}

/**
 * A partition's leader changes, in the order they came, in lists of numbers
 * (an object per change was ~150 bytes, held to the end of the pass).
 */
class LeaderHistory {
  readonly times: number[] = [];
  readonly leaders: number[] = [];
  readonly lines: number[] = [];

  get length(): number {
    return this.times.length;
  }

  push(time: number, leader: number, line: number): void {
    this.times.push(time);
    this.leaders.push(leader);
    this.lines.push(line);
  }

  at(i: number): LeaderChange {
    return { time: this.times[i]!, leader: this.leaders[i]!, line: this.lines[i]! };
  }
}

/** `fullSize`: the replica count (Infinity when unknown); `missing`: the replicas known to be out. */
type UnderReplicated = Window & { fullSize: number; missing: Set<number> };

/**
 * Partitions: who leads each (from the controller's own lines), when one had
 * no working leader, when its ISR was short, and when a cut-off leader went
 * on acting beside the new one.
 */
export class PartitionTracker {
  private readonly offline = new Map<string, Window>();
  private readonly underReplicated = new Map<string, UnderReplicated>();
  private readonly underMinIsr = new Map<string, Window>();
  /** Per partition, each leader the controller named, in time order. */
  private readonly leaders = new Map<string, LeaderHistory>();
  /** Partitions whose leader changes did not come in time order (lines of a file out of order): read from the start. */
  private readonly unordered = new Set<string>();
  /** The two-leaders windows by node and partition, then start: a truncation told twice joins its window. */
  private readonly twoLeaders = new Map<string, TwoLeadersTold>();
  /**
   * The latest two-leaders windows, not yet retired: nearly every truncation
   * is told twice, a line apart (the fetcher's line, then the log's), and the
   * window at hand takes the second line; an older one, spooled, reads back
   * what it cites to take a later telling.
   */
  private readonly recentTwoLeaders: { told: TwoLeadersTold; start: number }[] = [];
  private readonly replicaSets = new Map<string, number[]>();
  /** Per partition, when the controller took which broker's replica offline (two lists: one object per partition, not per line). */
  private readonly offlineReplicas = new Map<string, { times: number[]; replicas: number[] }>();

  constructor(private readonly book: WindowBook, private readonly context: WindowContext) {}

  private replicasOf(p: string): number[] {
    return this.replicaSets.get(p) ?? this.context.replicas.get(p)?.replicas ?? [];
  }

  private noteLeader(p: string, leader: number, e: TimelineEvent): void {
    let history = this.leaders.get(p);
    if (!history) this.leaders.set(p, (history = new LeaderHistory()));
    const last = history.length - 1;
    if (last >= 0 && history.leaders[last] === leader) return;
    if (last >= 0 && !(e.time >= history.times[last]!)) this.unordered.add(p);
    history.push(e.time, leader, this.book.keep(evidenceOf(e)));
  }

  /**
   * Where in `p`'s history the changes after `t` begin: the first change
   * later than `t` (inclusive: at `t` or later), by halving while the
   * history is in time order, else by reading it from the start (the answer
   * is then the first such change in the order the changes came).
   */
  private firstAfter(p: string, history: LeaderHistory, t: number, inclusive: boolean): number {
    const { times } = history;
    const after = (time: number): boolean => (inclusive ? time >= t : time > t);
    if (this.unordered.has(p)) {
      const i = times.findIndex(after);
      return i < 0 ? times.length : i;
    }
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (after(times[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The leader the controller last named for `p` at or before `t` (undefined: not known). */
  leaderAt(p: string, t: number): number | undefined {
    const history = this.leaders.get(p);
    if (!history) return undefined;
    // The leader before the first change later than t (in the order the changes came).
    const i = this.firstAfter(p, history, t, false) - 1;
    return i >= 0 ? history.leaders[i] : undefined;
  }

  /** The first leader other than broker `id` the controller named for `p` from `from` to `to`. */
  private successor(p: string, from: number, to: number, id: number): LeaderChange | undefined {
    const history = this.leaders.get(p);
    if (!history) return undefined;
    const { times, leaders } = history;
    const match = (i: number): boolean => times[i]! >= from && times[i]! <= to && leaders[i]! >= 0 && leaders[i] !== id;
    let i = this.unordered.has(p) ? 0 : this.firstAfter(p, history, from, true);
    // In time order, the changes after `to` need not be read.
    for (; i < times.length && (this.unordered.has(p) || times[i]! <= to); i++) if (match(i)) return history.at(i);
    return undefined;
  }

  /** The first change later than `t` (in the order they came) that `match` accepts. */
  private nextLeader(p: string, history: LeaderHistory, t: number, match: (time: number, leader: number) => boolean): LeaderChange | undefined {
    const { times, leaders } = history;
    const unordered = this.unordered.has(p);
    for (let i = unordered ? 0 : this.firstAfter(p, history, t, false); i < times.length; i++) {
      if ((!unordered || times[i]! > t) && match(times[i]!, leaders[i]!)) return history.at(i);
    }
    return undefined;
  }

  offlineSignal(p: string, e: TimelineEvent): void {
    const open = this.offline.get(p);
    if (open) {
      addEvidence(open, evidenceOf(e));
      return;
    }
    const w = this.book.open({
      ...splitPartition(p), kind: 'partition-offline', start: e.time, startBounds: [e.time, e.time],
      startSource: { how: 'the controller recorded the partition offline (leader -1)', evidence: evidenceOf(e) },
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

  onlineSignal(p: string, leader: number | undefined, e: TimelineEvent): void {
    if (leader !== undefined) this.noteLeader(p, leader, e);
    const open = this.offline.get(p);
    if (!open) return;
    addEvidence(open, evidenceOf(e));
    this.book.close(open, e.time, e.time, { how: 'the controller elected a leader', evidence: evidenceOf(e) });
    this.offline.delete(p);
    this.done(open);
  }

  /**
   * A partition window closed is final (spooled) unless replica sets from
   * describe output may yet add to it after the pass (inferOfflineFromReplicas).
   */
  private done(w: Window): void {
    if (!this.context.replicas.has(`${w.topic}-${w.partition}`)) this.book.retire(w);
  }

  /** The controller's own statement of a partition's leader and ISR. */
  state(effect: Extract<Effect, { signal: 'partition-state' }>, e: TimelineEvent): void {
    const p = String(asList(e.fields[effect.partition])[0] ?? '');
    const leader = asNumber(e.fields[effect.leader]);
    if (!p || leader === undefined) return;
    const replicas = effect.replicas ? asIds(e.fields[effect.replicas]) : [];
    if (replicas.length > 0) this.replicaSets.set(p, replicas);
    this.noteLeader(p, leader, e);
    if (leader < 0) return;
    const isr = asIds(e.fields[effect.isr]);
    this.isrIs(p, isr, this.replicasOf(p).length, e, () => `the controller set its ISR to ${isr.join(',')}`);
  }

  /** The controller took a dead broker's replica out: the partition is short of it from here. */
  replicaOffline(effect: Extract<Effect, { signal: 'replica-offline' }>, e: TimelineEvent): void {
    const p = String(asList(e.fields[effect.partition])[0] ?? '');
    const replica = asNumber(e.fields[effect.replica]);
    if (!p || replica === undefined) return;
    let seen = this.offlineReplicas.get(p);
    if (!seen) this.offlineReplicas.set(p, (seen = { times: [], replicas: [] }));
    seen.times.push(e.time);
    seen.replicas.push(replica);
    const open = this.underReplicated.get(p);
    if (open) {
      open.missing.add(replica);
      addEvidence(open, evidenceOf(e));
      return;
    }
    const replicas = this.replicasOf(p);
    // A single replica going offline takes the partition offline, not short.
    if (replicas.length === 1) return;
    const w = this.book.open({
      ...splitPartition(p), kind: 'under-replicated', start: e.time, startBounds: [e.time, e.time],
      startSource: { how: `the controller took broker ${replica}'s replica offline`, evidence: evidenceOf(e) },
      confidence: 'high', reason: `the controller took the replica on broker ${replica} offline (its broker was gone)`,
      details: { offlineReplica: replica },
    });
    addEvidence(w, evidenceOf(e));
    this.underReplicated.set(p, Object.assign(w, { fullSize: replicas.length > 0 ? replicas.length : Infinity, missing: new Set([replica]) }));
  }

  /** A leader's own ISR change (`Shrinking ISR`, `Expanding ISR`, `ISR updated`). */
  isrChange(effect: Extract<Effect, { signal: 'isr-change' }>, e: TimelineEvent): void {
    const p = String(asList(e.fields[effect.partition])[0] ?? '');
    if (!p) return;
    const to = asIds(e.fields[effect.to]);
    const from = effect.from ? asIds(e.fields[effect.from]) : [];
    // A broker the controller has already replaced as leader (it was frozen
    // or cut off) may still try to shrink the ISR it no longer owns; its
    // write fails. That is not the partition's ISR.
    const reporter = brokerIdOf(e.node);
    const leader = this.leaderAt(p, e.time);
    if (leader !== undefined && leader >= 0 && Number.isInteger(reporter) && leader !== reporter) {
      this.book.falseAlarm(evidenceOf(e),
        `${e.node} no longer led ${p} (the controller had made broker ${leader} its leader): a deposed leader's ISR change, which ZooKeeper refuses, not the partition's ISR`);
      return;
    }
    const fullSize = Math.max(from.length, this.replicasOf(p).length);
    const underMin = effect.underMinIsr !== undefined && Boolean(e.fields[effect.underMinIsr]);
    this.isrIs(p, to, fullSize, e, () => `ISR shrank from ${from.join(',') || `${fullSize} replicas`} to ${to.join(',')}`, from, underMin);
  }

  /**
   * Below min.insync.replicas (where the topic's or the brokers' setting is
   * known) producers with acks=all get NotEnoughReplicas: the partition takes
   * no such writes although it has a leader.
   */
  private minIsr(p: string, isr: number[], fullSize: number, e: TimelineEvent): void {
    const { topic } = splitPartition(p);
    const setting = this.context.minIsr?.get(topic) ?? this.context.minIsr?.get('*');
    // Fewer replicas than min.insync.replicas is a standing misconfiguration
    // (acks=all always fails), for the findings, not a window of this incident.
    if (!setting || isr.length === 0 || fullSize < setting.value) return;
    const open = this.underMinIsr.get(p);
    if (open) {
      addEvidence(open, evidenceOf(e));
      if (isr.length >= setting.value) {
        this.book.close(open, e.time, e.time, { how: `the ISR was back to ${isr.length} (min.insync.replicas ${setting.value})`, evidence: evidenceOf(e) });
        this.underMinIsr.delete(p);
        this.book.retire(open);
      }
      return;
    }
    if (isr.length >= setting.value) return;
    const w = this.book.open({
      ...splitPartition(p), kind: 'under-min-isr', start: e.time, startBounds: [e.time, e.time], confidence: 'high',
      startSource: { how: `the ISR (${isr.join(',')}) fell below min.insync.replicas ${setting.value}`, evidence: evidenceOf(e) },
      reason: `ISR ${isr.join(',')} is below min.insync.replicas=${setting.value}${this.context.minIsr?.has(topic) ? '' : ' (the brokers\' default)'}: producers with acks=all were refused (NotEnoughReplicas)`,
      details: { isr, minInsyncReplicas: setting.value },
    });
    addEvidence(w, setting.evidence);
    addEvidence(w, evidenceOf(e));
    this.underMinIsr.set(p, w);
  }

  /** `why`: the reason a window opened here gives (made only then). */
  private isrIs(p: string, isr: number[], fullSize: number, e: TimelineEvent, why: () => string, from: number[] = [], underMin = false): void {
    this.minIsr(p, isr, fullSize, e);
    const open = this.underReplicated.get(p);
    if (open) {
      addEvidence(open, evidenceOf(e));
      open.details.isr = isr;
      if (underMin) open.details.underMinIsr = true;
      for (const id of from) if (!isr.includes(id)) open.missing.add(id);
      if (Number.isFinite(open.fullSize) ? isr.length >= Math.max(open.fullSize, fullSize)
        : (open.missing.size > 0 && [...open.missing].every((id) => isr.includes(id)))) {
        this.book.close(open, e.time, e.time, { how: 'the ISR was full again', evidence: evidenceOf(e) });
        this.underReplicated.delete(p);
        this.book.retire(open);
      }
      return;
    }
    if (isr.length === 0 || fullSize === 0 || isr.length >= fullSize) return;
    const w = this.book.open({
      ...splitPartition(p), kind: 'under-replicated', start: e.time, startBounds: [e.time, e.time],
      startSource: { how: 'the ISR was short of the replica set', evidence: evidenceOf(e) },
      confidence: 'high', reason: why(),
      details: { ...(from.length > 0 && { isrBefore: from }), isr, ...(underMin && { underMinIsr: true }) },
    });
    addEvidence(w, evidenceOf(e));
    const missing = new Set((from.length > 0 ? from : this.replicasOf(p)).filter((id) => !isr.includes(id)));
    this.underReplicated.set(p, Object.assign(w, { fullSize, missing }));
  }

  /**
   * A broker cut off from the cluster that truncates a partition when it
   * rejoins had gone on acting as its leader beside the one the controller
   * elected: two leaders at once, from that election to the truncation.
   */
  truncation(effect: Extract<Effect, { signal: 'truncation' }>, e: TimelineEvent): void {
    const p = String(asList(e.fields[effect.partition])[0] ?? '');
    const offset = Number(e.fields[effect.offset]);
    if (!p || !Number.isFinite(offset)) return;
    const cutOff = this.book.first(e.node, CUT_OFF, (w) => w.start <= e.time && (w.end === null || e.time - w.end <= STALE_LEADER_MS), e.time - STALE_LEADER_MS);
    if (!cutOff) return;
    const hw = effect.highWatermark !== undefined ? Number(e.fields[effect.highWatermark]) : Number.NaN;
    const id = brokerIdOf(e.node);
    if (cutOff.kind !== 'isolated') {
      // A restarted or thawed broker truncating as a follower: part of its comeback.
      cutOff.details.truncatedTo = offset;
      addEvidence(cutOff, evidenceOf(e));
      return;
    }
    const ledBefore = this.leaderAt(p, cutOff.start);
    const successor = this.successor(p, cutOff.start, e.time, id);
    if (ledBefore !== undefined && ledBefore !== id) return;
    const start = successor?.time ?? cutOff.start;
    // By node and partition, then start (a number, not a string per window).
    const where = `${e.node}\0${p}`;
    let byStart = this.twoLeaders.get(where);
    if (!byStart) this.twoLeaders.set(where, (byStart = new TwoLeadersTold()));
    const told = byStart.find(start);
    if (told !== -1) {
      // The same truncation told twice (the fetcher's line, then the log's).
      this.book.addLater(byStart.at(told), evidenceOf(e));
      return;
    }
    const elected = successor && this.book.cite(successor.line);
    const w = this.book.open({
      ...splitPartition(p), kind: 'two-leaders', node: e.node, start,
      startBounds: successor ? [successor.time, successor.time] : cutOff.startBounds,
      startSource: successor
        ? { how: `the controller elected broker ${successor.leader} while ${e.node} still acted as leader`, evidence: elected! }
        : { how: `${e.node} was cut off (no election line for the new leader was found)`, evidence: cutOff.startSource?.evidence ?? null },
      confidence: successor ? 'high' : 'medium',
      reason: `${e.node} was cut off from the cluster and went on acting as leader of ${p}${successor ? ` beside broker ${successor.leader}` : ''}; on rejoining it truncated ${p} to offset ${offset}: writes it had acknowledged after the cut were lost (acks=1)`,
      details: { truncatedTo: offset, ...(Number.isFinite(hw) && hw > offset && { truncatedOffsets: hw - offset }), ...(successor && { newLeader: successor.leader }) },
    });
    if (elected) addEvidence(w, elected);
    for (const ev of cutOff.evidence.slice(0, 3)) addEvidence(w, ev);
    addEvidence(w, evidenceOf(e));
    this.book.close(w, e.time, e.time, { how: 'the old leader truncated its log (it had become a follower)', evidence: evidenceOf(e) });
    // Final but for the same truncation told again.
    byStart.add(start, w);
    this.recentTwoLeaders.push({ told: byStart, start });
    if (this.recentTwoLeaders.length > RECENT_TWO_LEADERS) {
      const old = this.recentTwoLeaders.shift()!;
      const at = old.told.find(old.start);
      const held = old.told.at(at);
      if (typeof held === 'object') old.told.set(at, this.book.retire(held));
    }
  }

  /** Whether the controller took broker `id`'s replica of `p` offline from `from` to `to`. */
  private tookOffline(p: string, id: number, from: number, to: number): boolean {
    const seen = this.offlineReplicas.get(p);
    if (!seen) return false;
    for (let i = 0; i < seen.times.length; i++) if (seen.replicas[i] === id && seen.times[i]! >= from && seen.times[i]! <= to) return true;
    return false;
  }

  /**
   * A partition had no working leader from the moment its leader died or
   * froze until the controller named a new one (or the same one, back). The
   * controller's own OfflinePartition step is only the end of that.
   */
  inferLeaderless(): void {
    // Parked windows too (read back only for a partition's window).
    for (const entry of this.book.entries(['broker-down', 'broker-hung', 'log-dir-offline'])) {
      if (!entry.node?.startsWith('broker-')) continue;
      const id = Number(entry.node.slice('broker-'.length));
      let read: Window | undefined;
      for (const [p, history] of this.leaders) {
        if (this.leaderAt(p, entry.start) !== id) continue;
        const next = this.nextLeader(p, history, entry.start, (time, leader) => leader >= 0 && (leader !== id || (entry.end !== null && time >= entry.end)));
        // A failed log directory takes only its own partitions: those the
        // controller then took offline on this broker.
        if (entry.kind === 'log-dir-offline' && !this.tookOffline(p, id, entry.start, next?.time ?? Infinity)) continue;
        // No later leader in the logs: the controller's lines for it were not
        // given (a controlled shutdown moves leaders without them), so there
        // is no telling how long it lasted; replica sets may still say.
        if (!next) continue;
        const down = (read ??= this.book.full(entry));
        const w = this.book.open({
          ...splitPartition(p), kind: 'partition-leaderless', node: down.node, start: down.start, startBounds: down.startBounds,
          ...(down.startSource && { startSource: down.startSource }),
          confidence: down.confidence,
          reason: `its leader, ${down.node}, ${down.kind === 'broker-hung' ? 'froze' : down.kind === 'log-dir-offline' ? 'lost the log directory holding it' : 'went down'}; no broker served it until the controller ${next ? (next.leader === id ? `elected broker ${id} again after it came back` : `elected broker ${next.leader}`) : 'named another leader (not in the logs)'}`,
          details: { leaderBefore: id, leaderAfter: next.leader },
        });
        const elected = this.book.cite(next.line);
        this.book.close(w, next.time, next.time, { how: `the controller elected broker ${next.leader}`, evidence: elected });
        addEvidence(w, elected);
        for (const ev of down.evidence.slice(0, 4)) addEvidence(w, ev);
        this.done(w);
      }
    }
  }

  /** RF=1 (or every replica down) from describe output: a partition with no broker to lead it. */
  inferOfflineFromReplicas(): void {
    const downs = this.book.windows.filter((w) => (w.kind === 'broker-down' || w.kind === 'broker-hung') && w.node?.startsWith('broker-'));
    for (const [p, { replicas, evidence }] of this.context.replicas) {
      if (replicas.length === 0) continue;
      for (const down of downs) {
        const id = Number(down.node!.slice('broker-'.length));
        if (!replicas.includes(id)) continue;
        const others = replicas.filter((r) => r !== id);
        if (!others.every((r) => downs.some((d) => d.node === `broker-${r}` && d.start <= down.start && (d.end === null || (down.end !== null && d.end >= down.end))))) continue;
        const why = replicas.length === 1 ? `its only replica, broker ${id}, was down` : `every replica (${replicas.join(',')}) was down`;
        const related = (kind: Window['kind']) => this.book.windows.filter((w) => w.kind === kind &&
          `${w.topic}-${w.partition}` === p && overlaps(w, down.start, down.end) && !w.details.inferred);
        const offline = related('partition-offline');
        for (const w of [...offline, ...related('partition-leaderless')]) {
          w.details.replicationFactor = replicas.length;
          w.details.replicas = replicas;
          w.reason = `${w.reason}; replication factor ${replicas.length}: ${why}`;
          addEvidence(w, evidence);
        }
        if (related('partition-leaderless').length > 0) continue;
        // Unavailable from its only replica's death; the controller's own
        // OfflinePartition record (if any) starts later and says when it ended.
        const closedBy = offline.find((w) => w.end !== null);
        const w = this.book.open({
          ...splitPartition(p), kind: 'partition-leaderless', node: down.node, start: down.start, startBounds: down.startBounds,
          ...(down.startSource && { startSource: down.startSource }),
          confidence: down.confidence === 'high' ? 'high' : 'medium',
          reason: `replication factor ${replicas.length}: ${why}`,
          details: { inferred: true, replicationFactor: replicas.length, replicas },
        });
        if (closedBy) {
          w.end = closedBy.end;
          w.endBounds = closedBy.endBounds;
          if (closedBy.endSource) w.endSource = closedBy.endSource;
        } else {
          // Its only replica served again when it was back in full, not at its first line.
          const serving = down.track.servingAgain;
          w.end = serving?.time ?? down.end;
          w.endBounds = down.endBounds;
          if (serving) w.endSource = { how: `${down.node} was serving again`, evidence: serving.evidence };
          else if (down.endSource) w.endSource = down.endSource;
        }
        addEvidence(w, evidence);
        for (const ev of down.evidence.slice(0, MAX_EVIDENCE - 1)) addEvidence(w, ev);
      }
    }
  }
}

/**
 * One node's two-leaders windows of one partition, by start (a truncation
 * told again joins the window of its start): the starts in order and, for
 * each, its window, or the window's place in the spool once retired, in two
 * lists (a map of maps held ~55 bytes a window, to the end of the pass),
 * found by halving (starts come nearly in order: one is put in its place
 * near the end).
 */
class TwoLeadersTold {
  readonly starts: number[] = [];
  readonly told: (Window | number)[] = [];
  /** The window of a start that is no number (NaN), apart: it has no place in the order, and all such starts are one. */
  private noStart: Window | number | undefined;

  /** Where the window of `start` is in `told` (NaN: it is noStart); -1: none. */
  find(start: number): number {
    if (Number.isNaN(start)) return this.noStart === undefined ? -1 : Number.NaN;
    const i = this.lowerBound(start);
    return i < this.starts.length && this.starts[i] === start ? i : -1;
  }

  /** A window of a start not told before. */
  add(start: number, w: Window): void {
    if (Number.isNaN(start)) {
      this.noStart = w;
      return;
    }
    const i = this.lowerBound(start);
    this.starts.splice(i, 0, start);
    this.told.splice(i, 0, w);
  }

  /** The window at `i` (find's answer). */
  at(i: number): Window | number {
    return Number.isNaN(i) ? this.noStart! : this.told[i]!;
  }

  set(i: number, told: Window | number): void {
    if (Number.isNaN(i)) this.noStart = told;
    else this.told[i] = told;
  }

  /** Where the first start not before `start` is. */
  private lowerBound(start: number): number {
    const { starts } = this;
    let lo = 0;
    let hi = starts.length;
    // Most often the last or past it.
    if (hi === 0 || starts[hi - 1]! < start) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
