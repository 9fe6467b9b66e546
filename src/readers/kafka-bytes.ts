import { naiveFromFields } from '../time/timestamp.js';

/**
 * The Kafka layout (`[%d] %p %m (%c)%n`) read straight from a line's bytes,
 * for the byte-level reader: no string is made for a line unless a rule could
 * match it. Every function here answers only when the answer is certainly the
 * one the string path (kafka-log4j.ts on the decoded line) would give; in any
 * doubt it says so and the caller decodes the line and takes the string path.
 */

function digit(b: Buffer, i: number): number {
  const d = b[i]! - 48;
  return d >= 0 && d <= 9 ? d : -1000;
}

/**
 * parseNaiveTimestamp over bytes: `yyyy-MM-dd HH:mm:ss,SSS` at `at`, the same
 * checks and the same naive milliseconds; NaN when it is not one. The caller
 * guarantees 23 bytes of line at `at`.
 */
export function naiveTimestampAt(b: Buffer, at: number): number {
  const sep = b[at + 10];
  const frac = b[at + 19];
  if (
    b[at + 4] !== 45 || b[at + 7] !== 45 || (sep !== 32 && sep !== 84) ||
    b[at + 13] !== 58 || b[at + 16] !== 58 || (frac !== 44 && frac !== 46)
  ) return Number.NaN;
  const year = digit(b, at) * 1000 + digit(b, at + 1) * 100 + digit(b, at + 2) * 10 + digit(b, at + 3);
  const month = digit(b, at + 5) * 10 + digit(b, at + 6);
  const day = digit(b, at + 8) * 10 + digit(b, at + 9);
  const hour = digit(b, at + 11) * 10 + digit(b, at + 12);
  const minute = digit(b, at + 14) * 10 + digit(b, at + 15);
  const second = digit(b, at + 17) * 10 + digit(b, at + 18);
  const milli = digit(b, at + 20) * 100 + digit(b, at + 21) * 10 + digit(b, at + 22);
  // A non-digit makes its field negative (-1000 outweighs the other digits).
  return naiveFromFields(year, month, day, hour, minute, second, milli);
}

/** Bytes of a logger name (`[\w.$-]` plus Connect's `:line`): 1 in this table. */
const LOGGER_BYTE = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  LOGGER_BYTE[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36 || c === 45 || c === 58 ? 1 : 0;
}

/** isLoggerName (kafka-log4j.ts) over bytes [s, e): at most one inner colon, only digits after it. */
function isLoggerNameBytes(b: Buffer, s: number, e: number): boolean {
  if (e <= s) return false;
  let colon = -1;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c >= 48 && c <= 57) continue;
    if (c === 58) {
      if (colon !== -1 || i === s || i === e - 1) return false;
      colon = i;
    } else if (colon !== -1) {
      return false;
    }
  }
  return true;
}

/** Length of the level word at `p` when it is one of log4j's six and a space follows it, else 0. */
export function levelLength(b: Buffer, p: number, e: number): number {
  let n: number;
  switch (b[p]) {
    case 73: n = b[p + 1] === 78 && b[p + 2] === 70 && b[p + 3] === 79 ? 4 : 0; break; // INFO
    case 68: n = b[p + 1] === 69 && b[p + 2] === 66 && b[p + 3] === 85 && b[p + 4] === 71 ? 5 : 0; break; // DEBUG
    case 84: n = b[p + 1] === 82 && b[p + 2] === 65 && b[p + 3] === 67 && b[p + 4] === 69 ? 5 : 0; break; // TRACE
    case 87: n = b[p + 1] === 65 && b[p + 2] === 82 && b[p + 3] === 78 ? 4 : 0; break; // WARN
    case 69: n = b[p + 1] === 82 && b[p + 2] === 82 && b[p + 3] === 79 && b[p + 4] === 82 ? 5 : 0; break; // ERROR
    case 70: n = b[p + 1] === 65 && b[p + 2] === 84 && b[p + 3] === 65 && b[p + 4] === 76 ? 5 : 0; break; // FATAL
    default: return 0;
  }
  return n > 0 && p + n < e && b[p + n] === 32 ? n : 0;
}

/**
 * Set by {@link scanKafkaStart} (and scanZooKeeperStart): the record's naive
 * time, its message's and logger's bytes, the logger's hash, and a
 * ZooKeeper record's server id (`[myid:N]` as the string path keeps it).
 */
export const scanned = {
  naiveTime: 0, messageStart: 0, messageEnd: 0, loggerStart: 0, loggerEnd: 0, hash: 0, myid: undefined as string | undefined,
};

/**
 * Whether bytes [s, e) (CR removed) are a Kafka-layout record start whose
 * timestamp, level and `(logger)` the string path would read exactly so
 * (then `scanned` holds them). False means "not certain": a continuation, a
 * bad timestamp, a record without a logger on its line; the caller decodes
 * the line instead.
 */
export function scanKafkaStart(b: Buffer, s: number, e: number): boolean {
  // `[` digit … `] ` with all 26 bytes in the line (every byte below 26 is checked).
  if (e - s < 28 || b[s] !== 91 || b[s + 24] !== 93 || b[s + 25] !== 32) return false;
  const naive = naiveTimestampAt(b, s + 1);
  if (naive !== naive) return false;
  const level = levelLength(b, s + 26, e);
  if (level === 0) return false;
  const rest = s + 26 + level + 1;
  if (b[e - 1] !== 41 /* ) */) return false;
  // Back from the `)` over the logger's bytes to ` (`, hashing as we go (FNV-1a).
  let h = 0x811c9dc5;
  let i = e - 2;
  while (i >= rest) {
    const c = b[i]!;
    if (LOGGER_BYTE[c] === 0) break;
    h = Math.imul(h ^ c, 0x01000193);
    i--;
  }
  // The string path takes the last ` (` in the text after the level.
  if (i - 1 < rest || b[i] !== 40 /* ( */ || b[i - 1] !== 32) return false;
  if (!isLoggerNameBytes(b, i + 1, e - 1)) return false;
  scanned.naiveTime = naive;
  scanned.messageStart = rest;
  scanned.messageEnd = i - 1;
  scanned.loggerStart = i + 1;
  scanned.loggerEnd = e - 1;
  scanned.hash = h >>> 0;
  scanned.myid = undefined;
  return true;
}

/** isForeignLine (assembler.ts) over bytes: SLF4J's, nohup's and the Docker entrypoint's lines. */
export function isForeignBytes(b: Buffer, s: number, e: number): boolean {
  switch (b[s]) {
    case 83: return startsWith(b, s, e, SLF4J);
    case 110: return startsWith(b, s, e, NOHUP);
    case 91: return startsWith(b, s, e, CONFIGURING);
    case 69: return startsWith(b, s, e, EXCLUDING);
    default: return false;
  }
}
const SLF4J = Buffer.from('SLF4J: ');
const NOHUP = Buffer.from('nohup: ');
const CONFIGURING = Buffer.from('[Configuring] ');
const EXCLUDING = Buffer.from('Excluding KAFKA_');

function startsWith(b: Buffer, s: number, e: number, prefix: Buffer): boolean {
  if (e - s < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[s + i] !== prefix[i]) return false;
  return true;
}

interface LoggerEntry<T> {
  bytes: Buffer;
  hash: number;
  value: T;
  next: LoggerEntry<T> | undefined;
}

/** Loggers remembered; a file with more distinct ones is decoded past that. */
const MAX_LOGGERS = 4096;

/**
 * What is known about each logger name, keyed by its bytes (hashed in place,
 * compared byte for byte), so a record's logger is looked up without making
 * a string of it.
 */
export class LoggerTable<T> {
  private readonly byHash = new Map<number, LoggerEntry<T>>();
  private size = 0;

  constructor(private readonly describe: (logger: string) => T) {}

  /** The value for bytes [s, e) hashed to `hash`. */
  get(b: Buffer, s: number, e: number, hash: number): T {
    let entry = this.byHash.get(hash);
    for (; entry !== undefined; entry = entry.next) {
      const k = entry.bytes;
      if (k.length !== e - s) continue;
      let i = 0;
      while (i < k.length && k[i] === b[s + i]) i++;
      if (i === k.length) return entry.value;
    }
    // Logger bytes are ASCII (checked by the scan): latin1 is exact.
    const name = b.toString('latin1', s, e);
    const value = this.describe(name);
    if (this.size < MAX_LOGGERS) {
      this.size++;
      this.byHash.set(hash, { bytes: Buffer.from(name, 'latin1'), hash, value, next: this.byHash.get(hash) });
    }
    return value;
  }
}
