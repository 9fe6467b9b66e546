import { fileLineSource, pumpLines, type LineSource } from '../sources/lines.js';
import { DumpReader, emptyDumpCounts, type BatchEntry, type DumpCounts, type DumpEntry, type RecordEntry } from './dump-log-segments.js';

/**
 * Streaming reader for `kafka-dump-log.sh --cluster-metadata-decoder` output
 * on `__cluster_metadata-0` segments and `.checkpoint` snapshots
 * (message-catalogue §3.8, §3.12). The text is DumpLogSegments' (batch lines
 * plus `| offset: …` record lines), read by the shared DumpReader; what this
 * reader adds is the record payloads:
 *
 *   | offset: 9 CreateTime: … headerKeys: [] payload: {"type":"PARTITION_CHANGE_RECORD","version":0,"data":{…}}
 *   | offset: 0 CreateTime: … headerKeys: [] controlType: LEADER_CHANGE(2)        (3.x–4.0)
 *   | offset: 0 CreateTime: … headerKeys: [] LeaderChange: {"leaderId":3,…}       (after KAFKA-19069)
 *   | offset: 0 CreateTime: … headerKeys: [] SnapshotHeader {"version":0,…}       (.checkpoint, 3.3+)
 *
 * Each payload becomes a typed record with its batch's time (CreateTime,
 * the controller's clock), offset and raft epoch (`partitionLeaderEpoch`).
 * The JSON field names are those of the generated converters: tagged fields
 * are printed only when set (a PARTITION_CHANGE_RECORD without `leader`
 * left the leader unchanged; `-1` is no leader).
 */

export type MetadataPayload =
  | { kind: 'topic'; name: string; topicId: string }
  | { kind: 'remove-topic'; topicId: string }
  | {
    kind: 'partition'; topicId: string; partition: number; replicas: number[]; isr: number[]; leader: number;
    leaderEpoch: number | null; leaderRecoveryState: number; elr: number[] | null; lastKnownElr: number[] | null;
  }
  | {
    kind: 'partition-change'; topicId: string; partition: number; leader?: number; isr?: number[]; replicas?: number[];
    leaderRecoveryState?: number; elr?: number[]; lastKnownElr?: number[];
  }
  | { kind: 'register-broker'; broker: number; brokerEpoch: number | null; fenced: boolean | null; inControlledShutdown: boolean | null }
  | { kind: 'unregister-broker'; broker: number; brokerEpoch: number | null }
  | { kind: 'fence-broker' | 'unfence-broker'; broker: number; brokerEpoch: number | null }
  /** `fenced`: 1 fenced, -1 unfenced, 0 unchanged; `inControlledShutdown` 1 when it began one. */
  | { kind: 'broker-registration-change'; broker: number; brokerEpoch: number | null; fenced: number; inControlledShutdown: number }
  /** The raft leader of the batch's epoch; `leaderId` null when the dump prints only `controlType: LEADER_CHANGE(2)`. */
  | { kind: 'leader-change'; leaderId: number | null; voters: number[] | null }
  | { kind: 'snapshot-header'; lastContainedLogTimestamp: number | null }
  | { kind: 'snapshot-footer' }
  /** A decoded record this tool does not interpret (NO_OP_RECORD, CONFIG_RECORD, FEATURE_LEVEL_RECORD …). */
  | { kind: 'other'; recordType: string }
  /** `Error at N, skipping. …`, JSON that does not parse, or a record without `type`/`data`. */
  | { kind: 'undecodable'; reason: string };

export interface MetadataRecord {
  payload: MetadataPayload;
  /** Record offset as printed (a snapshot's offsets count from 0 inside the snapshot). */
  offset: number | null;
  /** Epoch ms: the record's CreateTime, else its batch's. */
  time: number | null;
  /** Raft epoch of the leader that wrote the batch (`partitionLeaderEpoch`). */
  epoch: number | null;
  file: string;
  /** 1-based line of the record line. */
  line: number;
  batchLine: number | null;
  /** From a `.checkpoint` snapshot: state as of the snapshot, not an event at its time. */
  snapshot: boolean;
  /** The metadata offset a snapshot ends at (its `Snapshot end offset:` header), else null. */
  snapshotEndOffset: number | null;
}

/** One batch line of a metadata dump: the unit the controller appended. */
export interface MetadataBatch {
  baseOffset: number | null;
  lastOffset: number | null;
  epoch: number | null;
  time: number | null;
  isControl: boolean;
  file: string;
  line: number;
  snapshot: boolean;
}

/**
 * Accounting: every line is in `dump` (linesRead = headers + batches + records
 * + summaries + indexEntries + noise + wrapped + unrecognised), and every
 * record line is one of: decoded, control, undecodable, bare.
 */
export interface MetadataCounts {
  dump: DumpCounts;
  /** Records whose payload decoded to a metadata record (typed or `other`). */
  decoded: number;
  /** Control records (LEADER_CHANGE, SnapshotHeader/Footer, KRaftVersion, KRaftVoters). */
  control: number;
  undecodable: number;
  /** Record lines without payload or control text (dumped without --cluster-metadata-decoder). */
  bare: number;
  /** Decoded records by `type`. */
  types: Record<string, number>;
}

export function emptyMetadataCounts(): MetadataCounts {
  return { dump: emptyDumpCounts(), decoded: 0, control: 0, undecodable: 0, bare: 0, types: {} };
}

type Json = Record<string, unknown>;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function ids(v: unknown): number[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null;
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
/** `fenced` is a boolean in RegisterBrokerRecord and an int8 in BrokerRegistrationChangeRecord. */
function flag(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  return null;
}

/** The typed payload of one decoded `{"type":…,"version":…,"data":{…}}` record. */
export function decodePayload(text: string): MetadataPayload {
  const t = text.trim();
  if (t.startsWith('Error at ')) return { kind: 'undecodable', reason: t };
  let json: Json;
  try {
    json = JSON.parse(t) as Json;
  } catch {
    return { kind: 'undecodable', reason: 'payload is not JSON (cut or wrapped)' };
  }
  const type = str(json.type);
  const data = json.data as Json | undefined;
  if (type === null || typeof data !== 'object' || data === null) return { kind: 'undecodable', reason: 'payload has no type or data' };
  const partitionOf = () => ({ topicId: str(data.topicId) ?? '', partition: num(data.partitionId) ?? -1 });
  switch (type) {
    case 'TOPIC_RECORD':
      return { kind: 'topic', name: str(data.name) ?? '', topicId: str(data.topicId) ?? '' };
    case 'REMOVE_TOPIC_RECORD':
      return { kind: 'remove-topic', topicId: str(data.topicId) ?? '' };
    case 'PARTITION_RECORD':
      return {
        kind: 'partition', ...partitionOf(), replicas: ids(data.replicas) ?? [], isr: ids(data.isr) ?? [],
        leader: num(data.leader) ?? -1, leaderEpoch: num(data.leaderEpoch), leaderRecoveryState: num(data.leaderRecoveryState) ?? 0,
        elr: ids(data.eligibleLeaderReplicas), lastKnownElr: ids(data.lastKnownElr),
      };
    case 'PARTITION_CHANGE_RECORD': {
      const out: Extract<MetadataPayload, { kind: 'partition-change' }> = { kind: 'partition-change', ...partitionOf() };
      // leader -2 (NO_LEADER_CHANGE) is the default and not printed.
      const leader = num(data.leader);
      if (leader !== null && leader !== -2) out.leader = leader;
      const isr = ids(data.isr);
      if (isr) out.isr = isr;
      const replicas = ids(data.replicas);
      if (replicas) out.replicas = replicas;
      const lrs = num(data.leaderRecoveryState);
      if (lrs !== null && lrs !== -1) out.leaderRecoveryState = lrs;
      const elr = ids(data.eligibleLeaderReplicas);
      if (elr) out.elr = elr;
      const lke = ids(data.lastKnownElr);
      if (lke) out.lastKnownElr = lke;
      return out;
    }
    case 'REGISTER_BROKER_RECORD':
      return {
        kind: 'register-broker', broker: num(data.brokerId) ?? -1, brokerEpoch: num(data.brokerEpoch),
        fenced: flag(data.fenced), inControlledShutdown: flag(data.inControlledShutdown),
      };
    case 'UNREGISTER_BROKER_RECORD':
      return { kind: 'unregister-broker', broker: num(data.brokerId) ?? -1, brokerEpoch: num(data.brokerEpoch) };
    case 'FENCE_BROKER_RECORD':
    case 'UNFENCE_BROKER_RECORD':
      return { kind: type === 'FENCE_BROKER_RECORD' ? 'fence-broker' : 'unfence-broker', broker: num(data.id) ?? -1, brokerEpoch: num(data.epoch) };
    case 'BROKER_REGISTRATION_CHANGE_RECORD':
      return {
        kind: 'broker-registration-change', broker: num(data.brokerId) ?? -1, brokerEpoch: num(data.brokerEpoch),
        fenced: num(data.fenced) ?? 0, inControlledShutdown: num(data.inControlledShutdown) ?? 0,
      };
    default:
      return { kind: 'other', recordType: type };
  }
}

/** The typed payload of a control record's text (RecordEntry.control), or undefined for none. */
export function decodeControl(control: string): MetadataPayload | undefined {
  if (control.startsWith('SnapshotHeader')) {
    const m = /"lastContainedLogTimestamp":(-?\d+)/.exec(control);
    return { kind: 'snapshot-header', lastContainedLogTimestamp: m ? Number(m[1]) : null };
  }
  if (control.startsWith('SnapshotFooter')) return { kind: 'snapshot-footer' };
  if (control.startsWith('LeaderChange')) {
    const body = control.slice(control.indexOf('{'));
    try {
      const json = JSON.parse(body) as Json;
      const voters = Array.isArray(json.voters) ? (json.voters as Json[]).map((v) => num(v.voterId)).filter((v): v is number => v !== null) : null;
      return { kind: 'leader-change', leaderId: num(json.leaderId), voters };
    } catch {
      const m = /"leaderId":(-?\d+)/.exec(body);
      return { kind: 'leader-change', leaderId: m ? Number(m[1]) : null, voters: null };
    }
  }
  if (/^controlType: LEADER_CHANGE\b/.test(control)) return { kind: 'leader-change', leaderId: null, voters: null };
  // KRaftVersion, KRaftVoters, other control types: control records with no window meaning.
  return { kind: 'other', recordType: control.split(/[\s:{]/)[0] ?? 'control' };
}

/**
 * Line-at-a-time: feed lines with push(), then end(). Emits one record per
 * record line and one batch per batch line, holding nothing but the current
 * batch and section.
 */
export class MetadataLogReader {
  readonly counts: MetadataCounts = emptyMetadataCounts();
  private readonly dump: DumpReader;
  private batch: MetadataBatch | undefined;
  private snapshotEnd: number | null = null;

  constructor(
    private readonly file: string,
    private readonly onRecord: (record: MetadataRecord) => void,
    private readonly onBatch?: (batch: MetadataBatch) => void,
  ) {
    this.dump = new DumpReader((entry) => this.entry(entry));
    this.counts.dump = this.dump.counts;
  }

  push(line: string): void {
    this.dump.push(line);
  }

  end(): void {
    this.dump.end();
  }

  private entry(e: DumpEntry): void {
    const snapshot = e.section.fileKind === 'checkpoint';
    if (e.type === 'header') {
      if (e.kind === 'dumping') { this.batch = undefined; this.snapshotEnd = null; }
      if (e.kind === 'snapshot-end') this.snapshotEnd = e.offset;
      return;
    }
    if (e.type === 'batch') return this.onBatchEntry(e, snapshot);
    if (e.type === 'record') this.onRecordEntry(e, snapshot);
  }

  private onBatchEntry(e: BatchEntry, snapshot: boolean): void {
    this.batch = {
      baseOffset: e.baseOffset, lastOffset: e.lastOffset, epoch: e.partitionLeaderEpoch, time: e.timestamp,
      isControl: e.isControl === true, file: this.file, line: e.line, snapshot,
    };
    this.onBatch?.(this.batch);
  }

  private onRecordEntry(e: RecordEntry, snapshot: boolean): void {
    let payload: MetadataPayload;
    if (e.payload !== null) {
      payload = decodePayload(e.payload);
      if (payload.kind === 'undecodable') this.counts.undecodable++;
      else {
        this.counts.decoded++;
        const type = payload.kind === 'other' ? payload.recordType : (/"type":"(\w+)"/.exec(e.payload)?.[1] ?? payload.kind);
        this.counts.types[type] = (this.counts.types[type] ?? 0) + 1;
      }
    } else if (e.control !== null) {
      payload = decodeControl(e.control)!;
      this.counts.control++;
    } else {
      this.counts.bare++;
      return;
    }
    const b = this.batch;
    this.onRecord({
      payload,
      offset: e.offset,
      time: e.timestamp ?? b?.time ?? null,
      epoch: b?.epoch ?? e.partitionLeaderEpoch,
      file: this.file,
      line: e.line,
      batchLine: b?.line ?? null,
      snapshot,
      snapshotEndOffset: snapshot ? this.snapshotEnd : null,
    });
  }
}

export interface MetadataReadResult {
  counts: MetadataCounts;
  cutLines: number;
  error: string | null;
}

/** Reads one dump file (plain, gzip, UTF-16) through the line source. */
export async function readMetadataDump(
  path: string,
  onRecord: (record: MetadataRecord) => void,
  options: { onBatch?: (batch: MetadataBatch) => void; source?: LineSource } = {},
): Promise<MetadataReadResult> {
  const reader = new MetadataLogReader(path, onRecord, options.onBatch);
  const source = options.source ?? fileLineSource(path);
  const error = await pumpLines(source, (line) => reader.push(line));
  reader.end();
  return { counts: reader.counts, cutLines: source.stats.cutLines, error };
}

const METADATA_HINT = /__cluster_metadata-\d|@metadata-\d|\.checkpoint\b|payload: \{"type":"[A-Z_]+_RECORD"|SnapshotHeader \{|controlType: LEADER_CHANGE|LeaderChange: \{/;

/** Whether dump lines are a cluster-metadata dump: its `Dumping` path, a decoded payload, a KRaft control record. */
export function looksLikeMetadataDump(lines: readonly string[]): boolean {
  return lines.some((l) => METADATA_HINT.test(l));
}

/** Reads a dump's head (64 KiB) to tell a cluster-metadata dump from a topic's. */
export async function isMetadataDump(path: string): Promise<boolean> {
  const head: string[] = [];
  for await (const batch of fileLineSource(path, 64 << 10).batches()) head.push(...batch);
  return looksLikeMetadataDump(head);
}
