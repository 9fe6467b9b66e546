import { closeSync } from 'node:fs';
import { openEvidenceSync } from '../sources/open.js';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { NodeKind } from '../model/record.js';
import type { ClockNote, ReaderCounts } from '../readers/assembler.js';
import type { LineStats } from '../sources/lines.js';
import type { PlannedFile } from '../sources/plan.js';
import type { TimelineEvent } from './event.js';
import { recordStartAfter } from './kafka-ranges.js';

/**
 * One large plain Kafka-layout file read by two threads: it is cut into
 * parts at record starts (so no record straddles a cut and each part reads
 * as it would in one pass); the main thread reads the even parts itself and
 * a worker the odd ones, at most two ahead, so memory holds a few parts'
 * events, never the file's. The main thread joins the parts in file order:
 * line numbers continue across them, and the records out of order against
 * the parts before are counted from the times the worker reports.
 */

/**
 * Files at least this large are read by two threads; off unless
 * KF_PARALLEL_MIN_BYTES sets it (e.g. 67108864). Measured on the bench's
 * 1 GiB server.log with the native scanner: 2.24–2.34 s against 1.6–1.9 s
 * for the main thread alone (the scanner already takes the second core),
 * at 268–272 MB peak RSS against 120 MB (the worker's own V8 heap), over the
 * 150 MB the tool keeps to. Below ~64 MB a worker's start (20–50 ms) does not pay.
 */
export function parallelMinBytes(): number {
  const env = Number(process.env.KF_PARALLEL_MIN_BYTES);
  return Number.isFinite(env) && env >= 0 ? env : Number.POSITIVE_INFINITY;
}

/** Bytes per part: small enough to keep few events in memory, large enough that messages are few. */
function partBytes(): number {
  const env = Number(process.env.KF_PART_BYTES);
  return Number.isFinite(env) && env > 0 ? env : 32 << 20;
}

export interface PartWorkerData {
  file: PlannedFile;
  zone: string;
  defaultRole: NodeKind;
  nodes: Record<NodeKind, string>;
  mapped?: boolean;
  skew: [string, number][];
}

export interface PartJob {
  index: number;
  from: number;
  to: number;
}

/** An event as posted: its rule by id. */
export type WireEvent = Omit<TimelineEvent, 'rule'> & { rule: string | null };

export type PartResult = { index: number; error: string } | {
  index: number;
  error?: undefined;
  events: WireEvent[];
  counts: ReaderCounts;
  /** Times of the part's records that were in order within it (non-decreasing). */
  inOrder: Float64Array;
  latest: number;
  nodes: string[];
  skippedRoles: NodeKind[];
  /** Records of the part stamped in an ambiguous local hour (a part begun in its second pass reads it as the first). */
  clockNotes: ClockNote[];
  stats: LineStats;
};

/** Record starts cutting bytes [from, to) of a file into parts of about partBytes(): [from, …, to]. */
export function cutParts(path: string, from: number, to: number, size: number): number[] {
  const step = partBytes();
  const cuts = [from];
  const fd = openEvidenceSync(path);
  try {
    const buf = Buffer.allocUnsafe(256 << 10);
    for (let at = from + step; at < to; at += step) {
      const last = cuts[cuts.length - 1]!;
      if (at <= last) continue;
      const r = recordStartAfter(fd, at, to, size, from, buf);
      if (!r) break;
      if (r.offset > last) cuts.push(r.offset);
    }
  } finally {
    closeSync(fd);
  }
  cuts.push(to);
  return cuts;
}

/** How many of the non-decreasing times are below `limit`. */
export function countBelow(times: Float64Array, limit: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The worker's entry: compiled next to this module. Under a test runner that
 * loads the TypeScript sources, the built copy in dist/ is used.
 */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/timeline/part-worker.js', here)
    : new URL('./part-worker.js', here);
}

/** The worker reading the odd parts, kept at most two parts ahead of the main thread. */
export class PartWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: PartResult) => void }>();
  private readonly results = new Map<number, Promise<PartResult>>();
  private failed: Error | undefined;

  constructor(data: PartWorkerData) {
    this.worker = new Worker(fileURLToPath(workerUrl()), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    this.worker.unref();
    const fail = (e: Error): void => {
      this.failed = e;
      for (const [index, w] of this.waiting) w.resolve({ index, error: String(e) });
      this.waiting.clear();
    };
    this.worker.on('message', (r: PartResult) => {
      this.waiting.get(r.index)?.resolve(r);
      this.waiting.delete(r.index);
    });
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`part worker exited (${code})`)));
  }

  ask(job: PartJob): void {
    if (this.failed) {
      this.results.set(job.index, Promise.resolve({ index: job.index, error: String(this.failed) }));
      return;
    }
    this.results.set(job.index, new Promise((resolve) => this.waiting.set(job.index, { resolve })));
    this.worker.postMessage(job);
  }

  /** The result of a part asked for (each taken once). */
  async take(index: number): Promise<PartResult> {
    const r = this.results.get(index);
    this.results.delete(index);
    return r ?? { index, error: 'part not asked for' };
  }

  close(): void {
    this.worker.removeAllListeners('exit');
    void this.worker.terminate();
  }
}
