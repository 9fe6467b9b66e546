import { Classifier, hasKeyword } from '../catalogue/classify.js';
import type { Rule } from '../catalogue/schema.js';
import type { LogRecord, NodeKind } from '../model/record.js';
import type { Zone } from '../time/zone.js';
import type { Layout, RecordReader } from '../readers/assembler.js';
import { isForeignBytes, LoggerTable, scanKafkaStart, scanned } from '../readers/kafka-bytes.js';
import { kafkaLog4jLayout } from '../readers/kafka-log4j.js';
import { zookeeperLayout } from '../readers/zookeeper.js';
import { myidAt, scanZooKeeperStart } from '../readers/zookeeper-bytes.js';
import {
  GATE_ALWAYS, GATE_BARE, GATE_KEYWORDS, GATE_SKIP, KAFKA_STRIDE, LINE_CANDIDATE, LINE_DECODE, LINE_KEYWORD, LINE_RUN, LINE_SKIP, nativeScanners,
  ZOOKEEPER_STRIDE, type NativeScanners,
} from '../readers/native.js';
import { ByteLineReader, CHUNK, type ByteRange, type LineBatch, type RangeReader } from '../sources/fast-lines.js';
import { lineText, newLineStats, type LineStats } from '../sources/lines.js';
import { scanPipeline, scanSlot, type RangeScanner, type ScanSlot } from './scan-pipeline.js';
import { GzipByteReader } from '../sources/gzip-lines.js';
import { isStreamed, memberRange } from '../sources/archive.js';
import type { LineWatch } from './read.js';

/**
 * The byte-level reading of a Kafka-layout file (see fast-lines.ts and
 * kafka-bytes.ts).
 */

/**
 * Feeds whole lines at buf[from, to) to the reader, making a string only of
 * the lines that start a record a rule could classify, continue such a
 * record, or need the exact accounting of the string path (unrecognised,
 * NUL bytes, bad timestamps).
 */
export function pushKafkaBytes(
  range: ByteRange, reader: RecordReader, kafkaGate: KafkaGate, stats: LineStats,
  take: (record: LogRecord | undefined) => void, light?: LightTake,
): void {
  if (kafkaGate.native) pushKafkaNative(range, reader, kafkaGate, stats, take, light);
  else pushBytesJs(range, reader, kafkaGate.table, stats, take, kafkaGate.starts, light);
}

/**
 * Receives a record no rule can classify, counted by `reader.skipRecord`,
 * when such records are wanted as signs of life (the window engine's): its
 * line number (the reader's), instant, role and server id, and its first
 * line's bytes [from, to) in the file, where its text can be read back.
 */
export type LightTake = (line: number, time: number, role: NodeKind, myid: string | undefined, from: number, to: number) => void;

/**
 * A record start no rule can classify, at buf[s, e): counted, and handed to
 * `light` when there is one. Light records need the file offset of the range
 * (a plain file's); without it the line takes the string path, so that no
 * record is lost.
 */
function skipped(
  range: ByteRange, s: number, e: number, reader: RecordReader, stats: LineStats,
  take: (record: LogRecord | undefined) => void, light: LightTake | undefined, naive: number, role: NodeKind, myid?: string,
): void {
  if (!light) {
    take(reader.skipRecord(naive, role, myid));
  } else if (range.at === undefined) {
    take(reader.push(lineText(range.buf, s, e, stats)));
  } else {
    take(reader.skipRecord(naive, role, myid));
    light(reader.counts.linesRead, reader.skippedTime, role, myid, range.at + s, range.at + e);
  }
}

/** How the byte path meets a layout's record starts: the lines shaped like one, and the scan that reads one into `scanned`. */
interface ByteStarts {
  shaped(b: Buffer, s: number, e: number): boolean;
  scan(b: Buffer, s: number, e: number): boolean;
}
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 48 && c <= 57;
/** `[` and a digit (kafka-bytes.ts). */
const KAFKA_STARTS: ByteStarts = { shaped: (b, s, e) => b[s] === 91 && s + 1 < e && isDigit(b[s + 1]), scan: scanKafkaStart };
/** A digit: a record start, a bad timestamp or a continuation (zookeeper-bytes.ts). */
const ZOOKEEPER_STARTS: ByteStarts = { shaped: (b, s, e) => s < e && isDigit(b[s]), scan: scanZooKeeperStart };

/** pushKafkaBytes in JavaScript: the reference the native scanners keep to, and the reading where they were not built. */
function pushBytesJs(
  range: ByteRange, reader: RecordReader, gate: LoggerTable<LoggerGate>, stats: LineStats,
  take: (record: LogRecord | undefined) => void, starts: ByteStarts, light?: LightTake,
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
    } else if (starts.shaped(buf, s, e)) {
      // Shaped like a record start: counted here only when certainly one, of a logger no rule names.
      if (starts.scan(buf, s, e)) {
        const g = gate.get(buf, scanned.loggerStart, scanned.loggerEnd, scanned.hash);
        const { naiveTime, messageStart, messageEnd, myid } = scanned;
        // The message's bytes, decoded as the whole line would be (the scan makes sure).
        if (mayClassify(g, () => !recordAt(range, nl + 1, starts, nul), () => lineText(buf, messageStart, messageEnd, scratch))) {
          take(reader.push(lineText(buf, s, e, stats)));
        } else {
          skipped(range, s, e, reader, stats, take, light, naiveTime, g.role, myid);
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

/**
 * Whether the range's line starting at byte `s` is certainly a record start
 * (then the record before it folds no line); false when not or not known
 * (the range ends first). `nul`: the first NUL byte at or after `s` (-1:
 * none), when the caller knows it. Changes `scanned`.
 */
function recordAt(range: ByteRange, s: number, starts: ByteStarts, nul?: number): boolean {
  const { buf, to, final } = range;
  if (s >= to) return false;
  let nl = buf.indexOf(10, s);
  if (nl === -1 || nl >= to) {
    if (!final) return false;
    nl = to;
  }
  let e = nl;
  if (e > s && buf[e - 1] === 13) e--;
  // A line holding a NUL byte is decoded (pushBytesJs): not certain.
  if (nul === undefined) {
    for (let i = s; i < nl; i++) if (buf[i] === 0) return false;
  } else if (nul !== -1 && nul < nl) {
    return false;
  }
  return starts.shaped(buf, s, e) && starts.scan(buf, s, e);
}

export interface LoggerGate {
  /** The logger's name (ZooKeeper's: its class's), as a record of it holds it. */
  logger: string;
  role: NodeKind;
  needs: 'none' | 'message' | 'record';
  rules: readonly Rule[];
  /** With 'record': a record that folded no line is decided on its message (Classifier.needs). */
  bare: boolean;
  /**
   * The rules' keywords, when every rule has one (in ASCII) and a record is
   * decided on its message (needs 'message', or 'record' and bare): a record
   * whose message holds one is built, and classify() decides; one holding
   * none is not (the native scanner's GATE_KEYWORDS, GATE_BARE).
   */
  keywords: readonly string[] | undefined;
}

/** The keywords of a gate (LoggerGate.keywords). */
function gateKeywords(needs: Omit<LoggerGate, 'logger' | 'role' | 'keywords'>): readonly string[] | undefined {
  if (!(needs.needs === 'message' || (needs.needs === 'record' && needs.bare))) return undefined;
  if (!needs.rules.every((r) => r.keyword !== undefined)) return undefined;
  const keywords = [...new Set(needs.rules.flatMap((r) => r.keyword!))];
  return keywords.every((k) => /^[\x20-\x7e]+$/.test(k)) ? keywords : undefined;
}

/**
 * Whether a record start of gate `g` is built (a rule may classify it):
 * `folds` says whether lines may be folded into it (false: the next line
 * certainly starts a record), `message` decodes its message. Both byte paths
 * decide so, the native scanner for the records it skips or marks LINE_KEYWORD.
 */
function mayClassify(g: LoggerGate, folds: () => boolean, message: () => string): boolean {
  if (g.needs === 'none') return false;
  if (g.needs === 'record' && (!g.bare || folds())) return true;
  return g.keywords ? hasKeyword(message(), g.keywords) : Classifier.matchesMessage(g.rules, message());
}

/** Line statistics of message texts decoded only to be tested (the line's own decoding counts). */
const scratch = newLineStats();

/** Lines the native scanner reports per call, for a buffer of `chunk` bytes (a buffer of lines shorter than 64 bytes on average takes more calls). */
const linesFor = (chunk: number): number => chunk >> 6;

/**
 * The gate of a layout and catalogue: per logger, its role and what
 * classifying its records needs; for the native scanner, the same by logger
 * id, and what the scanner itself may decide (see native.ts).
 */
export class KafkaGate {
  readonly table: LoggerTable<LoggerGate>;
  readonly native: NativeScanners | undefined;
  readonly scanner: object | undefined;
  readonly byId: LoggerGate[] = [];
  /** How the JavaScript byte path finds the layout's record starts. */
  readonly starts: ByteStarts;
  /** ZooKeeper's native layout (its scanner reports each record's class end and `[myid:N]`), not Kafka's. */
  readonly zookeeper: boolean;
  /** Fields per line of the scanner's output. */
  readonly stride: number;
  /** Slot sets of finished readings, by lines per slot, for the next (a file's pipeline holds one set). */
  private readonly spareSlots = new Map<number, ScanSlot[][]>();
  private syncSlot: ScanSlot | undefined;
  private readonly describe: (logger: string) => LoggerGate;
  /** The span the scanner counts runs in (naive ms), as last asked. */
  private window = { from: 0, to: 0 };

  /**
   * @param native the native scanners; null reads with the JavaScript byte path.
   * @param runs whether the scanner may count skipped records in runs (LINE_RUN); not when each one is wanted (LightTake).
   */
  constructor(layout: Layout, classifier: Classifier, native: NativeScanners | null = nativeScanners() ?? null, private readonly runs = true) {
    this.describe = (logger) => {
      const role = layout.roleOf({ naiveTime: 0, level: '', logger, message: '' });
      const needs = classifier.needs(logger, role);
      return { logger, role, ...needs, keywords: gateKeywords(needs) };
    };
    this.table = new LoggerTable<LoggerGate>(this.describe);
    const zookeeper = layout.name === zookeeperLayout.name;
    this.zookeeper = zookeeper;
    this.starts = zookeeper ? ZOOKEEPER_STARTS : KAFKA_STARTS;
    this.stride = zookeeper ? ZOOKEEPER_STRIDE : KAFKA_STRIDE;
    this.native = native ?? undefined;
    this.scanner = zookeeper ? this.native?.createZooKeeperScanner() : this.native?.createKafkaScanner();
  }

  /**
   * The scanner as one file's scan pipeline drives it: its own slots (several
   * files may be read at once, each queueing scans on the one scanner, which
   * takes them in turn); `release` hands the slots back once the file was
   * read to its end (no scan of it still running).
   */
  pipeline(chunk: number, marker?: string): RangeScanner & { release(): void } {
    const lines = linesFor(chunk);
    const spare = this.spareSlots.get(lines) ?? [];
    this.spareSlots.set(lines, spare);
    const slots = spare.pop() ?? Array.from({ length: SCAN_CONCURRENCY + 1 }, () => ({ ...scanSlot(lines, this.stride, 1), marks: new Int32Array(1 + MARKED_LINES) }));
    // A line watcher's marker is looked for by each range's scan on the pool (watchRange reads the slot's marks).
    const bytes = marker ? Buffer.from(marker, 'utf8') : undefined;
    return {
      concurrency: SCAN_CONCURRENCY,
      slots,
      scanAsync: (range, from, slot) => this.scanAsync(range, from, slot, bytes),
      scanSync: (range, from, slot) => this.scanSync(range, from, slot),
      // A few sets are kept: as many as files were read at once would hold memory for nothing.
      release: () => {
        if (spare.length < 2) spare.push(slots);
      },
    };
  }

  /** A slot for scans made here and now (pushKafkaBytes). */
  slotHere(): ScanSlot {
    this.syncSlot ??= scanSlot(linesFor(CHUNK), this.stride, 1);
    return this.syncSlot;
  }

  /** A logger the scanner met first (its name at buf[s, e), ASCII): looked up, and its gate handed to the scanner. */
  learn(id: number, buf: Buffer, s: number, e: number): LoggerGate {
    const g = this.describe(buf.toString('latin1', s, e));
    this.byId[id] = g;
    // Skipping on keywords is exact only when every rule has one (classify() needs it in the message), in ASCII;
    // for rules that read a cause too, only for a record that folds no line (GATE_BARE).
    const mode = g.needs === 'none' ? GATE_SKIP : !g.keywords ? GATE_ALWAYS : g.needs === 'record' ? GATE_BARE : GATE_KEYWORDS;
    const words = (g.keywords ?? []).map((k) => Buffer.from(k, 'latin1'));
    // The scanner takes it between scans.
    this.native!.setKafkaGate(this.scanner!, id, mode, words, ROLE_BITS[g.role]);
    return g;
  }

  /**
   * A skipped record at naive time `naive` came one by one: the scanner is
   * given the span of the zone's offset around it, to count the next ones in
   * runs.
   */
  widen(naive: number, zone: Zone): void {
    if (!this.runs || (naive >= this.window.from && naive < this.window.to)) return;
    const span = zone.constantSpan(naive);
    this.window = span;
    this.native!.setKafkaWindow(this.scanner!, span.from, span.to, span.offsetMs);
  }

  /**
   * Scans whole lines of range[from, to) into a slot on libuv's pool; resolves to the number of lines.
   * With a marker, the lines of range[from, to) holding it go to slot.marks.
   */
  scanAsync(range: ByteRange, from: number, slot: ScanSlot, marker?: Buffer): Promise<number> {
    const scan = this.zookeeper ? this.native!.scanZooKeeperAsync : this.native!.scanKafkaAsync;
    if (marker && slot.marks) return scan(this.scanner!, range.buf, from, range.to, range.final, slot.info, slot.nums, marker, slot.marks);
    return scan(this.scanner!, range.buf, from, range.to, range.final, slot.info, slot.nums);
  }

  /** The same scan, here and now (it waits for a queued one to end). */
  scanSync(range: ByteRange, from: number, slot: ScanSlot): number {
    const scan = this.zookeeper ? this.native!.scanZooKeeper : this.native!.scanKafka;
    return scan(this.scanner!, range.buf, from, range.to, range.final, slot.info, slot.nums);
  }
}

/** Role bits of the scanner's runs (a run's records may be of both roles in a shared file). */
const ROLE_BITS: Record<NodeKind, number> = { 'kafka-broker': 1, zookeeper: 2 };
const ROLES_OF_BITS: readonly (readonly NodeKind[])[] = [[], ['kafka-broker'], ['zookeeper'], ['kafka-broker', 'zookeeper']];

/**
 * Scans queued at once on a file's scanner: they take turns on it (it keeps
 * its loggers), so the next buffer's scan starts as soon as this one's ends,
 * whatever the main thread is doing.
 */
const SCAN_CONCURRENCY = 2;

/**
 * Lines holding a watcher's marker that a range's scan reports (more are
 * found by watchRange's own search): a broker prints its start-up
 * configuration once per start, so a range holds none or one.
 */
const MARKED_LINES = 15;

const gates = new WeakMap<Classifier, Map<string, KafkaGate>>();

/**
 * The gate of a catalogue for the Kafka-layout files of one default role,
 * shared by all of them in this process (and by the zone's runs): a file's
 * first buffers then meet loggers the scanner already knows, rather than
 * being decoded whole while it learns them. A gate's decisions depend only
 * on the logger and the line, so sharing changes no output.
 */
export function kafkaGate(classifier: Classifier, defaultRole: NodeKind, zone: Zone, light = false): KafkaGate {
  let byKey = gates.get(classifier);
  if (!byKey) gates.set(classifier, byKey = new Map());
  // A reading that wants each skipped record (LightTake) has a scanner of its own, that never counts runs.
  const key = `${defaultRole}\0${zone.name}${light ? '\0light' : ''}`;
  let gate = byKey.get(key);
  if (!gate) byKey.set(key, gate = new KafkaGate(kafkaLog4jLayout(defaultRole), classifier, undefined, !light));
  return gate;
}

/** The gate of a catalogue for ZooKeeper native-layout files (its classes by their printed name), shared as kafkaGate's are. */
export function zookeeperGate(classifier: Classifier, zone: Zone, light = false): KafkaGate {
  let byKey = gates.get(classifier);
  if (!byKey) gates.set(classifier, byKey = new Map());
  const key = `${zookeeperLayout.name}\0${zone.name}${light ? '\0light' : ''}`;
  let gate = byKey.get(key);
  if (!gate) byKey.set(key, gate = new KafkaGate(zookeeperLayout, classifier, undefined, !light));
  return gate;
}

/** pushKafkaBytes with the native scanner, scanning here. */
function pushKafkaNative(
  range: ByteRange, reader: RecordReader, gate: KafkaGate, stats: LineStats,
  take: (record: LogRecord | undefined) => void, light?: LightTake,
): void {
  const slot = gate.slotHere();
  for (let s = range.from; s < range.to;) {
    const n = gate.scanSync(range, s, slot);
    if (n === 0) break;
    s = takeScanned(range, n, slot, reader, gate, stats, take, light);
  }
}

/** Whether a line of this kind is certainly a record start (a decoded line may be one or not). */
const startsRecord = (kind: number): boolean => kind === LINE_SKIP || kind === LINE_CANDIDATE || kind === LINE_KEYWORD || kind === LINE_RUN;

/**
 * The scanner's verdicts on n lines of a range turned into what
 * pushKafkaBytes would have done with them; returns where the scan stopped.
 */
function takeScanned(
  range: ByteRange, n: number, slot: ScanSlot, reader: RecordReader, gate: KafkaGate, stats: LineStats,
  take: (record: LogRecord | undefined) => void, light?: LightTake,
): number {
  const { buf } = range;
  const { info, nums: times } = slot;
  const { byId, stride, zookeeper } = gate;
  // A ZooKeeper record's server id, from its `[myid:N]` digits at info[at, at + 1] (-1 -1: none).
  const myid = (at: number): string | undefined => (zookeeper && info[at]! >= 0 ? myidAt(buf, info[at]!, info[at + 1]!) : undefined);
  for (let k = 0, o = 1; k < n; k++, o += stride) {
    const kind = info[o]!;
    if (kind === LINE_SKIP) {
      skipped(range, info[o + 1]!, info[o + 2]!, reader, stats, take, light, times[k]!, byId[info[o + 3]!]!.role, myid(o + 7));
      gate.widen(times[k]!, reader.zone);
    } else if (kind === LINE_RUN) {
      const first = times[k]!;
      if (reader.latestTime > first) {
        // Older than a record before it: its own out-of-order count is not the reader's; read it line by line.
        const end = info[o + stride + 1]!;
        pushBytesJs({ ...range, from: info[o + 5]!, to: end, final: range.final && end >= range.to }, reader, gate.table, stats, take, gate.starts, light);
      } else {
        take(reader.skipRun(info[o + 1]!, info[o + 2]!, info[o + 3]!, times[k + 1]!, ROLES_OF_BITS[info[o + 4]!]!, myid(o + stride + 2)));
      }
      k++;
      o += stride;
    } else if (kind === LINE_KEYWORD) {
      // One of its logger's keywords is in the message: built, as mayClassify would.
      if (zookeeper) take(reader.push(lineText(buf, info[o + 1]!, info[o + 2]!, stats)));
      else take(kafkaStart(buf, info, o, times[k]!, byId[info[o + 3]!] ?? gate.learn(info[o + 3]!, buf, info[o + 5]!, info[o + 2]! - 1), reader, stats));
    } else if (kind === LINE_CANDIDATE) {
      const id = info[o + 3]!;
      const loggerStart = info[o + 5]!;
      // Kafka's `message (logger)`; ZooKeeper's `[thread:Class@N] - message`.
      const loggerEnd = zookeeper ? info[o + 6]! : info[o + 2]! - 1;
      const messageEnd = zookeeper ? info[o + 2]! : loggerStart - 2;
      const g = byId[id] ?? gate.learn(id, buf, loggerStart, loggerEnd);
      // Lines may fold into it unless the next one certainly starts a record (the scan's next line, or, after its last, the line where it stopped).
      const folds = (): boolean => !(k + 1 < n ? startsRecord(info[o + stride]!) : recordAt(range, info[0]!, gate.starts));
      if (mayClassify(g, folds, () => lineText(buf, info[o + 4]!, messageEnd, scratch))) {
        if (zookeeper) take(reader.push(lineText(buf, info[o + 1]!, info[o + 2]!, stats)));
        else take(kafkaStart(buf, info, o, times[k]!, g, reader, stats));
      } else {
        skipped(range, info[o + 1]!, info[o + 2]!, reader, stats, take, light, times[k]!, g.role, myid(o + 7));
      }
    } else if (kind === LINE_DECODE || !reader.foldSkipped()) {
      take(reader.push(lineText(buf, info[o + 1]!, info[o + 2]!, stats)));
    }
  }
  return info[0]!;
}

/** A Kafka level by its first byte (the scanner reads only these six). */
const LEVEL_OF: readonly (string | undefined)[] = (() => {
  const levels: (string | undefined)[] = [];
  for (const level of ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']) levels[level.charCodeAt(0)] = level;
  return levels;
})();

/**
 * A Kafka-layout record start the scanner read (its fields at info[o…], its
 * naive time, its logger's gate), opened in the reader as push() would open
 * it from the line's text, which is not made: the scanner found the line's
 * timestamp, level, ` (` and `logger)` exactly where parseStart would (all
 * ASCII), so its message is the decoding of the bytes between, and the
 * line's accounting (Latin-1, NUL bytes) is the message's.
 */
function kafkaStart(buf: Buffer, info: Int32Array, o: number, naiveTime: number, g: LoggerGate, reader: RecordReader, stats: LineStats): LogRecord | undefined {
  const s = info[o + 1]!;
  const message = lineText(buf, info[o + 4]!, info[o + 5]! - 2, stats);
  return reader.pushStart({ naiveTime, level: LEVEL_OF[buf[s + 26]!]!, logger: g.logger, message }, g.role);
}

/**
 * Hands a watcher the lines of a range it needs (see LineWatch): each line
 * holding its marker, and the lines after one while it wants them (into the
 * next range too). `first`: the number of the range's first line. `marks`:
 * the lines of the range holding the marker, as its scan found them
 * (NativeScanners.scanKafkaAsync); without them, or past the last of them
 * when there were more, the range is searched here. Ranges end on a line's
 * end, and a marker holds no newline: a marker is inside one range's line.
 */
function watchRange(range: ByteRange, watch: LineWatch, first: number, marks?: Int32Array): void {
  const { buf, to } = range;
  let s = range.from;
  let n = first;
  const pushLine = (): void => {
    let nl = buf.indexOf(10, s);
    if (nl === -1 || nl >= to) nl = to;
    let e = nl;
    if (e > s && buf[e - 1] === 13) e--;
    watch.skipTo!(n);
    watch.push(lineText(buf, s, e, scratch));
    s = nl + 1;
    n++;
  };
  while (s < to && watch.wantsNext) pushLine();
  let marker: Buffer | undefined;
  // The scan's lines first (those before `s` were pushed as lines after one).
  const found = marks ? Math.abs(marks[0]!) : 0;
  let k = 0;
  const nextMarked = (): number => {
    while (k < found) {
      const start = marks![1 + k++]!;
      if (start >= s) return start;
    }
    if (marks && marks[0]! >= 0) return -1;
    marker ??= Buffer.from(watch.marker!, 'utf8');
    // Within the range: a marker running on past its end is in no line of it.
    const hit = s < to ? buf.indexOf(marker, s) : -1;
    if (hit === -1 || hit + marker.length > to) return -1;
    return Math.max(s, buf.lastIndexOf(10, hit) + 1);
  };
  for (let start = nextMarked(); start !== -1; start = nextMarked()) {
    for (let i = buf.indexOf(10, s); i !== -1 && i < start; i = buf.indexOf(10, i + 1)) n++;
    s = start;
    pushLine();
    while (s < to && watch.wantsNext) pushLine();
  }
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
 *
 * With the native scanner, reading is a pipeline (scan-pipeline.ts): the
 * next ranges are read ahead and scanned on libuv's pool while this thread
 * turns one range's scanned lines into records.
 */
export async function* readKafkaBytes(
  path: string, reader: RecordReader, gate: KafkaGate, stats: LineStats,
  take: (record: LogRecord | undefined) => void, readError: (e: unknown) => boolean, start = 0, end?: number,
  linesBefore = 0, chunk = CHUNK, light?: LightTake, watch?: LineWatch,
): AsyncGenerator<void> {
  const linesSoFar = (): number => linesBefore + reader.counts.linesRead;
  // The ranges the pipeline holds, and one more for the read ahead.
  const buffers = gate.native ? SCAN_CONCURRENCY + 2 : 1;
  // A member lying as it is in a file on disk (a tar's, in place or spooled) is a range of that file;
  // a compressed file or member (start: its decoded BOM's length) streams into the same ranges.
  const member = memberRange(path);
  const bytes: RangeReader = member
    ? new ByteLineReader(member.file, stats, member.start + start, member.end, buffers, chunk)
    : isStreamed(path)
      ? new GzipByteReader(path, stats, start, buffers, chunk)
      : new ByteLineReader(path, stats, start, end, buffers, chunk);
  // The watcher's lines of a range, before the range's first line is read (the line numbers are counted from there).
  let watched: ByteRange | undefined;
  const watchOnce = (range: ByteRange, marks?: Int32Array): void => {
    if (!watch || range === watched) return;
    watched = range;
    watchRange(range, watch, linesSoFar() + 1, marks);
  };
  const feed = (range: ByteRange | LineBatch): void => {
    if (range.kind === 'lines') {
      // Every range before this batch is read: the lines before it are known (cut lines are numbered from them).
      range.numberFrom?.(linesSoFar());
      for (const line of range.lines) {
        if (watch) {
          watch.skipTo!(linesSoFar() + 1);
          watch.push(line);
        }
        take(reader.push(line));
      }
    } else {
      watchOnce(range);
      pushKafkaBytes(range, reader, gate, stats, take, light);
    }
  };
  try {
    if (gate.native) {
      const ranges = bytes instanceof ByteLineReader ? bytes.readingAhead() : bytes;
      const scanner = gate.pipeline(chunk, watch?.marker);
      yield* scanPipeline(ranges, scanner, (r, n, slot) => {
        // The first take of a range follows its scan on the pool, which looked for the watcher's marker.
        watchOnce(r, watch ? slot.marks : undefined);
        return takeScanned(r, n, slot, reader, gate, stats, take, light);
      }, feed);
      // Only after a whole reading: a stopped one may leave scans writing into its slots.
      scanner.release();
    } else {
      for (let r = await bytes.next(); r !== undefined; r = await bytes.next()) {
        feed(r);
        yield;
      }
    }
    // A member cut short (a damaged archive stream): its lines are read, then the damage is the read's error.
    if (member?.damage !== undefined) throw new Error(member.damage);
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
