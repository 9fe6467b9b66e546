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
  /** Idempotent producer of the unit (producerId ≥ 0), its epoch and the unit's last sequence number. */
  producer?: { id: number; epoch: number | null; firstSeq: number; lastSeq: number } | null;
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
  readonly epochs: { epoch: number; firstOffset: number; firstTime: number | null }[] = [];
  epochChangesOmitted = 0;
  /** Where the leader epoch changes: the record with the largest timestamp before, and the first of the new epoch. */
  readonly boundaries: { before: UnitRef; after: UnitRef }[] = [];
  private epoch: number | null = null;
  readonly holes: { from: number; to: number; missing: number }[] = [];
  holesOmitted = 0;
  readonly hist = new SpacingHistogram();
  readonly candidates: Candidate[] = [];
  candidatesOmitted = 0;
  backwards = 0;
  maxBackwardsMs = 0;
  readonly skewExamples: { offset: number; time: number; previousMax: number }[] = [];
  outOfOrder = 0;
  withoutOffset = 0;
  readonly warnings: string[] = [];

  // Records per timestamp type, in the order first seen; the current run is
  // counted in a field and added to the map when the type changes.
  private readonly typeCounts = new Map<string, number>();
  private runType: TimestampType | null = null;
  private runRecords = 0;

  // The LATEST_KEPT largest timestamps, ascending from index latestHead
  // round the ring, so the common rising timestamp replaces the smallest in place.
  private readonly latestRing = new Float64Array(LATEST_KEPT);
  private latestHead = 0;
  private latestSize = 0;

  // The unit with the largest timestamp so far (the record before a gap), as fields.
  private hasMax = false;
  private maxOffset = 0;
  private maxEpoch: number | null = null;
  private maxLine = 0;
  private maxFile = '';

  private readonly ringOffset = new Float64Array(RATE_WINDOW);
  private readonly ringTime = new Float64Array(RATE_WINDOW);
  private readonly ringRecords = new Float64Array(RATE_WINDOW);
  private ringSize = 0;
  private ringNext = 0;

  // The current batch, as fields: the figures a batch with no listed records counts with.
  private inBatch = false;
  private batchBase: number | null = null;
  private batchLast: number | null = null;
  private batchCount: number | null = null;
  private batchType: TimestampType | null = null;
  private batchTime: number | null = null;
  /** Its partitionLeaderEpoch; null for a legacy batch, whose records carry none. */
  private batchEpoch: number | null = null;
  private batchLine = 0;
  private batchRecords = 0;
  private batchFile = '';

  constructor(private readonly options: ScanOptions) {}

  /** Records per timestamp type (NoTimestampType included), in the order first seen. */
  get types(): Map<string, number> {
    if (this.runType !== null) {
      this.typeCounts.set(this.runType, (this.typeCounts.get(this.runType) ?? 0) + this.runRecords);
      this.runType = null;
      this.runRecords = 0;
    }
    return this.typeCounts;
  }

  /** The LATEST_KEPT largest timestamps, ascending. */
  get latest(): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.latestSize; k++) out.push(this.latestRing[(this.latestHead + k) % LATEST_KEPT]!);
    return out;
  }

  onBatch(b: BatchEntry, file: string): void {
    this.batch(b.baseOffset, b.lastOffset, b.count, b.timestampType, b.timestamp, b.legacy ? null : b.partitionLeaderEpoch, b.line, file);
  }

  onRecord(r: RecordEntry, file: string): void {
    this.record(r.offset, r.timestampType, r.timestamp, r.partitionLeaderEpoch, r.line, file);
  }

  /** A batch line's figures (onBatch; the byte path gives them without an entry). `epoch` is null for a legacy batch. */
  batch(baseOffset: number | null, lastOffset: number | null, count: number | null, type: TimestampType | null, time: number | null, epoch: number | null, line: number, file: string): void {
    this.flushBatch();
    this.batches++;
    this.inBatch = true;
    this.batchBase = baseOffset;
    this.batchLast = lastOffset;
    this.batchCount = count;
    this.batchType = type;
    this.batchTime = time;
    this.batchEpoch = epoch;
    this.batchLine = line;
    this.batchRecords = 0;
    this.batchFile = file;
  }

  /** A record line's figures (onRecord; the byte path gives them without an entry). */
  record(offset: number | null, type: TimestampType | null, time: number | null, epoch: number | null, line: number, file: string): void {
    if (offset === null) {
      this.withoutOffset++;
      return;
    }
    this.batchRecords++;
    const inBatch = this.inBatch;
    this.unit(offset, offset, 1, time, type ?? (inBatch ? this.batchType : null), epoch ?? (inBatch ? this.batchEpoch : null), line, file);
  }

  /**
   * A unit of a copy's merged stream (replicas.ts): one record of a
   * record-level dump, or a batch whose records were not listed.
   */
  feed(u: { first: number; last: number; count: number; time: number | null; type: TimestampType | null; epoch: number | null; pid: number | null; seq: number | null; producerEpoch: number | null; line: number; file: string }): void {
    this.producer = u.pid !== null && u.pid >= 0 && u.seq !== null && u.seq >= 0 ? { id: u.pid, epoch: u.producerEpoch, firstSeq: u.seq - (u.last - u.first), lastSeq: u.seq } : null;
    this.unit(u.first, u.last, u.count, u.time, u.type, u.epoch, u.line, u.file);
    this.producer = null;
  }

  /** The producer of the unit being added (feed()). */
  private producer: UnitRef['producer'] = null;
  private maxProducer: UnitRef['producer'] = null;

  /** A section (segment) ends: a batch with no listed records counts as a whole. */
  endSection(): void {
    this.flushBatch();
    this.inBatch = false;
  }

  private flushBatch(): void {
    if (!this.inBatch || this.batchRecords > 0) return;
    this.inBatch = false;
    const last = this.batchLast;
    if (last === null) return;
    const first = this.batchBase ?? last;
    this.unit(first, last, this.batchCount ?? last - first + 1, this.batchTime, this.batchType, this.batchEpoch, this.batchLine, this.batchFile);
  }

  private unit(first: number, last: number, records: number, t: number | null, type: TimestampType | null, epoch: number | null, line: number, file: string): void {
    if (this.lastOffset !== null) {
      if (first <= this.lastOffset) {
        this.outOfOrder++;
        if (this.outOfOrder === 1) {
          this.warnings.push(`offset ${first} (${file}:${line}) is not after ${this.lastOffset}: segments given out of order or dumped twice; such records are left out of the analysis`);
        }
        return;
      }
      if (first > this.lastOffset + 1) {
        if (this.holes.length < MAX_HOLES) this.holes.push({ from: this.lastOffset, to: first, missing: first - this.lastOffset - 1 });
        else this.holesOmitted++;
      }
    }
    this.firstOffset ??= first;
    this.lastOffset = last;
    this.records += records;
    if (type !== null) {
      if (type !== this.runType) void this.types;
      this.runType = type;
      this.runRecords += records;
    }

    if (epoch !== null && epoch !== this.epoch) {
      if (this.epochs.length < MAX_EPOCH_CHANGES) {
        this.epochs.push({ epoch, firstOffset: first, firstTime: t });
        if (this.epoch !== null && this.hasMax && t !== null && t >= 0) {
          this.boundaries.push({
            before: { offset: this.maxOffset, time: this.maxTime!, epoch: this.maxEpoch, line: this.maxLine, file: this.maxFile, producer: this.maxProducer },
            after: { offset: first, time: t, epoch, line, file, producer: this.producer },
          });
        }
      } else this.epochChangesOmitted++;
      this.epoch = epoch;
    }

    if (t === null || t < 0 || type === 'NoTimestampType') return;
    this.firstTime ??= t;
    this.lastTime = t;
    if (this.minTime === null || t < this.minTime) this.minTime = t;
    this.keepLatest(t);

    if (!this.hasMax) {
      this.setMax(last, t, epoch, line, file);
      this.ring(last, t, records);
      return;
    }
    const maxTime = this.maxTime!;
    if (t < maxTime) {
      const back = maxTime - t;
      if (back > this.options.skewToleranceMs) {
        this.backwards++;
        if (back > this.maxBackwardsMs) this.maxBackwardsMs = back;
        if (this.skewExamples.length < MAX_SKEW_EXAMPLES) this.skewExamples.push({ offset: first, time: t, previousMax: maxTime });
      }
      this.hist.add(0);
      this.ring(last, t, records);
      return;
    }
    const spacing = t - maxTime;
    this.hist.add(spacing);
    // Once MAX_CANDIDATES are kept, a spacing not above the shortest kept is only counted (no candidate is built).
    if (spacing > this.options.minGapMs && this.candidates.length >= MAX_CANDIDATES && spacing <= this.candidateFloor) {
      this.candidatesOmitted++;
    } else if (spacing > this.options.minGapMs) {
      this.candidate({
        before: { offset: this.maxOffset, time: maxTime, epoch: this.maxEpoch, line: this.maxLine, file: this.maxFile, producer: this.maxProducer },
        after: { offset: first, time: t, epoch, line, file, producer: this.producer },
        durationMs: spacing,
        rateWindow: this.rateWindow(),
      });
    }
    this.setMax(last, t, epoch, line, file);
    this.ring(last, t, records);
  }

  private setMax(offset: number, time: number, epoch: number | null, line: number, file: string): void {
    this.hasMax = true;
    this.maxOffset = offset;
    this.maxTime = time;
    this.maxEpoch = epoch;
    this.maxLine = line;
    this.maxFile = file;
    this.maxProducer = this.producer;
  }

  private ring(offset: number, time: number, records: number): void {
    this.ringOffset[this.ringNext] = offset;
    this.ringTime[this.ringNext] = time;
    this.ringRecords[this.ringNext] = records;
    this.ringNext = this.ringNext === RATE_WINDOW - 1 ? 0 : this.ringNext + 1;
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

  /** Once MAX_CANDIDATES are kept: the shortest kept, which a new candidate must exceed. */
  private candidateFloor = Number.NEGATIVE_INFINITY;

  private candidate(c: Candidate): void {
    if (this.candidates.length < MAX_CANDIDATES) {
      this.candidates.push(c);
      if (this.candidates.length === MAX_CANDIDATES) this.candidateFloor = this.shortestCandidate().durationMs;
      return;
    }
    this.candidatesOmitted++;
    if (c.durationMs <= this.candidateFloor) return;
    const smallest = this.candidates.indexOf(this.shortestCandidate());
    this.candidates[smallest] = c;
    this.candidateFloor = this.shortestCandidate().durationMs;
  }

  private shortestCandidate(): Candidate {
    let smallest = this.candidates[0]!;
    for (const c of this.candidates) if (c.durationMs < smallest.durationMs) smallest = c;
    return smallest;
  }

  /** The shortest spacing kept as a candidate when some were not kept (they were all shorter), else null. */
  get omittedBelow(): number | null {
    return this.candidatesOmitted > 0 ? this.candidateFloor : null;
  }

  private keepLatest(t: number): void {
    const ring = this.latestRing;
    const size = this.latestSize;
    if (size === LATEST_KEPT) {
      const head = this.latestHead;
      if (t <= ring[head]!) return;
      // Timestamps mostly rise: the newest largest takes the smallest's slot, which becomes the end.
      if (t >= ring[head === 0 ? LATEST_KEPT - 1 : head - 1]!) {
        ring[head] = t;
        this.latestHead = head === LATEST_KEPT - 1 ? 0 : head + 1;
        return;
      }
    }
    // Otherwise: insert in order (dropping the smallest when full), laid out from index 0.
    const l = this.latest;
    let i = l.length;
    while (i > 0 && l[i - 1]! > t) i--;
    l.splice(i, 0, t);
    if (l.length > LATEST_KEPT) l.shift();
    ring.set(l);
    this.latestHead = 0;
    this.latestSize = l.length;
  }
}
