import { patternFix } from './layout-pattern.js';
import { kafkaLoggerOfClass, processOfClass } from '../catalogue/kafka-classes.js';
import { zookeeperLayout } from '../readers/zookeeper.js';

/**
 * Text another program put in front of every log line, and re-encodings of
 * the line itself, recognised once per file from its first lines:
 *
 * - docker-compose: `kafka_1  | [2024-…] INFO …` (compose pads every service
 *   name to one width, so the `|` sits in one column for the whole file);
 * - `kubectl logs --timestamps` / `docker logs -t`: an RFC 3339 time with a
 *   zone before the log's own timestamp (`2019-04-11T12:32:24.676800004Z `);
 * - supervisor-style wrappers: `[  411514] [   104.777836] [service_kafka]   [I] `;
 * - ISO 646 national variants (a Swedish/Finnish terminal or mail gateway):
 *   `[`/`]` arrive as `Ä`/`Å` (`Ä2021-05-18 00:10:13,066Å INFO …`);
 * - Kafka's lines in other log4j layouts, rewritten into Kafka's own
 *   `[%d] %p %m (%c)%n` (the thread, which that layout lacks, is dropped):
 *   Strimzi's `%d{ISO8601} %p %m (%c) [%t]%n`
 *   (`2020-04-01 08:53:15,277 INFO … (kafka.log.Log) [ReplicaFetcherThread-0-1]`)
 *   and the bracketed `[%d] [%p] [%t] [%c] - %m%n`
 *   (`[2024-02-23 07:47:50,149] [INFO] [main] [kafka.server.KafkaServer] - started`);
 * - a Kafka broker configured with ZooKeeper's layout
 *   `%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n` (or without the
 *   `[myid:]`), which prints the calling class, not the logger: the logger is
 *   found from the class and the message's log ident (catalogue/kafka-classes.ts).
 *
 * Detection may run regular expressions over the head; stripping a line is
 * a char-code check at the column found at detection time, with a regular
 * expression only for lines whose prefix has another width.
 */
export type PrefixKind =
  | 'docker-compose' | 'rfc3339' | 'supervisor' | 'iso646-brackets' | 'strimzi-layout' | 'bracketed-layout' | 'log4j-pattern'
  | 'kafka-in-zookeeper-layout';

const COMPOSE = /^[A-Za-z0-9][\w.-]{0,62}\s{1,40}\|(?: |$)/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d) /;
const SUPERVISOR = /^\[ {0,12}\d{1,12}\] \[ {0,16}\d{1,12}(?:\.\d{1,9})?\] \[[^\]\n]{1,80}\] {0,80}\[[A-Z]\] /;
const ISO646 = /^Ä\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d{3}Å /;
// The start of a Strimzi line (the `(%c) [%t]` end is checked by hand: see strimziFix).
const STRIMZI = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d{3} (?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL) /;
const BRACKETED = /^\[\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d{3}\] \[(?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\] \[/;
const LOGGER = /^[\w.$-]+$/;

/** Every pattern this module runs, for the regular-expression safety test. */
export const PREFIX_PATTERNS: readonly RegExp[] = [COMPOSE, RFC3339, SUPERVISOR, ISO646, STRIMZI, BRACKETED, LOGGER];

/** A log line's own start once the prefix is gone: `[` + digit, or a digit (ZooKeeper, Strimzi). */
function looksLikeLogStart(rest: string): boolean {
  const c0 = rest.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) return true;
  const c1 = rest.charCodeAt(1);
  return c0 === 91 && c1 >= 48 && c1 <= 57;
}

/** Share of the head's non-empty lines a prefix must start, and of those, lines that must then read as a log line. */
const PREFIXED_SHARE = 0.6;
const LOG_AFTER_PREFIX = 0.1;

/**
 * The prefix the first lines carry, if most of them carry one; null when the
 * file is a plain log (the common case, decided on the first line).
 */
export function detectPrefix(head: readonly string[]): PrefixKind | null {
  const lines = head.filter((l) => l.trim() !== '').slice(0, 200);
  if (lines.length === 0) return null;
  for (const [kind, pattern] of [
    ['docker-compose', COMPOSE], ['rfc3339', RFC3339], ['supervisor', SUPERVISOR], ['iso646-brackets', ISO646],
  ] as const) {
    let prefixed = 0;
    let logs = 0;
    for (const line of lines) {
      const m = pattern.exec(line);
      if (!m) continue;
      prefixed++;
      if (kind === 'iso646-brackets' || looksLikeLogStart(line.slice(m[0].length))) logs++;
    }
    if (prefixed >= lines.length * PREFIXED_SHARE && logs > 0 && logs >= prefixed * LOG_AFTER_PREFIX) return kind;
  }
  // Other layouts: a record start in one of them, rewritten, reads as Kafka's
  // layout. Continuation lines (stack traces) carry none, so any share decides.
  for (const [kind, fix] of [['strimzi-layout', fixStrimzi], ['bracketed-layout', fixBracketed]] as const) {
    const records = lines.filter((l) => fix(l) !== l).length;
    if (records > 0 && records >= lines.length * LOG_AFTER_PREFIX) return kind;
  }
  // ZooKeeper's layout written by a Kafka broker: its classes say which process wrote it.
  let kafka = 0;
  let zookeeper = 0;
  for (const line of lines) {
    const cls = zookeeperClass(line);
    if (cls === undefined) continue;
    const process = processOfClass(cls);
    if (process === 'kafka') kafka++;
    else if (process === 'zookeeper') zookeeper++;
  }
  if (kafka > 0 && kafka > zookeeper) return 'kafka-in-zookeeper-layout';
  return null;
}

/** A function that removes the file's prefix from one line (lines without it pass unchanged). */
export type LineFix = (line: string) => string;

/**
 * The per-line fix for a prefix kind, tuned to the column the head showed:
 * `sample` is one prefixed line from the head.
 */
export function lineFix(kind: PrefixKind | null | undefined, sample?: string): LineFix | undefined {
  switch (kind) {
    case 'docker-compose': return composeFix(sample);
    case 'rfc3339': return stripRfc3339;
    case 'supervisor': return supervisorFix(sample);
    case 'iso646-brackets': return fixIso646;
    case 'strimzi-layout': return fixStrimzi;
    case 'bracketed-layout': return fixBracketed;
    // The sample is the ConversionPattern itself (layout-pattern.ts).
    case 'log4j-pattern': return patternFix(sample);
    case 'kafka-in-zookeeper-layout': return fixKafkaInZookeeperLayout;
    default: return undefined;
  }
}

function composeFix(sample: string | undefined): LineFix {
  const bar = sample ? (COMPOSE.exec(sample)?.[0].lastIndexOf('|') ?? -1) : -1;
  return (line) => {
    if (bar > 0 && line.charCodeAt(bar) === 124 /* | */ && line.charCodeAt(bar - 1) === 32) {
      return line.charCodeAt(bar + 1) === 32 ? line.slice(bar + 2) : line.slice(bar + 1);
    }
    const m = COMPOSE.exec(line);
    return m ? line.slice(m[0].length) : line;
  };
}

function stripRfc3339(line: string): string {
  // `dddd-dd-ddT…(Z|±hh:mm) `: the T at 10 and a zone before the first space.
  if (line.charCodeAt(10) !== 84 /* T */ || line.charCodeAt(4) !== 45) return line;
  const space = line.indexOf(' ', 19);
  if (space === -1 || space > 40) return line;
  const z = line.charCodeAt(space - 1);
  if (z !== 90 /* Z */ && (z < 48 || z > 57)) return line;
  return RFC3339.test(line) ? line.slice(space + 1) : line;
}

function supervisorFix(sample: string | undefined): LineFix {
  const end = sample ? (SUPERVISOR.exec(sample)?.[0].length ?? -1) : -1;
  return (line) => {
    // `… [I] ` ends at the same column on every line of one run.
    if (end > 4 && line.charCodeAt(0) === 91 && line.charCodeAt(end - 1) === 32 && line.charCodeAt(end - 2) === 93 && line.charCodeAt(end - 4) === 91) {
      return line.slice(end);
    }
    const m = SUPERVISOR.exec(line);
    return m ? line.slice(m[0].length) : line;
  };
}

// ISO 646-SE/FI: [ \ ] { | } were printed as Ä Ö Å ä ö å.
const ISO646_BACK: Record<string, string> = { 'Ä': '[', 'Ö': '\\', 'Å': ']', 'ä': '{', 'ö': '|', 'å': '}' };
const ISO646_CHARS = /[ÄÖÅäöå]/g;

function fixIso646(line: string): string {
  return line.replace(ISO646_CHARS, (c) => ISO646_BACK[c]!);
}

/** The first line of the head that carries the prefix, to tune {@link lineFix}. */
export function prefixSample(kind: PrefixKind, head: readonly string[]): string | undefined {
  if (kind === 'log4j-pattern') return undefined;
  if (kind === 'kafka-in-zookeeper-layout') return head.find((l) => zookeeperClass(l) !== undefined);
  if (kind === 'strimzi-layout') return head.find((l) => fixStrimzi(l) !== l);
  if (kind === 'bracketed-layout') return head.find((l) => fixBracketed(l) !== l);
  const pattern = kind === 'docker-compose' ? COMPOSE : kind === 'supervisor' ? SUPERVISOR : kind === 'rfc3339' ? RFC3339 : ISO646;
  return head.find((l) => pattern.test(l));
}

/** Kafka's own layout for one record's fields. */
function kafkaLine(time: string, level: string, message: string, logger: string): string {
  return `[${time}] ${level} ${message} (${logger})`;
}

/**
 * `%d{ISO8601} %p %m (%c) [%t]` → `[%d] %p %m (%c)`. The thread is the last
 * ` [` group (thread names may hold brackets but seldom ` [`), the logger the
 * last ` (` group before it. Other lines pass unchanged.
 */
function fixStrimzi(line: string): string {
  if (line.charCodeAt(line.length - 1) !== 93 /* ] */ || line.charCodeAt(4) !== 45) return line;
  const m = STRIMZI.exec(line);
  if (!m) return line;
  const thread = line.lastIndexOf(' [');
  if (thread < m[0].length || line.charCodeAt(thread - 1) !== 41 /* ) */) return line;
  const open = line.lastIndexOf(' (', thread);
  if (open < m[0].length - 1) return line;
  const logger = line.slice(open + 2, thread - 1);
  if (!LOGGER.test(logger)) return line;
  const level = m[0].slice(24, -1);
  return kafkaLine(line.slice(0, 23), level, line.slice(m[0].length, open), logger);
}

/** `[%d] [%p] [%t] [%c] - %m` → `[%d] %p %m (%c)`: the logger is the bracket group before the first `] - `. */
function fixBracketed(line: string): string {
  if (line.charCodeAt(0) !== 91 || line.charCodeAt(25) !== 32) return line;
  const m = BRACKETED.exec(line);
  if (!m) return line;
  const dash = line.indexOf('] - ', m[0].length);
  if (dash === -1) return line;
  const open = line.lastIndexOf(' [', dash);
  if (open < m[0].length - 2) return line;
  const logger = line.slice(open + 2, dash);
  if (!LOGGER.test(logger)) return line;
  const level = line.slice(27, line.indexOf(']', 27));
  return kafkaLine(line.slice(1, 24), level, line.slice(dash + 4), logger);
}

/** `%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m` of a Kafka broker → `[%d] %p %m (%c)`, the logger found from the class. */
function fixKafkaInZookeeperLayout(line: string): string {
  const start = zookeeperLayout.parseStart(line);
  if (start === undefined || start === 'bad-timestamp' || start.level === '') return line;
  const time = line.slice(0, 23);
  // A line of no class (a layout's loose form) keeps no logger.
  if (start.logger === '') return `[${time}] ${start.level} ${start.message}`;
  return kafkaLine(time, start.level, start.message, kafkaLoggerOfClass(start.logger, start.message));
}

/** The class a line in ZooKeeper's layout names, if it is one. */
function zookeeperClass(line: string): string | undefined {
  const start = zookeeperLayout.parseStart(line);
  return start === undefined || start === 'bad-timestamp' || start.logger === '' ? undefined : start.logger;
}
