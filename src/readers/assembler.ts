import { MAX_CONTINUATION, type LogRecord, type NodeKind } from '../model/record.js';
import type { LocalAmbiguity, Zone } from '../time/zone.js';

/** Per-file accounting: linesRead = records + folded + unrecognised, always. */
export interface ReaderCounts {
  linesRead: number;
  records: number;
  folded: number;
  unrecognised: number;
  /** Inside `unrecognised`: lines shaped like a record whose timestamp did not parse. */
  badTimestamps: number;
  outOfOrder: number;
}

/**
 * The records of one file stamped in a local hour a change of clocks made
 * ambiguous, and how they were placed (see RecordReader.place).
 */
export interface ClockNote {
  ambiguity: LocalAmbiguity;
  /** The first and last line so stamped, and how many records. */
  firstLine: number;
  lastLine: number;
  records: number;
  /** The first record's naive time (a skipped hour: the time that did not exist). */
  firstNaive: number;
  /** A repeated hour: records placed in its first pass and in its second. */
  firstPass: number;
  secondPass: number;
  /** A repeated hour: the line where the clock went back (the second pass began), if seen. */
  backAt?: number;
  /** How far it went back there (ms). */
  backBy?: number;
}

/**
 * A record earlier than the one before it by more than this, inside a
 * repeated local hour, shows the clock went back: the second pass began.
 * Threads and asynchronous appenders reorder a file's records by far less;
 * the step back is the change (an hour) less the time the file was silent
 * across it, so only an hour's silence hides it.
 */
export const CLOCK_BACK_MS = 30_000;

/**
 * Adds notes of a later part of the same file (its lines `lineOffset` on)
 * to a file's notes: one note per ambiguous hour.
 */
export function addClockNotes(into: ClockNote[], notes: readonly ClockNote[], lineOffset: number): void {
  for (const n of notes) {
    const shifted: ClockNote = {
      ...n, firstLine: n.firstLine + lineOffset, lastLine: n.lastLine + lineOffset,
      ...(n.backAt !== undefined && { backAt: n.backAt + lineOffset }),
    };
    const same = into.find((m) => m.ambiguity.from === n.ambiguity.from && m.ambiguity.kind === n.ambiguity.kind);
    if (!same) {
      into.push(shifted);
      continue;
    }
    same.lastLine = shifted.lastLine;
    same.records += n.records;
    same.firstPass += n.firstPass;
    same.secondPass += n.secondPass;
    if (same.backAt === undefined && shifted.backAt !== undefined) {
      same.backAt = shifted.backAt;
      same.backBy = shifted.backBy!;
    }
  }
}

/** What a layout makes of a line that starts a record. */
export interface RecordStart {
  naiveTime: number;
  level: string;
  logger: string;
  message: string;
  thread?: string;
  myid?: string;
}

/** A layout: how to recognise the first line of a record. */
export interface Layout {
  readonly name: string;
  /**
   * The record this line starts; 'bad-timestamp' when it is shaped like one
   * but its time does not parse; undefined for a continuation line.
   */
  parseStart(line: string): RecordStart | 'bad-timestamp' | undefined;
  /** Lets a continuation line complete the record (e.g. a logger on its own line). */
  foldInto?(record: LogRecord, line: string): void;
  /** Which process wrote a record, for files that two processes share. */
  roleOf(start: RecordStart): NodeKind;
}

export type UnrecognisedReason = 'no-record-yet' | 'bad-timestamp' | 'foreign';
export type UnrecognisedSink = (line: number, text: string, reason: UnrecognisedReason) => void;

/**
 * Lines another writer put into a log file: SLF4J's binding warnings, nohup's
 * notice, the Docker image entrypoint's `[Configuring] …` / `Excluding KAFKA_…`
 * lines that precede each container restart. Folding them into the record
 * before (often "shut down completed") would put them in that event; they
 * are counted as unrecognised instead. A char-code gate keeps this off the
 * hot path.
 */
export function isForeignLine(line: string): boolean {
  switch (line.charCodeAt(0)) {
    case 83: return line.startsWith('SLF4J: '); // S
    case 110: return line.startsWith('nohup: '); // n
    case 91: return line.startsWith('[Configuring] '); // [
    case 69: return line.startsWith('Excluding KAFKA_'); // E
    default: return false;
  }
}

/**
 * Turns lines into records for one file: a line that starts a record opens
 * one, any other line is folded into the open record, and a line with no
 * record to join is counted as unrecognised. Pure and synchronous.
 */
export class RecordReader {
  readonly counts: ReaderCounts = {
    linesRead: 0, records: 0, folded: 0, unrecognised: 0, badTimestamps: 0, outOfOrder: 0,
  };
  private open: LogRecord | undefined;
  /**
   * A record is open that the byte-level reader counted without keeping (no
   * rule can classify it): its continuation lines are counted as folded.
   */
  private openSkipped = false;
  /** Roles of the records counted without being kept (their nodes are in the file's accounting). */
  readonly skippedRoles = new Set<NodeKind>();
  /** The `[myid:N]` (N non-empty) of ZooKeeper records counted without being kept: each names its server's node. */
  readonly skippedMyids = new Set<string>();
  /** What skipRecord added to those last (a file's records name one node after another). */
  private lastSkippedRole: NodeKind | undefined;
  private lastSkippedMyid: string | undefined;
  private latest = Number.NEGATIVE_INFINITY;
  /** Naive times [spanFrom, spanTo) read with one offset (no change of clocks in between). */
  private spanFrom = 0;
  private spanTo = 0;
  private spanOffset = 0;
  /** The naive time of the record before, and the repeated hour (its `from`) whose second pass has begun. */
  private lastNaive = Number.NaN;
  private secondPassOf = Number.NaN;
  /** Records stamped in ambiguous local hours, one note per hour. */
  readonly clockNotes: ClockNote[] = [];
  /** The instant of the record skipRecord() counted last (its line is counts.linesRead). */
  skippedTime = Number.NaN;

  constructor(
    private readonly layout: Layout,
    readonly zone: Zone,
    private readonly onUnrecognised?: UnrecognisedSink,
  ) {}

  /** Feeds one line; returns the record this line completed, if any. */
  push(line: string): LogRecord | undefined {
    const lineNo = ++this.counts.linesRead;
    const start = this.layout.parseStart(line);
    if (start === undefined) {
      if (this.open && !isForeignLine(line)) {
        this.counts.folded++;
        this.open.folded++;
        if (this.open.continuation.length < MAX_CONTINUATION) this.open.continuation.push(line);
        this.layout.foldInto?.(this.open, line);
      } else if (this.openSkipped && !isForeignLine(line)) {
        this.counts.folded++;
      } else {
        this.counts.unrecognised++;
        this.onUnrecognised?.(lineNo, line, this.open ? 'foreign' : 'no-record-yet');
      }
      return undefined;
    }
    if (start === 'bad-timestamp') {
      // Not folded: a line that claims to be a record but is not must stay visible.
      this.counts.unrecognised++;
      this.counts.badTimestamps++;
      this.onUnrecognised?.(lineNo, line, 'bad-timestamp');
      return undefined;
    }
    return this.opened(start, lineNo, this.layout.roleOf(start));
  }

  /**
   * A line the caller knows starts a record, with what the layout's
   * parseStart would make of it and its role (the byte path's scanner read
   * them from the line's bytes): as push(line), without the line's text.
   */
  pushStart(start: RecordStart, role: NodeKind): LogRecord | undefined {
    return this.opened(start, ++this.counts.linesRead, role);
  }

  /** Opens the record `start` of line `lineNo`; returns the one it completes, if any. */
  private opened(start: RecordStart, lineNo: number, role: NodeKind): LogRecord | undefined {
    const done = this.open;
    this.openSkipped = false;
    const time = this.place(start.naiveTime, lineNo);
    const outOfOrder = time < this.latest;
    if (outOfOrder) this.counts.outOfOrder++;
    else this.latest = time;
    this.counts.records++;
    const record: LogRecord = {
      time,
      level: start.level,
      logger: start.logger,
      message: start.message,
      line: lineNo,
      continuation: [],
      folded: 0,
      outOfOrder,
      role,
    };
    // Set after the others (a literal's spreads cost a copy each, on every record).
    if (start.thread !== undefined) record.thread = start.thread;
    if (start.myid !== undefined) record.myid = start.myid;
    this.open = record;
    return done;
  }

  /**
   * A record start the byte-level reader read itself (time and role, no
   * text) because no rule can classify it: counted exactly as push() would,
   * but not kept. `myid`: a ZooKeeper record's server id, as push() would
   * keep it. Returns the record this line completed, if any.
   */
  skipRecord(naiveTime: number, role: NodeKind, myid?: string): LogRecord | undefined {
    const lineNo = ++this.counts.linesRead;
    const done = this.open;
    this.open = undefined;
    this.openSkipped = true;
    const time = this.place(naiveTime, lineNo);
    this.skippedTime = time;
    if (time < this.latest) this.counts.outOfOrder++;
    else this.latest = time;
    this.counts.records++;
    // A set's add per line was 2 % of a pass's main thread: added when it changes (the sets only grow).
    if (myid) {
      if (myid !== this.lastSkippedMyid) this.skippedMyids.add((this.lastSkippedMyid = myid));
    } else if (role !== this.lastSkippedRole) {
      this.skippedRoles.add((this.lastSkippedRole = role));
    }
    return done;
  }

  /**
   * A run of records the native scanner counted without keeping (see
   * LINE_RUN in native.ts): as many skipRecord() and foldSkipped() calls, in
   * one. `outOfOrder` is the run's own count, which is the reader's when the
   * run's first record is not older than the latest record before it (the
   * caller checks); `latest` is the run's latest time; `myid`: the server
   * its ZooKeeper records name, if any. Returns the record
   * the run's first line completed, if any.
   */
  skipRun(records: number, folded: number, outOfOrder: number, latest: number, roles: readonly NodeKind[], myid?: string): LogRecord | undefined {
    const done = this.open;
    this.open = undefined;
    this.openSkipped = true;
    const c = this.counts;
    c.linesRead += records + folded;
    c.records += records;
    c.folded += folded;
    c.outOfOrder += outOfOrder;
    if (latest > this.latest) this.latest = latest;
    // A run lies where the zone has one offset: its latest naive time is exact.
    this.lastNaive = latest + this.zone.offsetAt(latest) * 60_000;
    // The run's records all name the one server (as skipRecord would add each's).
    if (myid) this.skippedMyids.add(myid);
    else for (const role of roles) this.skippedRoles.add(role);
    return done;
  }

  /**
   * Counts a continuation line (one the caller checked is not foreign) into
   * a record counted by skipRecord. False when another record (or none) is
   * open: then the line must go through push().
   */
  foldSkipped(): boolean {
    if (!this.openSkipped) return false;
    this.counts.linesRead++;
    this.counts.folded++;
    return true;
  }

  /**
   * A record's instant from its naive time. Outside a change of clocks, the
   * zone's one reading. In a repeated hour (autumn), a file's records are in
   * the first pass (the offset before the change) until the clock is seen
   * going back (a record more than CLOCK_BACK_MS earlier than the one before
   * it, both in that hour), in the second after. In a skipped hour (spring),
   * the offset before the change (an hour later than the stamp reads). Both
   * are noted (clockNotes), to be said.
   */
  private place(naive: number, line: number): number {
    if (naive >= this.spanFrom && naive < this.spanTo) {
      this.lastNaive = naive;
      return naive - this.spanOffset;
    }
    const ambiguity = this.zone.ambiguity(naive);
    if (!ambiguity) {
      const span = this.zone.constantSpan(naive);
      this.spanFrom = span.from;
      this.spanTo = span.to;
      this.spanOffset = span.offsetMs;
      this.lastNaive = naive;
      return naive - span.offsetMs;
    }
    const before = this.lastNaive;
    this.lastNaive = naive;
    let note = this.clockNotes.find((n) => n.ambiguity === ambiguity);
    if (!note) {
      note = { ambiguity, firstLine: line, lastLine: line, records: 0, firstNaive: naive, firstPass: 0, secondPass: 0 };
      this.clockNotes.push(note);
    }
    note.lastLine = line;
    note.records++;
    if (ambiguity.kind === 'skipped') return naive - ambiguity.before * 60_000;
    const inHour = (t: number) => t >= ambiguity.from && t < ambiguity.to;
    if (this.secondPassOf !== ambiguity.from && inHour(before) && before - naive > CLOCK_BACK_MS) {
      this.secondPassOf = ambiguity.from;
      note.backAt = line;
      note.backBy = before - naive;
    }
    // A record of the hour after one past it (out of order) is nearest its second pass too.
    const second = this.secondPassOf === ambiguity.from || before >= ambiguity.to;
    if (second) note.secondPass++;
    else note.firstPass++;
    return naive - (second ? ambiguity.after : ambiguity.before) * 60_000;
  }

  /** The latest record time so far (records out of order are not counted in it). */
  get latestTime(): number {
    return this.latest;
  }

  /** The record still open at the end of the file. */
  end(): LogRecord | undefined {
    const done = this.open;
    this.open = undefined;
    this.openSkipped = false;
    return done;
  }
}
