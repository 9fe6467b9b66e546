import { openEvidence } from '../sources/open.js';
import { compressionOf } from '../sources/decompress.js';
import { basename } from 'node:path';
import { readDumpFile, type BatchEntry, type DumpSection, type RecordEntry, type TimestampType } from '../readers/dump-log-segments.js';

/**
 * One copy of a partition: what one broker's log held when it was dumped
 * (topic, partition, broker, and where the dumps of that copy lie). A copy
 * may be dumped several ways (without `--deep-iteration`: batch lines; with
 * it: record lines, before 2.2 without the batch line) and in several
 * segments. Its views are combined per segment: records from a record-level
 * view (each record's own CreateTime and sequence), the leader epoch from the
 * batch that holds the record (in the same file, or in a batch-level dump of
 * the same segment). A segment with no record-level view counts by batches.
 *
 * Memory stays flat in the number of records: batch-level dumps are kept as
 * runs of one epoch, the stream a copy gives is fed to its scan as it is
 * read, and what the comparison of copies needs is kept as runs of one epoch
 * (lineage) and a hash per block of offsets; the few runs a comparison cuts
 * are read again from their files (replay).
 */

/** A unit of a copy's stream: one record of a record-level view, or a batch whose records were not listed. */
export interface MergedUnit {
  first: number;
  last: number;
  count: number;
  time: number | null;
  type: TimestampType | null;
  epoch: number | null;
  pid: number | null;
  seq: number | null;
  producerEpoch: number | null;
  line: number;
  file: string;
  /** Whether this unit is one record (from a record-level view). */
  record: boolean;
}

/** A record or batch marked `isvalid: false` (CRC mismatch), or `invalid bytes` at a segment's end. */
export interface Corruption {
  file: string;
  line: number;
  offset: number | null;
  text: string;
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

/** Segment a section dumps: the dumped file's name, else its base offset, else the dump file itself. */
export function segmentOf(file: string, section: DumpSection): string {
  if (section.path) return basename(section.path).replace(/\.(log|deleted|cleaned|swap)$/, '');
  if (section.baseOffset !== null) return String(section.baseOffset);
  return `file:${file}`;
}

/** Runs of consecutive batches with one leader epoch, from a batch-level view: [first, last, epoch] each. */
export class EpochRuns {
  private data: number[] = [];
  private at = 0;
  batches = 0;
  records = 0;

  add(first: number, last: number, epoch: number, count: number): void {
    this.batches++;
    this.records += count;
    const d = this.data;
    const n = d.length;
    if (n > 0 && d[n - 1] === epoch && d[n - 2]! < first) { d[n - 2] = last; return; }
    d.push(first, last, epoch);
  }

  /** The epoch of the batch holding `offset`, or null; fastest when asked in rising order. */
  epochAt(offset: number): number | null {
    const d = this.data;
    if (d.length === 0) return null;
    if (this.at >= d.length || d[this.at]! > offset) this.at = 0;
    while (this.at < d.length && d[this.at + 1]! < offset) this.at += 3;
    if (this.at < d.length && d[this.at]! <= offset && offset <= d[this.at + 1]!) {
      const e = d[this.at + 2]!;
      return Number.isNaN(e) ? null : e;
    }
    return null;
  }
}

/** A run of a copy's stream: consecutive offsets of one epoch. */
export interface LineageRun {
  epoch: number | null;
  first: number;
  last: number;
  records: number;
  minTime: number | null;
  maxTime: number | null;
  firstLine: { file: string; line: number };
  lastLine: { file: string; line: number };
}

/** Offsets per block of the same-epoch comparison of copies. */
export const BLOCK = 1024;
/** Lineage runs kept per copy (epoch changes and offset holes start one). */
export const MAX_RUNS = 10_000;

interface Block {
  hash: number;
  count: number;
  first: number;
  last: number;
  file: string;
  line: number;
}

/** A source of a copy's stream: a record-level view of a segment, or a batch-level one that stands in for it. */
interface Source {
  file: string;
  segment: string;
  level: 'record' | 'batch';
}

export class Copy {
  /** Dump files of this copy, with what each gave. */
  readonly views: { file: string; segment: string; level: 'record' | 'batch'; records: number; batches: number }[] = [];
  readonly corruption: Corruption[] = [];
  corruptionOmitted = 0;
  readonly warnings: string[] = [];
  /** leader-epoch-checkpoint entries found beside the dumps. */
  readonly checkpoint: { epoch: number; startOffset: number; file: string; line: number }[] = [];
  /** Batch-level views by segment (epochs for the records of a record-level view). */
  readonly batchSegments = new Map<string, { file: string; runs: EpochRuns }>();
  /** Segments a record-level view was fed for. */
  readonly recordSegments = new Set<string>();
  readonly sources: Source[] = [];
  readonly runs: LineageRun[] = [];
  runsOmitted = 0;
  private readonly blocks = new Map<string, Block>();

  constructor(
    readonly id: CopyId,
    /** Whether a section of a file belongs to this copy (the routing of gap.ts). */
    readonly owns: (file: string, section: DumpSection) => boolean,
    /** Where each unit of the stream goes (the copy's scan). */
    private readonly sink: (u: MergedUnit) => void,
  ) {}

  flagCorrupt(c: Corruption): void {
    if (this.corruption.length < 100) this.corruption.push(c);
    else this.corruptionOmitted++;
  }

  view(file: string, segment: string, level: 'record' | 'batch'): { file: string; segment: string; level: 'record' | 'batch'; records: number; batches: number } {
    let v = this.views.find((x) => x.file === file && x.segment === segment);
    if (!v) this.views.push((v = { file, segment, level, records: 0, batches: 0 }));
    return v;
  }

  /** The block the last unit went to, and its key parts (most units fall in the block before them). */
  private block: Block | null = null;
  private blockIndex = -1;
  private blockEpoch: number | null = null;
  private blockRecord = false;

  /** A unit of the stream: to the scan, the lineage runs and the block hashes. The unit is not kept (it may be reused). */
  feed(u: MergedUnit): void {
    this.sink(u);
    const r = this.runs[this.runs.length - 1];
    if (r && r.epoch === u.epoch && u.first === r.last + 1) {
      r.last = u.last;
      r.records += u.count;
      if (u.time !== null) {
        if (r.minTime === null || u.time < r.minTime) r.minTime = u.time;
        if (r.maxTime === null || u.time > r.maxTime) r.maxTime = u.time;
      }
      if (r.lastLine.file !== u.file) r.lastLine = { file: u.file, line: u.line };
      else r.lastLine.line = u.line;
    } else if (this.runs.length < MAX_RUNS) {
      this.runs.push({ epoch: u.epoch, first: u.first, last: u.last, records: u.count, minTime: u.time, maxTime: u.time, firstLine: { file: u.file, line: u.line }, lastLine: { file: u.file, line: u.line } });
    } else {
      this.runsOmitted++;
    }
    const index = Math.floor(u.first / BLOCK);
    let b = this.block;
    if (b === null || index !== this.blockIndex || u.epoch !== this.blockEpoch || u.record !== this.blockRecord) {
      const key = `${u.record ? 'r' : 'b'}:${u.epoch ?? '-'}:${index}`;
      b = this.blocks.get(key) ?? null;
      if (!b) this.blocks.set(key, (b = { hash: 0, count: 0, first: u.first, last: u.last, file: u.file, line: u.line }));
      this.block = b;
      this.blockIndex = index;
      this.blockEpoch = u.epoch;
      this.blockRecord = u.record;
    }
    b.hash = (b.hash + mix(u.first, u.time ?? -1)) % 4294967296;
    b.count++;
    b.last = u.last;
  }

  /** Blocks of offsets this copy and another both hold in full with one epoch, whose records differ. */
  differingBlocks(other: Copy): { first: number; last: number; epoch: string; a: Block; b: Block }[] {
    const out: { first: number; last: number; epoch: string; a: Block; b: Block }[] = [];
    for (const [key, a] of this.blocks) {
      const b = other.blocks.get(key);
      if (!b || a.count !== b.count || a.first !== b.first || a.last !== b.last || a.hash === b.hash) continue;
      out.push({ first: a.first, last: a.last, epoch: key.split(':')[1]!, a, b });
    }
    return out.sort((x, y) => x.first - y.first);
  }

  /** Reads this copy's stream again from its files, from offset `from` on (for the runs a comparison cuts). */
  async replay(from: number, onUnit: (u: MergedUnit) => void): Promise<void> {
    for (const s of this.sources) {
      const stream = new ViewStream(this, s.file, s.segment, (u) => { if (u.last >= from) onUnit(u); });
      await readDumpFile(s.file, (e) => {
        if (e.type !== 'batch' && e.type !== 'record') return;
        if (segmentOf(s.file, e.section) !== s.segment || !this.owns(s.file, e.section)) return;
        if (e.type === 'batch') stream.batch(e);
        else stream.record(e);
      });
      stream.end();
    }
  }
}

/** 32-bit mix of an offset and a timestamp (order-free sum per block). */
function mix(offset: number, time: number): number {
  let h = Math.imul(0x811c9dc5 ^ (offset >>> 0), 0x01000193);
  h = Math.imul(h ^ ((offset / 4294967296) >>> 0), 0x01000193);
  h = Math.imul(h ^ (time >>> 0), 0x01000193);
  h = Math.imul(h ^ ((time / 4294967296) >>> 0), 0x01000193);
  return h >>> 0;
}

/**
 * Turns the entries of one view of a copy's segment into units: records take
 * the epoch of the batch line before them in the same file (2.2+), else of
 * the batch-level view of the segment (2.1 and older dump records alone).
 */
export class ViewStream {
  // The current batch line, as fields (no object per line on the byte path).
  private inBatch = false;
  private records = 0;
  private bFirst = 0;
  private bLast = 0;
  private bCount = 0;
  private bType: TimestampType | null = null;
  private bTime: number | null = null;
  private bEpoch: number | null = null;
  private bPid: number | null = null;
  private bPEpoch: number | null = null;
  private bSeq: number | null = null;
  private bLine = 0;
  private readonly runs: EpochRuns | undefined;
  /** The unit handed on, reused: consumers read it and keep nothing of it. */
  private readonly unit: MergedUnit;

  constructor(copy: Copy, readonly file: string, segment: string, private readonly out: (u: MergedUnit) => void) {
    this.runs = copy.batchSegments.get(segment)?.runs;
    this.unit = { first: 0, last: 0, count: 0, time: null, type: null, epoch: null, pid: null, seq: null, producerEpoch: null, line: 0, file, record: false };
  }

  /** A batch line: the context of the record lines after it; a batch none of them lists counts as one unit. */
  batch(b: BatchEntry): void {
    if (b.lastOffset === null) { this.end(); return; }
    this.batchNumbers(b.baseOffset ?? b.lastOffset, b.lastOffset, b.count ?? b.lastOffset - (b.baseOffset ?? b.lastOffset) + 1, b.timestampType, b.timestamp,
      b.legacy ? null : b.partitionLeaderEpoch, b.producerId, b.producerEpoch, b.lastSequence, b.line);
  }

  batchNumbers(first: number, last: number, count: number, type: TimestampType | null, time: number | null, epoch: number | null,
    pid: number | null, pepoch: number | null, lastSeq: number | null, line: number): void {
    this.end();
    this.inBatch = true;
    this.records = 0;
    this.bFirst = first; this.bLast = last; this.bCount = count; this.bType = type; this.bTime = time; this.bEpoch = epoch;
    this.bPid = pid; this.bPEpoch = pepoch; this.bSeq = lastSeq; this.bLine = line;
  }

  /** The view (or section) ends: a batch with no record lines counts as one unit. */
  end(): void {
    if (this.inBatch && this.records === 0) {
      const u = this.unit;
      u.first = this.bFirst; u.last = this.bLast; u.count = this.bCount; u.time = this.bTime; u.type = this.bType; u.epoch = this.bEpoch;
      u.pid = this.bPid; u.seq = this.bSeq; u.producerEpoch = this.bPEpoch; u.line = this.bLine; u.record = false;
      this.out(u);
    }
    this.inBatch = false;
  }

  record(r: RecordEntry): void {
    if (r.offset === null) return;
    this.recordNumbers(r.offset, r.timestampType, r.timestamp, r.partitionLeaderEpoch, extraInt(r, 'producerId'), extraInt(r, 'producerEpoch'), r.sequence, r.line);
  }

  recordNumbers(offset: number, type: TimestampType | null, time: number | null, epoch: number | null, pid: number | null, pepoch: number | null, seq: number | null, line: number): void {
    const inBatch = this.inBatch && this.bFirst <= offset && offset <= this.bLast;
    if (this.inBatch) this.records++;
    const u = this.unit;
    u.first = offset; u.last = offset; u.count = 1; u.time = time; u.type = type ?? (inBatch ? this.bType : null);
    u.epoch = epoch ?? (inBatch ? this.bEpoch : this.runs?.epochAt(offset) ?? null);
    u.pid = pid ?? (inBatch ? this.bPid : null); u.seq = seq; u.producerEpoch = pepoch ?? (inBatch ? this.bPEpoch : null);
    u.line = line; u.record = true;
    this.out(u);
  }
}

/** An integer a record line prints that the reader keeps among its extra keys (`producerId` on 0.11–2.1 record lines). */
export function extraInt(r: RecordEntry, key: string): number | null {
  const v = r.extra?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : null;
}

/** Whether a dump file lists records (`--deep-iteration`), from its first lines. */
export async function listsRecords(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await openEvidence(path);
    const buf = Buffer.alloc(256 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let text = buf.toString('latin1', 0, bytesRead);
    // Compressed or UTF-16: let the full read decide (treated as record-level, which reads everything).
    if (compressionOf(buf.subarray(0, bytesRead)) !== null || buf[0] === 0xff || buf[0] === 0xfe) return true;
    text = text.replace(/\r/g, '');
    return /^(?:\| )?offset: \d+ (?:position: \d+ )?(?:CreateTime|LogAppendTime|NoTimestampType|keysize|keySize|isvalid)/m.test(text)
      || /^offset: \d+ .*\bpayload: /m.test(text);
  } catch {
    return true;
  } finally {
    await fh?.close();
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
