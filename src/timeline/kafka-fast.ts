import { Classifier } from '../catalogue/classify.js';
import type { Rule } from '../catalogue/schema.js';
import type { LogRecord, NodeKind } from '../model/record.js';
import type { Layout, RecordReader } from '../readers/assembler.js';
import { isForeignBytes, LoggerTable, scanKafkaStart, scanned } from '../readers/kafka-bytes.js';
import { ByteLineReader, type ByteRange, type LineBatch } from '../sources/fast-lines.js';
import { lineText, newLineStats, type LineStats } from '../sources/lines.js';

/**
 * The byte-level reading of a Kafka-layout file (see fast-lines.ts and
 * kafka-bytes.ts): shared by the main thread and the workers that read parts
 * of a large file.
 */

/**
 * Feeds whole lines at buf[from, to) to the reader, making a string only of
 * the lines that start a record a rule could classify, continue such a
 * record, or need the exact accounting of the string path (unrecognised,
 * NUL bytes, bad timestamps).
 */
export function pushKafkaBytes(
  range: ByteRange, reader: RecordReader, gate: LoggerTable<LoggerGate>, stats: LineStats,
  take: (record: LogRecord | undefined) => void,
): void {
  const { buf, to, final } = range;
  let s = range.from;
  // Lines holding NUL bytes are decoded (their text loses the NULs, which moves every column).
  let nul = buf.indexOf(0, s);
  if (nul >= to) nul = -1;
  while (s < to) {
    let nl = buf.indexOf(10, s);
    if (nl === -1 || nl >= to) {
      if (!final) break;
      nl = to;
    }
    let e = nl;
    if (e > s && buf[e - 1] === 13) e--;
    if (nul !== -1 && nul < nl) {
      take(reader.push(lineText(buf, s, e, stats)));
      nul = buf.indexOf(0, nl);
      if (nul >= to) nul = -1;
    } else if (buf[s] === 91 /* [ */ && s + 1 < e && buf[s + 1]! >= 48 && buf[s + 1]! <= 57) {
      // Shaped like a record start: counted here only when certainly one, of a logger no rule names.
      if (scanKafkaStart(buf, s, e)) {
        const g = gate.get(buf, scanned.loggerStart, scanned.loggerEnd, scanned.hash);
        // The message is the text between the level and ` (logger)`, decoded as the whole line would be.
        if (g.needs === 'record' || (g.needs === 'message' &&
          Classifier.matchesMessage(g.rules, lineText(buf, scanned.messageStart, scanned.loggerStart - 2, scratch)))) {
          take(reader.push(lineText(buf, s, e, stats)));
        } else {
          take(reader.skipRecord(scanned.naiveTime, g.role));
        }
      } else {
        take(reader.push(lineText(buf, s, e, stats)));
      }
    } else if (isForeignBytes(buf, s, e) || !reader.foldSkipped()) {
      take(reader.push(lineText(buf, s, e, stats)));
    }
    s = nl + 1;
  }
}

export interface LoggerGate {
  role: NodeKind;
  needs: 'none' | 'message' | 'record';
  rules: readonly Rule[];
}

/** Line statistics of message texts decoded only to be tested (the line's own decoding counts). */
const scratch = newLineStats();

/** The gate of a layout and catalogue: per logger, its role and what classifying its records needs. */
export function kafkaGate(layout: Layout, classifier: Classifier): LoggerTable<LoggerGate> {
  return new LoggerTable<LoggerGate>((logger) => {
    const role = layout.roleOf({ naiveTime: 0, level: '', logger, message: '' });
    return { role, ...classifier.needs(logger, role) };
  });
}

/**
 * Reads bytes [start, end) of a file (a line start after `linesBefore`
 * lines, which number the cut lines; end: the file's size)
 * into the reader, handing each completed record to `take`; yields after
 * each buffer read so the caller can pass on what was taken. After a read
 * error the lines before it are read (the partial last one too), as the
 * LineSplitter path does, and the error is thrown (`readError` tells a
 * read error from one the reader's sink threw to stop, after which nothing
 * more is read).
 */
export function* readKafkaBytes(
  path: string, reader: RecordReader, gate: LoggerTable<LoggerGate>, stats: LineStats,
  take: (record: LogRecord | undefined) => void, readError: (e: unknown) => boolean, start = 0, end?: number,
  linesBefore = 0,
): Generator<void> {
  const bytes = new ByteLineReader(path, stats, () => linesBefore + reader.counts.linesRead, start, end);
  const feed = (range: ByteRange | LineBatch): void => {
    if (range.kind === 'lines') for (const line of range.lines) take(reader.push(line));
    else pushKafkaBytes(range, reader, gate, stats, take);
  };
  try {
    for (let range = bytes.next(); range !== undefined; range = bytes.next()) {
      feed(range);
      yield;
    }
  } catch (e) {
    if (readError(e)) {
      const rest = bytes.rest();
      if (rest) feed(rest);
    }
    throw e;
  } finally {
    bytes.close();
  }
}
