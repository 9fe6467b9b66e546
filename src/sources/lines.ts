import { readUtf8Chunks } from './open.js';

/** Longest line kept whole; the rest of a longer line is cut and counted. */
export const MAX_LINE_BYTES = 1 << 20;

export interface LineStats {
  /** Lines longer than MAX_LINE_BYTES, cut to that length. */
  cutLines: number;
  /** Lines that had NUL bytes removed (preallocated files after a crash). */
  nulLines: number;
}

/**
 * Splits byte chunks into text lines. Handles LF and CRLF, strips NUL runs,
 * cuts over-long lines, and never keeps more than one partial line. One
 * splitter serves plain files, gzip output and stdin alike.
 */
export class LineSplitter {
  readonly stats: LineStats = { cutLines: 0, nulLines: 0 };
  private carry: Buffer = Buffer.alloc(0);
  private carryCut = false;

  /** Lines completed by this chunk. The chunk is not retained. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl === -1) break;
      if (this.carry.length > 0 || this.carryCut) {
        this.appendCarry(buf, start, nl);
        lines.push(this.decode(this.carry, 0, this.carry.length));
        this.carry = Buffer.alloc(0);
        this.carryCut = false;
      } else {
        lines.push(this.decode(buf, start, nl));
      }
      start = nl + 1;
    }
    if (start < buf.length) this.appendCarry(buf, start, buf.length);
    return lines;
  }

  /** The last line when the input does not end with a newline. */
  end(): string[] {
    if (this.carry.length === 0 && !this.carryCut) return [];
    const line = this.decode(this.carry, 0, this.carry.length);
    this.carry = Buffer.alloc(0);
    this.carryCut = false;
    return [line];
  }

  private appendCarry(buf: Buffer, start: number, end: number): void {
    const room = MAX_LINE_BYTES - this.carry.length;
    if (end - start > room) {
      if (!this.carryCut) this.stats.cutLines++;
      this.carryCut = true;
      end = start + room;
    }
    if (end > start) this.carry = Buffer.concat([this.carry, buf.subarray(start, end)]);
  }

  private decode(buf: Buffer, start: number, end: number): string {
    if (end - start > MAX_LINE_BYTES) {
      this.stats.cutLines++;
      end = start + MAX_LINE_BYTES;
    }
    if (end > start && buf[end - 1] === 13) end--;
    let text = buf.toString('utf8', start, end);
    if (text.includes('\0')) {
      this.stats.nulLines++;
      text = text.replace(/\0+/g, '');
    }
    return text;
  }
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

export function fileLineSource(path: string, limitBytes?: number): LineSource {
  const splitter = new LineSplitter();
  return {
    stats: splitter.stats,
    async *batches() {
      for await (const chunk of readUtf8Chunks(path, limitBytes)) {
        const lines = splitter.push(chunk);
        if (lines.length > 0) yield lines;
      }
      const tail = splitter.end();
      if (tail.length > 0) yield tail;
    },
  };
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
