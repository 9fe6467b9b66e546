import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Bytes the pass puts aside to read back after it, out of memory: appended
 * to a private temporary file, unlinked as soon as it is open (nothing is
 * left behind, even when the run is killed). Where no such file can be made,
 * or the file can take no more (a full disk), what follows is held in memory
 * instead, at the same offsets past the file's end.
 */
export class TempBytes {
  /** The file; undefined: none could be made (everything is held in memory). */
  fd: number | undefined;
  private readonly pending = Buffer.allocUnsafe(1 << 18);
  private used = 0;
  /** Bytes appended (those in the file, then those held, then those pending). */
  private appended = 0;
  /** Bytes in the file. */
  inFile = 0;
  /** The file could not take more: what followed is held in `memory`. */
  failed = false;
  private readonly memory: { at: number; bytes: Buffer }[] = [];
  private inMemory = 0;
  /**
   * Blocks of the file read ahead, the one read least lately taken for the
   * next: what is put aside is read back in a few runs at once, each in the
   * order it was appended (windows by start, while they were put by end:
   * those that lasted long are a run of their own). A read that goes on
   * from where a block ends reads BLOCK bytes ahead; one elsewhere (a
   * window parked long ago, a line kept), no more than SMALL_BLOCK or what
   * it asks for.
   */
  private readonly blocks = Array.from({ length: BLOCKS }, () => ({ bytes: Buffer.allocUnsafe(0), at: 0, length: 0, used: 0 }));
  private reads = 0;
  /** The block the last read came from. */
  private block = this.blocks[0]!;

  constructor(name: string) {
    let dir: string | undefined;
    try {
      dir = mkdtempSync(join(tmpdir(), `kforensics-${name}-`));
      const path = join(dir, name);
      this.fd = openSync(path, 'wx+', 0o600);
      unlinkSync(path);
    } catch {
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    if (this.fd === undefined) this.failed = true;
    else closeWhenUnreachable.register(this, this.fd, this);
  }

  /** Bytes appended so far: where the next append begins. */
  get size(): number {
    return this.appended;
  }

  /** `text` UTF-8 encoded at the end (straight into the pending block); returns its length in bytes. */
  append(text: string): number {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.used + text.length * 3 > this.pending.length) this.spill();
    let length: number;
    if (text.length * 3 > this.pending.length) {
      const bytes = Buffer.from(text);
      this.store(bytes);
      length = bytes.length;
    } else {
      length = this.pending.write(text, this.used);
      this.used += length;
    }
    this.appended += length;
    return length;
  }

  /**
   * `text` UTF-8 encoded at the end, its length in bytes (4 bytes) before it:
   * returns where it begins, all `framed` needs to read it back (no table of
   * lengths is held for it).
   */
  appendFramed(text: string): number {
    const at = this.appended;
    // Two appends: `framed` reads each within one, wherever each was put (pending, file or a chunk held).
    const frame = Buffer.allocUnsafe(FRAME);
    frame.writeUInt32LE(Buffer.byteLength(text), 0);
    this.appendBytes(frame);
    this.append(text);
    return at;
  }

  /** The text appendFramed put at `offset`. */
  framed(offset: number): string {
    const [bytes, at] = this.view(offset, FRAME);
    return this.text(offset + FRAME, bytes.readUInt32LE(at));
  }

  /** `bytes` (as they are) at the end. */
  appendBytes(bytes: Uint8Array): void {
    if (this.used + bytes.length > this.pending.length) this.spill();
    if (bytes.length > this.pending.length) this.store(Buffer.from(bytes));
    else {
      this.pending.set(bytes, this.used);
      this.used += bytes.length;
    }
    this.appended += bytes.length;
  }

  /**
   * Bytes from `offset` copied into `into` (as many as it holds, fewer at the
   * end): for a reader with a buffer of its own, read straight from the file
   * (not through the blocks read ahead, which other readers use).
   */
  readInto(offset: number, into: Uint8Array): number {
    this.spill();
    const end = Math.min(offset + into.length, this.appended);
    let n = 0;
    while (offset + n < end) {
      const at = offset + n;
      if (at < this.inFile) {
        const read = readSync(this.fd!, into, n, Math.min(end, this.inFile) - at, at);
        if (read === 0) throw new Error('internal: a temporary file of the pass ended early');
        n += read;
      } else {
        const chunk = this.chunkAt(at);
        const to = Math.min(chunk.bytes.length, end - chunk.at);
        into.set(chunk.bytes.subarray(at - chunk.at, to), n);
        n += to - (at - chunk.at);
      }
    }
    return n;
  }

  /** The pending block to the file (it begins where the file, or what is held past it, ends). */
  private spill(): void {
    if (this.used === 0) return;
    this.store(this.pending.subarray(0, this.used));
    this.used = 0;
  }

  /**
   * Bytes to the end of the file; where it cannot take them (a full disk, no
   * file), they and all that follows are held in memory instead.
   */
  private store(bytes: Buffer): void {
    if (!this.failed) {
      try {
        writeAll(this.fd!, bytes, this.inFile);
        this.inFile += bytes.length;
        return;
      } catch {
        this.failed = true;
      }
    }
    // A copy: the pending block is written into again.
    this.memory.push({ at: this.inFile + this.inMemory, bytes: Buffer.from(bytes) });
    this.inMemory += bytes.length;
  }

  /** The text of `length` bytes from `offset` (one append, or appends whole). */
  text(offset: number, length: number): string {
    const [bytes, at] = this.view(offset, length);
    return bytes.toString('utf8', at, at + length);
  }

  /** Where `length` bytes from `offset` (within one append) are to be read: a buffer and where in it. */
  private view(offset: number, length: number): [Buffer, number] {
    // Still in the pending block (the pass reads back what it put aside a moment ago): read there, not written first.
    const pendingAt = this.appended - this.used;
    if (offset >= pendingAt) return [this.pending, offset - pendingAt];
    if (offset + length > pendingAt) this.spill();
    if (offset >= this.inFile) {
      // Held past the file's end: the chunk that begins at or before it (an append is never split between chunks).
      const chunk = this.chunkAt(offset);
      return [chunk.bytes, offset - chunk.at];
    }
    this.readAhead(offset, length);
    const { block } = this;
    return [block.bytes, offset - block.at];
  }

  /**
   * Up to `most` bytes from `offset` (fewer at the end, or where what is held
   * in memory or not yet written begins), for a reader that takes them in
   * order; the buffer is written over by the next read or append.
   */
  bytes(offset: number, most: number): Buffer {
    // Still in the pending block: read there, not written first (a line kept a moment ago, read back by its number).
    const pendingAt = this.appended - this.used;
    if (offset >= pendingAt) return this.pending.subarray(offset - pendingAt, Math.min(this.used, offset - pendingAt + most));
    if (offset >= this.inFile) {
      const chunk = this.chunkAt(offset);
      return chunk.bytes.subarray(offset - chunk.at);
    }
    this.readAhead(offset, Math.min(most, this.inFile - offset));
    const { block } = this;
    return block.bytes.subarray(offset - block.at, block.length);
  }

  private chunkAt(offset: number): { at: number; bytes: Buffer } {
    let lo = 0;
    let hi = this.memory.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.memory[mid]!.at <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.memory[lo]!;
  }

  /**
   * Bytes of the file, in `block`, through the blocks read ahead (bytes of
   * the file never change once written).
   */
  private readAhead(offset: number, length: number): void {
    const { blocks } = this;
    let oldest = blocks[0]!;
    let ahead = SMALL_BLOCK;
    for (const b of blocks) {
      if (offset >= b.at && offset + length <= b.at + b.length) {
        b.used = ++this.reads;
        this.block = b;
        return;
      }
      if (b.length > 0 && offset >= b.at && offset < b.at + b.length + BLOCK) ahead = BLOCK;
      if (b.used < oldest.used) oldest = b;
    }
    const b = oldest;
    if (b.bytes.length < Math.max(length, BLOCK)) b.bytes = Buffer.allocUnsafe(Math.max(length, BLOCK));
    const want = Math.min(Math.max(length, ahead), this.inFile - offset);
    b.at = offset;
    b.length = 0;
    while (b.length < length) {
      const n = readSync(this.fd!, b.bytes, b.length, want - b.length, offset + b.length);
      if (n === 0) throw new Error('internal: a temporary file of the pass ended early');
      b.length += n;
    }
    b.used = ++this.reads;
    this.block = b;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeWhenUnreachable.unregister(this);
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The length before a text appended framed (appendFramed). */
const FRAME = 4;

/** Blocks of a file read ahead, and the bytes of each (TempBytes.readAhead). */
const BLOCKS = 8;
const BLOCK = 1 << 15;
const SMALL_BLOCK = 1 << 12;

const closeWhenUnreachable = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

function writeAll(fd: number, bytes: Buffer, position: number): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at, position + at);
}

/**
 * Strings that repeat from item to item of a spool (a file's name, a node's,
 * a rule's id), each held once and written by its number.
 */
export class StringTable {
  /** The strings, by number. */
  readonly list: string[] = [];
  private readonly numbers = new Map<string, number>();

  number(s: string): number {
    let n = this.numbers.get(s);
    if (n === undefined) {
      this.numbers.set(s, (n = this.list.length));
      this.list.push(s);
    }
    return n;
  }
}
