import { closeSync, readSync } from 'node:fs';
import type { Rule } from '../catalogue/schema.js';
import type { FieldValue } from '../catalogue/fields.js';
import { MAX_CONTINUATION, severityOfLevel, type NodeKind, type Severity } from '../model/record.js';
import { isForeignLine, type Layout, type RecordStart } from '../readers/assembler.js';
import { openEvidenceSync } from '../sources/open.js';
import { lineText, newLineStats } from '../sources/lines.js';
import type { TimelineEvent } from '../timeline/event.js';
import type { EventRun } from '../timeline/run.js';

/**
 * Records no rule classifies, read on the byte path for the window engine
 * (every line is a sign of life of its node): an event is made of each with
 * its time, node, file and line number, but no text. Its text (message,
 * level, logger, continuation) is read back from the file at its byte offset
 * only when something asks for it — the few lines a window cites, an
 * appender twin's key — and is then what the string path would have read:
 * the same bytes through the same layout.
 */

/** One file's light records: where to read their text and how to parse it. */
export interface LightSource {
  path: string;
  layout: Layout;
}

interface Parsed {
  start: RecordStart | undefined;
  fields: Record<string, FieldValue>;
  continuation?: string[];
}

/** Kept small (a few fields, what is the same for all on the prototype): one is made per line. */
export class LightEvent implements TimelineEvent {
  private parsed: Parsed | undefined;

  constructor(
    public time: number,
    public node: string,
    public nodeKind: NodeKind,
    public line: number,
    private readonly source: LightSource,
    /** The record's first line: bytes [from, to) of the file (CR and newline excluded). */
    private readonly from: number,
    private readonly to: number,
  ) {}

  private read(): Parsed {
    if (this.parsed) return this.parsed;
    const text = readLine(this.source, this.from, this.to);
    const start = text === undefined ? undefined : this.source.layout.parseStart(text);
    this.parsed = { start: typeof start === 'object' ? start : undefined, fields: {} };
    return this.parsed;
  }

  get rule(): Rule | null {
    return null;
  }

  get category(): string {
    return 'unclassified';
  }

  get file(): string {
    return this.source.path;
  }

  get message(): string {
    const start = this.read().start;
    return start ? start.message : unreadable(this.source.path, this.line);
  }

  get level(): string {
    return this.read().start?.level ?? '';
  }

  get logger(): string {
    return this.read().start?.logger ?? '';
  }

  get severity(): Severity {
    return severityOfLevel(this.level);
  }

  get fields(): Record<string, FieldValue> {
    return this.read().fields;
  }

  /** The lines folded into the record (at most MAX_CONTINUATION), as the string path folds them. */
  get continuation(): string[] {
    const parsed = this.read();
    parsed.continuation ??= continuationAfter(this.source, this.to);
    return parsed.continuation;
  }
}

function unreadable(path: string, line: number): string {
  return `(line ${line} of ${path} could not be read back: the file changed after it was read)`;
}

/**
 * Bytes read back per block. A few blocks are kept per file (citations and
 * twins come in file order), for as many files as BLOCK_BUDGET holds, the
 * least recently used let go first: the merge of many small files (a
 * support bundle's hourly rotations of hundreds of brokers) asks for their
 * lines in turn, one file after another, and with a few blocks for all files
 * every appender-twin key read a block again (20,000 files: a block read,
 * with its open and close, for nearly every line).
 */
const BLOCK = 64 << 10;
const KEPT_BLOCKS = 4;
const BLOCK_BUDGET = 16 << 20;
interface Block {
  at: number;
  bytes: Buffer;
}
/** Per reading of a file (a file read again, rewritten since, is another source): its blocks, most recent first. */
const blocks = new Map<LightSource, Block[]>();
let blockBytes = 0;
const scratch = newLineStats();

/** The file's bytes from `at`, at least `length` of them unless the file ends first; a view of a kept block. */
function bytesAt(source: LightSource, at: number, length: number): Buffer {
  const kept = blocks.get(source);
  if (kept) {
    for (const b of kept) {
      if (at >= b.at && at + length <= b.at + b.bytes.length) {
        // The most recently used last.
        blocks.delete(source);
        blocks.set(source, kept);
        return b.bytes.subarray(at - b.at);
      }
    }
  }
  const size = Math.max(BLOCK, length);
  const bytes = Buffer.allocUnsafe(size);
  let n = 0;
  const fd = openEvidenceSync(source.path);
  try {
    for (let r = 1; n < size && r > 0; n += r) r = readSync(fd, bytes, n, size - n, at + n);
  } finally {
    closeSync(fd);
  }
  // The end of a small file: only what was read is kept.
  const got = n < size / 2 ? Buffer.from(bytes.subarray(0, n)) : bytes.subarray(0, n);
  const list = kept ?? [];
  list.unshift({ at, bytes: got });
  blockBytes += got.length;
  if (list.length > KEPT_BLOCKS) blockBytes -= list.pop()!.bytes.length;
  blocks.delete(source);
  blocks.set(source, list);
  for (const [oldest, theirs] of blocks) {
    if (blockBytes <= BLOCK_BUDGET || oldest === source) break;
    blocks.delete(oldest);
    for (const b of theirs) blockBytes -= b.bytes.length;
  }
  return got;
}

/** The text of bytes [from, to) of a file, decoded as the byte path decodes a line; undefined when it cannot be read. */
function readLine(source: LightSource, from: number, to: number): string | undefined {
  try {
    const bytes = bytesAt(source, from, to - from);
    if (bytes.length < to - from) return undefined;
    return lineText(bytes, 0, to - from, scratch);
  } catch {
    return undefined;
  }
}

/** The line at byte `at` (its bytes [0, end) of `bytes`, CR removed) and where the next one starts; undefined at the file's end. */
function lineFrom(source: LightSource, at: number): { bytes: Buffer; end: number; next: number } | undefined {
  for (let want = 256; ; want *= 2) {
    const bytes = bytesAt(source, at, want);
    let nl = bytes.indexOf(10);
    if (nl === -1 && bytes.length >= want) continue;
    if (bytes.length === 0) return undefined;
    // The last line, without a newline.
    const next = nl === -1 ? at + bytes.length : at + nl + 1;
    if (nl === -1) nl = bytes.length;
    return { bytes, end: nl > 0 && bytes[nl - 1] === 13 ? nl - 1 : nl, next };
  }
}

/**
 * The continuation lines of a record whose first line ends at byte `end`:
 * the lines after it up to the next record start, less other writers' lines
 * and lines with a bad timestamp (counted as unrecognised, not folded).
 */
function continuationAfter(source: LightSource, end: number): string[] {
  const lines: string[] = [];
  try {
    // The rest of the first line (its CR, if any).
    let line = lineFrom(source, end);
    while (line !== undefined && lines.length < MAX_CONTINUATION) {
      line = lineFrom(source, line.next);
      if (line === undefined) break;
      const text = lineText(line.bytes, 0, line.end, scratch);
      const start = source.layout.parseStart(text);
      if (start !== undefined && start !== 'bad-timestamp') break;
      if (start === undefined && !isForeignLine(text)) lines.push(text);
    }
  } catch {
    // Unreadable now: the lines read so far.
  }
  return lines;
}

/** Numbers a run keeps per record: time, line number, first line's bytes [from, to). */
const STRIDE = 4;

/**
 * Where a reading's runs keep their numbers: one block after another, each
 * run a stretch of one (only the newest run grows, at the block's end). The
 * first block is small, for the many small files; later ones larger.
 */
export class RunSlab {
  data = new Float64Array(64 * STRIDE);
  used = 0;

  /** Room for one more record at the end; false when the block is full (the next run starts a new one). */
  get full(): boolean {
    return this.used + STRIDE > this.data.length;
  }

  /** A new block, for the next run (the old one stays with the runs made in it). */
  renew(): void {
    this.data = new Float64Array(Math.min(this.data.length * 4, 8192 * STRIDE));
    this.used = 0;
  }
}

/**
 * Consecutive light records of one file and one node, in time order (none
 * earlier than the one before), kept as numbers rather than an event each:
 * a file's unclassified records are most of its lines, and the window
 * engine needs little of each while no window of their node is open (its
 * first and last, windows/engine.ts). Each record can still be made the
 * LightEvent the reading would have made of it (`eventAt`), by whatever
 * needs them one by one. The merge may cut a run where another stream's
 * event falls among its records (`takeBefore`): the part before is a run of
 * its own, this one keeps the rest.
 */
export class LightRun implements EventRun {
  readonly isRun = true;
  readonly rule = null;
  /** The first record's time (changes as the merge takes records off the front). */
  time = Number.NaN;
  /** The last record's time. */
  lastTime = Number.NaN;
  private readonly data: Float64Array;
  private start: number;
  private end: number;

  /** A run starting at the end of `slab` (empty), or the records [start, end) of `data` (a part cut off another run). */
  constructor(
    readonly node: string,
    readonly nodeKind: NodeKind,
    private readonly source: LightSource,
    slab: RunSlab | Float64Array,
    start?: number,
    end?: number,
  ) {
    if (slab instanceof RunSlab) {
      this.data = slab.data;
      this.start = this.end = slab.used;
    } else {
      this.data = slab;
      this.start = start!;
      this.end = end!;
      this.time = slab[this.start]!;
      this.lastTime = slab[this.end - STRIDE]!;
    }
  }

  get file(): string {
    return this.source.path;
  }

  /** How many records. */
  get length(): number {
    return (this.end - this.start) / STRIDE;
  }

  /**
   * Adds a record at the end, while the run is being read (the newest of its
   * slab, which must not be full); its time is not before the last one's.
   */
  add(slab: RunSlab, time: number, line: number, from: number, to: number): void {
    const d = this.data;
    const at = this.end;
    d[at] = time;
    d[at + 1] = line;
    d[at + 2] = from;
    d[at + 3] = to;
    if (at === this.start) this.time = time;
    this.end = slab.used = at + STRIDE;
    this.lastTime = time;
  }

  timeAt(i: number): number {
    return this.data[this.start + i * STRIDE]!;
  }

  lineAt(i: number): number {
    return this.data[this.start + i * STRIDE + 1]!;
  }

  /** The i-th record as the event the reading would have made of it. */
  eventAt(i: number): LightEvent {
    const at = this.start + i * STRIDE;
    const d = this.data;
    return new LightEvent(d[at]!, this.node, this.nodeKind, d[at + 1]!, this.source, d[at + 2]!, d[at + 3]!);
  }

  /** Every record as an event, in order. */
  *events(): Generator<LightEvent> {
    for (let i = 0; i < this.length; i++) yield this.eventAt(i);
  }

  /**
   * The records before `time` (and those at `time` too when `ties`) as a run
   * of their own, taken off this one's front; undefined when that is every
   * record (this run is then the part).
   */
  takeBefore(time: number, ties: boolean): LightRun | undefined {
    const d = this.data;
    let k = this.start;
    while (k < this.end && (d[k]! < time || (ties && d[k] === time))) k += STRIDE;
    if (k === this.end) return undefined;
    const head = new LightRun(this.node, this.nodeKind, this.source, d, this.start, k);
    this.start = k;
    this.time = d[k]!;
    return head;
  }
}
