import { byteReadable } from '../sources/fast-lines.js';
import { fileLineSource, pumpLines, newLineStats, type LineSource } from '../sources/lines.js';
import { readDumpBytes } from './dump-bytes.js';
import { boolValue, intValue, optionalLong, tokenize, type Token } from './dump-tokens.js';

/**
 * Streaming reader for DumpLogSegments / kafka-dump-log.sh output, every
 * family from 0.10.0 to the 4.3 Java port (message-catalogue §3): headers,
 * v2 batch lines, record lines with and without `| `, one-line-per-message
 * forms, legacy batch lines, index / time-index / txn-index / producer
 * snapshot entries and the summary lines. Lines are parsed as `key: value`
 * tokens (dump-tokens.ts); unknown keys are kept in `extra`.
 *
 * Every line read lands in exactly one counter of DumpCounts.
 */

export type DumpFileKind = 'log' | 'index' | 'timeindex' | 'txnindex' | 'snapshot' | 'checkpoint' | 'unknown';
export type TimestampType = 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';

/** One `Dumping <path>` section: the file the tool read. */
export interface DumpSection {
  /** Path as printed, or null for output pasted without its `Dumping` line. */
  path: string | null;
  fileKind: DumpFileKind;
  /** From the directory name (`…/account_event-0/…`). */
  topic: string | null;
  partition: number | null;
  /** From the file name (`00000000000000052262.log`). */
  baseOffset: number | null;
  /** 1-based line of the `Dumping` line (or of the first line of a header-less section). */
  line: number;
}

interface EntryBase {
  /** 1-based line number in the input (the first line of a wrapped entry). */
  line: number;
  section: DumpSection;
  /** Keys this reader does not interpret, kept as printed. */
  extra?: Record<string, string>;
  /** The line was cut mid-token (pasted excerpt) or carried stray words. */
  cut?: boolean;
}

/** A batch line: v2 `baseOffset: …`, or legacy `offset: N position: N … size: N` (magic 0/1 wrapper). */
export interface BatchEntry extends EntryBase {
  type: 'batch';
  legacy: boolean;
  baseOffset: number | null;
  lastOffset: number | null;
  count: number | null;
  baseSequence: number | null;
  lastSequence: number | null;
  producerId: number | null;
  producerEpoch: number | null;
  partitionLeaderEpoch: number | null;
  isTransactional: boolean | null;
  isControl: boolean | null;
  deleteHorizonMs: number | null;
  position: number | null;
  timestampType: TimestampType | null;
  /** The batch's max timestamp (epoch ms), as printed. */
  timestamp: number | null;
  size: number | null;
  magic: number | null;
  compression: string | null;
  crc: number | null;
  isValid: boolean | null;
}

/** A record (message) line, any family. */
export interface RecordEntry extends EntryBase {
  type: 'record';
  /** Printed with the `| ` record indent (2.2+). */
  indented: boolean;
  offset: number | null;
  timestampType: TimestampType | null;
  timestamp: number | null;
  keySize: number | null;
  valueSize: number | null;
  sequence: number | null;
  /** `[a,b:c]` as printed (header keys may contain `,` and `:`). */
  headerKeys: string | null;
  key: string | null;
  payload: string | null;
  /** Control record text: `endTxnMarker: COMMIT coordinatorEpoch: 3`, `controlType: LEADER_CHANGE(2)`, `SnapshotHeader {…}`. */
  control: string | null;
  /** Record-level position (0.10–2.1 forms) or batch position (2.8 verbose form). */
  position: number | null;
  magic: number | null;
  compression: string | null;
  crc: number | null;
  isValid: boolean | null;
  /** Only the 2.8 verbose form prints the batch's epoch on each record. */
  partitionLeaderEpoch: number | null;
}

/** `.index` (`offset: N position: N`), `.timeindex` (`timestamp: T offset: N`), `.txnindex` and producer-snapshot entries. */
export interface IndexEntry extends EntryBase {
  type: 'index';
  index: 'offset' | 'time' | 'txn' | 'producer-snapshot';
  offset: number | null;
  position: number | null;
  timestamp: number | null;
  fields: Record<string, string>;
}

export type SummaryKind =
  | 'index-mismatch' | 'index-mismatch-entry' | 'non-consecutive' | 'non-consecutive-entry'
  | 'invalid-bytes' | 'timestamp-mismatch' | 'timestamp-mismatch-entry' | 'out-of-order-timestamp'
  | 'out-of-order-timestamp-entry' | 'indexed-offsets-not-found' | 'indexed-offset-not-found-entry'
  | 'unknown-file' | 'empty' | 'sanity-check-passed';

export interface SummaryEntry extends EntryBase {
  type: 'summary';
  kind: SummaryKind;
  text: string;
  /** Numbers the line carries, in order (`5 is followed by 7` → [5, 7]). */
  numbers: number[];
  /** File the line names, if any. */
  file: string | null;
}

export interface HeaderEntry extends EntryBase {
  type: 'header';
  kind: 'dumping' | 'starting-offset' | 'snapshot-end';
  offset: number | null;
  epoch: number | null;
}

export type DumpEntry = BatchEntry | RecordEntry | IndexEntry | SummaryEntry | HeaderEntry;

/** Accounting: linesRead = headers + batches + records + summaries + indexEntries + noise + wrapped + unrecognised. */
export interface DumpCounts {
  linesRead: number;
  headers: number;
  batches: number;
  records: number;
  summaries: number;
  indexEntries: number;
  /** Blank lines, SLF4J/JVM warnings, `..` elisions, shell commands, code fences, log4j lines. */
  noise: number;
  /** Lines joined to the data line before them (hard wraps from mail archives, multi-line payloads). */
  wrapped: number;
  unrecognised: number;
  /** Inside the counts above: data lines that look cut mid-token. */
  cut: number;
  /** Inside the counts above: lines that carried a paste line-number prefix (`12 | `, `12: `). */
  numbered: number;
}

export function emptyDumpCounts(): DumpCounts {
  return {
    linesRead: 0, headers: 0, batches: 0, records: 0, summaries: 0, indexEntries: 0,
    noise: 0, wrapped: 0, unrecognised: 0, cut: 0, numbered: 0,
  };
}

export type DumpUnrecognisedSink = (line: number, text: string) => void;

const SUMMARY: readonly [RegExp, SummaryKind][] = [
  [/^Mismatches in :?\s*(.*)$/, 'index-mismatch'],
  [/^\s*Index offset: (-?\d+), log offset: (-?\d+)/, 'index-mismatch-entry'],
  [/^Non-(?:secutive|consecutive) offsets in :?\s*(.*)$/, 'non-consecutive'],
  [/^\s*(-?\d+) is followed by (-?\d+)\s*$/, 'non-consecutive-entry'],
  [/^Found (\d+) invalid bytes at the end of (.*)$/, 'invalid-bytes'],
  [/^Found timestamp mismatch in :?\s*(.*)$/, 'timestamp-mismatch'],
  [/^\s*Index timestamp: (-?\d+), log timestamp: (-?\d+)/, 'timestamp-mismatch-entry'],
  [/^Found out of order timestamp in :?\s*(.*)$/, 'out-of-order-timestamp'],
  [/^\s*Index timestamp: (-?\d+), Previously indexed timestamp: (-?\d+)/, 'out-of-order-timestamp-entry'],
  [/^The following indexed offsets are not found in the log\.?/, 'indexed-offsets-not-found'],
  [/^\s*Indexed offset: (-?\d+), found log offset: (-?\d+)/, 'indexed-offset-not-found-entry'],
  [/^Ignoring unknown file (.*)$/, 'unknown-file'],
  [/^(\S.*) is empty\.$/, 'empty'],
  [/^(\S.*) passed sanity check\.$/, 'sanity-check-passed'],
];

const NOISE: readonly RegExp[] = [
  /^\s*$/,
  /^SLF4J[:(]/,
  /^\s*(?:\.{2,}|…|\[\.\.\.\]|<snip>|\(\.\.\.\))\s*$/i,
  /^\s*(?:```|~~~)/,
  /^\s*(?:#|\/\/)/,
  /^\s*(?:\$|>|%)\s/,
  /^\s*\S*(?:kafka-run-class|kafka-dump-log)(?:\.sh|\.bat)?\b/,
  /DumpLogSegments\s+--/,
  /^\[\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d{3}\]/,
  /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d{3} /,
  /^(?:WARNING|OpenJDK|Java HotSpot|Picked up (?:JAVA_TOOL_OPTIONS|_JAVA_OPTIONS))\b/,
  /^(?:log4j|Exception in thread|Caused by:)/,
  /^\s+at [\w$.]+\(/,
];

const LINE_NUMBER = /^\s*\d{1,7}(?::\s?|\s+)/;

/** Directory suffixes Kafka adds to a partition directory while deleting or moving it. */
const DIR_SUFFIX = /\.[0-9a-f]{32}-(?:delete|future|stray)$/;
const FILE_NAME = /^(\d+)(?:-(\d+))?\.(log|index|timeindex|txnindex|snapshot|checkpoint)(?:\.(?:deleted|cleaned|swap))?$/;

/** Section facts from a `Dumping <path>` line's path. */
export function sectionFromPath(path: string, line: number): DumpSection {
  const parts = path.trim().split(/[\\/]+/).filter(Boolean);
  const name = parts[parts.length - 1] ?? '';
  const dir = parts.length > 1 ? parts[parts.length - 2]! : '';
  const f = FILE_NAME.exec(name);
  const fileKind: DumpFileKind = f ? (f[3] as DumpFileKind) : /\.(log|index|timeindex|txnindex|snapshot|checkpoint)$/.exec(name)?.[1] as DumpFileKind | undefined ?? 'unknown';
  const tp = /^(.+)-(\d+)$/.exec(dir.replace(DIR_SUFFIX, ''));
  return {
    path: path.trim(),
    fileKind,
    topic: tp ? tp[1]! : null,
    partition: tp ? Number(tp[2]) : null,
    baseOffset: f ? Number(f[1]) : null,
    line,
  };
}

const CONTROL_KEYS = new Set(['endTxnMarker', 'coordinatorEpoch', 'controlType', 'SnapshotHeader', 'SnapshotFooter', 'LeaderChange', 'KRaftVersion', 'KRaftVoters']);

/** Keys that start a data line; any other leading key marks a wrapped continuation. */
const START_KEYS = new Set(['baseOffset', 'offset', 'timestamp', 'version', 'producerId']);

type LineShape =
  | { kind: 'summary'; entry: Omit<SummaryEntry, 'line' | 'section'> }
  | { kind: 'noise' }
  | { kind: 'dumping'; path: string }
  | { kind: 'starting'; offset: number | null }
  | { kind: 'snapshot-end'; offset: number | null; epoch: number | null }
  | { kind: 'data'; text: string; indented: boolean }
  | { kind: 'other' };

function summaryShape(text: string): LineShape | undefined {
  for (const [re, kind] of SUMMARY) {
    const m = re.exec(text);
    if (!m) continue;
    const numbers: number[] = [];
    let file: string | null = null;
    for (const g of m.slice(1)) {
      if (g === undefined) continue;
      if (/^-?\d+$/.test(g)) numbers.push(Number(g));
      else if (g.trim()) file = g.trim();
    }
    return { kind: 'summary', entry: { type: 'summary', kind, text: text.trim(), numbers, file } };
  }
  return undefined;
}

function bodyShape(text: string): LineShape | undefined {
  const t = text.trimStart();
  if (t.startsWith('Dumping ')) return { kind: 'dumping', path: t.slice(8) };
  if (t.startsWith('Starting offset:') || t.startsWith('Log starting offset:')) {
    return { kind: 'starting', offset: intValue(t.slice(t.indexOf(':') + 1).trim()) };
  }
  if (t.startsWith('Snapshot end offset:')) {
    const m = /^Snapshot end offset: (-?\d+), epoch: (-?\d+)/.exec(t);
    return { kind: 'snapshot-end', offset: m ? Number(m[1]) : null, epoch: m ? Number(m[2]) : null };
  }
  if (t === 'KRaft bootstrap snapshot') return { kind: 'snapshot-end', offset: null, epoch: null };
  if (t.charCodeAt(0) === 124 /* | */) {
    const inner = t.slice(1).trimStart();
    if (/^(?:offset|key|payload): /.test(inner)) return { kind: 'data', text: inner, indented: true };
    // `| ` as a paste gutter (`  12 | baseOffset: …`): one level only, so a
    // line of 20,000 `| ` cannot recurse the stack away.
    return inner && inner.charCodeAt(0) !== 124 ? bodyShape(inner) : undefined;
  }
  const colon = t.indexOf(': ');
  if (colon > 0 && START_KEYS.has(t.slice(0, colon))) return { kind: 'data', text: t, indented: false };
  return undefined;
}

/** What a line is, before any tokenizing. */
function shapeOf(line: string): { shape: LineShape; numbered: boolean } {
  const body = bodyShape(line);
  if (body) return { shape: body, numbered: false };
  const summary = summaryShape(line);
  if (summary) return { shape: summary, numbered: false };
  for (const re of NOISE) if (re.test(line)) return { shape: { kind: 'noise' }, numbered: false };
  const n = LINE_NUMBER.exec(line);
  if (n) {
    const rest = line.slice(n[0].length);
    if (/^\|?\s*$/.test(rest)) return { shape: { kind: 'noise' }, numbered: true };
    const s = bodyShape(rest) ?? summaryShape(rest);
    if (s) return { shape: s, numbered: true };
    for (const re of NOISE) if (re.test(rest)) return { shape: { kind: 'noise' }, numbered: true };
  }
  return { shape: { kind: 'other' }, numbered: false };
}

/** Most text one wrapped entry may collect; further wrapped lines are counted, not kept. */
const MAX_WRAPPED_CHARS = 64 << 10;

/**
 * A consumer of the numbers of the two common line shapes (gap): the byte
 * path (dump-bytes.ts) calls these for a v2 batch line and a record line it
 * parsed, instead of building a BatchEntry / RecordEntry; every other line
 * still reaches the consumer as an entry. The values are those of the entry
 * the tokenizer path makes (a batch line there is never legacy, a record line
 * carries no partitionLeaderEpoch).
 */
export interface DumpLineSink {
  batchLine(section: DumpSection, line: number, baseOffset: number, lastOffset: number, count: number, timestampType: TimestampType, timestamp: number, partitionLeaderEpoch: number,
    producerId: number, producerEpoch: number, lastSequence: number, isValid: boolean): void;
  recordLine(section: DumpSection, line: number, offset: number, timestampType: TimestampType, timestamp: number, sequence: number): void;
}

/** What the held-back data line is. */
const enum Held { None, Text, BatchNumbers, RecordNumbers }

/**
 * Line-at-a-time reader. Holds at most one data line back (to join a wrapped
 * continuation) and the current section; nothing else.
 */
export class DumpReader {
  readonly counts: DumpCounts = emptyDumpCounts();
  private section: DumpSection;
  // The held-back data line, as fields (one per line read, so no object per line).
  private held = Held.None;
  /** Its text; null while a line parsed from bytes has not needed it (dump-bytes.ts). */
  private heldLineText: string | null = null;
  private heldIndented = false;
  private heldLine = 0;
  /** The entry of a line parsed from bytes, until a wrapped continuation changes its text. */
  private heldEntry: BatchEntry | RecordEntry | null = null;
  // The numbers of a held line parsed from bytes for `numbers` (DumpLineSink order).
  private heldA = 0;
  private heldB = 0;
  private heldC = 0;
  private heldTime = 0;
  private heldType: TimestampType = 'CreateTime';

  constructor(
    private readonly emit: (entry: DumpEntry) => void,
    private readonly onUnrecognised?: DumpUnrecognisedSink,
    /** Section facts for output pasted without a `Dumping` line. */
    defaults: Partial<DumpSection> = {},
    /** Takes the two common line shapes as numbers when they are read from bytes. */
    readonly numbers?: DumpLineSink,
  ) {
    this.section = { path: null, fileKind: 'unknown', topic: null, partition: null, baseOffset: null, line: 1, ...defaults };
  }

  /** The section the next line belongs to (until it is a `Dumping` line). */
  get currentSection(): DumpSection {
    return this.section;
  }

  /**
   * A data line the byte path (dump-bytes.ts) parsed into the very entry
   * parseData would make of its text: held back like any data line, in case
   * a wrapped continuation follows. Its `line` is the next line number.
   */
  pushParsed(entry: BatchEntry | RecordEntry, indented: boolean): void {
    this.counts.linesRead++;
    this.flush();
    this.hold(Held.Text, entry.line, indented, null);
    this.heldEntry = entry;
  }

  /** A v2 batch line the byte path parsed, for `numbers`: held back like pushParsed(). */
  pushBatchNumbers(line: number, baseOffset: number, lastOffset: number, count: number, timestampType: TimestampType, timestamp: number, partitionLeaderEpoch: number,
    producerId: number, producerEpoch: number, lastSequence: number, isValid: boolean): void {
    this.counts.linesRead++;
    this.flush();
    this.hold(Held.BatchNumbers, line, false, null);
    this.heldA = baseOffset;
    this.heldB = lastOffset;
    this.heldC = count;
    this.heldType = timestampType;
    this.heldTime = timestamp;
    this.heldEpoch = partitionLeaderEpoch;
    this.heldPid = producerId;
    this.heldPEpoch = producerEpoch;
    this.heldSeq = lastSequence;
    this.heldValid = isValid;
  }

  private heldEpoch = 0;
  private heldPid = -1;
  private heldPEpoch = -1;
  /** A batch's lastSequence, or a record's sequence. */
  private heldSeq = -1;
  private heldValid = true;

  /** A record line the byte path parsed, for `numbers`: held back like pushParsed(). */
  pushRecordNumbers(line: number, indented: boolean, offset: number, timestampType: TimestampType, timestamp: number, sequence: number): void {
    this.counts.linesRead++;
    this.flush();
    this.hold(Held.RecordNumbers, line, indented, null);
    this.heldA = offset;
    this.heldType = timestampType;
    this.heldTime = timestamp;
    this.heldSeq = sequence;
  }

  /** The text of the held-back parsed line, given before push() of the next line or when its bytes go. */
  heldText(text: string): void {
    if (this.held !== Held.None && this.heldLineText === null) this.heldLineText = text;
  }

  private hold(kind: Held, line: number, indented: boolean, text: string | null): void {
    this.held = kind;
    this.heldLine = line;
    this.heldIndented = indented;
    this.heldLineText = text;
    this.heldEntry = null;
  }

  push(line: string): void {
    const lineNo = ++this.counts.linesRead;
    const { shape, numbered } = shapeOf(line);
    if (numbered) this.counts.numbered++;

    if (shape.kind === 'other') {
      const held = this.held !== Held.None;
      const text = this.heldLineText;
      if (held && text === null) throw new Error('DumpReader: a parsed line was held without its text');
      if (held && (startsWithKey(line.trim()) || lastValueOpen(text!))) {
        this.counts.wrapped++;
        // The joined text is parsed by the tokenizer when the line is flushed.
        this.held = Held.Text;
        this.heldEntry = null;
        const add = line.trim();
        if (text!.length + add.length < MAX_WRAPPED_CHARS) this.heldLineText = text! + (/\s$/.test(text!) ? add : ` ${add}`);
        return;
      }
      this.flush();
      this.counts.unrecognised++;
      this.onUnrecognised?.(lineNo, line);
      return;
    }

    this.flush();
    switch (shape.kind) {
      case 'noise':
        this.counts.noise++;
        return;
      case 'summary':
        this.counts.summaries++;
        this.emit({ ...shape.entry, line: lineNo, section: this.section });
        return;
      case 'dumping':
        this.counts.headers++;
        this.section = sectionFromPath(shape.path, lineNo);
        this.emit({ type: 'header', kind: 'dumping', offset: this.section.baseOffset, epoch: null, line: lineNo, section: this.section });
        return;
      case 'starting':
        this.counts.headers++;
        if (this.section.baseOffset === null && shape.offset !== null) this.section = { ...this.section, baseOffset: shape.offset };
        this.emit({ type: 'header', kind: 'starting-offset', offset: shape.offset, epoch: null, line: lineNo, section: this.section });
        return;
      case 'snapshot-end':
        this.counts.headers++;
        this.emit({ type: 'header', kind: 'snapshot-end', offset: shape.offset, epoch: shape.epoch, line: lineNo, section: this.section });
        return;
      case 'data':
        this.hold(Held.Text, lineNo, shape.indented, shape.text);
        return;
    }
  }

  /** Call once after the last line. */
  end(): void {
    this.flush();
  }

  private flush(): void {
    const kind = this.held;
    if (kind === Held.None) return;
    this.held = Held.None;
    if (kind === Held.BatchNumbers) {
      this.counts.batches++;
      this.numbers!.batchLine(this.section, this.heldLine, this.heldA, this.heldB, this.heldC, this.heldType, this.heldTime, this.heldEpoch, this.heldPid, this.heldPEpoch, this.heldSeq, this.heldValid);
      return;
    }
    if (kind === Held.RecordNumbers) {
      this.counts.records++;
      this.numbers!.recordLine(this.section, this.heldLine, this.heldA, this.heldType, this.heldTime, this.heldSeq);
      return;
    }
    const entry = this.heldEntry ?? this.parseData(this.heldLineText ?? '', this.heldIndented, this.heldLine);
    this.heldEntry = null;
    if (entry === undefined) {
      this.counts.unrecognised++;
      this.onUnrecognised?.(this.heldLine, this.heldLineText ?? '');
      return;
    }
    if (entry.cut) this.counts.cut++;
    switch (entry.type) {
      case 'batch': this.counts.batches++; break;
      case 'record': this.counts.records++; break;
      default: this.counts.indexEntries++; break;
    }
    this.emit(entry);
  }

  private parseData(text: string, indented: boolean, line: number): DumpEntry | undefined {
    const { tokens, stray, cut } = tokenize(text);
    if (tokens.length === 0) return undefined;
    const base = { line, section: this.section, ...(cut || stray ? { cut: true } : {}) };
    const first = tokens[0]!.key;
    const has = (k: string): boolean => tokens.some((t) => t.key === k);
    const int = (k: string): number | null => intValue(tokens.find((t) => t.key === k)?.value);

    if (first === 'baseOffset' && !indented) return this.batch(tokens, base, false);
    if (indented) return this.record(tokens, base, true);
    if (first === 'timestamp') {
      return { type: 'index', index: 'time', offset: int('offset'), position: null, timestamp: int('timestamp'), fields: fieldsOf(tokens), ...base };
    }
    if (first === 'version') {
      return { type: 'index', index: 'txn', offset: int('firstOffset'), position: null, timestamp: null, fields: fieldsOf(tokens), ...base };
    }
    if (first === 'producerId') {
      return { type: 'index', index: 'producer-snapshot', offset: int('lastOffset'), position: null, timestamp: int('lastTimestamp') ?? int('timestamp'), fields: fieldsOf(tokens), ...base };
    }
    // `offset: N …`: index entry, legacy batch, or a self-contained record.
    const onlyIndexKeys = tokens.length === 2 && tokens[1]!.key === 'position';
    if (onlyIndexKeys || (this.section.fileKind === 'index' && !has('magic'))) {
      return { type: 'index', index: 'offset', offset: int('offset'), position: int('position'), timestamp: null, fields: fieldsOf(tokens), ...base };
    }
    if (has('size') && !has('payloadsize') && !has('keysize') && !has('keySize')) return this.batch(tokens, base, true);
    return this.record(tokens, base, false);
  }

  private batch(tokens: Token[], base: Pick<BatchEntry, 'line' | 'section' | 'cut'>, legacy: boolean): BatchEntry {
    const e: BatchEntry = {
      type: 'batch', legacy, baseOffset: null, lastOffset: null, count: null, baseSequence: null, lastSequence: null,
      producerId: null, producerEpoch: null, partitionLeaderEpoch: null, isTransactional: null, isControl: null,
      deleteHorizonMs: null, position: null, timestampType: null, timestamp: null, size: null, magic: null,
      compression: null, crc: null, isValid: null, ...base,
    };
    let extra: Record<string, string> | undefined;
    for (const { key, value } of tokens) {
      switch (key) {
        case 'baseOffset': if (!legacy) e.baseOffset = intValue(value); break;
        case 'lastOffset': if (!legacy) e.lastOffset = intValue(value); break;
        case 'offset': if (legacy) e.lastOffset = intValue(value); else (extra ??= {})[key] = value; break;
        case 'count': e.count = intValue(value); break;
        case 'baseSequence': e.baseSequence = intValue(value); break;
        case 'lastSequence': e.lastSequence = intValue(value); break;
        case 'producerId': e.producerId = intValue(value); break;
        case 'producerEpoch': e.producerEpoch = intValue(value); break;
        case 'partitionLeaderEpoch': e.partitionLeaderEpoch = intValue(value); break;
        case 'isTransactional': e.isTransactional = boolValue(value); break;
        case 'isControl': e.isControl = boolValue(value); break;
        case 'deleteHorizonMs': e.deleteHorizonMs = optionalLong(value); break;
        case 'position': e.position = intValue(value); break;
        case 'CreateTime': case 'LogAppendTime': case 'NoTimestampType':
          if (e.timestampType === null) { e.timestampType = key; e.timestamp = intValue(value); }
          break;
        case 'size': e.size = intValue(value); break;
        case 'magic': e.magic = intValue(value); break;
        case 'compresscodec': e.compression = value; break;
        case 'crc': e.crc = intValue(value); break;
        case 'isvalid': e.isValid = boolValue(value); break;
        default: (extra ??= {})[key] = value;
      }
    }
    if (extra) e.extra = extra;
    return e;
  }

  private record(tokens: Token[], base: Pick<RecordEntry, 'line' | 'section' | 'cut'>, indented: boolean): RecordEntry {
    const e: RecordEntry = {
      type: 'record', indented, offset: null, timestampType: null, timestamp: null, keySize: null, valueSize: null,
      sequence: null, headerKeys: null, key: null, payload: null, control: null, position: null, magic: null,
      compression: null, crc: null, isValid: null, partitionLeaderEpoch: null, ...base,
    };
    let extra: Record<string, string> | undefined;
    for (const { key, value } of tokens) {
      switch (key) {
        case 'offset': e.offset = intValue(value); break;
        case 'CreateTime': case 'LogAppendTime': case 'NoTimestampType':
          if (e.timestampType === null) { e.timestampType = key; e.timestamp = intValue(value); }
          break;
        case 'keysize': case 'keySize': e.keySize = intValue(value); break;
        case 'valuesize': case 'valueSize': case 'payloadsize': e.valueSize = intValue(value); break;
        case 'sequence': e.sequence = intValue(value); break;
        case 'headerKeys': e.headerKeys = value; break;
        case 'key': e.key = value; break;
        case 'payload': e.payload = value; break;
        case 'position': e.position = intValue(value); break;
        case 'magic': e.magic = intValue(value); break;
        case 'compresscodec': case 'compressType': e.compression = value; break;
        case 'crc': e.crc = intValue(value); break;
        case 'isvalid': case 'isValid': e.isValid = boolValue(value); break;
        case 'partitionLeaderEpoch': e.partitionLeaderEpoch = intValue(value); break;
        default:
          if (CONTROL_KEYS.has(key)) {
            const piece = value.startsWith('{') && key !== 'LeaderChange' ? `${key} ${value}` : `${key}: ${value}`;
            e.control = e.control === null ? piece : `${e.control} ${piece}`;
          } else {
            (extra ??= {})[key] = value;
          }
      }
    }
    if (extra) e.extra = extra;
    return e;
  }
}

function fieldsOf(tokens: readonly Token[]): Record<string, string> {
  const f: Record<string, string> = {};
  for (const t of tokens) f[t.key] = t.value;
  return f;
}

function startsWithKey(text: string): boolean {
  return /^[A-Za-z]\w*:(?: |$)/.test(text);
}

/** Whether a data line may continue on the next line: it ends in a key with no value, or in free text. */
function lastValueOpen(text: string): boolean {
  if (/(?:^|\s)[A-Za-z]\w*:\s*$/.test(text)) return true;
  const { tokens, cut } = tokenize(text);
  if (cut) return true;
  const last = tokens[tokens.length - 1];
  return last !== undefined && (last.key === 'payload' || last.key === 'key' || last.value.startsWith('{'));
}

export interface DumpReadResult {
  counts: DumpCounts;
  cutLines: number;
  error: string | null;
}

/** Reads one file (plain, gzip, UTF-16; CRLF) through the line source, entry by entry. */
export async function readDumpFile(
  path: string,
  onEntry: (entry: DumpEntry) => void,
  options: { onUnrecognised?: DumpUnrecognisedSink; defaults?: Partial<DumpSection>; source?: LineSource; numbers?: DumpLineSink } = {},
): Promise<DumpReadResult> {
  const reader = new DumpReader(onEntry, options.onUnrecognised, options.defaults, options.numbers);
  // Plain UTF-8 files are read at the byte level (dump-bytes.ts); gzip, UTF-16 and given sources as lines.
  const bom = options.source ? undefined : byteReadable(path);
  if (bom !== undefined) {
    const stats = newLineStats();
    let error: string | null = null;
    try {
      await readDumpBytes(path, reader, stats, bom);
    } catch (e) {
      error = (e as Error).message;
    }
    reader.end();
    return { counts: reader.counts, cutLines: stats.cutLines, error };
  }
  const source = options.source ?? fileLineSource(path);
  const error = await pumpLines(source, (line) => reader.push(line));
  reader.end();
  return { counts: reader.counts, cutLines: source.stats.cutLines, error };
}
