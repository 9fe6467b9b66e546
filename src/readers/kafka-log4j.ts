import { parseNaiveTimestamp } from '../time/timestamp.js';
import type { LogRecord, NodeKind } from '../model/record.js';
import type { Layout, RecordStart } from './assembler.js';

// `[%d] %p %m (%c)%n` — the layout of every Kafka release (log4j, reload4j,
// Log4j 2) and of ZooKeeper started from Kafka's scripts.
const LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);

/** `[\w.$-]+(:\d+)?` (Connect's `%c:%L`), by char codes: it runs on every record. */
function isLoggerName(s: string): boolean {
  if (s.length === 0) return false;
  let colon = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 36 || c === 45) {
      if (colon !== -1) return false;
    } else if (c >= 48 && c <= 57) {
      continue;
    } else if (c === 58 && colon === -1 && i > 0 && i < s.length - 1) {
      colon = i;
    } else {
      return false;
    }
  }
  return true;
}
const LONE_LOGGER = /^\s*\(([\w.$-]+)\)\s*$/;
const RECORD_SHAPED = /^\[\d{4}-\d\d-\d\d[ T]/;

/** Every pattern this layout runs, for the regular-expression safety test. */
export const KAFKA_LAYOUT_PATTERNS: readonly RegExp[] = [LONE_LOGGER, RECORD_SHAPED];

/** Loggers only a ZooKeeper server prints (its client classes live in brokers too). */
export function isZooKeeperServerLogger(logger: string): boolean {
  return logger.startsWith('org.apache.zookeeper.server.') ||
    logger.startsWith('org.apache.zookeeper.jmx.') ||
    logger.startsWith('org.apache.zookeeper.audit.');
}

function isKafkaLogger(logger: string): boolean {
  return logger.startsWith('kafka.') || logger.startsWith('org.apache.kafka.') ||
    logger === 'state.change.logger' || logger.startsWith('org.I0Itec.');
}

/**
 * Splits `LEVEL message (logger)`. The logger is taken from the last ` (`
 * because messages contain parentheses; a line without one keeps an empty
 * logger until a continuation line supplies it.
 */
export function splitKafkaBody(body: string): { level: string; message: string; logger: string } | undefined {
  const space = body.indexOf(' ');
  const level = space === -1 ? body : body.slice(0, space);
  if (!LEVELS.has(level)) return undefined;
  const rest = space === -1 ? '' : body.slice(space + 1);
  if (rest.endsWith(')')) {
    const open = rest.lastIndexOf(' (');
    if (open !== -1) {
      const logger = rest.slice(open + 2, -1);
      if (isLoggerName(logger)) return { level, message: rest.slice(0, open), logger };
    } else if (rest.startsWith('(') && isLoggerName(rest.slice(1, -1))) {
      return { level, message: '', logger: rest.slice(1, -1) };
    }
  }
  return { level, message: rest.trimEnd(), logger: '' };
}

export function kafkaLog4jLayout(defaultRole: NodeKind): Layout {
  return {
    name: 'kafka-log4j',
    parseStart(line: string): RecordStart | 'bad-timestamp' | undefined {
      if (line.charCodeAt(0) !== 91 /* [ */) return undefined;
      const c1 = line.charCodeAt(1);
      if (c1 < 48 || c1 > 57) return undefined;
      if (line.charCodeAt(24) !== 93 /* ] */ || line.charCodeAt(25) !== 32) {
        return RECORD_SHAPED.test(line) ? 'bad-timestamp' : undefined;
      }
      const naiveTime = parseNaiveTimestamp(line, 1);
      if (Number.isNaN(naiveTime)) return 'bad-timestamp';
      const parts = splitKafkaBody(line.slice(26));
      if (!parts) return { naiveTime, level: '', logger: '', message: line.slice(26) };
      return { naiveTime, level: parts.level, message: parts.message, logger: parts.logger };
    },
    foldInto(record: LogRecord, line: string): void {
      if (record.logger !== '') return;
      const m = LONE_LOGGER.exec(line);
      if (m) {
        record.logger = m[1]!;
        record.role = roleOf(m[1]!, defaultRole);
      }
    },
    roleOf(start: RecordStart): NodeKind {
      return roleOf(start.logger, defaultRole);
    },
  };
}

function roleOf(logger: string, defaultRole: NodeKind): NodeKind {
  if (isZooKeeperServerLogger(logger)) return 'zookeeper';
  if (isKafkaLogger(logger)) return 'kafka-broker';
  return defaultRole;
}
