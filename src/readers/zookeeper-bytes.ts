import { levelLength, naiveTimestampAt, scanned } from './kafka-bytes.js';

/**
 * ZooKeeper's native layout (zookeeper.ts) read straight from a line's
 * bytes, for the byte-level reader: a record start is counted without a
 * string being made of it when no rule can classify it. Answers only when
 * the answer is certainly the one parseFields (zookeeper.ts) would give on
 * the decoded line; in any doubt (the loose layouts, a bad timestamp, a
 * non-ASCII byte before the message) it says so and the caller decodes the
 * line and takes the string path.
 */

/** isClassChar (zookeeper.ts): `[\w.$]`. */
const CLASS_BYTE = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  CLASS_BYTE[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36 ? 1 : 0;
}

/** The last server id decoded, by its bytes: a file's records name one or a few. */
let lastMyid = Buffer.alloc(0);
let lastMyidText = '';

/** The server id of `[myid:N]` whose N is b[s, e): undefined unless all digits. */
export function myidAt(b: Buffer, s: number, e: number): string | undefined {
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c < 48 || c > 57) return undefined; // a client's host:port: no server id (serverId in zookeeper.ts)
  }
  let same = e - s === lastMyid.length;
  for (let i = 0; same && i < lastMyid.length; i++) same = b[s + i] === lastMyid[i];
  if (!same) {
    lastMyidText = b.toString('latin1', s, e);
    lastMyid = Buffer.from(lastMyidText, 'latin1');
  }
  return lastMyidText;
}

/** indexOf within [from, e), -1 when not there (a loop: the spans are short, Buffer.indexOf's call costs more). */
function find(b: Buffer, byte: number, from: number, e: number): number {
  for (let i = from; i < e; i++) if (b[i] === byte) return i;
  return -1;
}

/**
 * Whether bytes [s, e) (CR removed, no NUL) are a ZooKeeper native record
 * start that the string path reads with the exact layout (then `scanned`
 * in kafka-bytes.ts holds its time, message, class as the logger, and server
 * id). False means "not certain": the caller decodes the line.
 */
export function scanZooKeeperStart(b: Buffer, s: number, e: number): boolean {
  // The timestamp's 23 bytes and the space after it.
  if (e - s < 28 || b[s + 23] !== 32) return false;
  const naive = naiveTimestampAt(b, s);
  if (naive !== naive) return false;
  let p = s + 24;
  let myid: string | undefined;
  // `[myid:`
  if (p + 6 <= e && b[p] === 91 && b[p + 1] === 109 && b[p + 2] === 121 && b[p + 3] === 105 && b[p + 4] === 100 && b[p + 5] === 58) {
    const close = find(b, 93 /* ] */, p + 6, e);
    if (close === -1) return false;
    myid = myidAt(b, p + 6, close);
    p = close + 1;
    if (p >= e || b[p] !== 32) return false;
    p++;
  }
  if (p + 1 >= e || b[p] !== 45 /* - */ || b[p + 1] !== 32) return false;
  p += 2;
  const level = levelLength(b, p, e);
  if (level === 0) return false;
  p += level;
  while (p < e && b[p] === 32) p++;
  if (p >= e || b[p] !== 91 /* [ */) return false;
  // threadAndClass: the first `:Class@N]` after the `[`. A byte above ASCII before the message: not certain (below).
  const open = p;
  let classStart = -1;
  let classEnd = -1;
  for (let at = open + 1; at < e; at++) {
    const a = b[at]!;
    if (a >= 0x80) return false;
    if (a !== 64 /* @ */) continue;
    let q = at + 1;
    while (q < e && b[q]! >= 48 && b[q]! <= 57) q++;
    if (q > at + 1 && q < e && b[q] === 93) {
      let c = at;
      while (c > open + 1 && CLASS_BYTE[b[c - 1]!] === 1) c--;
      if (c < at && b[c - 1] === 58 /* : */ && c - 1 > open) {
        classStart = c;
        classEnd = at;
        p = q + 1;
        break;
      }
    }
  }
  if (classStart === -1) return false;
  const afterClass = p;
  // TRACEFILE's `[%x]`.
  if (p < e && b[p] === 91) {
    const close = find(b, 93, p, e);
    if (close === -1) return false;
    p = close + 1;
  }
  if (p + 1 >= e || b[p] !== 32 || b[p + 1] !== 45) return false;
  p += 2;
  if (p < e && b[p] === 32) p++;
  // The message is decoded alone as the whole line would be only when the bytes before it are ASCII.
  for (let i = s + 24; i < open; i++) if (b[i]! >= 0x80) return false;
  for (let i = afterClass; i < p; i++) if (b[i]! >= 0x80) return false;
  let h = 0x811c9dc5;
  for (let i = classStart; i < classEnd; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  scanned.naiveTime = naive;
  scanned.messageStart = p;
  scanned.messageEnd = e;
  scanned.loggerStart = classStart;
  scanned.loggerEnd = classEnd;
  scanned.hash = h >>> 0;
  scanned.myid = myid;
  return true;
}
