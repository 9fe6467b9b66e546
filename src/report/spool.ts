import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A long list the report holds to its end (key events during the pass, its
 * key-event rows), out of memory: each item is written as JSON to a private
 * temporary file as it comes and read back, by its number or in order, as
 * often as it is asked for. What stays in memory is two numbers per item
 * (where its bytes are), so the report's memory no longer grows with the
 * logs' length (~650 bytes per key-event row held whole, 150,000 rows in
 * 4 GiB of a broker's log).
 *
 * The file is unlinked as soon as it is open: nothing is left behind, even
 * when the run is killed. Where no such file can be made, or the disk fills
 * up, the items' JSON is held in memory instead. Items must be plain data
 * (JSON gives them back as they were).
 */
export class Spool<T> implements Iterable<T> {
  private fd: number | undefined;
  private readonly held: string[] = [];
  private readonly pending = Buffer.allocUnsafe(1 << 18);
  private used = 0;
  /** Bytes in the file. */
  private inFile = 0;
  /** Where each item's bytes begin (in the file, then in `pending` past its end), and their length. */
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private block = Buffer.allocUnsafe(1 << 16);
  private blockAt = 0;
  private blockLength = 0;
  /** The file could not take more (a full disk): the items not in it are in `held`. */
  private failed = false;

  /**
   * `encode`/`decode`: the item as JSON is to hold it and back (a tuple
   * rather than an object with its keys: a third of the time to write and
   * read back). `raw`: the items are strings, held as they are.
   */
  constructor(private readonly encode: (item: T) => unknown = (x) => x, private readonly decode: (json: unknown) => T = (x) => x as T, private readonly raw = false) {
    let dir: string | undefined;
    try {
      dir = mkdtempSync(join(tmpdir(), 'kforensics-report-'));
      const path = join(dir, 'spool');
      this.fd = openSync(path, 'wx+', 0o600);
      unlinkSync(path);
    } catch {
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    if (this.fd !== undefined) closeWhenUnreachable.register(this, this.fd, this);
  }

  /** A spool of strings, each held as it is (not as JSON). */
  static ofText(): Spool<string> {
    return new Spool<string>(undefined, undefined, true);
  }

  get length(): number {
    return this.offsets.length;
  }

  /** Appends `item`; returns its number. */
  push(item: T): number {
    const text = this.raw ? (item as string) : JSON.stringify(this.encode(item));
    const n = this.offsets.length;
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.used + text.length * 3 > this.pending.length) this.spill();
    if (this.fd === undefined || this.failed) {
      this.held[n] = text;
      this.offsets.push(0);
      this.lengths.push(0);
      return n;
    }
    this.offsets.push(this.inFile + this.used);
    if (text.length * 3 <= this.pending.length) {
      const length = this.pending.write(text, this.used);
      this.used += length;
      this.lengths.push(length);
    } else {
      const bytes = Buffer.from(text);
      this.lengths.push(bytes.length);
      this.toFile(bytes);
    }
    return n;
  }

  /** Item `i` read back. */
  at(i: number): T {
    const text = this.held[i] ?? this.text(this.offsets[i]!, this.lengths[i]!);
    return this.raw ? (text as T) : this.decode(JSON.parse(text));
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.offsets.length; i++) yield this.at(i);
  }

  /** The items in an array (JSON.stringify of a document held whole). */
  toJSON(): T[] {
    return [...this];
  }

  /** The pending bytes to the file. */
  private spill(): void {
    if (this.used === 0) return;
    const bytes = this.pending.subarray(0, this.used);
    this.used = 0;
    this.toFile(bytes);
  }

  /**
   * Bytes to the end of the file. Where the file cannot take them (a full
   * disk), the items they hold are kept in memory instead, and every item
   * after them.
   */
  private toFile(bytes: Buffer): void {
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(this.fd!, bytes, at, bytes.length - at, this.inFile + at);
      this.inFile += bytes.length;
    } catch {
      const start = this.inFile;
      for (let i = this.offsets.length - 1; i >= 0 && this.offsets[i]! >= start; i--) {
        if (this.held[i] !== undefined) continue;
        const from = this.offsets[i]! - start;
        this.held[i] = bytes.toString('utf8', from, from + this.lengths[i]!);
      }
      this.failed = true;
    }
  }

  /** Bytes of the file, through a block read ahead (items are mostly read back in the order they were written). */
  private text(offset: number, length: number): string {
    // Still pending: written first (the pending block is written into again).
    if (offset + length > this.inFile) this.spill();
    if (offset < this.blockAt || offset + length > this.blockAt + this.blockLength) {
      if (length > this.block.length) this.block = Buffer.allocUnsafe(length);
      this.blockAt = offset;
      this.blockLength = 0;
      while (this.blockLength < length) {
        const n = readSync(this.fd!, this.block, this.blockLength, this.block.length - this.blockLength, offset + this.blockLength);
        if (n === 0) throw new Error('internal: the report spool ended early');
        this.blockLength += n;
      }
    }
    return this.block.toString('utf8', offset - this.blockAt, offset - this.blockAt + length);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeWhenUnreachable.unregister(this);
    closeSync(this.fd);
    this.fd = undefined;
  }
}

const closeWhenUnreachable = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});
