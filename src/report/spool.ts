import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A long list the report holds to its end (key events during the pass, its
 * key-event rows, the lines it quotes), out of memory: each item is written
 * to a private temporary file as it comes (JSON, or a string as it is), its
 * length before it, and read back, in order or by its number, as often as it
 * is asked for. Memory holds where every CHECKPOINT-th item begins, so it
 * no longer grows with the logs' length (~650 bytes per key-event row held
 * whole, 150,000 rows in 4 GiB of a broker's log; two numbers per item were
 * still 5 MB at 4 GiB).
 *
 * The file is unlinked as soon as it is open: nothing is left behind, even
 * when the run is killed. Where no such file can be made, or the disk fills
 * up, the items (from there on) are held in memory instead. Items must be
 * plain data (JSON gives them back as they were).
 */
export class Spool<T> implements Iterable<T> {
  private fd: number | undefined;
  private count = 0;
  /** Items from `firstHeld` on are held here (no file, or the disk filled up). */
  private held: string[] = [];
  private firstHeld = Infinity;
  private readonly pending = Buffer.allocUnsafe(1 << 18);
  private used = 0;
  /** The number of the first item in `pending`. */
  private pendingFirst = 0;
  /** Bytes in the file. */
  private inFile = 0;
  /** Where item k × CHECKPOINT begins (in the file, then in `pending` past its end). */
  private readonly checkpoints: number[] = [];
  private block = Buffer.allocUnsafe(1 << 16);
  private blockAt = 0;
  private blockLength = 0;
  /** Where the last item read ends, and its number: the next is read from there. */
  private nextAt = 0;
  private nextItem = 0;

  /**
   * `encode`/`decode`: the item as JSON is to hold it and back (a tuple
   * rather than an object with its keys: a third of the time to write and
   * read back). `raw`: the items are strings, held as they are.
   */
  constructor(private readonly encode: (item: T) => unknown = (x) => x, private readonly decode: (json: unknown) => T = (x) => x as T, private readonly raw = false) {
    this.fd = privateFile(this);
    if (this.fd === undefined) this.firstHeld = 0;
  }

  /** A spool of strings, each held as it is (not as JSON). */
  static ofText(): Spool<string> {
    return new Spool<string>(undefined, undefined, true);
  }

  get length(): number {
    return this.count;
  }

  /** Appends `item`; returns its number. */
  push(item: T): number {
    const text = this.raw ? (item as string) : JSON.stringify(this.encode(item));
    const n = this.count++;
    if (n >= this.firstHeld) {
      this.held.push(text);
      return n;
    }
    // A UTF-16 unit is at most 3 bytes of UTF-8; 4 bytes of length before it.
    if (this.used + 4 + text.length * 3 > this.pending.length) this.spill();
    if (n % CHECKPOINT === 0) this.checkpoints.push(this.inFile + this.used);
    if (this.firstHeld !== Infinity) {
      // The disk filled up as the bytes before were written: this one in memory too.
      this.held.push(text);
    } else if (4 + text.length * 3 <= this.pending.length) {
      if (this.used === 0) this.pendingFirst = n;
      const length = this.pending.write(text, this.used + 4);
      this.pending.writeUInt32LE(length, this.used);
      this.used += 4 + length;
    } else {
      const bytes = Buffer.from(text);
      const head = Buffer.allocUnsafe(4);
      head.writeUInt32LE(bytes.length, 0);
      this.toFile(Buffer.concat([head, bytes]), n);
    }
    return n;
  }

  /** Item `i` read back. */
  at(i: number): T {
    return this.parse(this.text(i));
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  /** The items in an array (JSON.stringify of a document held whole). */
  toJSON(): T[] {
    return [...this];
  }

  private parse(text: string): T {
    return this.raw ? (text as T) : this.decode(JSON.parse(text));
  }

  /** The pending bytes to the file. */
  private spill(): void {
    if (this.used === 0) return;
    const bytes = this.pending.subarray(0, this.used);
    this.used = 0;
    this.toFile(bytes, this.pendingFirst);
  }

  /**
   * Bytes (whole items, from item `first` on) to the end of the file. Where
   * the file cannot take them (a full disk), these items and all after them
   * are held in memory instead.
   */
  private toFile(bytes: Buffer, first: number): void {
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(this.fd!, bytes, at, bytes.length - at, this.inFile + at);
      this.inFile += bytes.length;
    } catch {
      const items: string[] = [];
      for (let at = 0; at < bytes.length;) {
        const length = bytes.readUInt32LE(at);
        items.push(bytes.toString('utf8', at + 4, at + 4 + length));
        at += 4 + length;
      }
      this.firstHeld = first;
      this.held = items;
    }
  }

  /** Item `i`'s text: from memory, or read forward from the item before it (or the checkpoint before it). */
  private text(i: number): string {
    if (i >= this.firstHeld) return this.held[i - this.firstHeld]!;
    // Still pending: written first (the pending block is written into again).
    if (this.used > 0) this.spill();
    if (i >= this.firstHeld) return this.held[i - this.firstHeld]!;
    // From the item after the last read when that is on the way, else from the checkpoint before it.
    const c = Math.floor(i / CHECKPOINT);
    if (!(this.nextItem <= i && this.nextItem >= c * CHECKPOINT)) {
      this.nextAt = this.checkpoints[c]!;
      this.nextItem = c * CHECKPOINT;
    }
    for (;;) {
      this.load(this.nextAt, 4);
      const length = this.block.readUInt32LE(this.nextAt - this.blockAt);
      if (this.nextItem === i) {
        this.load(this.nextAt + 4, length);
        const text = this.block.toString('utf8', this.nextAt + 4 - this.blockAt, this.nextAt + 4 + length - this.blockAt);
        this.nextAt += 4 + length;
        this.nextItem++;
        return text;
      }
      this.nextAt += 4 + length;
      this.nextItem++;
    }
  }

  /** Bytes [offset, offset + length) of the file into the block read ahead (items are mostly read back in order). */
  private load(offset: number, length: number): void {
    if (offset >= this.blockAt && offset + length <= this.blockAt + this.blockLength) return;
    if (length > this.block.length) this.block = Buffer.allocUnsafe(length);
    this.blockAt = offset;
    this.blockLength = 0;
    while (this.blockLength < length) {
      const n = readSync(this.fd!, this.block, this.blockLength, this.block.length - this.blockLength, offset + this.blockLength);
      if (n === 0) throw new Error('internal: the report spool ended early');
      this.blockLength += n;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closePrivateFile(this, this.fd);
    this.fd = undefined;
  }
}

/** Items between the offsets memory holds. */
const CHECKPOINT = 32;

/**
 * A private temporary file for `owner` (read and written by descriptor): made
 * in its own directory under os.tmpdir(), unlinked as soon as it is open, so
 * nothing is left behind even when the run is killed; closed when `owner` is
 * collected, if not before (closePrivateFile). Undefined where none can be
 * made (the caller holds its data in memory instead).
 */
export function privateFile(owner: object): number | undefined {
  let dir: string | undefined;
  let fd: number | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'kforensics-'));
    const path = join(dir, 'spool');
    fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
  } catch {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  if (fd !== undefined) closeWhenUnreachable.register(owner, fd, owner);
  return fd;
}

/** Closes a file privateFile made for `owner`. */
export function closePrivateFile(owner: object, fd: number): void {
  closeWhenUnreachable.unregister(owner);
  closeSync(fd);
}

const closeWhenUnreachable = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});
