import { basename } from 'node:path';
import type { BatchEntry, DumpSection, RecordEntry, TimestampType } from '../readers/dump-log-segments.js';

/**
 * One copy of a partition: what one broker's log held when it was dumped
 * (topic, partition, broker, and where the dumps of that copy lie). A copy
 * may be dumped several ways (without `--deep-iteration`: batch lines;
 * with it: record lines, before 2.2 without the batch line) and in several
 * segments. Its views are combined per segment: records from a record-level
 * view (each record's own CreateTime and sequence), leader epoch, CRC and
 * producer id from the batch that holds the record (in the same file, or in
 * a batch-level dump of the same segment). Nothing is dropped for another
 * view: a record-level view with no batch line for a record keeps the record
 * with an unknown epoch, and counts disagreeing between views are warned of.
 *
 * Units are held as columns of numbers (NaN for unknown), eight numbers per
 * unit: the comparison of replicas is offset by offset across copies, so a
 * copy's units are kept until the copies are compared.
 */

const enum Col { First, Last, Count, Time, Epoch, Crc, Pid, Seq, PEpoch, Line, Valid, Type, Hash }
const COLS = 13;

/** Growable table of units, one row of COLS numbers each. */
export class UnitTable {
  private data = new Float64Array(COLS * 64);
  size = 0;

  push(first: number, last: number, count: number, time: number, epoch: number, crc: number, pid: number, seq: number, pepoch: number, line: number, valid: number, type: number, hash: number): void {
    if ((this.size + 1) * COLS > this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    const o = this.size * COLS;
    const d = this.data;
    d[o] = first; d[o + 1] = last; d[o + 2] = count; d[o + 3] = time; d[o + 4] = epoch; d[o + 5] = crc;
    d[o + 6] = pid; d[o + 7] = seq; d[o + 8] = pepoch; d[o + 9] = line; d[o + 10] = valid; d[o + 11] = type; d[o + 12] = hash;
    this.size++;
  }

  get(i: number, c: Col): number { return this.data[i * COLS + c]!; }
  set(i: number, c: Col, v: number): void { this.data[i * COLS + c] = v; }
  first(i: number): number { return this.get(i, Col.First); }
  last(i: number): number { return this.get(i, Col.Last); }
  count(i: number): number { return this.get(i, Col.Count); }
  time(i: number): number { return this.get(i, Col.Time); }
  epoch(i: number): number { return this.get(i, Col.Epoch); }
  crc(i: number): number { return this.get(i, Col.Crc); }
  pid(i: number): number { return this.get(i, Col.Pid); }
  seq(i: number): number { return this.get(i, Col.Seq); }
  producerEpoch(i: number): number { return this.get(i, Col.PEpoch); }
  line(i: number): number { return this.get(i, Col.Line); }
  valid(i: number): number { return this.get(i, Col.Valid); }
  type(i: number): TimestampType | null { return TYPES[this.get(i, Col.Type)] ?? null; }
  hash(i: number): number { return this.get(i, Col.Hash); }
  setEpoch(i: number, v: number): void { this.set(i, Col.Epoch, v); }
  setCrc(i: number, v: number): void { this.set(i, Col.Crc, v); }
  setPid(i: number, v: number, pepoch: number): void { this.set(i, Col.Pid, v); this.set(i, Col.PEpoch, pepoch); }
}

const TYPES: readonly TimestampType[] = ['CreateTime', 'LogAppendTime', 'NoTimestampType'];
const typeCode = (t: TimestampType | null): number => (t === null ? Number.NaN : TYPES.indexOf(t));
const num = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v);
const bool = (v: boolean | null): number => (v === null ? Number.NaN : v ? 1 : 0);

/** A 32-bit FNV-1a hash of a payload, to tell two records at one offset apart. */
export function payloadHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A record or batch marked `isvalid: false` (CRC mismatch), or `invalid bytes` at a segment's end. */
export interface Corruption {
  file: string;
  line: number;
  offset: number | null;
  text: string;
}

/** One (file, section) of a copy: its batch lines and its record lines. */
export class View {
  readonly batches = new UnitTable();
  readonly records = new UnitTable();
  /** The batch the next record lines belong to (index in batches), -1 outside a batch. */
  private current = -1;

  constructor(readonly file: string, readonly section: DumpSection) {}

  /** Segment this view dumps: the dumped file's name, else its base offset, else the dump file itself. */
  get segment(): string {
    if (this.section.path) return basename(this.section.path).replace(/\.(log|deleted|cleaned|swap)$/, '');
    if (this.section.baseOffset !== null) return String(this.section.baseOffset);
    return `file:${this.file}`;
  }

  batch(b: BatchEntry): void {
    const last = b.lastOffset;
    if (last === null) { this.current = -1; return; }
    const first = b.baseOffset ?? last;
    this.batches.push(first, last, b.count ?? last - first + 1, num(b.timestamp), b.legacy ? Number.NaN : num(b.partitionLeaderEpoch),
      num(b.crc), num(b.producerId), num(b.lastSequence), num(b.producerEpoch), b.line, bool(b.isValid), typeCode(b.timestampType), Number.NaN);
    this.current = this.batches.size - 1;
  }

  record(r: RecordEntry): void {
    const offset = r.offset;
    if (offset === null) return;
    const c = this.current;
    const inBatch = c >= 0 && this.batches.first(c) <= offset && offset <= this.batches.last(c);
    const pidText = r.extra?.producerId;
    const pepochText = r.extra?.producerEpoch;
    const pid = inBatch ? this.batches.pid(c) : pidText !== undefined ? Number(pidText) : Number.NaN;
    const pepoch = inBatch ? this.batches.producerEpoch(c) : pepochText !== undefined ? Number(pepochText) : Number.NaN;
    const epoch = r.partitionLeaderEpoch ?? (inBatch ? this.batches.epoch(c) : Number.NaN);
    const type = r.timestampType ?? (inBatch ? this.batches.type(c) : null);
    const hash = r.payload !== null ? payloadHash(`${r.key ?? ''}\0${r.payload}`) : Number.NaN;
    this.records.push(offset, offset, 1, num(r.timestamp), num(epoch), inBatch ? this.batches.crc(c) : num(r.crc),
      num(pid), num(r.sequence), num(pepoch), r.line, bool(r.isValid), typeCode(type), hash);
  }

  /** Records of this view, or its batches when it lists none. */
  get level(): 'record' | 'batch' { return this.records.size > 0 ? 'record' : 'batch'; }
}

/** What a copy is called and how its broker was found. */
export interface CopyId {
  topic: string;
  partition: number | null;
  broker: string | null;
  brokerSource: string | null;
  /** Directory (or file) the copy's dumps were read from. */
  location: string;
}

/** A unit of the merged stream of one copy. */
export interface MergedUnit {
  first: number;
  last: number;
  count: number;
  time: number | null;
  type: TimestampType | null;
  epoch: number | null;
  crc: number | null;
  pid: number | null;
  seq: number | null;
  producerEpoch: number | null;
  hash: number | null;
  valid: boolean | null;
  line: number;
  file: string;
  /** Whether this unit is one record (from a record-level view). */
  record: boolean;
}

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export class Copy {
  readonly views: View[] = [];
  readonly corruption: Corruption[] = [];
  corruptionOmitted = 0;
  readonly warnings: string[] = [];
  /** leader-epoch-checkpoint entries found beside the dumps: epoch → start offset. */
  readonly checkpoint: { epoch: number; startOffset: number; file: string; line: number }[] = [];

  constructor(readonly id: CopyId) {}

  view(file: string, section: DumpSection): View {
    const last = this.views[this.views.length - 1];
    if (last && last.file === file && last.section === section) return last;
    const v = new View(file, section);
    this.views.push(v);
    return v;
  }

  flagCorrupt(c: Corruption): void {
    if (this.corruption.length < 100) this.corruption.push(c);
    else this.corruptionOmitted++;
  }

  /**
   * Units in offset order: per segment, the records of its richest
   * record-level view with the epoch / CRC / producer of their batch from any
   * view of that segment, or its batches when no view lists records.
   */
  *merged(): Generator<MergedUnit> {
    const bySegment = new Map<string, View[]>();
    for (const v of this.views) {
      const list = bySegment.get(v.segment) ?? [];
      list.push(v);
      bySegment.set(v.segment, list);
    }
    const segments = [...bySegment.values()].map((views) => {
      const recordViews = views.filter((v) => v.level === 'record').sort((a, b) => b.records.size - a.records.size);
      const batchViews = views.filter((v) => v.batches.size > 0).sort((a, b) => b.batches.size - a.batches.size);
      const start = recordViews[0] ? recordViews[0].records.first(0) : batchViews[0] ? batchViews[0].batches.first(0) : Number.POSITIVE_INFINITY;
      return { views, recordViews, batchViews, start };
    }).sort((a, b) => a.start - b.start);

    for (const s of segments) {
      const rec = s.recordViews[0];
      const bat = s.batchViews[0];
      if (rec) {
        for (const other of s.recordViews.slice(1)) {
          if (other.records.size !== rec.records.size) {
            this.warnings.push(`${other.file} lists ${other.records.size} records of segment ${rec.segment}, ${rec.file} ${rec.records.size}: the dumps of this copy disagree`);
          }
        }
        if (bat && bat !== rec) {
          let inBatches = 0;
          for (let i = 0; i < bat.batches.size; i++) inBatches += bat.batches.count(i);
          if (inBatches !== rec.records.size) {
            this.warnings.push(`${bat.file} counts ${inBatches} records in the batches of segment ${rec.segment}, ${rec.file} lists ${rec.records.size}`);
          }
        }
        const t = rec.records;
        let j = 0;
        for (let i = 0; i < t.size; i++) {
          const offset = t.first(i);
          // Epoch, CRC and producer from the batch-level view when the record line has none.
          if (bat && bat !== rec && (Number.isNaN(t.epoch(i)) || Number.isNaN(t.crc(i)))) {
            while (j < bat.batches.size && bat.batches.last(j) < offset) j++;
            if (j < bat.batches.size && bat.batches.first(j) <= offset) {
              if (Number.isNaN(t.epoch(i))) t.setEpoch(i, bat.batches.epoch(j));
              if (Number.isNaN(t.crc(i))) t.setCrc(i, bat.batches.crc(j));
              if (Number.isNaN(t.pid(i))) t.setPid(i, bat.batches.pid(j), bat.batches.producerEpoch(j));
            }
          }
          yield {
            first: offset, last: offset, count: 1, time: orNull(t.time(i)), type: t.type(i), epoch: orNull(t.epoch(i)),
            crc: orNull(t.crc(i)), pid: orNull(t.pid(i)), seq: orNull(t.seq(i)), producerEpoch: orNull(t.producerEpoch(i)),
            hash: orNull(t.hash(i)), valid: Number.isNaN(t.valid(i)) ? null : t.valid(i) === 1, line: t.line(i), file: rec.file, record: true,
          };
        }
      } else if (bat) {
        const t = bat.batches;
        for (let i = 0; i < t.size; i++) {
          yield {
            first: t.first(i), last: t.last(i), count: t.count(i), time: orNull(t.time(i)), type: t.type(i), epoch: orNull(t.epoch(i)),
            crc: orNull(t.crc(i)), pid: orNull(t.pid(i)), seq: orNull(t.seq(i)), producerEpoch: orNull(t.producerEpoch(i)),
            hash: null, valid: Number.isNaN(t.valid(i)) ? null : t.valid(i) === 1, line: t.line(i), file: bat.file, record: false,
          };
        }
      }
    }
  }

  /** Files read for this copy, with what each gave. */
  describeViews(): { file: string; segment: string; level: 'record' | 'batch'; records: number; batches: number }[] {
    return this.views.map((v) => ({ file: v.file, segment: v.segment, level: v.level, records: v.records.size, batches: v.batches.size }));
  }
}

/** `leader-epoch-checkpoint`: version line, count line, then `epoch startOffset` lines. */
export function parseLeaderEpochCheckpoint(text: string, file: string): { epoch: number; startOffset: number; file: string; line: number }[] | null {
  const lines = text.split(/\r?\n/);
  if (!/^\d+$/.test(lines[0]?.trim() ?? '') || !/^\d+$/.test(lines[1]?.trim() ?? '')) return null;
  const n = Number(lines[1]);
  const out: { epoch: number; startOffset: number; file: string; line: number }[] = [];
  for (let i = 2; i < 2 + n; i++) {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(lines[i] ?? '');
    if (!m) return null;
    out.push({ epoch: Number(m[1]), startOffset: Number(m[2]), file, line: i + 1 });
  }
  return out;
}
