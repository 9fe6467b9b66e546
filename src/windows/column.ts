type NumberArray = Float64Array | Int32Array | Int8Array;

/** Elements per chunk of a Column. */
const CHUNK = 1 << 14;

/**
 * Numbers appended, one per item (a window spooled, a window parked), in
 * typed arrays of CHUNK each (an item's number costs its bytes, not a
 * JavaScript number's, and a column grows by a chunk, never copied nor
 * twice the size it needs).
 */
export class Column<T extends NumberArray> {
  private readonly chunks: T[] = [];
  length = 0;

  constructor(private readonly make: new (n: number) => T) {}

  push(n: number): void {
    const at = this.length & (CHUNK - 1);
    if (at === 0) this.chunks.push(new this.make(CHUNK));
    this.chunks[this.chunks.length - 1]![at] = n;
    this.length++;
  }

  at(i: number): number {
    return this.chunks[i >>> 14]![i & (CHUNK - 1)]!;
  }

  set(i: number, n: number): void {
    this.chunks[i >>> 14]![i & (CHUNK - 1)] = n;
  }
}
