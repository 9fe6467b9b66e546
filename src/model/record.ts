/** Which process wrote a log line. */
export type NodeKind = 'kafka-broker' | 'zookeeper';

/**
 * One log record as a reader produces it: a line with a timestamp plus the
 * continuation lines (stack traces, config dumps) folded into it. Internal and
 * hot, so a plain interface rather than a zod schema.
 */
export interface LogRecord {
  /** Epoch milliseconds (the reader's zone applied). */
  time: number;
  level: string;
  /** Logger (Kafka layout) or calling class (ZooKeeper layout), as printed. */
  logger: string;
  /** Thread name, ZooKeeper native layout only. */
  thread?: string;
  /** `[myid:N]` of the ZooKeeper native layout; empty string for `[myid:]`. */
  myid?: string;
  /** The message text of the first line, without timestamp, level and logger. */
  message: string;
  /** 1-based line number of the first line in its file. */
  line: number;
  /** Folded continuation lines, at most MAX_CONTINUATION kept. */
  continuation: string[];
  /** All folded lines, including those not kept. */
  folded: number;
  /** Earlier than a record before it in the same file. */
  outOfOrder: boolean;
  /** Which process wrote it, for files two processes share. */
  role: NodeKind;
}

export const MAX_CONTINUATION = 40;

export type Severity = 'debug' | 'info' | 'warn' | 'error' | 'critical';
export const SEVERITIES: readonly Severity[] = ['debug', 'info', 'warn', 'error', 'critical'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Severity of an unclassified record, from its log level. */
export function severityOfLevel(level: string): Severity {
  switch (level) {
    case 'FATAL': return 'critical';
    case 'ERROR': return 'error';
    case 'WARN': return 'warn';
    case 'DEBUG':
    case 'TRACE': return 'debug';
    default: return 'info';
  }
}
