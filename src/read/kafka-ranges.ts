import { nativeScanners } from '../readers/native.js';
import { closeSync, fstatSync, readSync } from 'node:fs';
import { openEvidenceSync } from '../sources/open.js';
import { scanKafkaStart, scanned } from '../readers/kafka-bytes.js';
import type { Zone } from '../time/zone.js';
import { parseNaiveTimestamp } from '../time/timestamp.js';

/**
 * Places in a plain Kafka-layout file where reading may start: a record
 * start (`[` + timestamp … `(logger)`, a line the string path certainly reads
 * as a record), found without reading the file from its beginning. Used to
 * seek to --since: reading that begins with a record start reads exactly as
 * it would have from the file's start (no stack trace straddles the cut).
 */

/** A record start: its byte offset (a line start) and its naive time. */
export interface RecordStart {
  offset: number;
  naiveTime: number;
}

const WINDOW = 256 << 10;

/**
 * The first line at or after `pos` (a line start: `pos` itself only when it
 * is `lineStart`, else the byte after a newline) and before `end` that is
 * certainly a record start (judged on the whole line, read up to the file's
 * `size`); undefined when there is none.
 */
export function recordStartAfter(
  fd: number, pos: number, end: number, size: number, lineStart = 0, buf = Buffer.allocUnsafe(WINDOW),
): RecordStart | undefined {
  // Step back one byte so a newline right before `pos` makes `pos` a line start.
  let p = pos > lineStart ? pos - 1 : pos;
  let atLineStart = pos === lineStart;
  while (p < end) {
    // Read on past `end` up to the file's end so the last line in range is whole.
    const n = readSync(fd, buf, 0, Math.min(buf.length, size - p), p);
    if (n <= 0) return undefined;
    let s = 0;
    if (!atLineStart) {
      const nl = buf.indexOf(10, 0);
      if (nl === -1 || nl >= n) {
        p += n;
        continue;
      }
      s = nl + 1;
    }
    for (;;) {
      const nl = buf.indexOf(10, s);
      if (p + s >= end) return undefined;
      const lineEnd = nl === -1 || nl >= n ? (p + n >= size ? n : -1) : nl;
      if (lineEnd === -1) break; // the line goes on past the window: read again from its start
      let e = lineEnd;
      if (e > s && buf[e - 1] === 13) e--;
      if (s < e && scanKafkaStart(buf, s, e)) return { offset: p + s, naiveTime: scanned.naiveTime };
      if (lineEnd === n) return undefined;
      s = lineEnd + 1;
    }
    if (s === 0) {
      // One line longer than the window: skip past it.
      p += n;
      atLineStart = false;
    } else {
      p += s;
      atLineStart = true;
    }
  }
  return undefined;
}

/** Log time to back off from --since: records a few seconds out of order exist. */
export const SEEK_MARGIN_MS = 60_000;

/** Below this many skipped bytes a seek is not worth it (and small files read as before). */
function seekMinBytes(): number {
  const env = Number(process.env.KF_SEEK_MIN_BYTES);
  return Number.isFinite(env) && env >= 0 ? env : 16 << 20;
}

/** Where reading a file for records at or after some time can start. */
export interface Seek {
  /** Byte offset of a record start. */
  byte: number;
  /** Lines before it (its line number is line + 1). */
  lines: number;
}

/**
 * The offset of a record start before which every record is older than
 * `target` (epoch ms), found by binary search on record times, for a file
 * whose records are in time order give or take `SEEK_MARGIN_MS` (the caller
 * subtracts that from the time wanted). Undefined when reading from `start`
 * is as good, or when the probes show the file is not in time order.
 */
export function seekOffset(path: string, start: number, target: number, zone: Zone): number | undefined {
  const fd = openEvidenceSync(path);
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(WINDOW);
    let lo = start;
    let hi = size;
    const probes: { offset: number; time: number }[] = [];
    // The first and last records join the probes: a file whose halves are in
    // the wrong order shows it there even when the search stays in one half.
    for (const at of [start, Math.max(start, size - WINDOW)]) {
      const r = recordStartAfter(fd, at, size, size, start, buf);
      if (r) probes.push({ offset: r.offset, time: zone.toEpoch(r.naiveTime) });
    }
    while (hi - lo > WINDOW) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const r = recordStartAfter(fd, mid, hi, size, start, buf);
      if (!r) {
        hi = mid;
        continue;
      }
      const time = zone.toEpoch(r.naiveTime);
      probes.push({ offset: r.offset, time });
      if (time < target) lo = r.offset;
      else hi = mid;
    }
    if (lo - start < seekMinBytes()) return undefined;
    // A file not in time order (two runs concatenated, a clock reset) could
    // hide records after `target` before `lo`: then read it all.
    probes.sort((a, b) => a.offset - b.offset);
    for (let i = 1; i < probes.length; i++) if (probes[i]!.time < probes[i - 1]!.time - SEEK_MARGIN_MS) return undefined;
    return lo;
  } finally {
    closeSync(fd);
  }
}

/**
 * verifySeek with the native counter: the range is cut in parts checked at
 * once on libuv's pool, each comparing every record's timestamp with the
 * target's as text (exact where the zone's offset is the same two hours either
 * side of the target; an hour earlier, so never later, near a change of clocks).
 */
export async function verifySeekInParallel(path: string, from: number, to: number, target: number, zone: Zone): Promise<number | undefined> {
  const native = nativeScanners();
  if (!native) return verifySeek(path, from, to, target, zone);
  const offset = zone.offsetAt(target);
  const steady = zone.offsetAt(target - 2 * 3_600_000) === offset && zone.offsetAt(target + 2 * 3_600_000) === offset;
  const local = new Date(target + offset * 60_000 - (steady ? 0 : 3_600_000)).toISOString();
  const stamp = Buffer.from(local.slice(0, 23).replace(/\D/g, ''), 'latin1');
  const fd = openEvidenceSync(path);
  try {
    const parts = 4;
    const step = Math.max(1, Math.ceil((to - from) / parts));
    const counts: Promise<number>[] = [];
    for (let p = from; p < to; p += step) counts.push(native.countFileNewlinesAsync(fd, p, Math.min(to, p + step), stamp));
    const done = await Promise.all(counts);
    return done.some((n) => n < 0) ? undefined : done.reduce((a, b) => a + b, 0);
  } finally {
    closeSync(fd);
  }
}

/**
 * The lines of [0, to) of a file, once every record in [from, to) is checked
 * to be older than `target` (epoch ms): undefined when one is not (the clock
 * went backwards where the binary search did not probe), and the file must
 * then be read from the start. A seek never drops a line --since should show.
 */
export function verifySeek(path: string, from: number, to: number, target: number, zone: Zone): number | undefined {
  // Timestamps compare as text: a line stamped before this (two hours before
  // the target in the zone's wall-clock time, more than any change of clocks)
  // is older than the target without parsing it; only the rest are parsed.
  const early = new Date(target + zone.offsetAt(target) * 60_000 - 2 * 3_600_000).toISOString();
  const threshold = Buffer.from(`${early.slice(0, 10)} ${early.slice(11, 19)},${early.slice(20, 23)}`, 'latin1');
  const fd = openEvidenceSync(path);
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  try {
    // Newlines before `from` (a BOM holds none).
    for (let p = from; p < to;) {
      // Read whole lines: a chunk ends at its last newline (or is one over-long line).
      const n = readSync(fd, buf, 0, Math.min(buf.length, to - p), p);
      if (n <= 0) break;
      const last = buf.lastIndexOf(10, n - 1);
      const end = last === -1 || p + n >= to ? n : last + 1;
      for (let i = 0; i < end;) {
        // A record's line starts with `[yyyy-MM-dd HH:mm:ss,SSS]`.
        if (buf[i] === 0x5b && i + 24 <= end && buf.compare(threshold, 0, 23, i + 1, i + 24) >= 0) {
          const naive = parseNaiveTimestamp(buf.toString('latin1', i + 1, i + 24));
          if (!Number.isNaN(naive) && zone.toEpoch(naive) >= target) return undefined;
        }
        const nl = buf.indexOf(10, i);
        if (nl === -1 || nl >= end) break;
        lines++;
        i = nl + 1;
      }
      p += end;
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

