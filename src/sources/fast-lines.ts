import { closeSync, fstatSync, readSync } from 'node:fs';
import { detectEncoding, HeldFile, mayReadAhead, openEvidenceSync } from './open.js';
import { isStreamed } from './archive.js';
import { LineSplitter, type LineStats } from './lines.js';

/**
 * Byte-level reading of a plain UTF-8 file: a ring of reused buffers filled
 * by reads (readSync, or fs.read ahead on libuv's pool), handed to the reader
 * as ranges of whole lines, so no string is made for a line the reader does
 * not need. The text of a line, when it is needed, comes from lineText()
 * (lines.ts), the same as the LineSplitter gives. A .gz is read into the same
 * ranges by gzip-lines.ts; UTF-16 and stdin keep the LineSplitter path
 * (fileLineSource).
 */

// Big enough that reads are few; small enough to stay in cache-friendly memory.
export const CHUNK = 1 << 20;

/**
 * The buffer size for each of `open` files read at once: the merge holds one
 * reader open per family, each with a ring of buffers, so a folder of many
 * families gets smaller buffers (the sum stays near 8 MiB a buffer's worth).
 */
export function chunkFor(open: number): number {
  let chunk = CHUNK;
  while (chunk > 64 << 10 && chunk * Math.max(1, open) > 8 << 20) chunk >>= 1;
  return chunk;
}

/** Ranges of a file's lines: a plain file's (ByteLineReader) or a .gz's (GzipByteReader). */
export interface RangeReader {
  next(): ByteRange | LineBatch | undefined | Promise<ByteRange | LineBatch | undefined>;
  /** After a read error: the bytes not yet handed out (the partial last line). */
  rest(): ByteRange | LineBatch | undefined;
  close(): void;
}

/** A read a range's reading asks of its driver. */
interface ReadRequest {
  buf: Buffer;
  offset: number;
  length: number;
  position: number;
}
type Steps = Generator<ReadRequest, ByteRange | LineBatch | undefined, number>;


/** Whole lines at buf[from, to): each ends with `\n`, except the last one when `final`. */
export interface ByteRange {
  kind: 'bytes';
  buf: Buffer;
  from: number;
  to: number;
  final: boolean;
  /** The file offset of buf[0], when the range is a plain file's bytes (a line's text can be read back there). */
  at?: number;
}

/** Decoded lines (after a handover to the LineSplitter). */
export interface LineBatch {
  kind: 'lines';
  lines: string[];
  /**
   * On the first batch after a handover: to be told, before its lines are
   * read, how many lines the consumer read before them, which numbers the
   * lines the splitter cut (the reader cannot know it when it hands over:
   * the ranges it read ahead may not have been read by the consumer yet).
   */
  numberFrom?: (linesBefore: number) => void;
}

/**
 * Whether a file can be read at the byte level: a plain file (not compressed, not a member)
 * whose first bytes say UTF-8 (with or without BOM). Undefined when it
 * cannot; otherwise the number of BOM bytes to skip.
 */
export function byteReadable(path: string): number | undefined {
  return isStreamed(path) ? undefined : utf8Head(path, 512);
}

/**
 * The BOM length when the first `bytes` of a regular file (inflated by
 * `inflate`, for a .gz) say UTF-8; undefined when they do not, or when the
 * file cannot be read (the line path then reports why).
 */
export function utf8Head(path: string, bytes: number, inflate?: (head: Buffer) => Buffer): number | undefined {
  let fd: number;
  try {
    fd = openEvidenceSync(path);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const head = Buffer.alloc(bytes);
    const n = readSync(fd, head, 0, head.length, 0);
    const text = inflate ? inflate(head.subarray(0, n)) : head.subarray(0, n);
    const { encoding, bomLength } = detectEncoding(text.subarray(0, 512));
    return encoding === 'utf8' ? bomLength : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * The ring of reused buffers a reader hands its ranges out of, and the
 * incomplete line left at the end of the last range (its tail).
 */
export abstract class RangeRing {
  private readonly buffers: Buffer[];
  private current = 0;
  /** buf[tailFrom, tailTo) is an incomplete line to move to the front before the next read. */
  protected tailFrom = 0;
  protected tailTo = 0;
  /** Set once a line longer than `handover` handed the rest of the input to a LineSplitter. */
  protected splitter: LineSplitter | undefined;

  /**
   * A line longer than this (half a buffer) is handed, with the rest of the
   * input, to a LineSplitter (exact cut-line handling for lines near
   * MAX_LINE_BYTES).
   */
  protected readonly handover: number;

  /** The splitter's first batch is yet to be handed out (it carries LineBatch.numberFrom). */
  private unnumbered = false;

  constructor(readonly stats: LineStats, buffers: number, protected readonly chunk = CHUNK) {
    this.buffers = Array.from({ length: buffers }, () => Buffer.allocUnsafe(chunk));
    this.handover = chunk >> 1;
  }

  /** From here on a LineSplitter reads the input, starting with the long line at buf[0, carry): its first lines. */
  protected startSplitter(carry: number): string[] {
    // Numbered from the handover; the consumer gives the lines before it with the first batch (LineBatch.numberFrom).
    const splitter = new LineSplitter(0, this.stats);
    this.splitter = splitter;
    this.unnumbered = true;
    this.tailFrom = this.tailTo = 0;
    return splitter.push(this.buf.subarray(0, carry));
  }

  /** The splitter's lines as a batch (the first one carrying numberFrom); undefined when there are none. */
  protected batch(lines: string[]): LineBatch | undefined {
    if (lines.length === 0) return undefined;
    if (!this.unnumbered) return { kind: 'lines', lines };
    this.unnumbered = false;
    const splitter = this.splitter!;
    return { kind: 'lines', lines, numberFrom: (linesBefore) => splitter.numberFrom(linesBefore) };
  }

  protected get buf(): Buffer {
    return this.buffers[this.current]!;
  }

  /** The buffer advance() moves to next. */
  protected bufferAfter(): Buffer {
    return this.buffers[(this.current + 1) % this.buffers.length]!;
  }

  /**
   * Moves to the next buffer of the ring with the tail at its front (it stays
   * recorded as the tail until a read succeeds, so rest() finds it after an
   * error); returns the tail's length.
   */
  protected advance(): number {
    const last = this.buf;
    this.current = (this.current + 1) % this.buffers.length;
    const carry = this.tailTo - this.tailFrom;
    if (carry > 0 && (this.tailFrom > 0 || last !== this.buf)) last.copy(this.buf, 0, this.tailFrom, this.tailTo);
    this.tailFrom = 0;
    this.tailTo = carry;
    return carry;
  }

  /**
   * The bytes not yet handed out, after a read error: the partial line they
   * hold is evidence too, as the LineSplitter path keeps it.
   */
  rest(): ByteRange | LineBatch | undefined {
    if (this.splitter) return this.batch(this.splitter.end());
    const carry = this.tailTo - this.tailFrom;
    if (carry === 0) return undefined;
    this.buf.copy(this.buf, 0, this.tailFrom, this.tailTo);
    this.tailFrom = this.tailTo = 0;
    return { kind: 'bytes', buf: this.buf, from: 0, to: carry, final: true };
  }
}

/**
 * Reads [start, end) of a file (end: its size when opened), range after
 * range: next() reads synchronously, nextAhead() on libuv's pool. `start` must be a line start. Each range is valid only
 * until next() is called again — or, with n buffers, until n - 1 calls
 * later (the caller may still be reading one range when it asks for the next).
 */
export class ByteLineReader extends RangeRing {
  private file: HeldFile | undefined;
  private position: number;
  private readonly end: number;
  private done = false;
  /** The read nextAhead foresaw for the next range, running. */
  private prefetch: (ReadRequest & { bytes: Promise<number> }) | undefined;

  constructor(path: string, stats: LineStats, start = 0, end?: number, buffers = 1, chunk = CHUNK) {
    super(stats, buffers, chunk);
    this.file = new HeldFile(path);
    this.position = start;
    this.end = end ?? this.file.size;
  }

  /** The next range of whole lines or batch of lines; undefined at the end (the file is then closed). */
  next(): ByteRange | LineBatch | undefined {
    if (this.done) return undefined;
    try {
      const steps = this.read();
      for (let step = steps.next(0); ;) {
        if (step.done) return step.value;
        const r = step.value;
        step = steps.next(this.file!.readSync(r.buf, r.offset, r.length, r.position));
      }
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /**
   * next(), with the file read ahead on libuv's pool: once a range is handed
   * out, the bytes the next one starts with are already being read (into the
   * buffer after it in the ring, behind the tail's place), so the calling
   * thread does not copy them in itself. The reader needs a buffer more than
   * the ranges its caller holds at once.
   */
  async nextAhead(): Promise<ByteRange | LineBatch | undefined> {
    if (this.done) return undefined;
    try {
      const steps = this.read();
      for (let step = steps.next(0); ;) {
        if (step.done) {
          this.readAhead();
          return step.value;
        }
        const r = step.value;
        const ahead = this.prefetch;
        this.prefetch = undefined;
        let n: number;
        if (ahead && ahead.buf === r.buf && ahead.offset === r.offset && ahead.length === r.length && ahead.position === r.position) {
          n = await ahead.bytes;
        } else {
          // Not the read foreseen: let it end (it may write into this buffer) before reading anew.
          if (ahead) await ahead.bytes.catch(() => 0);
          n = await this.file!.read(r.buf, r.offset, r.length, r.position);
        }
        step = steps.next(n);
      }
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** This reader with its reads ahead (nextAhead), for a scan pipeline. */
  readingAhead(): RangeReader {
    return { next: () => this.nextAhead(), rest: () => this.rest(), close: () => this.close() };
  }

  close(): void {
    this.done = true;
    this.releaseFd();
  }

  /** Closes the file (once its last byte is read, or at close()); the ranges already read stay valid. */
  private releaseFd(): void {
    // A read ahead still running reads into a buffer nobody takes; its file is closed once it ends.
    this.file?.close();
    this.file = undefined;
    this.prefetch = undefined;
  }

  /** The read the next range starts with, when it is a plain one: issued now, taken by nextAhead. */
  private readAhead(): void {
    const carry = this.tailTo - this.tailFrom;
    if (this.done || this.splitter || carry > this.handover || !mayReadAhead()) return;
    const length = this.want(carry);
    if (length <= 0) return;
    const buf = this.bufferAfter();
    const position = this.position;
    const bytes = this.file!.read(buf, carry, length, position);
    bytes.catch(() => undefined);
    this.prefetch = { buf, offset: carry, length, position, bytes };
  }

  /** One range's reading; the reads it needs are yielded to the driver (next, nextAhead), which sends back the bytes read. */
  private *read(): Steps {
    let carry = this.advance();
    const buf = this.buf;
    if (!this.splitter && carry > this.handover) return yield* this.handOver(carry);
    for (;;) {
      const want = this.want(carry);
      const n = want > 0 ? yield { buf, offset: carry, length: want, position: this.position } : 0;
      this.position += n;
      // Every byte read: the descriptor goes now, not when the merge is done
      // with this file (thousands of small logs merged hold none).
      if (this.position >= this.end && !this.prefetch) this.releaseFd();
      if (this.splitter) {
        if (n === 0) {
          const lines = this.splitter.end();
          this.close();
          return this.batch(lines);
        }
        const lines = this.batch(this.splitter.push(buf.subarray(0, n)));
        if (lines) return lines;
        continue;
      }
      this.tailTo = 0;
      if (n === 0) {
        this.close();
        return carry > 0 ? { kind: 'bytes', buf, from: 0, to: carry, final: true, at: this.position - carry } : undefined;
      }
      const total = carry + n;
      const lastNl = buf.lastIndexOf(10, total - 1);
      if (lastNl === -1) {
        carry = total;
        this.tailTo = carry;
        if (carry > this.handover) return yield* this.handOver(carry);
        continue;
      }
      this.tailFrom = lastNl + 1;
      this.tailTo = total;
      return { kind: 'bytes', buf, from: 0, to: lastNl + 1, final: false, at: this.position - total };
    }
  }

  /** From here on a LineSplitter reads the file, starting with the long line at buf[0, carry). */
  private *handOver(carry: number): Steps {
    return this.batch(this.startSplitter(carry)) ?? (yield* this.read());
  }

  /** The bytes a read asks for behind a tail of `carry` bytes: the buffer's rest, or the file's. */
  private want(carry: number): number {
    return Math.min(this.chunk - carry, this.end - this.position);
  }
}
