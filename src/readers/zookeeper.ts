import { parseNaiveTimestamp } from '../time/timestamp.js';
import type { Layout, RecordStart } from './assembler.js';

// `%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n` (3.4 → 3.9), the
// legacy form without `[myid:]`, Log4j 2's `T` separator, logback's
// abbreviated classes (`o.a.z.s.q.QuorumPeer@1455`) and the TRACEFILE
// appender's extra `[%x]`. The thread may hold `:`, `/`, brackets, spaces and
// `] - `, so the class is found as the first `:Class@N]` after the `[`.
// Parsed by hand: one pass over the line, no regex on the common path.
const LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);
const LOOSE = /^ (?:\[myid:([^\]\s]*)\] )?-? ?(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\s+(.*)$/;

/** Every pattern this layout runs, for the regular-expression safety test. */
export const ZOOKEEPER_LAYOUT_PATTERNS: readonly RegExp[] = [LOOSE];

function isClassChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36;
}

/** `[thread:Class@line]` starting at `open`: thread, class and the index after `]`. */
function threadAndClass(line: string, open: number): { thread: string; logger: string; end: number } | undefined {
  let at = line.indexOf('@', open + 1);
  while (at !== -1) {
    let p = at + 1;
    while (p < line.length && line.charCodeAt(p) >= 48 && line.charCodeAt(p) <= 57) p++;
    if (p > at + 1 && line.charCodeAt(p) === 93 /* ] */) {
      let c = at;
      while (c > open + 1 && isClassChar(line.charCodeAt(c - 1))) c--;
      if (c < at && line.charCodeAt(c - 1) === 58 /* : */ && c - 1 > open) {
        return { thread: line.slice(open + 1, c - 1), logger: line.slice(c, at), end: p + 1 };
      }
    }
    at = line.indexOf('@', at + 1);
  }
  return undefined;
}

/** The fields after the timestamp (`at` = 23), or undefined when the line is not the exact layout. */
function parseFields(line: string, naiveTime: number): RecordStart | undefined {
  let p = 23;
  if (line.charCodeAt(p) !== 32) return undefined;
  p++;
  let myid: string | undefined;
  if (line.startsWith('[myid:', p)) {
    const close = line.indexOf(']', p + 6);
    if (close === -1) return undefined;
    myid = serverId(line.slice(p + 6, close));
    p = close + 1;
    if (line.charCodeAt(p) !== 32) return undefined;
    p++;
  }
  if (line.charCodeAt(p) !== 45 /* - */ || line.charCodeAt(p + 1) !== 32) return undefined;
  p += 2;
  const space = line.indexOf(' ', p);
  if (space === -1) return undefined;
  const level = line.slice(p, space);
  if (!LEVELS.has(level)) return undefined;
  p = space;
  while (line.charCodeAt(p) === 32) p++;
  if (line.charCodeAt(p) !== 91 /* [ */) return undefined;
  const tc = threadAndClass(line, p);
  if (!tc) return undefined;
  p = tc.end;
  // TRACEFILE's `[%x]` (NDC) between the location and ` - `.
  if (line.charCodeAt(p) === 91) {
    const close = line.indexOf(']', p);
    if (close === -1) return undefined;
    p = close + 1;
  }
  if (line.charCodeAt(p) !== 32 || line.charCodeAt(p + 1) !== 45) return undefined;
  p += 2;
  if (line.charCodeAt(p) === 32) p++;
  return {
    naiveTime, level, thread: tc.thread, logger: tc.logger, message: line.slice(p),
    ...(myid !== undefined && { myid }),
  };
}

/**
 * The server id an `[myid:…]` holds: digits. Threads that serve a client
 * carry the client's `host:port` in the same MDC slot on some builds: that
 * names no server (the file's own node stands).
 */
function serverId(text: string): string | undefined {
  if (text.length === 0) return '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return text;
}

export const zookeeperLayout: Layout = {
  name: 'zookeeper-native',
  parseStart(line: string): RecordStart | 'bad-timestamp' | undefined {
    const c0 = line.charCodeAt(0);
    if (c0 < 48 || c0 > 57) return undefined;
    // Shaped like `dddd-dd-dd[ T]`: a record start, or a bad timestamp.
    const sep = line.charCodeAt(10);
    if (line.charCodeAt(4) !== 45 || line.charCodeAt(7) !== 45 || (sep !== 32 && sep !== 84)) return undefined;
    const naiveTime = parseNaiveTimestamp(line, 0);
    if (Number.isNaN(naiveTime)) return 'bad-timestamp';
    const exact = parseFields(line, naiveTime);
    if (exact) return exact;
    const rest = line.slice(23);
    const loose = LOOSE.exec(rest);
    if (loose) {
      const myid = loose[1] === undefined ? undefined : serverId(loose[1]);
      return { naiveTime, level: loose[2]!, logger: '', message: loose[3]!, ...(myid !== undefined && { myid }) };
    }
    return { naiveTime, level: '', logger: '', message: rest.trim() };
  },
  roleOf: () => 'zookeeper',
};
