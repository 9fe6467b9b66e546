import { compiledParse } from '../model/check.js';
import { AppendixEntrySchema, type AppendixEntryJson, type GapPartitionJson, type KeyEventJson, type LineRefJson } from '../model/report.js';
import type { InputJson } from '../model/timeline.js';
import type { WindowJson } from '../model/window.js';
import { pickLines } from '../sources/lines.js';
import type { Zone } from '../time/zone.js';
import { Spool } from '../windows/item-spool.js';

type Entry = Omit<AppendixEntryJson, 'id'>;

const parseEntry = compiledParse(AppendixEntrySchema);

/** The source of a line a window cites (see Appendix.source). */
const WINDOW = -0x80000000;

/**
 * Every line the report cites, quoted as written, in the order of their
 * times (then file, then line), numbered ev-1, ev-2 … in that order: the
 * files are read once more, for the lines cited alone.
 *
 * Most are the key-event rows' lines (one per row, tens of thousands in a
 * gibibyte of logs): of those, memory holds a few numbers in typed arrays
 * (file, line, node, time, place in the order), and the lines quoted,
 * picked from the files once, are read back from a spool of their own.
 * The lines the windows cite are held as the rows' are (their text as the
 * window gave it spooled too, for a file that cannot be read again); whole
 * are held only the few lines the gaps and findings cite.
 */
export class Appendix implements Iterable<AppendixEntryJson> {
  /** The lines cited first by a gap or a finding. */
  private readonly others: Entry[] = [];
  private readonly files: string[] = [];
  private readonly fileIds = new Map<string, number>();
  /** Per line: its row in the rows' spool (≥ 0), WINDOW for a line a window cites, or -1 - its place in `others`. */
  private source = new Int32Array(1024);
  private times = new Float64Array(1024);
  private fileOf = new Int32Array(1024);
  private lineOf = new Int32Array(1024);
  /** The line's text as read from its file (its number in `texts`), -1 where it could not be read. */
  private textOf = new Int32Array(1024);
  private count = 0;
  /** Lines in the appendix (those noted, less those noted twice). */
  private size = 0;
  /** The lines in the appendix's order (by number), and each line's place in it. */
  private order = new Uint32Array(0);
  private rank = new Uint32Array(0);
  /** Per file, its lines ascending and their numbers: a cited line's id looked up. */
  private byFile: LinesByFile = new Map();
  private readonly texts = Spool.ofText();
  private rows: Spool<KeyEventJson> | undefined;
  /** The cited lines being quoted (finish starts it; it never rejects), whether they are, and what failed if the quoting did. */
  private quoting: Promise<void> | undefined;
  private quoted = false;
  private quoteFailure: unknown;

  /** The key-event rows' nodes, by number (a few dozen names). */
  private readonly nodes: string[] = [];
  private readonly nodeIds = new Map<string, number>();
  /** Per line of a key-event row, its node's number. */
  private nodeOf = new Int32Array(1024);
  /**
   * The lines noted by cite and add (not the rows'): per file, by line, their
   * numbers. The windows' are moved to `windowLines` once the first row comes
   * (a map's entry cost about four times a sorted list's).
   */
  private readonly knownLines = new Map<number, Map<number, number>>();
  /** The lines the windows cite, per file, ascending, with their numbers: from the first row on (see seal). */
  private windowLines: LinesByFile | undefined;
  private readonly nodeOfFile: Map<string, string | null>;
  /** Lines cited by the windows (a key-event row citing one of them adds nothing). */
  private fromWindows = 0;

  /**
   * The lines the windows cite (cite, first: a line cited twice is one
   * entry, as first cited, with the first node any citation names); then
   * each key-event row's line (addRow), as the rows are made; then finish.
   */
  constructor(inputs: readonly InputJson[], private readonly zone: Zone) {
    this.nodeOfFile = new Map(inputs.map((i) => [i.file, i.node]));
  }

  /**
   * The lines a window cites (every window's before the first row's): of
   * each, memory holds its place, time and node in the typed arrays, its
   * text (quoted where its file cannot be read again) in the text spool.
   */
  cite(w: WindowJson): void {
    for (const e of w.evidence) {
      const f = this.fileIdOf(e.file);
      if (this.lookup(f, e.line) !== undefined) continue;
      const n = this.note(WINDOW, f, e.line, e.time === null ? Infinity : Date.parse(e.time));
      this.known(f).set(e.line, n);
      const node = this.nodeOfFile.get(e.file) ?? null;
      this.nodeOf[n] = node === null ? -1 : this.nodeId(node);
      this.textOf[n] = this.texts.push(e.text);
      this.fromWindows++;
    }
  }

  /** Whether a window cites the line (until finish: gaps' and findings' lines are noted then). */
  citedByWindow(file: string, line: number): boolean {
    this.seal();
    const f = this.fileIds.get(file);
    return this.fromWindows > 0 && f !== undefined && this.lookup(f, line) !== undefined;
  }

  /** A line's entry, noted by cite or add (not a row's). */
  private lookup(f: number, line: number): number | undefined {
    const sealed = this.windowLines === undefined ? undefined : entryAt(this.windowLines, f, line);
    return sealed ?? this.knownLines.get(f)?.get(line);
  }

  /**
   * Every window cited (the rows come after them all): the lines they cite
   * held as sorted lists, not as a map. A line cited later still finds them
   * (lookup reads both).
   */
  private seal(): void {
    if (this.windowLines !== undefined) return;
    this.windowLines = this.linesByFile();
    this.knownLines.clear();
  }

  private known(f: number): Map<number, number> {
    let lines = this.knownLines.get(f);
    if (!lines) this.knownLines.set(f, (lines = new Map()));
    return lines;
  }

  private nodeId(node: string): number {
    let id = this.nodeIds.get(node);
    if (id === undefined) {
      this.nodeIds.set(node, (id = this.nodes.length));
      this.nodes.push(node);
    }
    return id;
  }

  /** A line cited again: the node the citation names, where the entry has none yet. */
  private nodeNamed(n: number, node: string | null): void {
    if (node === null) return;
    const s = this.source[n]!;
    if (s === WINDOW) {
      if (this.nodeOf[n] === -1) this.nodeOf[n] = this.nodeId(node);
    } else {
      const had = this.others[-1 - s]!;
      if (had.node === null) had.node = node;
    }
  }

  private add(file: string, line: number, time: string | null, node: string | null, text: string): void {
    const f = this.fileIdOf(file);
    const had = this.lookup(f, line);
    if (had !== undefined) {
      this.nodeNamed(had, node);
      return;
    }
    const entry = { file, line, node: node ?? this.nodeOfFile.get(file) ?? null, time, text };
    this.others.push(entry);
    this.known(f).set(line, this.note(-this.others.length, f, line, time === null ? Infinity : Date.parse(time)));
  }

  /** Key-event row `i` of the rows' spool: the line it cites, its node and its time (as the zone shows it, the row's). */
  addRow(i: number, file: string, line: number, node: string, time: number): void {
    this.seal();
    const f = this.fileIdOf(file);
    const had = this.fromWindows === 0 ? undefined : this.lookup(f, line);
    if (had !== undefined) {
      this.nodeNamed(had, node);
      return;
    }
    const n = this.note(i, f, line, time);
    this.nodeOf[n] = this.nodeId(node);
  }

  /** The gaps' and findings' lines (those a key-event row cites already are the row's), then each line quoted from its file. */
  async finish(rows: Spool<KeyEventJson>, gaps: readonly GapPartitionJson[], findingRefs: readonly LineRefJson[]): Promise<this> {
    this.rows = rows;
    this.seal();
    this.index();
    const addLater = (file: string, line: number, time: string | null, node: string | null, text: string): void => {
      if (this.find(file, line) === undefined || this.lookup(this.fileIdOf(file), line) !== undefined) this.add(file, line, time, node, text);
    };
    for (const p of gaps) {
      for (const g of p.gaps) {
        addLater(g.before.file, g.before.line, g.before.time, p.broker, `offset ${g.before.offset} CreateTime ${g.before.createTime}`);
        addLater(g.after.file, g.after.line, g.after.time, p.broker, `offset ${g.after.offset} CreateTime ${g.after.createTime}`);
        for (const e of g.evidence) addLater(e.file, e.line, e.time, e.node, e.text);
      }
    }
    for (const r of findingRefs) addLater(r.file, r.line, null, null, '');
    this.index();
    // Read on libuv's pool while the report's sections before the appendix are written: only its entries need them (ready).
    this.quoting = this.quote().then(
      () => {
        this.quoted = true;
      },
      (e: unknown) => {
        // Said where the entries are read, not left a rejection no one may wait for.
        this.quoteFailure = e ?? new Error('quoting failed');
        this.quoted = true;
      },
    );
    this.sort();
    // Looked up no more: ids are found in byFile.
    this.windowLines = new Map();
    this.knownLines.clear();
    return this;
  }

  get length(): number {
    return this.size;
  }

  /** Resolves once the cited lines are quoted (finish starts reading them; undefined: they are, or none are to be): the entries are read after it. */
  ready(): Promise<void> | undefined {
    return this.quoted ? undefined : this.quoting;
  }

  /** The id of a cited line (ev-N), undefined for a line not in the appendix. */
  idOf(file: string, line: number): string | undefined {
    const n = this.find(file, line);
    return n === undefined ? undefined : `ev-${this.rank[n]! + 1}`;
  }

  *[Symbol.iterator](): Iterator<AppendixEntryJson> {
    // An entry read before its line is quoted would hold the text the readers gave, not the line as written.
    if (this.quoting && !this.quoted) throw new Error('internal: the appendix was read before its lines were quoted (await ready())');
    if (this.quoteFailure !== undefined) throw this.quoteFailure;
    for (let at = 0; at < this.size; at++) {
      const n = this.order[at]!;
      const s = this.source[n]!;
      let entry: Entry;
      const t = this.textOf[n]!;
      if (s === WINDOW) {
        const node = this.nodeOf[n]!;
        const time = this.times[n]!;
        yield parseEntry({
          id: `ev-${at + 1}`, file: this.files[this.fileOf[n]!]!, line: this.lineOf[n]!, node: node < 0 ? null : this.nodes[node]!,
          time: time === Infinity ? null : this.zone.format(time), text: this.texts.at(t),
        });
        continue;
      }
      if (s >= 0) {
        // The row's text only where its file could not be read again.
        const text = t >= 0 ? this.texts.at(t) : this.rows!.at(s).message;
        yield parseEntry({ id: `ev-${at + 1}`, file: this.files[this.fileOf[n]!]!, line: this.lineOf[n]!, node: this.nodes[this.nodeOf[n]!]!, time: this.zone.format(this.times[n]!), text });
        continue;
      } else {
        entry = this.others[-1 - s]!;
      }
      yield parseEntry({ id: `ev-${at + 1}`, ...entry, ...(t >= 0 && { text: this.texts.at(t) }) });
    }
  }

  /** The entries in an array (JSON.stringify of a report held whole). */
  toJSON(): AppendixEntryJson[] {
    return [...this];
  }

  /** A line noted, its time in milliseconds (Infinity: none); returns its number. */
  private note(source: number, f: number, line: number, time: number): number {
    if (this.count === this.source.length) {
      const grow = <A extends Int32Array | Float64Array>(x: A, make: (n: number) => A): A => {
        const y = make(x.length * 2);
        y.set(x);
        return y;
      };
      this.source = grow(this.source, (n) => new Int32Array(n));
      this.times = grow(this.times, (n) => new Float64Array(n));
      this.fileOf = grow(this.fileOf, (n) => new Int32Array(n));
      this.lineOf = grow(this.lineOf, (n) => new Int32Array(n));
      this.textOf = grow(this.textOf, (n) => new Int32Array(n));
      this.nodeOf = grow(this.nodeOf, (n) => new Int32Array(n));
    }
    const n = this.count++;
    this.source[n] = source;
    this.times[n] = time;
    this.fileOf[n] = f;
    this.lineOf[n] = line;
    this.textOf[n] = -1;
    return n;
  }

  private fileIdOf(file: string): number {
    // Lines come file after file: the last file's number is most often the one.
    if (file === this.lastFile) return this.lastFileId;
    let f = this.fileIds.get(file);
    if (f === undefined) {
      this.fileIds.set(file, (f = this.files.length));
      this.files.push(file);
    }
    this.lastFile = file;
    this.lastFileId = f;
    return f;
  }

  private lastFile: string | undefined;
  private lastFileId = -1;

  /** Each file's lines, ascending (for find, and to pick them from the file). */
  private index(): void {
    this.byFile = this.linesByFile();
  }

  /**
   * The lines noted so far, per file (in the order files were first noted),
   * ascending, with their numbers (of a line noted twice, the first noted
   * first): the numbers grouped by file with a count per file, not a list
   * per file grown line by line.
   */
  private linesByFile(): LinesByFile {
    const { fileOf, lineOf, count } = this;
    const firstSeen: number[] = [];
    const starts = new Uint32Array(this.files.length + 1);
    for (let n = 0; n < count; n++) {
      const f = fileOf[n]!;
      const had = starts[f + 1]!;
      starts[f + 1] = had + 1;
      if (had === 0) firstSeen.push(f);
    }
    for (let f = 0; f < this.files.length; f++) starts[f + 1]! += starts[f]!;
    const all = new Uint32Array(count);
    const next = starts.slice(0, this.files.length);
    for (let n = 0; n < count; n++) all[next[fileOf[n]!]!++] = n;
    const out: LinesByFile = new Map();
    for (const f of firstSeen) {
      const entries = all.subarray(starts[f]!, starts[f + 1]!).sort((x, y) => lineOf[x]! - lineOf[y]! || x - y);
      const lines = new Int32Array(entries.length);
      for (let i = 0; i < entries.length; i++) lines[i] = lineOf[entries[i]!]!;
      out.set(f, { lines, entries });
    }
    return out;
  }

  /** The number of the entry for a line (the first noted, where a line was noted twice). */
  private find(file: string, line: number): number | undefined {
    const f = this.fileIds.get(file);
    return f === undefined ? undefined : entryAt(this.byFile, f, line);
  }

  /** Quote the lines as written: each file read once, up to the last line cited in it. */
  private async quote(): Promise<void> {
    for (const [f, { lines, entries }] of this.byFile) {
      try {
        await pickLines(this.files[f]!, lines, (line, text) => {
          const i = lowerBound(lines, line);
          if (i < lines.length && lines[i] === line) this.textOf[entries[i]!] = this.texts.push(text);
        });
      } catch {
        // The file changed or vanished since it was read: keep the text the readers gave.
      }
    }
  }

  /** The appendix's order: by time (none last), then file, then line; a line noted twice (a key event cited by two rows) once. */
  private sort(): void {
    const { times, fileOf, lineOf } = this;
    const fileRank = new Int32Array(this.files.length);
    this.files.map((name, f) => ({ name, f })).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)).forEach(({ f }, r) => { fileRank[f] = r; });
    const all = new Uint32Array(this.count);
    for (let n = 0; n < this.count; n++) all[n] = n;
    all.sort((x, y) => times[x]! - times[y]! || fileRank[fileOf[x]!]! - fileRank[fileOf[y]!]! || lineOf[x]! - lineOf[y]! || x - y);
    // A line noted twice sorts beside itself: the first noted is kept.
    let kept = 0;
    for (let at = 0; at < all.length; at++) {
      const n = all[at]!;
      const prev = kept > 0 ? all[kept - 1]! : undefined;
      if (prev !== undefined && fileOf[prev] === fileOf[n] && lineOf[prev] === lineOf[n]) continue;
      all[kept++] = n;
    }
    this.order = all.subarray(0, kept);
    this.rank = new Uint32Array(this.count);
    for (let at = 0; at < kept; at++) this.rank[this.order[at]!] = at;
    this.size = kept;
  }
}

/** Per file (by number), its lines ascending and the entries noted for them. */
type LinesByFile = Map<number, { lines: Int32Array; entries: Uint32Array }>;

/** The entry noted first for a line of a file, if any. */
function entryAt(byFile: LinesByFile, f: number, line: number): number | undefined {
  const at = byFile.get(f);
  if (!at) return undefined;
  const i = lowerBound(at.lines, line);
  return i < at.lines.length && at.lines[i] === line ? at.entries[i] : undefined;
}

function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
