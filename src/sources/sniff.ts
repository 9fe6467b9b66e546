import { EVENTS_KIND, looksLikeEventFile } from './events-sniff.js';
import { detectPrefix, lineFix, prefixSample, type PrefixKind } from './prefix.js';

/**
 * What a file holds, decided from its first lines, never from its name:
 * operators rename files, and Kafka's scripts give ZooKeeper the broker's
 * file name.
 */
export type InputKind =
  | 'kafka-server' | 'kafka-controller' | 'kafka-state-change' | 'kafka-log'
  | 'zookeeper-kafka-layout' | 'zookeeper-native'
  | 'dump-log-segments' | 'topics-describe' | 'get-offset-shell' | 'properties'
  /** Events a host's `kforensics timeline --format ndjson` wrote (readers/events-ndjson.ts). */
  | 'kforensics-events';

export type Sniff =
  | { kind: InputKind; zookeeperServer: boolean; kafka: boolean; prefix?: PrefixKind }
  | { kind: null; reason: string };

const KAFKA_LINE = /^\[\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d{3}\] (?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL) /;
const KAFKA_LOGGER = /\(([\w.$-]+)\)\s*$/;
const ZK_NATIVE_LINE = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d{3} (?:\[myid:[^\]\s]*\] )?- ?(?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL) +\[/;
// Pastes may carry line numbers (`14 | offset: …`, ` 3 Dumping …`) or a tab before each line.
const DUMP_LINE = /^\s*(?:\d{1,7}(?::\s?|\s+))?(?:\|\s*)?(?:Dumping \S|Starting offset: \d|Log starting offset: \d|baseOffset: \d|(?:\| )?offset: \d+ (?:position|CreateTime|LogAppendTime|NoTimestampType|isValid|keySize|keysize)|timestamp: \d+ offset: \d|Snapshot end offset:)/;
/** The line `kafka-topics --create` prints on success (quoted up to 2.1, bare since): its output is read with the describe output. */
export const CREATED_TOPIC = /^Created topic "?([^"\s]+?)"?\.?\s*$/;
const DESCRIBE_LINE = /^\s*Topic:\s*\S+\s+(?:PartitionCount|TopicId|Partition):/;
const OFFSET_SHELL_LINE = /^(?:[\w.-]+:\d+:-?\d*|Error: partition \d+ does not have a leader\..*)$/;
const PROPERTY_LINE = /^\s*[A-Za-z][\w.-]*\s*[=:]/;
// A client's own line: its client id first (a broker's internal clients say
// `[Controller id=…, targetBrokerId=…]`, `[ReplicaFetcher …]` instead), or a CLI tool's logger.
const CLIENT_LINE = /^\[[^\]]+\] \w+ +\[(?:Consumer|Producer|AdminClient|Admin|Share) clientId=/;
const TOOL_LOGGER = /^(?:kafka\.tools|kafka\.admin|org\.apache\.kafka\.tools)\./;
const COMMENT_LINE = /^\s*[#!]/;

const HEAD_LINES = 200;

/** Every pattern sniffing runs, for the regular-expression safety test. */
export const SNIFF_PATTERNS: readonly RegExp[] = [
  KAFKA_LINE, KAFKA_LOGGER, ZK_NATIVE_LINE, DUMP_LINE, DESCRIBE_LINE, OFFSET_SHELL_LINE, PROPERTY_LINE, COMMENT_LINE, CLIENT_LINE, TOOL_LOGGER,
];

/**
 * Control characters other than tab, CR, LF and ESC in the head: a binary
 * file. Bytes that are not UTF-8 arrive decoded as Latin-1, so DEL and the C1
 * range (0x7f–0x9f), which Latin-1 text does not use, count too.
 */
function looksBinary(head: string): boolean {
  let control = 0;
  const n = Math.min(head.length, 8192);
  for (let i = 0; i < n; i++) {
    const c = head.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 27) || (c >= 0x7f && c < 0xa0) || c === 0xfffd) control++;
  }
  return n > 0 && control / n > 0.1;
}

/** Decides the kind of a file from its first decoded lines. */
export function sniffLines(lines: readonly string[]): Sniff {
  let nonEmpty = lines.filter((l) => l.trim() !== '').slice(0, HEAD_LINES);
  if (nonEmpty.length === 0) return { kind: null, reason: 'empty file' };
  if (looksBinary(nonEmpty.join('\n'))) return { kind: null, reason: 'binary content (not text)' };
  if (looksLikeEventFile(nonEmpty)) return { kind: EVENTS_KIND, zookeeperServer: false, kafka: false };
  const prefix = detectPrefix(nonEmpty);
  if (prefix) {
    const fix = lineFix(prefix, prefixSample(prefix, nonEmpty))!;
    nonEmpty = nonEmpty.map(fix);
    const sniffed = sniffKind(nonEmpty);
    return sniffed.kind === null ? sniffed : { ...sniffed, prefix };
  }
  return sniffKind(nonEmpty);
}

function sniffKind(nonEmpty: readonly string[]): Sniff {

  let kafka = 0;
  let clientLines = 0;
  let zkNative = 0;
  let dump = 0;
  let describe = 0;
  let offsets = 0;
  let props = 0;
  let comments = 0;
  const loggers = new Map<string, number>();
  for (const line of nonEmpty) {
    if (KAFKA_LINE.test(line)) {
      kafka++;
      const logger = KAFKA_LOGGER.exec(line)?.[1];
      if (CLIENT_LINE.test(line) || (logger !== undefined && TOOL_LOGGER.test(logger))) clientLines++;
      if (logger) loggers.set(logger, (loggers.get(logger) ?? 0) + 1);
    } else if (ZK_NATIVE_LINE.test(line)) zkNative++;
    else if (DUMP_LINE.test(line)) dump++;
    else if (DESCRIBE_LINE.test(line) || CREATED_TOPIC.test(line)) describe++;
    else if (OFFSET_SHELL_LINE.test(line)) offsets++;
    else if (COMMENT_LINE.test(line)) comments++;
    else if (PROPERTY_LINE.test(line)) props++;
  }

  // A tool's output may hold a warning or two in log layout (tools-log4j
  // writes to the same terminal): the kind with the most lines wins.
  const toolLines = Math.max(dump, describe, offsets);
  // A CLI tool's or a client application's own warnings (GetOffsetShell,
  // kafka-topics, a producer) come from client loggers only: that file is
  // not a node's log, and must not become a node.
  const clientOnly = kafka > 0 && clientLines === kafka;
  if (kafka > 0 && clientOnly && toolLines === 0) {
    return { kind: null, reason: "a Kafka client's log (only client loggers such as org.apache.kafka.clients): not a broker's or ZooKeeper's" };
  }
  if (kafka > 0 && !clientOnly && kafka >= zkNative && kafka >= toolLines) return kafkaKind(loggers);
  if (zkNative > 0 && zkNative >= toolLines) return { kind: 'zookeeper-native', zookeeperServer: true, kafka: false };
  if (dump > 0 && dump >= describe && dump >= offsets) return { kind: 'dump-log-segments', zookeeperServer: false, kafka: false };
  if (describe > 0 && describe >= offsets) return { kind: 'topics-describe', zookeeperServer: false, kafka: false };
  const meaningful = nonEmpty.length - comments - (clientOnly ? kafka : 0);
  if (offsets > 0 && offsets >= meaningful * 0.5) return { kind: 'get-offset-shell', zookeeperServer: false, kafka: false };
  if (props > 0 && props >= meaningful * 0.8) return { kind: 'properties', zookeeperServer: false, kafka: false };
  return { kind: null, reason: `no known layout in the first ${nonEmpty.length} lines (not a Kafka or ZooKeeper log, dump, describe or properties file)` };
}

function kafkaKind(loggers: Map<string, number>): Sniff {
  let zk = 0;
  let broker = 0;
  let controller = 0;
  let stateChange = 0;
  let serverish = 0;
  for (const [logger, n] of loggers) {
    if (logger.startsWith('org.apache.zookeeper.server.') || logger.startsWith('org.apache.zookeeper.jmx.')) zk += n;
    else if (logger.startsWith('kafka.') || logger.startsWith('org.apache.kafka.') || logger === 'state.change.logger') {
      broker += n;
      if (logger === 'state.change.logger') stateChange += n;
      else if (logger === 'kafka.controller' || logger.startsWith('kafka.controller.') || logger.startsWith('org.apache.kafka.controller.')) controller += n;
      else serverish += n;
    }
  }
  const base = { zookeeperServer: zk > 0, kafka: broker > 0 || zk === 0 };
  if (zk > 0 && broker === 0) return { kind: 'zookeeper-kafka-layout', ...base };
  if (stateChange > 0 && stateChange >= serverish && stateChange >= controller) return { kind: 'kafka-state-change', ...base };
  if (controller > 0 && controller >= serverish) return { kind: 'kafka-controller', ...base };
  return { kind: 'kafka-server', ...base };
}

/**
 * Whether a line starts a record of a log or tool layout (not a properties
 * line, which any text resembles): where a file's own content begins after
 * other output or garbage at its head.
 */
export function startsLayout(line: string): boolean {
  return KAFKA_LINE.test(line) || ZK_NATIVE_LINE.test(line) || DUMP_LINE.test(line) || DESCRIBE_LINE.test(line);
}

/** Kinds the timeline reads as logs. */
export function isLogKind(kind: InputKind): boolean {
  return kind.startsWith('kafka-') || kind.startsWith('zookeeper-');
}
