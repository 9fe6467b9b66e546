import { ByteLineReader, type ByteRange, type LineBatch } from '../sources/fast-lines.js';
import { lineText, type LineStats } from '../sources/lines.js';
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

const head = new Float64Array(BATCH_HEAD.length + 1);

/** The v2 batch line at [s, e), or undefined when it is not exactly that shape. */
export function batchAt(b: Buffer, s: number, e: number, line: number, section: DumpSection): BatchEntry | undefined {
  viewFor(b);
  at = s;
  if (!take(b, e, BASE_OFFSET)) return undefined;
  let v = int(b, e);
  if (v !== v) return undefined;
  head[0] = v;
  for (let k = 0; k < BATCH_HEAD.length; k++) {
    if (!take(b, e, BATCH_HEAD[k]!)) return undefined;
    v = int(b, e);
    if (v !== v) return undefined;
    head[k + 1] = v;
  }
  if (!take(b, e, IS_TRANSACTIONAL)) return undefined;
  const isTransactional = bool(b, e);
  if (isTransactional === null || !ended(b, e) || !take(b, e, IS_CONTROL)) return undefined;
  const isControl = bool(b, e);
  if (isControl === null || !ended(b, e)) return undefined;
  if (b[at + 1] === 100 /* d */ && (!take(b, e, DELETE_HORIZON_EMPTY) || !ended(b, e))) return undefined;
  if (!take(b, e, POSITION)) return undefined;
  const position = int(b, e);
  if (position !== position) return undefined;
  const timestampType = timestampKey(b, e);
  if (timestampType === null) return undefined;
  const timestamp = int(b, e);
  if (timestamp !== timestamp || !take(b, e, SIZE)) return undefined;
  const size = int(b, e);
  if (size !== size || !take(b, e, MAGIC)) return undefined;
  const magic = int(b, e);
  if (magic !== magic || !take(b, e, COMPRESSCODEC)) return undefined;
  const compression = codec(b, e);
  if (compression === null || !take(b, e, CRC)) return undefined;
  const crc = int(b, e);
  if (crc !== crc || !take(b, e, IS_VALID)) return undefined;
  const isValid = bool(b, e);
  if (isValid === null || at !== e) return undefined;
  // Keys in the order DumpReader.batch() gives them.
  return {
    type: 'batch', legacy: false, baseOffset: head[0]!, lastOffset: head[1]!, count: head[2]!, baseSequence: head[3]!,
    lastSequence: head[4]!, producerId: head[5]!, producerEpoch: head[6]!, partitionLeaderEpoch: head[7]!,
    isTransactional, isControl, deleteHorizonMs: null, position, timestampType, timestamp, size, magic,
    compression, crc, isValid, line, section,
  };
}

/** The record line at [s, e) (after `| ` when `indented`), or undefined when it is not exactly that shape. */
export function recordAt(b: Buffer, s: number, e: number, indented: boolean, line: number, section: DumpSection): RecordEntry | undefined {
  viewFor(b);
  at = s;
  if (!take(b, e, indented ? RECORD_INDENT : OFFSET)) return undefined;
  const offset = int(b, e);
  if (offset !== offset) return undefined;
  const timestampType = timestampKey(b, e);
  if (timestampType === null) return undefined;
  const timestamp = int(b, e);
  if (timestamp !== timestamp || !(take(b, e, KEYSIZE) || take(b, e, KEY_SIZE))) return undefined;
  const keySize = int(b, e);
  if (keySize !== keySize || !(take(b, e, VALUESIZE) || take(b, e, VALUE_SIZE))) return undefined;
  const valueSize = int(b, e);
  if (valueSize !== valueSize || !take(b, e, SEQUENCE)) return undefined;
  const sequence = int(b, e);
  if (sequence !== sequence || !take(b, e, HEADER_KEYS)) return undefined;
  // `[…]` to the end of the line, one `]` only, printable ASCII inside: the tokenizer takes it whole.
  const open = at - 1;
  if (b[e - 1] !== 93 /* ] */) return undefined;
  for (let i = at; i < e - 1; i++) {
    const c = b[i]!;
    if (c < 32 || c > 126 || c === 93) return undefined;
  }
  const headerKeys = e - open === 2 ? '[]' : b.toString('latin1', open, e);
  // Keys in the order DumpReader.record() gives them.
  return {
    type: 'record', indented, offset, timestampType, timestamp, keySize, valueSize, sequence, headerKeys,
    key: null, payload: null, control: null, position: null, magic: null, compression: null, crc: null,
    isValid: null, partitionLeaderEpoch: null, line, section,
  };
}

/**
 * Feeds whole lines at buf[from, to) to the reader: the two fast shapes as
 * parsed entries, every other line as its text (lineText, as the
 * LineSplitter makes it).
 */
export function pushDumpBytes(range: ByteRange, reader: DumpReader, stats: LineStats): void {
  const { buf, to, final } = range;
  let s = range.from;
  // Bytes of the last line taken as an entry, while the reader holds it back
  // to join a wrapped continuation: its text is made only if one follows.
  let heldFrom = -1;
  let heldTo = -1;
  while (s < to) {
    let nl = buf.indexOf(10, s);
    if (nl === -1 || nl >= to) {
      if (!final) break;
      nl = to;
    }
    let e = nl;
    if (e > s && buf[e - 1] === 13) e--;
    const line = reader.counts.linesRead + 1;
    const section = reader.currentSection;
    const first = buf[s];
    let entry: BatchEntry | RecordEntry | undefined;
    let indented = false;
    if (first === 98 /* b */) entry = batchAt(buf, s, e, line, section);
    else if (first === 124 /* | */) entry = recordAt(buf, s, e, (indented = true), line, section);
    // Without `| `, an `offset:` line in an index section is an index entry (DumpReader.parseData).
    else if (first === 111 /* o */ && section.fileKind !== 'index') entry = recordAt(buf, s, e, false, line, section);
    if (entry) {
      reader.pushParsed(entry, indented);
      heldFrom = indented ? s + 2 : s;
      heldTo = e;
    } else {
      if (heldFrom !== -1) reader.heldText(buf.toString('latin1', heldFrom, heldTo));
      heldFrom = -1;
      reader.push(lineText(buf, s, e, stats));
    }
    s = nl + 1;
  }
  // The buffer is reused after this: the held line keeps its text.
  if (heldFrom !== -1) reader.heldText(buf.toString('latin1', heldFrom, heldTo));
}

/**
 * Reads a plain UTF-8 file (byteReadable, fast-lines.ts) from `start` (its
 * BOM length) into the reader. After a read error the lines before it are
 * read (the partial last one too), as the LineSplitter path does, and the
 * error is thrown.
 */
export function readDumpBytes(path: string, reader: DumpReader, stats: LineStats, start: number): void {
  const bytes = new ByteLineReader(path, stats, () => reader.counts.linesRead, start);
  const feed = (range: ByteRange | LineBatch): void => {
    if (range.kind === 'lines') for (const line of range.lines) reader.push(line);
    else pushDumpBytes(range, reader, stats);
  };
  try {
    for (let range = bytes.next(); range !== undefined; range = bytes.next()) feed(range);
  } catch (e) {
    const rest = bytes.rest();
    if (rest) feed(rest);
    throw e;
  } finally {
    bytes.close();
  }
}
