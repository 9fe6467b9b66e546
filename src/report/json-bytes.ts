/**
 * `JSON.stringify(value, null, 2)` of plain data, encoded as UTF-8 straight
 * into a Buffer: no string is made for it. `timeline --json` writes every
 * event so; a string of each (JSON.stringify's) was garbage made while the
 * pass's batches were alive, and each young-generation collection it caused
 * moved some of them to the old generation: at 1 GiB of log, +1 GB allocated,
 * +200 MB promoted and 2-3x the full collections of the same pass without it.
 *
 * Plain data: null, booleans, numbers, strings, arrays, and objects whose
 * prototype is Object.prototype or null, with no toJSON. Anything else (a
 * Date, a Map, a bigint …) makes writeJson throw NotPlain, and the caller
 * uses JSON.stringify itself.
 */

/** Thrown when the value is not plain data (see above): nothing written is to be used. */
export class NotPlain extends Error {}

/** Thrown when the text does not fit in the buffer from `at`: nothing written is to be used. */
export class NoRoom extends Error {}

const NOT_PLAIN = new NotPlain('not plain data');
const NO_ROOM = new NoRoom('no room left in the buffer');

const HEX = '0123456789abcdef';

/**
 * Writes `JSON.stringify(value, null, 2)` as it reads at `depth` levels of a
 * document (each line after the first indented by 2 × depth more spaces,
 * as the text of a member at that depth is) into `buf` from `at`; returns
 * where it ends. Throws NoRoom or NotPlain (see above).
 */
export function writeJson(buf: Buffer, at: number, value: unknown, depth = 0): number {
  return write(buf, at, value, depth);
}

function write(buf: Buffer, at: number, value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return writeString(buf, at, value);
    case 'number':
      // JSON.stringify writes a finite number as String does (-0 as 0), any other as null.
      return writeAscii(buf, at, Number.isFinite(value) ? String(value) : 'null');
    case 'boolean':
      return writeAscii(buf, at, value ? 'true' : 'false');
    case 'object':
      break;
    default:
      // undefined, a function or a symbol at the top (JSON.stringify returns undefined, not text), a bigint (it throws).
      throw NOT_PLAIN;
  }
  if (value === null) return writeAscii(buf, at, 'null');
  if (Array.isArray(value)) {
    if (value.length === 0) return writeAscii(buf, at, '[]');
    at = writeByte(buf, at, 0x5b);
    for (let i = 0; i < value.length; i++) {
      if (i > 0) at = writeByte(buf, at, 0x2c);
      at = newLine(buf, at, depth + 1);
      const item: unknown = value[i];
      // In an array, JSON.stringify writes undefined, a function or a symbol as null.
      at = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? writeAscii(buf, at, 'null') : write(buf, at, item, depth + 1);
    }
    at = newLine(buf, at, depth);
    return writeByte(buf, at, 0x5d);
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') throw NOT_PLAIN;
  const object = value as Record<string, unknown>;
  let members = 0;
  // for-in (no array of keys made): a plain object's own keys in Object.keys's order, which is JSON.stringify's.
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const member = object[key];
    // Members that are undefined, functions or symbols are left out.
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    at = writeByte(buf, at, members++ === 0 ? 0x7b : 0x2c);
    at = newLine(buf, at, depth + 1);
    at = writeString(buf, at, key);
    at = writeByte(buf, at, 0x3a);
    at = writeByte(buf, at, 0x20);
    at = write(buf, at, member, depth + 1);
  }
  if (members === 0) return writeAscii(buf, at, '{}');
  at = newLine(buf, at, depth);
  return writeByte(buf, at, 0x7d);
}

function writeByte(buf: Buffer, at: number, byte: number): number {
  if (at >= buf.length) throw NO_ROOM;
  buf[at] = byte;
  return at + 1;
}

/** Text of ASCII characters that need no escape. */
function writeAscii(buf: Buffer, at: number, text: string): number {
  if (at + text.length > buf.length) throw NO_ROOM;
  for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
  return at;
}

/** A line feed and the indentation of `depth` levels (two spaces each). */
function newLine(buf: Buffer, at: number, depth: number): number {
  const end = at + 1 + 2 * depth;
  if (end > buf.length) throw NO_ROOM;
  buf[at++] = 0x0a;
  while (at < end) buf[at++] = 0x20;
  return at;
}

/** What JSON.stringify escapes in a string: quotes, backslashes, control characters and surrogates (it escapes those alone). */
const ESCAPED = /["\\\x00-\x1f\ud800-\udfff]/;
/**
 * `JSON.stringify(text)` as a string: the text between quotes when nothing
 * in it is escaped. On the event-dense log, JSON.stringify of each event's
 * message and time was a third of its ndjson line's cost; this test and a
 * quoted rope (copied once, into the text written) cost about half as much.
 */
export function jsonString(text: string): string {
  return ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** Strings at least this long are encoded by Buffer's UTF-8 encoder when nothing in them is escaped (one call beats a loop). */
const NATIVE_LENGTH = 48;

/** A string as JSON.stringify quotes it (ES2019: a lone surrogate escaped), in UTF-8. */
function writeString(buf: Buffer, at: number, text: string): number {
  // At most 6 bytes a UTF-16 unit (\u001f), and the quotes: room is checked once.
  if (at + 6 * text.length + 2 > buf.length) throw NO_ROOM;
  buf[at++] = 0x22;
  const n = text.length;
  if (n >= NATIVE_LENGTH && !ESCAPED.test(text)) {
    // Nothing to escape and no surrogate (a pair is found by the test too, and goes the long way): the text's UTF-8 is its JSON.
    at += buf.write(text, at);
    buf[at++] = 0x22;
    return at;
  }
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c) {
        buf[at++] = c;
        continue;
      }
      buf[at++] = 0x5c;
      switch (c) {
        case 0x22: buf[at++] = 0x22; break;
        case 0x5c: buf[at++] = 0x5c; break;
        case 0x08: buf[at++] = 0x62; break;
        case 0x09: buf[at++] = 0x74; break;
        case 0x0a: buf[at++] = 0x6e; break;
        case 0x0c: buf[at++] = 0x66; break;
        case 0x0d: buf[at++] = 0x72; break;
        default: at = unicodeEscape(buf, at, c);
      }
    } else if (c < 0x800) {
      buf[at++] = 0xc0 | (c >> 6);
      buf[at++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      buf[at++] = 0xe0 | (c >> 12);
      buf[at++] = 0x80 | ((c >> 6) & 0x3f);
      buf[at++] = 0x80 | (c & 0x3f);
    } else {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        // A surrogate pair: one code point, four bytes.
        const point = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        buf[at++] = 0xf0 | (point >> 18);
        buf[at++] = 0x80 | ((point >> 12) & 0x3f);
        buf[at++] = 0x80 | ((point >> 6) & 0x3f);
        buf[at++] = 0x80 | (point & 0x3f);
        i++;
      } else {
        // A lone surrogate: escaped.
        buf[at++] = 0x5c;
        at = unicodeEscape(buf, at, c);
      }
    }
  }
  buf[at++] = 0x22;
  return at;
}

/** `u` and four lower-case hex digits (the backslash is written before). */
function unicodeEscape(buf: Buffer, at: number, c: number): number {
  buf[at++] = 0x75;
  buf[at++] = HEX.charCodeAt((c >> 12) & 0xf);
  buf[at++] = HEX.charCodeAt((c >> 8) & 0xf);
  buf[at++] = HEX.charCodeAt((c >> 4) & 0xf);
  buf[at++] = HEX.charCodeAt(c & 0xf);
  return at;
}
