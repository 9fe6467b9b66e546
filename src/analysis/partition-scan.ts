import type { BatchEntry, RecordEntry, TimestampType } from '../readers/dump-log-segments.js';
import { SpacingHistogram } from './histogram.js';

/**
 * Running statistics of one partition's dump, fed entry by entry in offset
 * order. Memory is bounded whatever the partition size: counters, a
 * fixed-size spacing histogram, a ring of the last RATE_WINDOW records for
 * the pre-gap rate, and capped lists (gap candidates, holes, epoch changes,
 * skew examples, latest timestamps).
 */

export interface ScanOptions {
  /** Spacings at or below this are never gaps (ms). */
  minGapMs: number;
  /** Backwards steps up to this are normal interleaving of producers (ms). */
  skewToleranceMs: number;
}

/** A record, or a batch whose records were not listed (dump without --deep-iteration). */
export interface Unit {
  first: number;
  last: number;
  records: number;
  time: number | null;
  type: TimestampType | null;
  epoch: number | null;
  line: number;
  file: string;
}

export interface UnitRef {
  offset: number;
  time: number;
  epoch: number | null;
  line: number;
  file: string;
}

export interface Candidate {
  before: UnitRef;
  after: UnitRef;
  durationMs: number;
  rateWindow: { records: number; fromOffset: number; toOffset: number; fromTime: number; toTime: number } | null;
}

export const RATE_WINDOW = 100;
export const MAX_CANDIDATES = 1_000;
export const MAX_HOLES = 1_000;
export const MAX_EPOCH_CHANGES = 1_000;
export const MAX_SKEW_EXAMPLES = 10;
export const LATEST_KEPT = 20;

export class PartitionScan {
  firstOffset: number | null = null;
  lastOffset: number | null = null;
  records = 0;
  batches = 0;
  firstTime: number | null = null;
  lastTime: number | null = null;
  minTime: number | null = null;
  maxTime: number | null = null;
  readonly types = new Map<string, number>();
  readonly epochs: { epoch: number; firstOffset: number; firstTime: number | null }[] = [];
  epochChangesOmitted = 0;
  private epoch: number | null = null;
  readonly holes: { from: number; to: number; missing: number }[] = [];
  holesOmitted = 0;
  readonly hist = new SpacingHistogram();
  readonly candidates: Candidate[] = [];
  candidatesOmitted = 0;
  backwards = 0;
  maxBackwardsMs = 0;
  readonly skewExamples: { offset: number; time: number; previousMax: number }[] = [];
  /** The LATEST_KEPT largest timestamps, ascending. */
  readonly latest: number[] = [];
  outOfOrder = 0;
  withoutOffset = 0;
  readonly warnings: string[] = [];

  private max: UnitRef | undefined;
  private readonly ringOffset = new Float64Array(RATE_WINDOW);
  private readonly ringTime = new Float64Array(RATE_WINDOW);
  private readonly ringRecords = new Float64Array(RATE_WINDOW);
  private ringSize = 0;
  private ringNext = 0;

  private batch: BatchEntry | undefined;
  private batchRecords = 0;

  constructor(private readonly options: ScanOptions) {}

  onBatch(b: BatchEntry, file: string): void {
    this.flushBatch(file);
    this.batches++;
    this.batch = b;
    this.batchRecords = 0;
    this.batchFile = file;
  }

  private batchFile = '';

  onRecord(r: RecordEntry, file: string): void {
    if (r.offset === null) {
      this.withoutOffset++;
      return;
    }
    this.batchRecords++;
    const b = this.batch;
    this.unit({
      first: r.offset,
      last: r.offset,
      records: 1,
      time: r.timestamp,
      type: r.timestampType ?? b?.timestampType ?? null,
      epoch: r.partitionLeaderEpoch ?? (b && !b.legacy ? b.partitionLeaderEpoch : null),
      line: r.line,
      file,
    });
  }

  /** A section (segment) ends: a batch with no listed records counts as a whole. */
  endSection(): void {
    this.flushBatch(this.batchFile);
    this.batch = undefined;
  }

  private flushBatch(file: string): void {
    const b = this.batch;
    if (!b || this.batchRecords > 0) return;
    this.batch = undefined;
    const last = b.lastOffset;
    if (last === null) return;
    const first = b.baseOffset ?? last;
    this.unit({
      first,
      last,
      records: b.count ?? last - first + 1,
      time: b.timestamp,
      type: b.timestampType,
      epoch: b.legacy ? null : b.partitionLeaderEpoch,
      line: b.line,
      file,
    });
  }

  private unit(u: Unit): void {
    if (this.lastOffset !== null) {
      if (u.first <= this.lastOffset) {
        this.outOfOrder++;
        if (this.outOfOrder === 1) {
          this.warnings.push(`offset ${u.first} (${u.file}:${u.line}) is not after ${this.lastOffset}: segments given out of order or dumped twice; such records are left out of the analysis`);
        }
        return;
      }
      if (u.first > this.lastOffset + 1) {
        if (this.holes.length < MAX_HOLES) this.holes.push({ from: this.lastOffset, to: u.first, missing: u.first - this.lastOffset - 1 });
        else this.holesOmitted++;
      }
    }
    this.firstOffset ??= u.first;
    this.lastOffset = u.last;
    this.records += u.records;
    if (u.type) this.types.set(u.type, (this.types.get(u.type) ?? 0) + u.records);

    if (u.epoch !== null && u.epoch !== this.epoch) {
      if (this.epochs.length < MAX_EPOCH_CHANGES) this.epochs.push({ epoch: u.epoch, firstOffset: u.first, firstTime: u.time });
      else this.epochChangesOmitted++;
      this.epoch = u.epoch;
    }

    const t = u.time;
    if (t === null || t < 0 || u.type === 'NoTimestampType') return;
    this.firstTime ??= t;
    this.lastTime = t;
    if (this.minTime === null || t < this.minTime) this.minTime = t;
    this.keepLatest(t);

    const max = this.max;
    const ref: UnitRef = { offset: u.last, time: t, epoch: u.epoch, line: u.line, file: u.file };
    if (max === undefined) {
      this.max = ref;
      this.maxTime = t;
      this.ring(u.last, t, u.records);
      return;
    }
    if (t < max.time) {
      const back = max.time - t;
      if (back > this.options.skewToleranceMs) {
        this.backwards++;
        if (back > this.maxBackwardsMs) this.maxBackwardsMs = back;
        if (this.skewExamples.length < MAX_SKEW_EXAMPLES) this.skewExamples.push({ offset: u.first, time: t, previousMax: max.time });
      }
      this.hist.add(0);
      this.ring(u.last, t, u.records);
      return;
    }
    const spacing = t - max.time;
    this.hist.add(spacing);
    if (spacing > this.options.minGapMs) {
      this.candidate({
        before: max,
        after: { offset: u.first, time: t, epoch: u.epoch, line: u.line, file: u.file },
        durationMs: spacing,
        rateWindow: this.rateWindow(),
      });
    }
    this.max = ref;
    this.maxTime = t;
    this.ring(u.last, t, u.records);
  }

  private ring(offset: number, time: number, records: number): void {
    this.ringOffset[this.ringNext] = offset;
    this.ringTime[this.ringNext] = time;
    this.ringRecords[this.ringNext] = records;
    this.ringNext = (this.ringNext + 1) % RATE_WINDOW;
    if (this.ringSize < RATE_WINDOW) this.ringSize++;
  }

  /** Records after the oldest ring entry, up to the newest (the record before the gap). */
  private rateWindow(): Candidate['rateWindow'] {
    if (this.ringSize < 2) return null;
    const oldest = this.ringSize < RATE_WINDOW ? 0 : this.ringNext;
    const newest = (this.ringNext + RATE_WINDOW - 1) % RATE_WINDOW;
    let records = 0;
    for (let k = 1, i = (oldest + 1) % RATE_WINDOW; k < this.ringSize; k++, i = (i + 1) % RATE_WINDOW) records += this.ringRecords[i]!;
    return {
      records,
      fromOffset: this.ringOffset[oldest]!,
      toOffset: this.ringOffset[newest]!,
      fromTime: this.ringTime[oldest]!,
      toTime: this.ringTime[newest]!,
    };
  }

  private candidate(c: Candidate): void {
    if (this.candidates.length < MAX_CANDIDATES) {
      this.candidates.push(c);
      return;
    }
    this.candidatesOmitted++;
    let smallest = 0;
    for (let i = 1; i < this.candidates.length; i++) if (this.candidates[i]!.durationMs < this.candidates[smallest]!.durationMs) smallest = i;
    if (this.candidates[smallest]!.durationMs < c.durationMs) this.candidates[smallest] = c;
  }

  private keepLatest(t: number): void {
    const l = this.latest;
    if (l.length === LATEST_KEPT && t <= l[0]!) return;
    // Timestamps mostly rise: the newest largest goes last, the smallest out, without splice and shift.
    if (l.length === LATEST_KEPT && t >= l[LATEST_KEPT - 1]!) {
      for (let i = 1; i < LATEST_KEPT; i++) l[i - 1] = l[i]!;
      l[LATEST_KEPT - 1] = t;
      return;
    }
    let i = l.length;
    while (i > 0 && l[i - 1]! > t) i--;
    l.splice(i, 0, t);
    if (l.length > LATEST_KEPT) l.shift();
  }
}
