import type { WindowKind } from '../model/window.js';
import { Column } from './column.js';
import { StringTable } from './temp-bytes.js';

/**
 * A window parked (WindowBook.park), as what is held of it: what look-ups
 * and the steps after the pass choose it by, and its place in the windows'
 * spool. Made when asked for (WindowBook.entries): memory holds the numbers
 * alone (ParkedWindows).
 */
export class ParkedWindow {
  constructor(
    /** Its number among the windows parked. */
    readonly index: number,
    readonly kind: WindowKind, readonly node: string | undefined, readonly start: number, readonly end: number,
    readonly seq: number, readonly place: number,
  ) {}
}

/**
 * The broker windows parked (out of memory, in the windows' spool), by
 * their number: kind, node, start, end, place among the windows opened and
 * in the spool, in columns of numbers (~33 bytes a window where an object
 * for each was ~120: tens of thousands in a gibibyte of an event-dense log).
 */
export class ParkedWindows {
  private readonly kinds = new Column(Int32Array);
  /** -1: none. */
  private readonly nodes = new Column(Int32Array);
  private readonly starts = new Column(Float64Array);
  private readonly ends = new Column(Float64Array);
  private readonly seqs = new Column(Int32Array);
  /** The window's place in the spool (where its head begins: past 2^31 on long logs); -1: read back into memory. */
  private readonly places = new Column(Float64Array);
  private readonly strings = new StringTable();
  /** Windows parked now (not read back). */
  count = 0;

  /** Parks a window (its place in the spool given); returns its number. */
  add(kind: WindowKind, node: string | undefined, start: number, end: number, seq: number, place: number): number {
    this.kinds.push(this.strings.number(kind));
    this.nodes.push(node === undefined ? -1 : this.strings.number(node));
    this.starts.push(start);
    this.ends.push(end);
    this.seqs.push(seq);
    this.places.push(place);
    this.count++;
    return this.places.length - 1;
  }

  start(i: number): number {
    return this.starts.at(i);
  }

  end(i: number): number {
    return this.ends.at(i);
  }

  seq(i: number): number {
    return this.seqs.at(i);
  }

  place(i: number): number {
    return this.places.at(i);
  }

  kind(i: number): WindowKind {
    return this.strings.list[this.kinds.at(i)]! as WindowKind;
  }

  node(i: number): string | undefined {
    const n = this.nodes.at(i);
    return n < 0 ? undefined : this.strings.list[n]!;
  }

  view(i: number): ParkedWindow {
    return new ParkedWindow(i, this.kind(i), this.node(i), this.start(i), this.end(i), this.seq(i), this.place(i));
  }

  /** Window `i` was read back into memory for good. */
  readBack(i: number): void {
    this.places.set(i, -1);
    this.count--;
  }

  /** The numbers of the windows parked now of `kinds`, in the order they were opened. */
  ofKinds(kinds: readonly WindowKind[]): Int32Array {
    const wanted = kinds.map((k) => this.strings.number(k));
    const at: number[] = [];
    for (let i = 0; i < this.places.length; i++) if (this.places.at(i) >= 0 && wanted.includes(this.kinds.at(i))) at.push(i);
    return Int32Array.from(at).sort((a, b) => this.seqs.at(a) - this.seqs.at(b));
  }
}
