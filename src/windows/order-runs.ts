import { TempBytes } from './temp-bytes.js';

/**
 * Where a spooled window comes in the output (start, then kind, then the
 * order the windows were opened in) and where it is in the spool (`place`).
 */
export interface OrderKey {
  start: number;
  kind: number;
  seq: number;
  place: number;
}

/** The output's order: by start, then kind, then the order the windows were opened in. */
export function byOrder(a: Omit<OrderKey, 'place'>, b: Omit<OrderKey, 'place'>): number {
  return a.start - b.start || a.kind - b.kind || a.seq - b.seq;
}

/** A key on disk: start and place (8 bytes each), seq and kind (4 bytes each), aligned for typed arrays. */
const RECORD = 24;
const F64 = RECORD / 8;
const I32 = RECORD / 4;

/** Keys per run sorted in memory; runs merged into one once there are this many (OrderRuns's defaults). */
const RUN = 1 << 14;
const FAN_IN = 64;
/** Keys a run's reader holds at a time (32 KiB). */
const READ_KEYS = 1365;

/**
 * The spooled windows' order, out of memory: the keys of the windows put
 * (start, kind, seq, place) are sorted `run` at a time in memory and written
 * as a run to a private temporary file (TempBytes); reading them in order
 * merges the runs, each through a buffer of its own. Once `fanIn` runs are
 * written they are merged into one (the file then holds each key a few times
 * at most). Memory holds one run's keys and, while they are read, a buffer
 * per run, whatever the number of windows (an index of 25 bytes a window
 * was 15 MB at 539,000 windows, and its sort an array as many again).
 */
export class OrderRuns {
  private readonly file = new TempBytes('order');
  /** The runs written: where each begins in the file and its keys. */
  private readonly runs: { at: number; count: number }[] = [];
  private readonly buffer: ArrayBuffer;
  private readonly starts: Float64Array;
  private readonly places: Float64Array;
  private readonly seqs: Int32Array;
  private readonly kinds: Int32Array;
  /** Keys put into the run being made. */
  private count = 0;

  constructor(private readonly run = RUN, private readonly fanIn = FAN_IN) {
    if (run < 1 || fanIn < 2) throw new Error('internal: a run holds a key at least and two runs are merged at least');
    this.buffer = new ArrayBuffer(run * RECORD);
    this.starts = new Float64Array(this.buffer);
    this.places = this.starts;
    this.seqs = new Int32Array(this.buffer);
    this.kinds = this.seqs;
  }

  put(start: number, kind: number, seq: number, place: number): void {
    const f = this.count * F64;
    const i = this.count * I32;
    this.starts[f] = start;
    this.places[f + 1] = place;
    this.seqs[i + 4] = seq;
    this.kinds[i + 5] = kind;
    if (++this.count === this.run) this.writeRun();
  }

  /** The keys put so far, in order (one run's buffer each, read as the keys are asked for). */
  *[Symbol.iterator](): Generator<OrderKey> {
    // The run being made, written: every run is then on disk, and a later put makes a run of its own.
    if (this.count > 0) this.writeRun();
    yield* merged(this.file, this.runs.slice());
  }

  close(): void {
    this.file.close();
  }

  /** The keys put since the last run, sorted, written as a run of their own; the runs merged into one once there are fanIn. */
  private writeRun(): void {
    const n = this.count;
    const { starts, seqs } = this;
    // byOrder, on the keys where they are.
    const at = Uint32Array.from({ length: n }, (_, k) => k).sort((a, b) =>
      starts[a * F64]! - starts[b * F64]! || seqs[a * I32 + 5]! - seqs[b * I32 + 5]! || seqs[a * I32 + 4]! - seqs[b * I32 + 4]!);
    const sorted = new Uint8Array(n * RECORD);
    const from = new Uint8Array(this.buffer);
    for (let k = 0; k < n; k++) sorted.set(from.subarray(at[k]! * RECORD, (at[k]! + 1) * RECORD), k * RECORD);
    this.runs.push({ at: this.file.size, count: n });
    this.file.appendBytes(sorted);
    this.count = 0;
    if (this.runs.length >= this.fanIn) this.mergeRuns();
  }

  /** The runs written merged into one, written after them. */
  private mergeRuns(): void {
    const at = this.file.size;
    let count = 0;
    const out = new Uint8Array(READ_KEYS * RECORD);
    const f64 = new Float64Array(out.buffer);
    const i32 = new Int32Array(out.buffer);
    let used = 0;
    for (const k of merged(this.file, this.runs)) {
      f64[used * F64] = k.start;
      f64[used * F64 + 1] = k.place;
      i32[used * I32 + 4] = k.seq;
      i32[used * I32 + 5] = k.kind;
      count++;
      if (++used === READ_KEYS) {
        this.file.appendBytes(out);
        used = 0;
      }
    }
    if (used > 0) this.file.appendBytes(out.subarray(0, used * RECORD));
    this.runs.length = 0;
    this.runs.push({ at, count });
  }
}

/** One run read in order through a buffer of its own. */
class RunReader implements OrderKey {
  start = 0;
  kind = 0;
  seq = 0;
  place = 0;
  private readonly bytes = new Uint8Array(READ_KEYS * RECORD);
  private readonly f64 = new Float64Array(this.bytes.buffer);
  private readonly i32 = new Int32Array(this.bytes.buffer);
  /** Keys in the buffer, and the next one's place in it. */
  private held = 0;
  private next = 0;
  /** Where the keys not yet in the buffer begin in the file, and how many there are. */
  private at: number;
  private left: number;

  constructor(private readonly file: TempBytes, run: { at: number; count: number }) {
    this.at = run.at;
    this.left = run.count;
  }

  /** The next key into start, kind, seq and place; false: the run is over. */
  advance(): boolean {
    if (this.next === this.held) {
      if (this.left === 0) return false;
      const want = Math.min(this.left, READ_KEYS);
      const got = this.file.readInto(this.at, this.bytes.subarray(0, want * RECORD));
      if (got !== want * RECORD) throw new Error('internal: a run of the windows\' order ended early');
      this.at += got;
      this.left -= want;
      this.held = want;
      this.next = 0;
    }
    const k = this.next++;
    this.start = this.f64[k * F64]!;
    this.place = this.f64[k * F64 + 1]!;
    this.seq = this.i32[k * I32 + 4]!;
    this.kind = this.i32[k * I32 + 5]!;
    return true;
  }
}

/**
 * The keys of `runs` in order: a heap of the runs by their next key. Each
 * key yielded is the reader's own object, changed by the next step: read it
 * before asking for the next.
 */
function* merged(file: TempBytes, runs: readonly { at: number; count: number }[]): Generator<OrderKey> {
  const heap: RunReader[] = [];
  for (const run of runs) {
    const r = new RunReader(file, run);
    if (r.advance()) heap.push(r);
  }
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
  while (heap.length > 0) {
    const top = heap[0]!;
    yield top;
    if (!top.advance()) {
      const last = heap.pop()!;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    siftDown(heap, 0);
  }
}

function siftDown(heap: RunReader[], i: number): void {
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) return;
    const r = l + 1;
    const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
    if (!before(heap[c]!, heap[i]!)) return;
    [heap[c], heap[i]] = [heap[i]!, heap[c]!];
    i = c;
  }
}

/** Whether `a`'s key comes before `b`'s (equal keys never are two windows: seq tells them apart). */
function before(a: OrderKey, b: OrderKey): boolean {
  return byOrder(a, b) < 0;
}
