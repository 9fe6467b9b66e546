import type { Readable } from 'node:stream';
import { CHUNK, RangeRing, type ByteRange, type LineBatch } from './fast-lines.js';
import type { LineStats } from './lines.js';
import { decodedHead, decodedStream, isStreamed } from './archive.js';
import { detectEncoding } from './open.js';

/**
 * Byte-level reading of a streamed UTF-8 input (a compressed file, an archive
 * member, standard input; see archive.ts and decompress.ts): the decoded
 * stream (gunzip inflates on libuv's pool, beside this thread) fills a ring
 * of reused buffers, handed out as ranges of whole lines exactly as ByteLineReader
 * hands out a plain file's, so a .gz takes the same byte path and native
 * scanner as the plain file it was. A line longer than half a buffer hands
 * the rest of the stream to a LineSplitter (as ByteLineReader does). A
 * damaged stream (a truncated .gz): the lines before the damage are handed
 * out, then next() throws, and rest() gives the partial last line.
 */
export class GzipByteReader extends RangeRing {
  private readonly stream: Readable;
  private readonly chunks: AsyncIterator<Buffer>;
  /** The part of the last inflated chunk not yet copied into a buffer. */
  private pending: Buffer | undefined;
  private skip: number;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private done = false;

  constructor(path: string, stats: LineStats, bom = 0, buffers = 1, chunk = CHUNK) {
    super(stats, buffers, chunk);
    this.skip = bom;
    // A read error of the file reaches the decoded stream, and so next().
    this.stream = decodedStream(path);
    this.chunks = (this.stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** The next range of whole lines or batch of lines; undefined at the end. */
  async next(): Promise<ByteRange | LineBatch | undefined> {
    if (this.done) return undefined;
    if (this.splitter) return this.nextLines();
    // The lines before the damage were handed out: now the damage (rest() has the partial line).
    if (this.failure) this.throwFailure();
    let total = this.advance();
    const buf = this.buf;
    if (total > this.handover) return this.handOver(total);
    while (total < this.chunk) {
      const chunk = await this.pull();
      if (chunk === undefined) break;
      const n = Math.min(chunk.length, this.chunk - total);
      chunk.copy(buf, total, 0, n);
      if (n < chunk.length) this.pending = chunk.subarray(n);
      total += n;
      this.tailTo = total;
    }
    if (this.ended && !this.failure) {
      this.close();
      this.tailTo = 0;
      return total > 0 ? { kind: 'bytes', buf, from: 0, to: total, final: true } : undefined;
    }
    const lastNl = total > 0 ? buf.lastIndexOf(10, total - 1) : -1;
    if (lastNl === -1) {
      if (this.failure) this.throwFailure();
      // A line longer than a buffer: the rest of the stream goes through a LineSplitter.
      return this.handOver(total);
    }
    this.tailFrom = lastNl + 1;
    return { kind: 'bytes', buf, from: 0, to: lastNl + 1, final: false };
  }

  close(): void {
    this.done = true;
    this.stream.destroy();
  }

  private throwFailure(): never {
    this.close();
    throw this.failure!.error;
  }

  /** The next inflated bytes (after the BOM); undefined at the end or after a failure (then recorded). */
  private async pull(): Promise<Buffer | undefined> {
    for (;;) {
      if (this.pending) {
        const p = this.pending;
        this.pending = undefined;
        return p;
      }
      if (this.ended || this.failure) return undefined;
      let r: IteratorResult<Buffer>;
      try {
        r = await this.chunks.next();
      } catch (e) {
        this.failure = { error: e };
        return undefined;
      }
      if (r.done) {
        this.ended = true;
        return undefined;
      }
      let chunk = r.value;
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length);
        this.skip -= n;
        chunk = chunk.subarray(n);
      }
      if (chunk.length > 0) this.pending = chunk;
    }
  }

  private handOver(carry: number): Promise<ByteRange | LineBatch | undefined> | LineBatch {
    return this.batch(this.startSplitter(carry)) ?? this.nextLines();
  }

  private async nextLines(): Promise<LineBatch | undefined> {
    for (;;) {
      const chunk = await this.pull();
      if (chunk === undefined) {
        if (this.failure) {
          // The lines before the damage first (rest() gives the partial one), then the damage.
          this.throwFailure();
        }
        this.close();
        return this.batch(this.splitter!.end());
      }
      const lines = this.batch(this.splitter!.push(chunk));
      if (lines) return lines;
    }
  }
}

/**
 * Whether a streamed input can be read at the byte level: its first decoded
 * bytes say UTF-8 (with or without BOM). Undefined when not; else the BOM
 * bytes to skip.
 */
export async function streamByteReadable(path: string): Promise<number | undefined> {
  if (!isStreamed(path)) return undefined;
  const head = await decodedHead(path, 512);
  const { encoding, bomLength } = detectEncoding(head);
  return encoding === 'utf8' ? bomLength : undefined;
}
