import type { MetadataBatch, MetadataPayload, MetadataRecord } from '../readers/metadata-log.js';
import type { Evidence, WindowSpan } from './window.js';

/**
 * The KRaft metadata log as history: per partition, every leader/ISR state
 * with its metadata offset and batch time; per broker, the intervals it was
 * fenced; per raft epoch, its first and last batch. From these, windows of
 * the same kinds the logs give (`partition-offline`, `under-replicated`,
 * `broker-fenced`, `controller-quorum-leaderless`), each with the dump lines
 * as evidence. Pure: records in, state out; feed records in offset order.
 */

export interface PartitionState {
  offset: number | null;
  time: number | null;
  leader: number;
  isr: number[];
  replicas: number[];
  leaderRecoveryState: number;
  elr: number[] | null;
  evidence: Evidence;
}

export interface PartitionHistory {
  topic: string;
  topicId: string;
  partition: number;
  states: PartitionState[];
}

export interface FencedInterval {
  broker: number;
  start: number;
  end: number | null;
  startOffset: number | null;
  endOffset: number | null;
  evidence: Evidence[];
}

export interface EpochSpan {
  epoch: number;
  /** From a LeaderChange record that names it; null when the dump prints only `controlType: LEADER_CHANGE(2)`. */
  leaderId: number | null;
  firstOffset: number | null;
  firstTime: number;
  lastOffset: number | null;
  lastTime: number;
  firstEvidence: Evidence;
  lastEvidence: Evidence;
}

export interface MetadataWindow extends WindowSpan {
  startOffset: number | null;
  endOffset: number | null;
  reason: string;
  details: Record<string, string | number | boolean | number[]>;
  evidence: Evidence[];
}

const MAX_EVIDENCE = 8;

function fmtIds(list: readonly number[] | undefined | null): string {
  return `[${(list ?? []).join(',')}]`;
}

function describePayload(p: MetadataPayload, name: (topicId: string) => string): string {
  switch (p.kind) {
    case 'topic': return `TOPIC_RECORD ${p.name} = ${p.topicId}`;
    case 'remove-topic': return `REMOVE_TOPIC_RECORD ${name(p.topicId)}`;
    case 'partition': return `PARTITION_RECORD ${name(p.topicId)}-${p.partition} leader ${p.leader} isr ${fmtIds(p.isr)} replicas ${fmtIds(p.replicas)}`;
    case 'partition-change': {
      const parts = [`PARTITION_CHANGE_RECORD ${name(p.topicId)}-${p.partition}`];
      if (p.leader !== undefined) parts.push(`leader ${p.leader}`);
      if (p.isr) parts.push(`isr ${fmtIds(p.isr)}`);
      if (p.replicas) parts.push(`replicas ${fmtIds(p.replicas)}`);
      if (p.elr) parts.push(`elr ${fmtIds(p.elr)}`);
      if (p.leaderRecoveryState !== undefined) parts.push(`leaderRecoveryState ${p.leaderRecoveryState}`);
      return parts.join(' ');
    }
    case 'register-broker': return `REGISTER_BROKER_RECORD broker ${p.broker} epoch ${p.brokerEpoch ?? '?'}${p.fenced === null ? '' : ` fenced ${p.fenced}`}`;
    case 'unregister-broker': return `UNREGISTER_BROKER_RECORD broker ${p.broker}`;
    case 'fence-broker': return `FENCE_BROKER_RECORD broker ${p.broker} epoch ${p.brokerEpoch ?? '?'}`;
    case 'unfence-broker': return `UNFENCE_BROKER_RECORD broker ${p.broker} epoch ${p.brokerEpoch ?? '?'}`;
    case 'broker-registration-change':
      return `BROKER_REGISTRATION_CHANGE_RECORD broker ${p.broker} epoch ${p.brokerEpoch ?? '?'} fenced ${p.fenced}${p.inControlledShutdown ? ' inControlledShutdown 1' : ''}`;
    case 'leader-change': return `LEADER_CHANGE${p.leaderId === null ? '' : ` leader ${p.leaderId}`}`;
    case 'snapshot-header': return 'SnapshotHeader';
    case 'snapshot-footer': return 'SnapshotFooter';
    case 'other': return p.recordType;
    case 'undecodable': return `undecodable: ${p.reason}`;
  }
}

const RULE_OF: Record<MetadataPayload['kind'], string> = {
  'topic': 'metadata.topic', 'remove-topic': 'metadata.remove-topic', 'partition': 'metadata.partition',
  'partition-change': 'metadata.partition-change', 'register-broker': 'metadata.register-broker',
  'unregister-broker': 'metadata.unregister-broker', 'fence-broker': 'metadata.fence-broker',
  'unfence-broker': 'metadata.unfence-broker', 'broker-registration-change': 'metadata.broker-registration-change',
  'leader-change': 'metadata.leader-change', 'snapshot-header': 'metadata.snapshot-header',
  'snapshot-footer': 'metadata.snapshot-footer', 'other': 'metadata.other', 'undecodable': 'metadata.undecodable',
};

function add(w: MetadataWindow, ev: Evidence): void {
  if (w.evidence.length < MAX_EVIDENCE && !w.evidence.some((x) => x.file === ev.file && x.line === ev.line)) w.evidence.push(ev);
}

export class MetadataHistory {
  readonly topics = new Map<string, string>();
  readonly partitions = new Map<string, PartitionHistory>();
  readonly fenced: FencedInterval[] = [];
  readonly epochs: EpochSpan[] = [];
  readonly windows: MetadataWindow[] = [];
  /** Time and offset range the log (not snapshots) covers. */
  first: { time: number; offset: number | null } | undefined;
  last: { time: number; offset: number | null } | undefined;
  /** Records skipped because their offset was already applied (overlapping dumps). */
  duplicates = 0;

  private lastApplied = -1;
  private readonly openFenced = new Map<number, { interval: FencedInterval; window: MetadataWindow }>();
  private readonly openOffline = new Map<string, MetadataWindow>();
  private readonly openUnder = new Map<string, MetadataWindow>();
  private lastBatch: MetadataBatch | undefined;

  private name(topicId: string): string {
    return this.topics.get(topicId) ?? topicId;
  }

  private evidenceOf(r: MetadataRecord): Evidence {
    const where = r.snapshot
      ? `snapshot${r.snapshotEndOffset === null ? '' : ` ending at offset ${r.snapshotEndOffset}`}`
      : `offset ${r.offset ?? '?'}`;
    return {
      file: r.file, line: r.line, time: r.time, ruleId: RULE_OF[r.payload.kind],
      text: `__cluster_metadata ${where}${r.epoch === null ? '' : ` (epoch ${r.epoch})`}: ${describePayload(r.payload, (id) => this.name(id))}`,
    };
  }

  /** Feeds a batch line (log segments, not snapshots): raft epochs and leaderless gaps come from these. */
  batch(b: MetadataBatch): void {
    if (b.snapshot || b.time === null || b.epoch === null) return;
    if (b.baseOffset !== null && b.baseOffset <= this.lastApplied && this.lastBatch !== undefined) return;
    const ev: Evidence = {
      file: b.file, line: b.line, time: b.time, ruleId: 'metadata.batch',
      text: `__cluster_metadata batch at offset ${b.baseOffset ?? '?'}${b.lastOffset !== null && b.lastOffset !== b.baseOffset ? `–${b.lastOffset}` : ''} (epoch ${b.epoch})`,
    };
    this.first ??= { time: b.time, offset: b.baseOffset };
    this.last = { time: b.time, offset: b.lastOffset ?? b.baseOffset };
    const span = this.epochs[this.epochs.length - 1];
    if (span && b.epoch === span.epoch) {
      span.lastOffset = b.lastOffset ?? b.baseOffset;
      span.lastTime = b.time;
      span.lastEvidence = ev;
    } else if (!span || b.epoch > span.epoch) {
      this.epochs.push({
        epoch: b.epoch, leaderId: null, firstOffset: b.baseOffset, firstTime: b.time, lastOffset: b.lastOffset ?? b.baseOffset,
        lastTime: b.time, firstEvidence: ev, lastEvidence: ev,
      });
      if (span) {
        // The old leader's last batch and the new leader's first: between them no leader wrote, and
        // an active controller writes at least every metadata.max.idle.interval.ms (500 ms).
        this.windows.push({
          kind: 'controller-quorum-leaderless', start: span.lastTime, end: b.time, startOffset: span.lastOffset, endOffset: b.baseOffset,
          reason: `the metadata log has no batch between the last of epoch ${span.epoch} and the first of epoch ${b.epoch}: no controller was active`,
          details: { epochBefore: span.epoch, epochAfter: b.epoch },
          evidence: [span.lastEvidence, ev],
        });
      }
    }
    this.lastBatch = b;
  }

  /** Feeds one record, in offset order. */
  apply(r: MetadataRecord): void {
    if (!r.snapshot && r.offset !== null) {
      if (r.offset <= this.lastApplied) { this.duplicates++; return; }
      this.lastApplied = r.offset;
    }
    const p = r.payload;
    const ev = this.evidenceOf(r);
    const time = r.time ?? this.last?.time ?? 0;
    switch (p.kind) {
      case 'topic':
        this.topics.set(p.topicId, p.name);
        return;
      case 'partition':
        return this.partitionState(p.topicId, p.partition, {
          offset: r.offset, time: r.time, leader: p.leader, isr: p.isr, replicas: p.replicas,
          leaderRecoveryState: p.leaderRecoveryState, elr: p.elr, evidence: ev,
        }, time, r);
      case 'partition-change': {
        const prev = this.partitions.get(`${p.topicId}:${p.partition}`)?.states.at(-1);
        return this.partitionState(p.topicId, p.partition, {
          offset: r.offset, time: r.time, leader: p.leader ?? prev?.leader ?? -1, isr: p.isr ?? prev?.isr ?? [],
          replicas: p.replicas ?? prev?.replicas ?? [], leaderRecoveryState: p.leaderRecoveryState ?? prev?.leaderRecoveryState ?? 0,
          elr: p.elr ?? prev?.elr ?? null, evidence: ev,
        }, time, r);
      }
      case 'fence-broker':
        return this.fence(p.broker, time, r, ev);
      case 'unfence-broker':
        return this.unfence(p.broker, time, r, ev);
      case 'broker-registration-change':
        if (p.fenced === 1) this.fence(p.broker, time, r, ev);
        else if (p.fenced === -1) this.unfence(p.broker, time, r, ev);
        return;
      case 'register-broker': {
        const open = this.openFenced.get(p.broker);
        if (open) add(open.window, ev);
        return;
      }
      case 'unregister-broker':
        return this.unfence(p.broker, time, r, ev, 'it was unregistered');
      case 'leader-change': {
        const span = this.epochs[this.epochs.length - 1];
        if (span && p.leaderId !== null && (r.epoch === null || r.epoch === span.epoch)) {
          span.leaderId = p.leaderId;
          const w = this.windows.at(-1);
          if (w?.kind === 'controller-quorum-leaderless' && w.details.epochAfter === span.epoch) w.details.leaderAfter = p.leaderId;
        }
        const w = this.windows.at(-1);
        if (w?.kind === 'controller-quorum-leaderless' && w.end === r.time) add(w, ev);
        return;
      }
      default:
        return;
    }
  }

  private fence(broker: number, time: number, r: MetadataRecord, ev: Evidence): void {
    const open = this.openFenced.get(broker);
    if (open) { add(open.window, ev); open.interval.evidence.push(ev); return; }
    const interval: FencedInterval = { broker, start: time, end: null, startOffset: r.offset, endOffset: null, evidence: [ev] };
    const window: MetadataWindow = {
      kind: 'broker-fenced', node: `broker-${broker}`, start: time, end: null, startOffset: r.offset, endOffset: null,
      reason: r.snapshot ? 'fenced in the metadata snapshot' : 'the metadata log records the controller fencing it',
      details: {}, evidence: [ev],
    };
    this.fenced.push(interval);
    this.windows.push(window);
    this.openFenced.set(broker, { interval, window });
  }

  private unfence(broker: number, time: number, r: MetadataRecord, ev: Evidence, why?: string): void {
    const open = this.openFenced.get(broker);
    if (!open) return;
    open.interval.end = time;
    open.interval.endOffset = r.offset;
    open.interval.evidence.push(ev);
    open.window.end = time;
    open.window.endOffset = r.offset;
    if (why) open.window.reason = `${open.window.reason}; ${why}`;
    add(open.window, ev);
    this.openFenced.delete(broker);
  }

  private partitionState(topicId: string, partition: number, state: PartitionState, time: number, r: MetadataRecord): void {
    const key = `${topicId}:${partition}`;
    let h = this.partitions.get(key);
    if (!h) {
      h = { topic: this.name(topicId), topicId, partition, states: [] };
      this.partitions.set(key, h);
    }
    if (h.topic === topicId) h.topic = this.name(topicId);
    const prev = h.states.at(-1);
    h.states.push(state);
    const subject = { topic: h.topic, partition };
    const tp = `${h.topic}-${partition}`;

    // partition-offline: leader -1.
    const offline = this.openOffline.get(key);
    if (state.leader < 0 && !offline) {
      const w: MetadataWindow = {
        kind: 'partition-offline', ...subject, start: time, end: null, startOffset: r.offset, endOffset: null,
        reason: `the metadata log sets ${tp}'s leader to -1${prev && prev.leader >= 0 ? ` (it was ${prev.leader})` : ''}: no replica in its ISR ${fmtIds(state.isr)} could lead`,
        details: { replicas: state.replicas, isr: state.isr },
        evidence: [state.evidence],
      };
      this.windows.push(w);
      this.openOffline.set(key, w);
    } else if (state.leader >= 0 && offline) {
      offline.end = time;
      offline.endOffset = r.offset;
      offline.details.leaderAfter = state.leader;
      if (state.leaderRecoveryState === 1) offline.details.uncleanElection = true;
      add(offline, state.evidence);
      this.openOffline.delete(key);
    }

    // under-replicated: ISR smaller than the replica set.
    const under = this.openUnder.get(key);
    const short = state.replicas.length > 0 && state.isr.length < state.replicas.length;
    if (short && !under) {
      const w: MetadataWindow = {
        kind: 'under-replicated', ...subject, start: time, end: null, startOffset: r.offset, endOffset: null,
        reason: `the metadata log shrinks ${tp}'s ISR to ${fmtIds(state.isr)} of replicas ${fmtIds(state.replicas)}`,
        details: { isrBefore: prev?.isr ?? state.replicas, isr: state.isr, replicas: state.replicas },
        evidence: [state.evidence],
      };
      this.windows.push(w);
      this.openUnder.set(key, w);
    } else if (under) {
      add(under, state.evidence);
      if (!short) {
        under.end = time;
        under.endOffset = r.offset;
        under.details.isrAfter = state.isr;
        this.openUnder.delete(key);
      }
    }
    if (offline && state.leader < 0) add(offline, state.evidence);
  }

  /** The partition's state at a time (the last change at or before it), or undefined. */
  stateAt(h: PartitionHistory, time: number): PartitionState | undefined {
    let found: PartitionState | undefined;
    for (const s of h.states) {
      if (s.time !== null && s.time > time) break;
      found = s;
    }
    return found;
  }

  /** Replica assignments (latest), for the log window engine's replication-factor reasoning. */
  replicaAssignments(): Map<string, { replicas: number[]; evidence: Evidence }> {
    const out = new Map<string, { replicas: number[]; evidence: Evidence }>();
    for (const h of this.partitions.values()) {
      const first = h.states.find((s) => s.evidence.ruleId === 'metadata.partition') ?? h.states[0];
      const last = h.states.at(-1);
      if (first && last && last.replicas.length > 0) out.set(`${this.name(h.topicId)}-${h.partition}`, { replicas: last.replicas, evidence: first.evidence });
    }
    return out;
  }

  /** Windows by start, with topic names resolved. */
  finish(): MetadataWindow[] {
    for (const w of this.windows) {
      if (w.topic !== undefined) w.topic = this.topics.get(w.topic) ?? w.topic;
    }
    for (const h of this.partitions.values()) h.topic = this.name(h.topicId);
    return [...this.windows].sort((a, b) => a.start - b.start);
  }
}
