import { TempBytes } from './temp-bytes.js';

/**
 * A long list held to the end of the pass or after it (the report's key
 * events, its key-event rows and the lines it quotes; the lines judged false
 * alarms), out of memory: each item is
 * appended to a private temporary file (TempBytes: unlinked once open, held
 * in memory where no file can be made or the disk fills up) as JSON, or a
 * string as it is, its length in bytes before it, and read back, in order or
 * by its number, as often as it is asked for. Memory holds where every
 * CHECKPOINT-th item begins, so it no longer grows with the logs' length
 * (~650 bytes per key-event row held whole, 150,000 rows in 4 GiB of a
 * broker's log; two numbers per item were still 10 MB at 4 GiB). Items
 * must be plain data (JSON gives them back as they were).
 */
export class Spool<T> implements Iterable<T> {
  private readonly bytes = new TempBytes('spool');
  private count = 0;
  /** Where item k × CHECKPOINT begins. */
  private readonly checkpoints: number[] = [];
  /** Where the item after the last read begins, and its number: the next is read from there. */
  private nextAt = 0;
  private nextItem = 0;

  /**
   * `encode`/`decode`: the item as JSON is to hold it and back (a tuple
   * rather than an object with its keys: a third of the time to write and
   * read back). `raw`: the items are strings, held as they are.
   */
  constructor(private readonly encode: (item: T) => unknown = (x) => x, private readonly decode: (json: unknown) => T = (x) => x as T, private readonly raw = false) {}

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
    if (n % CHECKPOINT === 0) this.checkpoints.push(this.bytes.size);
    // One append (never split between the file and memory): `<bytes>:<text>`.
    this.bytes.append(`${Buffer.byteLength(text)}:${text}`);
    return n;
  }

  /** Item `i` read back: forward from the item read before it when that is on the way, else from the checkpoint before it. */
  at(i: number): T {
    const c = Math.floor(i / CHECKPOINT);
    if (!(this.nextItem <= i && this.nextItem >= c * CHECKPOINT)) {
      this.nextAt = this.checkpoints[c]!;
      this.nextItem = c * CHECKPOINT;
    }
    for (;;) {
      const head = this.bytes.bytes(this.nextAt, HEAD_MOST);
      let length = 0;
      let k = 0;
      for (let b = head[k]!; b !== COLON; b = head[++k]!) length = length * 10 + b - ZERO;
      const from = this.nextAt + k + 1;
      this.nextAt = from + length;
      if (this.nextItem++ === i) {
        const text = this.bytes.text(from, length);
        return this.raw ? (text as T) : this.decode(JSON.parse(text));
      }
    }
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  /** The items in an array (JSON.stringify of a document held whole). */
  toJSON(): T[] {
    return [...this];
  }

  close(): void {
    this.bytes.close();
  }
}

/** Items between the offsets memory holds. */
const CHECKPOINT = 32;

/** An item's length and its colon take no more bytes than this. */
const HEAD_MOST = 16;
const COLON = 0x3a;
const ZERO = 0x30;
