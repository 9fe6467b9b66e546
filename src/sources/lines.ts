import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, read, readSync } from 'node:fs';
import { memberRange, isStreamed } from './archive.js';
import { CHUNK as STREAM_CHUNK, detectEncoding, openEvidenceSync, readUtf8Chunks } from './open.js';
import { printable } from './printable.js';
import { nativeScanners, type NativeScanners } from '../readers/native.js';

/** Longest line kept whole; the rest of a longer line is cut and counted. */
export const MAX_LINE_BYTES = 1 << 20;

export interface LineStats {
  /** Lines longer than MAX_LINE_BYTES, cut to that length. */
  cutLines: number;
  /** Lines that had NUL bytes removed (preallocated files after a crash). */
  nulLines: number;
  /** Lines that were not UTF-8, read as Latin-1 (every byte kept as one character). */
  latin1Lines?: number;
  /** Line numbers (1-based) of the first cut lines, so a report can point at them. */
  cutAt?: number[];
}

export function newLineStats(): LineStats {
  return { cutLines: 0, nulLines: 0, latin1Lines: 0, cutAt: [] };
}

/** Cut lines whose numbers are kept. */
const CUT_AT_KEPT = 20;

/** skipNewlines' answer: where the lines it passed over end. */
const SKIPPED_TO = new Int32Array(1);

/**
 * Splits byte chunks into text lines. Handles LF and CRLF, strips NUL runs,
 * cuts over-long lines, and never keeps more than one partial line. One
 * splitter serves plain files, gzip output and stdin alike.
 */
export class LineSplitter {
  readonly stats: LineStats = newLineStats();
  private carry: Buffer = Buffer.alloc(0);
  private carryCut = false;
  /** The carried line had NUL bytes dropped. */
  private carryNul = false;
  /** Lines returned so far: the next line's number is emitted + 1. */
  private emitted: number;

  /**
   * @param linesBefore lines already read before the first byte pushed (a
   *   reader that hands the rest of a file over at a line start), so the
   *   numbers of cut lines stay those of the file.
   * @param stats counters to add to (shared with that reader).
   */
  constructor(linesBefore = 0, stats?: LineStats) {
    this.emitted = linesBefore;
    if (stats) this.stats = stats;
    this.firstCut = this.stats.cutAt?.length ?? 0;
  }

  /** Where this splitter's cut-line numbers start in stats.cutAt. */
  private readonly firstCut: number;

  /**
   * Numbers the lines from `linesBefore` more on, those already split too
   * (the cut lines it recorded): for a reader that hands a file over before
   * it knows how many lines its consumer read before the handover. Once, and
   * while nothing else adds to the stats' cut lines.
   */
  numberFrom(linesBefore: number): void {
    this.emitted += linesBefore;
    const cutAt = this.stats.cutAt;
    if (cutAt) for (let i = this.firstCut; i < cutAt.length; i++) cutAt[i]! += linesBefore;
  }

  /** Lines completed by this chunk. The chunk is not retained. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    // Counted as each is made: a line cut while it is decoded, or carried at the chunk's end, is numbered from it.
    this.split(chunk, (buf, start, end) => {
      lines.push(this.decode(buf, start, end));
      this.emitted++;
    });
    return lines;
  }

  /**
   * As push, but the text is made only of the lines whose numbers are
   * `wanted.lines` (ascending), from `wanted.next` on, each handed to `take`;
   * the others are only counted. `wanted.next` is moved past the lines found.
   */
  pick(chunk: Uint8Array, wanted: { readonly lines: ArrayLike<number>; next: number }, take: (line: number, text: string) => void): void {
    let next = wanted.next;
    let want = wanted.lines[next] ?? Number.POSITIVE_INFINITY;
    const native = nativeScanners();
    // The lines before the next one wanted are passed over in C, a buffer at a time (a call per line to find its end
    // was half of reading a log again for a report's quotes); where the addon is not built, line by line below.
    const pass = native && ((buf: Buffer, start: number): number => {
      const before = Math.min(want - this.emitted - 1, buf.length);
      if (!(before > 0)) return start;
      this.emitted += native.skipNewlines(buf, start, buf.length, before, SKIPPED_TO);
      return SKIPPED_TO[0]!;
    });
    this.split(chunk, (buf, start, end) => {
      const n = ++this.emitted;
      if (n !== want) return;
      take(n, this.decode(buf, start, end, n));
      want = wanted.lines[++next] ?? Number.POSITIVE_INFINITY;
    }, pass || undefined);
    wanted.next = next;
  }

  /** Lines returned so far. */
  get lines(): number {
    return this.emitted;
  }

  /** Each line the chunk completes, as bytes (the carried line's while it is carried), to `line`; the rest is carried. */
  private split(chunk: Uint8Array, line: (buf: Buffer, start: number, end: number) => void, pass?: (buf: Buffer, start: number) => number): void {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      // `pass`: lines no one wants, counted and passed over (never a carried line: its start was in an earlier chunk).
      if (pass !== undefined && this.carry.length === 0 && !this.carryCut) start = pass(buf, start);
      const nl = buf.indexOf(10, start);
      if (nl === -1) break;
      if (this.carry.length > 0 || this.carryCut) {
        this.appendCarry(buf, start, nl);
        line(this.carry, 0, this.carry.length);
        this.carry = Buffer.alloc(0);
        this.carryCut = false;
        this.carryNul = false;
      } else {
        line(buf, start, nl);
      }
      start = nl + 1;
    }
    if (start < buf.length) this.appendCarry(buf, start, buf.length);
  }

  /** The last line when the input does not end with a newline. */
  end(): string[] {
    if (this.carry.length === 0 && !this.carryCut) return [];
    const line = this.decode(this.carry, 0, this.carry.length);
    this.carry = Buffer.alloc(0);
    this.carryCut = false;
    this.carryNul = false;
    this.emitted++;
    return [line];
  }

  private countCut(lineNo: number): void {
    this.stats.cutLines++;
    if (this.stats.cutAt!.length < CUT_AT_KEPT) this.stats.cutAt!.push(lineNo);
  }

  private appendCarry(buf: Buffer, start: number, end: number): void {
    let room = MAX_LINE_BYTES - this.carry.length;
    if (end - start > room && !this.carryCut && (this.carry.includes(0) || buf.subarray(start, end).includes(0))) {
      // A NUL run (a preallocated file after a crash) is no text: it must not
      // fill the line and push out the record written after it.
      if (!this.carryNul) this.stats.nulLines++;
      this.carryNul = true;
      this.carry = withoutNul(this.carry);
      room = MAX_LINE_BYTES - this.carry.length;
      buf = withoutNul(buf.subarray(start, end));
      start = 0;
      end = buf.length;
    }
    if (end - start > room) {
      if (!this.carryCut) this.countCut(this.emitted + 1);
      this.carryCut = true;
      end = start + room;
    }
    if (end > start) this.carry = Buffer.concat([this.carry, buf.subarray(start, end)]);
  }

  private decode(buf: Buffer, start: number, end: number, lineNo = this.emitted + 1): string {
    if (end - start > MAX_LINE_BYTES && buf.subarray(start, end).includes(0)) {
      this.stats.nulLines++;
      buf = withoutNul(buf.subarray(start, end));
      start = 0;
      end = buf.length;
    }
    let cut = this.carryCut && buf === this.carry;
    if (end - start > MAX_LINE_BYTES) {
      this.countCut(lineNo);
      end = start + MAX_LINE_BYTES;
      cut = true;
    }
    // A cut can fall inside a UTF-8 sequence: drop the incomplete character.
    if (cut) return lineText(buf, start, utf8Boundary(buf, start, end), this.stats);
    if (end > start && buf[end - 1] === 13) end--;
    return lineText(buf, start, end, this.stats);
  }
}

/**
 * The text of one line's bytes (no newline, CR already removed, not longer
 * than MAX_LINE_BYTES): UTF-8, or Latin-1 when the bytes are not UTF-8, with
 * NUL bytes removed. Shared by the splitter and the byte-level file reader so
 * both make the very same string of a line.
 */
export function lineText(buf: Buffer, start: number, end: number, stats: LineStats): string {
  let text = buf.toString('utf8', start, end);
  // U+FFFD in the text: the bytes were not UTF-8 (or held U+FFFD itself).
  // The search costs nothing on ASCII lines (V8 answers at once for one-byte strings).
  if (text.includes('\uFFFD') && !isUtf8(buf.subarray(start, end))) {
    // Latin-1 (or Windows-1252) text: keep every byte rather than U+FFFD.
    stats.latin1Lines!++;
    text = buf.toString('latin1', start, end);
  }
  if (text.includes('\0')) {
    stats.nulLines++;
    text = text.replace(/\0+/g, '');
  }
  return text;
}

/** The bytes without their NULs (a copy). */
function withoutNul(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length;) {
    const z = bytes.indexOf(0, i);
    const stop = z === -1 ? bytes.length : z;
    n += bytes.copy(out, n, i, stop);
    if (z === -1) break;
    let j = z;
    while (j < bytes.length && bytes[j] === 0) j++;
    i = j;
  }
  return out.subarray(0, n);
}

/** The end of the last complete UTF-8 character at or before `end`. */
function utf8Boundary(buf: Buffer, start: number, end: number): number {
  let i = end;
  // Step back over continuation bytes (10xxxxxx) to the lead byte, at most 3.
  while (i > start && end - i < 4 && (buf[i - 1]! & 0xc0) === 0x80) i--;
  if (i === start) return end;
  const lead = buf[i - 1]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return end - (i - 1) >= need ? end : i - 1;
}

/**
 * The one line-source interface readers consume: batches of decoded lines in
 * file order. A faster byte-level source can replace this without touching
 * the readers.
 */
export interface LineSource {
  batches(): AsyncIterable<string[]>;
  readonly stats: LineStats;
}

/**
 * Feeds every line of a source to `push`, in order. A read failure part way
 * (damaged gzip, a file gone) ends the feed: its message is returned, not
 * thrown, because the lines before it still count.
 */
export async function pumpLines(source: LineSource, push: (line: string) => void): Promise<string | null> {
  try {
    for await (const batch of source.batches()) for (const line of batch) push(line);
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

export function fileLineSource(path: string, limitBytes?: number): LineSource {
  const splitter = new LineSplitter();
  return {
    stats: splitter.stats,
    async *batches() {
      try {
        for await (const chunk of readUtf8Chunks(path, limitBytes)) {
          const lines = splitter.push(chunk);
          if (lines.length > 0) yield lines;
        }
      } catch (e) {
        // Damaged data (a truncated .gz): the lines before the damage are
        // evidence too, the partial last one included; then report the damage.
        const tail = splitter.end();
        if (tail.length > 0) yield tail;
        throw e;
      }
      const tail = splitter.end();
      if (tail.length > 0) yield tail;
    },
  };
}

/**
 * The numbered lines of a file, quoted as fileLineSource gives them, each
 * handed to `take` in ascending order: no string is made for the other lines,
 * and reading stops after the last one wanted. A read failure part way
 * (damaged gzip, a file gone) is thrown once the lines before it, the partial
 * last one too, were handed out.
 *
 * A plain UTF-8 file (or an archive member lying in one) is walked in C on
 * libuv's pool (pickPlainLines); anything else, or without the addon, goes
 * through the line splitter (pickLinesStreamed, the reference).
 */
export async function pickLines(path: string, wanted: Iterable<number>, take: (line: number, text: string) => void): Promise<void> {
  const all = ArrayBuffer.isView(wanted) ? new Float64Array(wanted as unknown as ArrayLike<number>) : Float64Array.from(wanted);
  const lines = ascendingCounts(all);
  // Line numbers that are not counts (0, 1.5, NaN) stop the splitter's search: only it says what they give.
  if (!lines) return pickLinesStreamed(path, [...new Set(all)].sort((a, b) => a - b), take);
  if (lines.length === 0) return;
  const native = nativeScanners();
  const range = plainRange(path);
  if (native && range) {
    const left = await pickPlainLines(native, range, lines, take);
    if (left === 0) return;
    if (left > 0) {
      // A read failed: the splitter reads the rest, to hand out what comes before the failure and throw it.
      await pickLinesStreamed(path, lines.subarray(lines.length - left), take);
      return;
    }
  }
  await pickLinesStreamed(path, lines, take);
}

/**
 * The line numbers ascending, each once (sorted in place), when every one
 * is a count (an integer from 1); else undefined. In a typed array: a Set of an appendix's
 * 22,803 numbers sorted with a comparator took ~10 ms of CPU, this ~1.5 ms.
 */
function ascendingCounts(all: Float64Array): Float64Array | undefined {
  for (let i = 0; i < all.length; i++) if (!(Number.isSafeInteger(all[i]) && all[i]! >= 1)) return undefined;
  all.sort();
  let kept = 0;
  for (let i = 0; i < all.length; i++) if (kept === 0 || all[i] !== all[kept - 1]) all[kept++] = all[i]!;
  return all.subarray(0, kept);
}

/** Where the bytes of an input lie as they are read in a file of its own (a plain file, a member in place), if they do. */
function plainRange(path: string): { file: string; start: number; end: number; damage?: string } | undefined {
  const range = memberRange(path);
  if (range) return range;
  return isStreamed(path) ? undefined : { file: path, start: 0, end: Number.POSITIVE_INFINITY };
}

/**
 * Bytes of quoted lines gathered per native walk: room for the longest line
 * decoded from them and its newline, no more (4 MiB, and the strings made of
 * them at once, put 4-5 MB on the report's peak RSS).
 */
const PICKED_BYTES = MAX_LINE_BYTES + 1;

/**
 * pickLines for the bytes [start, end) of a plain file: the native walk finds
 * the wanted lines and copies their bytes, which a line splitter decodes as it
 * decodes them in a stream (a line over MAX_LINE_BYTES is read again in the
 * stream's pieces: where it is cut can depend on them). Returns -1 when the
 * file is not UTF-8 (UTF-16 is transcoded: the splitter reads it), else the
 * number of lines left when a read failed (0: none).
 */
async function pickPlainLines(
  native: NativeScanners,
  range: { file: string; start: number; end: number; damage?: string },
  lines: Float64Array,
  take: (line: number, text: string) => void,
): Promise<number> {
  const fd = openEvidenceSync(range.file);
  try {
    // Read to the size seen at the start, as readRawChunks does.
    const to = Math.min(fstatSync(fd).size, range.end);
    const head = Buffer.alloc(Math.max(0, Math.min(512, to - range.start)));
    const { encoding, bomLength } = detectEncoding(head.subarray(0, readSync(fd, head, 0, head.length, range.start)));
    if (encoding !== 'utf8') return -1;
    let from = range.start + Math.min(bomLength, to - range.start);
    let before = 0;
    let next = 0;
    // Whether the last line handed out ended with a newline (the stream stops there, before any damage past it).
    let lastWhole = false;
    const out = Buffer.allocUnsafe(PICKED_BYTES);
    // One array for every walk, each taking the part it needs (a new one a walk was garbage outside the heap, 0.6 MB each).
    const allSpans = new Float64Array(2 * lines.length + 3);
    while (next < lines.length) {
      const rest = lines.subarray(next);
      const spans = allSpans.subarray(0, 2 * rest.length + 3);
      let found: number;
      try {
        found = await native.pickFileLinesAsync(fd, from, to, before, rest, spans, out, MAX_LINE_BYTES);
      } catch {
        return lines.length - next;
      }
      const stop = spans[2 * rest.length]!;
      // The copied lines, decoded in order by one splitter as the stream's would (the last one maybe without its newline).
      let used = 0;
      for (let k = 0; k < found; k++) if (spans[2 * k + 1]! - spans[2 * k]! <= MAX_LINE_BYTES) used += spans[2 * k + 1]! - spans[2 * k]! + 1;
      const whole = found > 0 && spans[2 * found - 1]! < stop;
      if (found > 0 && !whole && spans[2 * found - 1]! - spans[2 * found - 2]! <= MAX_LINE_BYTES) used--;
      const splitter = new LineSplitter();
      const texts = splitter.push(out.subarray(0, used));
      texts.push(...splitter.end());
      let t = 0;
      for (let k = 0; k < found; k++) {
        const s = spans[2 * k]!;
        const e = spans[2 * k + 1]!;
        const text = e - s <= MAX_LINE_BYTES ? texts[t++]! : await longLine(fd, range.start, s, e, k < found - 1 || whole);
        take(rest[k]!, text);
      }
      next += found;
      if (found > 0) lastWhole = whole;
      if (spans[2 * rest.length + 2] !== 1) break;
      from = stop;
      before = spans[2 * rest.length + 1]! - 1;
    }
    if (range.damage !== undefined && !(next === lines.length && lastWhole)) throw new Error(range.damage);
    return 0;
  } finally {
    closeSync(fd);
  }
}

/**
 * A line longer than MAX_LINE_BYTES, [start, end) and its newline when it has
 * one, pushed to a splitter in the pieces the stream reads from `base` on:
 * where a NUL run is dropped, and so whether a CR ends the line, can depend on them.
 */
async function longLine(fd: number, base: number, start: number, end: number, newline: boolean): Promise<string> {
  const splitter = new LineSplitter();
  const stop = end + (newline ? 1 : 0);
  const buf = Buffer.allocUnsafe(STREAM_CHUNK);
  const texts: string[] = [];
  for (let at = start; at < stop;) {
    const piece = Math.min(stop, base + (Math.floor((at - base) / STREAM_CHUNK) + 1) * STREAM_CHUNK) - at;
    const n = await new Promise<number>((resolve, reject) => read(fd, buf, 0, piece, at, (e, bytes) => (e ? reject(e) : resolve(bytes))));
    if (n <= 0) throw new Error('the file changed while its lines were quoted');
    texts.push(...splitter.push(buf.subarray(0, n)));
    at += n;
  }
  texts.push(...splitter.end());
  return texts[0]!;
}

/** pickLines through the line splitter, reading the file as fileLineSource does (lines: ascending, each once). */
export async function pickLinesStreamed(path: string, lines: ArrayLike<number>, take: (line: number, text: string) => void): Promise<void> {
  const last = lines[lines.length - 1];
  if (last === undefined) return;
  const at = { lines, next: 0 };
  const splitter = new LineSplitter();
  const tail = (): void => {
    const n = splitter.lines + 1;
    for (const text of splitter.end()) if (lines[at.next] === n) take(n, text);
  };
  try {
    for await (const chunk of readUtf8Chunks(path)) {
      splitter.pick(chunk, at, take);
      if (splitter.lines >= last) return;
    }
  } catch (e) {
    tail();
    throw e;
  }
  tail();
}

/** Bytes of a snapshot or config file read into memory at most (a describe of 100,000 partitions is about 10 MB). */
export const SMALL_FILE_LIMIT = 256 << 20;

/**
 * The lines of a snapshot or config file (describe output, properties),
 * whole. One over SMALL_FILE_LIMIT is read up to it, and that is said on
 * stderr with exit code 1: settings after the cut would be missing from the
 * findings.
 */
export async function readSmallFile(path: string): Promise<string[]> {
  const lines: string[] = [];
  const source = fileLineSource(path, SMALL_FILE_LIMIT + 1);
  let bytes = 0;
  for await (const batch of source.batches()) {
    for (const line of batch) bytes += Buffer.byteLength(line) + 1;
    lines.push(...batch);
  }
  if (bytes > SMALL_FILE_LIMIT) {
    process.stderr.write(`${printable(path)}: read only its first ${SMALL_FILE_LIMIT >> 20} MiB (a snapshot or config file this large is unusual); settings after that are not in the results (exit code 1).\n`);
    process.exitCode = 1;
  }
  return lines;
}

/** A line source over strings in memory, for tests and pasted input. */
export function textLineSource(text: string): LineSource {
  const splitter = new LineSplitter();
  return {
    stats: splitter.stats,
    async *batches() {
      const lines = splitter.push(Buffer.from(text, 'utf8'));
      yield [...lines, ...splitter.end()];
    },
  };
}
