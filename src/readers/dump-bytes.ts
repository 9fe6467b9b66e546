import { ByteLineReader, type ByteRange, type LineBatch } from '../sources/fast-lines.js';
import { lineText, type LineStats } from '../sources/lines.js';
import { scanPipeline, scanSlot, type RangeScanner, type ScanSlot } from '../read/scan-pipeline.js';
import {
  DUMP_BATCH, DUMP_NUMS, DUMP_RECORD, DUMP_RECORD_INDENTED, DUMP_STRIDE, nativeScanners, type NativeScanners,
} from './native.js';
import type { BatchEntry, DumpReader, DumpSection, RecordEntry, TimestampType } from './dump-log-segments.js';

/**
 * The two line shapes that make up almost all of a large `--deep-iteration`
 * dump, read straight from the bytes with the keys in their fixed order:
 *
 *   baseOffset: N lastOffset: N count: N baseSequence: N lastSequence: N producerId: N producerEpoch: N
 *     partitionLeaderEpoch: N isTransactional: B isControl: B [deleteHorizonMs: OptionalLong.empty]
 *     position: N CreateTime|LogAppendTime: N size: N magic: N compresscodec: W crc: N isvalid: B
 *   [| ]offset: N CreateTime|LogAppendTime: N keysize|keySize: N valuesize|valueSize: N sequence: N headerKeys: [...]
 *
 * A line is taken here only when it matches byte for byte (single spaces,
 * numbers of at most 15 digits, ASCII only, nothing after the last value);
 * then the entry is exactly the one the tokenizer path (dump-tokens.ts,
 * DumpReader.parseData) makes of it. Any other line is decoded and pushed as
 * text, so headers, pastes, other families, noise, payloads and cut lines
 * behave as they always did.
 */

/** A literal as little-endian 32-bit words (compared 4 bytes at a time) and its last 0–3 bytes. */
interface Literal {
  length: number;
  words: Uint32Array;
  tail: Uint8Array;
}

function lit(s: string): Literal {
  const bytes = Buffer.from(s, 'latin1');
  const n = bytes.length >> 2;
  const words = new Uint32Array(n);
  for (let k = 0; k < n; k++) words[k] = bytes.readUInt32LE(k * 4);
  return { length: bytes.length, words, tail: new Uint8Array(bytes.subarray(n * 4)) };
}

const BASE_OFFSET = lit('baseOffset: ');
const BATCH_HEAD = [' lastOffset: ', ' count: ', ' baseSequence: ', ' lastSequence: ', ' producerId: ', ' producerEpoch: ', ' partitionLeaderEpoch: '].map(lit);
const IS_TRANSACTIONAL = lit(' isTransactional: ');
const IS_CONTROL = lit(' isControl: ');
const DELETE_HORIZON_EMPTY = lit(' deleteHorizonMs: OptionalLong.empty');
const POSITION = lit(' position: ');
const CREATE_TIME = lit(' CreateTime: ');
const LOG_APPEND_TIME = lit(' LogAppendTime: ');
const SIZE = lit(' size: ');
const MAGIC = lit(' magic: ');
const COMPRESSCODEC = lit(' compresscodec: ');
const CRC = lit(' crc: ');
const IS_VALID = lit(' isvalid: ');
const TRUE = lit('true');
const FALSE = lit('false');

const RECORD_INDENT = lit('| offset: ');
const OFFSET = lit('offset: ');
const KEYSIZE = lit(' keysize: ');
const KEY_SIZE = lit(' keySize: ');
const VALUESIZE = lit(' valuesize: ');
const VALUE_SIZE = lit(' valueSize: ');
const SEQUENCE = lit(' sequence: ');
const HEADER_KEYS = lit(' headerKeys: [');

/** Read cursor of the parse in progress (one line at a time, single-threaded). */
let at = 0;
/** Failure marker of the value readers below. */
const FAIL = Number.NaN;

/** The view of the buffer being read, for word-wide compares. */
let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
let viewOf: Buffer | undefined;
function viewFor(b: Buffer): void {
  if (viewOf !== b || view.byteOffset !== b.byteOffset) {
    view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    viewOf = b;
  }
}

/** Whether `l` is at the cursor (then the cursor moves past it). */
function take(b: Buffer, e: number, l: Literal): boolean {
  if (at + l.length > e) return false;
  const words = l.words;
  let i = at;
  for (let k = 0; k < words.length; k++, i += 4) if (view.getUint32(i, true) !== words[k]) return false;
  const tail = l.tail;
  for (let k = 0; k < tail.length; k++) if (b[i + k] !== tail[k]) return false;
  at += l.length;
  return true;
}

/**
 * intValue (dump-tokens.ts) of a value that is a plain integer: an optional
 * `-` and 1–15 digits, ended by a space or the line's end. FAIL otherwise
 * (longer numbers, stray bytes), which sends the line to the text path.
 */
function int(b: Buffer, e: number): number {
  let i = at;
  const neg = b[i] === 45;
  if (neg) i++;
  const from = i;
  let n = 0;
  for (; i < e; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  const digits = i - from;
  if (digits === 0 || digits > 15 || (i < e && b[i] !== 32)) return FAIL;
  at = i;
  // `-0` is -0, as Number('-0') gives.
  return neg ? -n : n;
}

/** boolValue of a `true` / `false` value; null (FAIL for the caller) otherwise. */
function bool(b: Buffer, e: number): boolean | null {
  if (take(b, e, TRUE)) return true;
  if (take(b, e, FALSE)) return false;
  return null;
}

function ended(b: Buffer, e: number): boolean {
  return at === e || b[at] === 32;
}

/** The codec word: letters, digits and `_` (one word, no `:`), as a string; null if none. */
let lastCodec = '';
function codec(b: Buffer, e: number): string | null {
  const from = at;
  let i = at;
  for (; i < e; i++) {
    const c = b[i]!;
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) break;
  }
  if (i === from || (i < e && b[i] !== 32)) return null;
  at = i;
  // The same few words repeat: reuse the last string when the bytes match it.
  const cached = lastCodec;
  if (cached.length === i - from) {
    let same = true;
    for (let k = 0; k < cached.length; k++) if (cached.charCodeAt(k) !== b[from + k]) { same = false; break; }
    if (same) return cached;
  }
  lastCodec = b.toString('latin1', from, i);
  return lastCodec;
}

function timestampKey(b: Buffer, e: number): TimestampType | null {
  if (take(b, e, CREATE_TIME)) return 'CreateTime';
  if (take(b, e, LOG_APPEND_TIME)) return 'LogAppendTime';
  return null;
}

/**
 * Numbers of the last line parsed, in order: a batch line's baseOffset,
 * lastOffset, count, baseSequence, lastSequence, producerId, producerEpoch,
 * partitionLeaderEpoch, position, timestamp, size, magic, crc (BATCH_*); a
 * record line's offset, timestamp, keySize, valueSize, sequence (RECORD_*).
 */
const nums = new Float64Array(13);
export const BATCH_BASE_OFFSET = 0, BATCH_LAST_OFFSET = 1, BATCH_COUNT = 2, BATCH_LAST_SEQUENCE = 4, BATCH_PRODUCER_ID = 5, BATCH_PRODUCER_EPOCH = 6, BATCH_EPOCH = 7, BATCH_TIMESTAMP = 9;
export const RECORD_OFFSET = 0, RECORD_TIMESTAMP = 1, RECORD_SEQUENCE = 4;

/** Where the numbers of the line being parsed by batchLine/recordLine start and end (sign excluded). */
const fieldFrom = new Int32Array(nums.length);
const fieldTo = new Int32Array(nums.length);
let fields = 0;

/** int() that also records where the number lay and stores it as the next number. */
function num(b: Buffer, e: number): boolean {
  const from = b[at] === 45 ? at + 1 : at;
  const v = int(b, e);
  if (v !== v) return false;
  fieldFrom[fields] = from;
  fieldTo[fields] = at;
  nums[fields++] = v;
  return true;
}

/**
 * The layout of a line accepted by the full parse: its bytes between the
 * numbers (the sign of a number is not part of it), and the words the full
 * parse read from them. The next line with the same layout is the same
 * parse with other numbers, so it is checked against the layout in one pass
 * (literal bytes compared eight at a time, digits summed) instead of key by key.
 */
interface Layout {
  /** Literals: lits + 1 (the last one lies after the last number). */
  count: number;
  /** Literal k is litLength[k] bytes, compared by chunks [chunkFrom[k], chunkFrom[k + 1]) or, when short, byte by byte. */
  litLength: Int32Array;
  chunkFrom: Int32Array;
  /** Chunk c: 8 bytes at chunkAt[c] within its literal (the last chunk of a literal overlaps the one before). */
  chunkAt: Int32Array;
  /**
   * The 8 bytes as a little-endian double. Literal bytes are ASCII without
   * NUL, so no chunk is a NaN or a zero: two chunks are equal as doubles
   * exactly when their bytes are.
   */
  chunk: Float64Array;
  /** The literals' bytes, one after the other from litFrom[k] (for the short ones). */
  bytes: Uint8Array;
  litFrom: Int32Array;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  compression: string;
  isValid: boolean;
}

function layoutOf(b: Buffer, s: number, e: number, timestampType: TimestampType, isTransactional = false, isControl = false, compression = '', isValid = false): Layout {
  const ranges: [number, number][] = [];
  let from = s;
  for (let k = 0; k < fields; k++) {
    const to = b[fieldFrom[k]! - 1] === 45 ? fieldFrom[k]! - 1 : fieldFrom[k]!;
    ranges.push([from, to]);
    from = fieldTo[k]!;
  }
  ranges.push([from, e]);
  const count = ranges.length;
  const litLength = new Int32Array(count);
  const litFrom = new Int32Array(count);
  const chunkFrom = new Int32Array(count + 1);
  const at8: number[] = [];
  const chunk: number[] = [];
  const bytes: number[] = [];
  ranges.forEach(([f, t], k) => {
    const len = t - f;
    litLength[k] = len;
    litFrom[k] = bytes.length;
    for (let i = f; i < t; i++) bytes.push(b[i]!);
    chunkFrom[k] = chunk.length;
    if (len >= 8) {
      for (let o = 0; ; o += 8) {
        const c = Math.min(o, len - 8);
        at8.push(c);
        chunk.push(b.readDoubleLE(f + c));
        if (c === len - 8) break;
      }
    }
  });
  chunkFrom[count] = chunk.length;
  return {
    count, litLength, chunkFrom, chunkAt: Int32Array.from(at8), chunk: Float64Array.from(chunk), bytes: Uint8Array.from(bytes), litFrom,
    timestampType, isTransactional, isControl, compression, isValid,
  };
}

/** Whether [s, e) has `layout` up to its last literal (the cursor then stands after it); fills nums. */
function matches(b: Buffer, s: number, e: number, layout: Layout): boolean {
  const n = layout.count - 1;
  const { litLength, chunkFrom, chunkAt, chunk, bytes, litFrom } = layout;
  const v = view;
  let i = s;
  for (let k = 0; ; k++) {
    const len = litLength[k]!;
    if (i + len > e) return false;
    if (len >= 8) {
      for (let c = chunkFrom[k]!, end = chunkFrom[k + 1]!; c < end; c++) if (v.getFloat64(i + chunkAt[c]!, true) !== chunk[c]) return false;
    } else {
      for (let t = 0, f = litFrom[k]!; t < len; t++) if (b[i + t] !== bytes[f + t]) return false;
    }
    i += len;
    if (k === n) break;
    // A number as int() reads it; the literal after it starts with a space, which ends it.
    const neg = b[i] === 45;
    if (neg) i++;
    const from = i;
    let x = 0;
    for (; i < e; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      x = x * 10 + d;
    }
    if (i === from || i - from > 15) return false;
    nums[k] = neg ? -x : x;
  }
  at = i;
  return true;
}

let batchLayout: Layout | undefined;
let recordLayout: Layout | undefined;

/** The full parse of a v2 batch line (key by key); fills nums and the number positions. */
function parseBatch(b: Buffer, s: number, e: number): Layout | undefined {
  at = s;
  fields = 0;
  if (!take(b, e, BASE_OFFSET) || !num(b, e)) return undefined;
  for (let k = 0; k < BATCH_HEAD.length; k++) if (!take(b, e, BATCH_HEAD[k]!) || !num(b, e)) return undefined;
  if (!take(b, e, IS_TRANSACTIONAL)) return undefined;
  const isTransactional = bool(b, e);
  if (isTransactional === null || !ended(b, e) || !take(b, e, IS_CONTROL)) return undefined;
  const isControl = bool(b, e);
  if (isControl === null || !ended(b, e)) return undefined;
  if (b[at + 1] === 100 /* d */ && (!take(b, e, DELETE_HORIZON_EMPTY) || !ended(b, e))) return undefined;
  if (!take(b, e, POSITION) || !num(b, e)) return undefined;
  const timestampType = timestampKey(b, e);
  if (timestampType === null || !num(b, e) || !take(b, e, SIZE) || !num(b, e) || !take(b, e, MAGIC) || !num(b, e) || !take(b, e, COMPRESSCODEC)) return undefined;
  const compression = codec(b, e);
  if (compression === null || !take(b, e, CRC) || !num(b, e) || !take(b, e, IS_VALID)) return undefined;
  const isValid = bool(b, e);
  if (isValid === null || at !== e) return undefined;
  return layoutOf(b, s, e, timestampType, isTransactional, isControl, compression, isValid);
}

/** The v2 batch line at [s, e): its layout (numbers in nums), or undefined when it is not exactly that shape. */
export function batchLine(b: Buffer, s: number, e: number): Layout | undefined {
  viewFor(b);
  const known = batchLayout;
  if (known !== undefined && matches(b, s, e, known) && at === e) return known;
  const layout = parseBatch(b, s, e);
  if (layout) batchLayout = layout;
  return layout;
}

/** The full parse of a record line up to `headerKeys: [` (key by key); fills nums and the number positions. */
function parseRecord(b: Buffer, s: number, e: number, indented: boolean): Layout | undefined {
  at = s;
  fields = 0;
  if (!take(b, e, indented ? RECORD_INDENT : OFFSET) || !num(b, e)) return undefined;
  const timestampType = timestampKey(b, e);
  if (timestampType === null || !num(b, e) || !(take(b, e, KEYSIZE) || take(b, e, KEY_SIZE)) || !num(b, e)) return undefined;
  if (!(take(b, e, VALUESIZE) || take(b, e, VALUE_SIZE)) || !num(b, e) || !take(b, e, SEQUENCE) || !num(b, e)) return undefined;
  if (!take(b, e, HEADER_KEYS)) return undefined;
  return layoutOf(b, s, at, timestampType);
}

/**
 * The record line at [s, e) (starting with `| ` when `indented`): its layout
 * (numbers in nums; the header keys' `[` at headerKeysAt()), or undefined
 * when it is not exactly that shape.
 */
export function recordLine(b: Buffer, s: number, e: number, indented: boolean): Layout | undefined {
  viewFor(b);
  let layout = recordLayout;
  // The layout holds the indent: a line of the other form takes the full parse.
  if (layout === undefined || !matches(b, s, e, layout)) {
    layout = parseRecord(b, s, e, indented);
    if (!layout) return undefined;
    recordLayout = layout;
  }
  // `[…]` to the end of the line, one `]` only, printable ASCII inside: the tokenizer takes it whole.
  if (b[e - 1] !== 93 /* ] */) return undefined;
  for (let i = at; i < e - 1; i++) {
    const c = b[i]!;
    if (c < 32 || c > 126 || c === 93) return undefined;
  }
  return layout;
}

/** The v2 batch line at [s, e) as the entry DumpReader.parseData makes of it, or undefined when it is not exactly that shape. */
export function batchAt(b: Buffer, s: number, e: number, line: number, section: DumpSection): BatchEntry | undefined {
  const layout = batchLine(b, s, e);
  return layout && batchEntry(layout, line, section);
}

function batchEntry(l: Layout, line: number, section: DumpSection): BatchEntry {
  const n = nums;
  // Keys in the order DumpReader.batch() gives them.
  return {
    type: 'batch', legacy: false, baseOffset: n[0]!, lastOffset: n[1]!, count: n[2]!, baseSequence: n[3]!,
    lastSequence: n[4]!, producerId: n[5]!, producerEpoch: n[6]!, partitionLeaderEpoch: n[7]!,
    isTransactional: l.isTransactional, isControl: l.isControl, deleteHorizonMs: null, position: n[8]!,
    timestampType: l.timestampType, timestamp: n[9]!, size: n[10]!, magic: n[11]!,
    compression: l.compression, crc: n[12]!, isValid: l.isValid, line, section,
  };
}

/** The record line at [s, e) as the entry DumpReader.parseData makes of it, or undefined when it is not exactly that shape. */
export function recordAt(b: Buffer, s: number, e: number, indented: boolean, line: number, section: DumpSection): RecordEntry | undefined {
  const layout = recordLine(b, s, e, indented);
  return layout && recordEntry(b, e, layout, indented, line, section);
}

function recordEntry(b: Buffer, e: number, l: Layout, indented: boolean, line: number, section: DumpSection): RecordEntry {
  const n = nums;
  const open = at - 1;
  const headerKeys = e - open === 2 ? '[]' : b.toString('latin1', open, e);
  // Keys in the order DumpReader.record() gives them.
  return {
    type: 'record', indented, offset: n[0]!, timestampType: l.timestampType, timestamp: n[1]!, keySize: n[2]!,
    valueSize: n[3]!, sequence: n[4]!, headerKeys, key: null, payload: null, control: null, position: null,
    magic: null, compression: null, crc: null, isValid: null, partitionLeaderEpoch: null, line, section,
  };
}

/**
 * The bytes of the last line taken as an entry or as numbers, while the
 * reader holds it back to join a wrapped continuation: its text is made only
 * if one follows, or before the buffer is reused.
 */
class HeldBytes {
  private from = -1;
  private to = -1;

  hold(from: number, to: number): void {
    this.from = from;
    this.to = to;
  }

  /** A line of text follows (or the buffer goes): the reader gets the held line's text first. */
  release(reader: DumpReader, buf: Buffer): void {
    if (this.from !== -1) reader.heldText(buf.toString('latin1', this.from, this.to));
    this.from = -1;
  }
}

/**
 * Feeds whole lines at buf[from, to) to the reader: the two fast shapes as
 * parsed entries, every other line as its text (lineText, as the
 * LineSplitter makes it).
 */
export function pushDumpBytes(range: ByteRange, reader: DumpReader, stats: LineStats): void {
  const { buf, to, final } = range;
  // A consumer of numbers (DumpLineSink) gets no entry objects for the two fast shapes.
  const numbers = reader.numbers;
  const n = nums;
  let s = range.from;
  const held = new HeldBytes();
  while (s < to) {
    let nl = buf.indexOf(10, s);
    if (nl === -1 || nl >= to) {
      if (!final) break;
      nl = to;
    }
    let e = nl;
    if (e > s && buf[e - 1] === 13) e--;
    const first = buf[s];
    let taken = false;
    let indented = false;
    if (first === 98 /* b */) {
      const layout = batchLine(buf, s, e);
      if (layout) {
        taken = true;
        const line = reader.counts.linesRead + 1;
        if (numbers) {
          reader.pushBatchNumbers(line, n[BATCH_BASE_OFFSET]!, n[BATCH_LAST_OFFSET]!, n[BATCH_COUNT]!, layout.timestampType, n[BATCH_TIMESTAMP]!, n[BATCH_EPOCH]!,
            n[BATCH_PRODUCER_ID]!, n[BATCH_PRODUCER_EPOCH]!, n[BATCH_LAST_SEQUENCE]!, layout.isValid);
        }
        else reader.pushParsed(batchEntry(layout, line, reader.currentSection), false);
      }
    } else if (first === 124 /* | */ || (first === 111 /* o */ && reader.currentSection.fileKind !== 'index')) {
      // Without `| `, an `offset:` line in an index section is an index entry (DumpReader.parseData).
      indented = first === 124;
      const layout = recordLine(buf, s, e, indented);
      if (layout) {
        taken = true;
        const line = reader.counts.linesRead + 1;
        if (numbers) reader.pushRecordNumbers(line, indented, n[RECORD_OFFSET]!, layout.timestampType, n[RECORD_TIMESTAMP]!, n[RECORD_SEQUENCE]!);
        else reader.pushParsed(recordEntry(buf, e, layout, indented, line, reader.currentSection), indented);
      }
    }
    if (taken) {
      held.hold(indented ? s + 2 : s, e);
    } else {
      held.release(reader, buf);
      reader.push(lineText(buf, s, e, stats));
    }
    s = nl + 1;
  }
  held.release(reader, buf);
}

/** Lines the native dump scanner reports per call. */
const NATIVE_LINES = 32768;

/** The native dump scanner (native/dump_scan.c) as the scan pipeline drives it. */
class DumpScanner implements RangeScanner {
  /** Stateless: two ranges are scanned at once, one on each core, while this thread takes a third. */
  readonly concurrency = 2;
  readonly slots = [0, 1, 2].map(() => scanSlot(NATIVE_LINES, DUMP_STRIDE, DUMP_NUMS));

  constructor(private readonly native: NativeScanners) {}

  scanAsync(range: ByteRange, from: number, slot: ScanSlot): Promise<number> {
    return this.native.scanDumpAsync(0, range.buf, from, range.to, range.final, slot.info, slot.nums);
  }

  scanSync(range: ByteRange, from: number, slot: ScanSlot): number {
    return this.native.scanDump(0, range.buf, from, range.to, range.final, slot.info, slot.nums);
  }
}

const TIMESTAMP_TYPES: readonly TimestampType[] = ['CreateTime', 'LogAppendTime'];

/**
 * pushDumpBytes for a consumer of numbers, from the native scanner's
 * verdicts on n lines of a range; returns where the scan stopped.
 */
function takeScannedDump(range: ByteRange, n: number, slot: ScanSlot, reader: DumpReader, stats: LineStats): number {
  const { buf } = range;
  const { info, nums } = slot;
  const held = new HeldBytes();
  for (let k = 0, o = 1, v = 0; k < n; k++, o += DUMP_STRIDE, v += DUMP_NUMS) {
    const kind = info[o]!;
    const s = info[o + 1]!;
    const e = info[o + 2]!;
    // Without `| `, an `offset:` line in an index section is an index entry (DumpReader.parseData).
    if (kind === DUMP_BATCH) {
      reader.pushBatchNumbers(reader.counts.linesRead + 1, nums[v]!, nums[v + 1]!, nums[v + 2]!, TIMESTAMP_TYPES[info[o + 3]!]!, nums[v + 3]!, nums[v + 4]!,
        nums[v + 5]!, nums[v + 6]!, nums[v + 7]!, nums[v + 8] === 1);
      held.hold(s, e);
    } else if (kind === DUMP_RECORD_INDENTED || (kind === DUMP_RECORD && reader.currentSection.fileKind !== 'index')) {
      const indented = kind === DUMP_RECORD_INDENTED;
      reader.pushRecordNumbers(reader.counts.linesRead + 1, indented, nums[v]!, TIMESTAMP_TYPES[info[o + 3]!]!, nums[v + 1]!, nums[v + 2]!);
      held.hold(indented ? s + 2 : s, e);
    } else {
      held.release(reader, buf);
      reader.push(lineText(buf, s, e, stats));
    }
  }
  held.release(reader, buf);
  return info[0]!;
}

/**
 * Reads a plain UTF-8 file (byteReadable, fast-lines.ts) from `start` (its
 * BOM length) into the reader. After a read error the lines before it are
 * read (the partial last one too), as the LineSplitter path does, and the
 * error is thrown. A consumer of numbers (gap) gets the native scanner's
 * reading when it is built, pipelined with this thread's (scan-pipeline.ts).
 */
export async function readDumpBytes(path: string, reader: DumpReader, stats: LineStats, start: number): Promise<void> {
  const native = reader.numbers ? nativeScanners() : undefined;
  const bytes = new ByteLineReader(path, stats, start, undefined, native ? 3 : 1);
  const feed = (range: ByteRange | LineBatch): void => {
    if (range.kind === 'lines') {
      // Every range before this batch is read: the lines before it number its cut lines.
      range.numberFrom?.(reader.counts.linesRead);
      for (const line of range.lines) reader.push(line);
    } else {
      pushDumpBytes(range, reader, stats);
    }
  };
  try {
    if (native) {
      const scanner = new DumpScanner(native);
      for await (const _ of scanPipeline(bytes, scanner, (range, n, slot) => takeScannedDump(range, n, slot, reader, stats), feed)) { /* read on */ }
      return;
    }
    for (let range = bytes.next(); range !== undefined; range = bytes.next()) feed(range);
  } catch (e) {
    const rest = bytes.rest();
    if (rest) feed(rest);
    throw e;
  } finally {
    bytes.close();
  }
}
