import type { ByteRange, LineBatch, RangeReader } from '../sources/fast-lines.js';

/** Where a native scanner writes one range's lines (native.ts). */
export interface ScanSlot {
  info: Int32Array;
  nums: Float64Array;
  /** The lines holding a line watcher's marker, when the scan looked for them (NativeScanners.scanKafkaAsync's marks). */
  marks?: Int32Array;
}

/** A native scanner as the pipeline drives it: a slot per buffer, a scan on libuv's pool, and the same scan here. */
export interface RangeScanner {
  /** Scans queued at once (a scanner with state makes them take turns itself). */
  readonly concurrency: number;
  /** concurrency + 1 slots: one per buffer of the reader (ranges scanning, and the one being taken). */
  readonly slots: readonly ScanSlot[];
  /** Resolves to the number of lines scanned into the slot from `from` on; info[0] is where it stopped. */
  scanAsync(range: ByteRange, from: number, slot: ScanSlot): Promise<number>;
  /** The same scan, now (a scanner with state waits for a queued one to end). */
  scanSync(range: ByteRange, from: number, slot: ScanSlot): number;
}

export function scanSlot(lines: number, stride: number, numsPerLine: number): ScanSlot {
  return { info: new Int32Array(1 + lines * stride), nums: new Float64Array(lines * numsPerLine) };
}

interface Pending {
  range: ByteRange | LineBatch;
  slot: ScanSlot;
  scan: Promise<number> | undefined;
}

/**
 * Reads a file's ranges through a native scanner as a pipeline over the
 * reader's buffers (it must have scanner.concurrency + 1): while this thread
 * hands one range's scanned lines to `take` (which returns where the scan
 * stopped), the next ranges are scanned on libuv's pool. Lines given as
 * text (after a handover to the line splitter) go to `lines`. Yields after
 * each range. A read error is thrown after the ranges
 * read before it were taken; the caller then takes `bytes.rest()`, as the
 * plain loop does.
 */
export async function* scanPipeline(
  bytes: RangeReader, scanner: RangeScanner,
  take: (range: ByteRange, lines: number, slot: ScanSlot) => number, lines: (batch: LineBatch) => void,
): AsyncGenerator<void> {
  const queue: Pending[] = [];
  let read = 0;
  let failure: { error: unknown } | undefined;
  let ended = false;
  // Keeps `concurrency` ranges read and scanning beyond the one being taken;
  // each read takes the buffer of the range taken before (the reader's ring).
  const fill = async (): Promise<void> => {
    while (!ended && !failure && queue.length < scanner.concurrency) {
      let range: ByteRange | LineBatch | undefined;
      try {
        range = await bytes.next();
      } catch (e) {
        failure = { error: e };
        return;
      }
      if (range === undefined) {
        ended = true;
        return;
      }
      const slot = scanner.slots[read++ % scanner.slots.length]!;
      const scan = range.kind === 'bytes' ? scanner.scanAsync(range, range.from, slot) : undefined;
      // Settled even when the reading stops before it is awaited (--strict): never an unhandled rejection.
      scan?.catch(() => undefined);
      queue.push({ range, slot, scan });
    }
  };
  await fill();
  for (let head = queue.shift(); head !== undefined; head = queue.shift()) {
    const { range, slot } = head;
    const n = head.scan ? await head.scan : 0;
    // The next range is read and scanned while this one is taken.
    await fill();
    if (range.kind === 'lines') {
      lines(range);
    } else {
      let s = take(range, n, slot);
      if (s < range.to && n > 0) {
        // More lines than a slot holds: the rest is scanned here.
        for (let m = n; s < range.to && m > 0;) {
          m = scanner.scanSync(range, s, slot);
          if (m > 0) s = take(range, m, slot);
        }
      }
    }
    yield;
  }
  if (failure) throw failure.error;
}
