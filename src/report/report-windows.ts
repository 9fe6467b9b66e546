import { compiledParse } from '../model/check.js';
import { WindowSchema, type EvidenceJson, type WindowJson } from '../model/window.js';
import type { Zone } from '../time/zone.js';
import { rezoneWindow } from '../windows/display-zone.js';
import { toWindowJson } from '../windows/build.js';
import type { Window } from '../windows/engine.js';
import { Spool } from '../windows/item-spool.js';
import { StringTable } from '../windows/temp-bytes.js';

/**
 * A report's windows, never all of them whole in memory (130,000 windows of
 * a gibibyte of logs, each with the lines it cites, were most of a report's
 * gigabyte). Each window is made JSON once, checked against its schema, and
 * spooled (`full`: read back in order, or by its number, for the windows
 * table, the chart's titles and the JSON report). What the summary, the
 * narrative, the findings, the first page and the charts read of every
 * window at once is held: the window as a brief (BriefWindow, its number
 * alone) whose fields are read from columns (BriefStore: times as instants,
 * strings by number), of its evidence only the first line's place and of
 * its edges' sources only the start's method and line (its reason and
 * details are read back from the spool when asked for).
 */

/** The whole windows, one at a time: in order, or by number (forward from the last read is cheapest). */
export interface FullWindows extends Iterable<WindowJson> {
  readonly length: number;
  at(i: number): WindowJson;
}

/**
 * A report's windows as its renderers take them: an array whose items are
 * the whole windows (a ReportJson's), or briefs of them with the whole ones
 * in `full` (what buildReport makes).
 */
export type ReportWindows = readonly WindowJson[] & { readonly full?: FullWindows };

/** The whole windows of a report's (its own array where the report holds them whole). */
export function fullWindows(windows: ReportWindows): FullWindows {
  return windows.full ?? { length: windows.length, at: (i) => windows[i]!, [Symbol.iterator]: () => windows[Symbol.iterator]() };
}

const parseWindow = compiledParse(WindowSchema);

/**
 * The engine's windows as the report's: each made JSON (in `zone`, shown in
 * `shown`), checked, spooled and handed to `each` (the appendix notes the
 * lines it cites), one at a time; a brief of each held.
 */
export function reportWindows(
  list: Iterable<Window> & { readonly length: number }, zone: Zone, shown: Zone, each: (json: WindowJson, w: Window) => void,
): ReportWindows {
  const spool = windowSpool();
  const full: FullWindows = { length: list.length, at: (i) => spool.at(i), [Symbol.iterator]: () => spool[Symbol.iterator]() };
  const store = new BriefStore(list.length, full, shown);
  const briefs: BriefWindow[] = [];
  for (const w of list) {
    const made = toWindowJson(w, zone);
    const json = parseWindow(shown !== zone ? rezoneWindow(made, shown) : made);
    const i = spool.push(json);
    store.put(i, json);
    briefs.push(new BriefWindow(store, i));
    each(json, w);
  }
  return Object.assign(briefs as unknown as WindowJson[], { full });
}

/** A line cited: its file and rule by number (-1: no rule), its line, time and text. */
type EvidenceTuple = [number, number, string | null, number, string];
/** An edge's source: how, and its line (its place among the window's evidence where it is one of them). */
type SourceTuple = [string, number | EvidenceTuple | null];

/**
 * The whole windows spooled with their lines as tuples, their files and
 * rules by number, an edge's line by its place among the evidence: a
 * window's JSON was mostly those keys and names (half the bytes to write and
 * to read back).
 */
function windowSpool(): Spool<WindowJson> {
  const names = new StringTable();
  const tuple = (e: EvidenceJson): EvidenceTuple => [names.number(e.file), e.line, e.time, e.rule === null ? -1 : names.number(e.rule), e.text];
  const line = (t: EvidenceTuple): EvidenceJson => ({ file: names.list[t[0]]!, line: t[1], time: t[2], rule: t[3] < 0 ? null : names.list[t[3]]!, text: t[4] });
  return new Spool<WindowJson>(
    (w) => {
      const source = (s: EdgeSourceJson): SourceTuple => {
        const e = s.evidence;
        if (e === null) return [s.how, null];
        const k = w.evidence.findIndex((x) => x.file === e.file && x.line === e.line && x.time === e.time && x.rule === e.rule && x.text === e.text);
        return [s.how, k >= 0 ? k : tuple(e)];
      };
      // Each key where the window has it (a spread keeps their order).
      return {
        ...w,
        ...(w.startSource && { startSource: source(w.startSource) }),
        ...(w.endSource && { endSource: source(w.endSource) }),
        evidence: w.evidence.map(tuple),
      };
    },
    (json) => {
      const w = json as Record<string, unknown>;
      const evidence = (w['evidence'] as EvidenceTuple[]).map(line);
      const source = (s: SourceTuple): EdgeSourceJson => ({ how: s[0], evidence: s[1] === null ? null : typeof s[1] === 'number' ? line((w['evidence'] as EvidenceTuple[])[s[1]]!) : line(s[1]) });
      if (w['startSource']) w['startSource'] = source(w['startSource'] as SourceTuple);
      if (w['endSource']) w['endSource'] = source(w['endSource'] as SourceTuple);
      w['evidence'] = evidence;
      return w as WindowJson;
    },
  );
}

type EdgeSourceJson = NonNullable<WindowJson['startSource']>;

/**
 * What the briefs hold, a column per field, one row per window: numbers in
 * typed arrays, the strings (kinds, nodes, topics, files, methods: a few
 * dozen distinct) by their number in a table. A window's times are held as
 * instants and formatted when read (in the zone shown, as the JSON has them;
 * a time whose text is not that is kept as written).
 */
class BriefStore {
  private readonly strings = new StringTable();
  /**
   * Per window: start, end, the start's bounds, the end's bounds, the
   * duration, the partition (NaN: none), the lines of the first evidence
   * and of the start's source.
   */
  private readonly times: Float64Array;
  /** Per window: kind, confidence, node, topic, the first evidence's file, the start source's method and file (-1: none). */
  private readonly names: Int32Array;
  /** Times whose text is not the zone's format of their instant, by window and slot. */
  private readonly written = new Map<number, string>();

  constructor(length: number, readonly full: FullWindows, private readonly zone: Zone) {
    this.times = new Float64Array(length * TIMES);
    this.names = new Int32Array(length * NAMES);
  }

  put(i: number, w: WindowJson): void {
    const t = i * TIMES;
    this.time(t + START, w.start);
    this.time(t + END, w.end);
    this.time(t + START_EARLIEST, w.startBounds?.earliest ?? null);
    this.time(t + START_LATEST, w.startBounds?.latest ?? null);
    this.time(t + END_EARLIEST, w.endBounds?.earliest ?? null);
    this.time(t + END_LATEST, w.endBounds?.latest ?? null);
    this.times[t + DURATION] = w.durationMs ?? NaN;
    const first = w.evidence[0];
    this.times[t + PARTITION] = w.partition ?? NaN;
    this.times[t + EV_LINE] = first?.line ?? 0;
    this.times[t + SOURCE_LINE] = w.startSource?.evidence?.line ?? 0;
    const f = i * NAMES;
    const { names } = this;
    names[f + KIND] = this.name(w.kind);
    names[f + CONFIDENCE] = this.name(w.confidence);
    names[f + NODE] = this.name(w.node);
    names[f + TOPIC] = this.name(w.topic);
    names[f + EV_FILE] = this.name(first?.file);
    names[f + SOURCE_HOW] = this.name(w.startSource?.how);
    names[f + SOURCE_FILE] = this.name(w.startSource?.evidence?.file);
  }

  private name(s: string | undefined): number {
    return s === undefined ? -1 : this.strings.number(s);
  }

  /** A time noted: its instant (NaN: none), and its text where formatting the instant does not give it back. */
  private time(slot: number, iso: string | null): void {
    if (iso === null) {
      this.times[slot] = NaN;
      return;
    }
    const ms = Date.parse(iso);
    this.times[slot] = ms;
    if (Number.isNaN(ms) || this.formatted(ms) !== iso) this.written.set(slot, iso);
  }

  /** The zone's text of an instant, the last one's kept: a window's start is often one of its bounds too, its end the other's. */
  private formatted(ms: number): string {
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastText = this.zone.format(ms);
    }
    return this.lastText;
  }

  private lastMs = NaN;
  private lastText = '';

  /** A window's time as the JSON had it (null: none). */
  iso(i: number, k: number): string | null {
    const slot = i * TIMES + k;
    const ms = this.times[slot]!;
    if (this.written.size > 0) {
      const text = this.written.get(slot);
      if (text !== undefined) return text;
    }
    return Number.isNaN(ms) ? null : this.zone.format(ms);
  }

  duration(i: number): number | null {
    const ms = this.times[i * TIMES + DURATION]!;
    return Number.isNaN(ms) ? null : ms;
  }

  text(i: number, k: number): string | undefined {
    const n = this.names[i * NAMES + k]!;
    return n < 0 ? undefined : this.strings.list[n]!;
  }

  /** A number of the times' row (NaN: none). */
  number(i: number, k: number): number {
    return this.times[i * TIMES + k]!;
  }
}

/** The briefs' time slots per window. */
const START = 0;
const END = 1;
const START_EARLIEST = 2;
const START_LATEST = 3;
const END_EARLIEST = 4;
const END_LATEST = 5;
const DURATION = 6;
const PARTITION = 7;
const EV_LINE = 8;
const SOURCE_LINE = 9;
const TIMES = 10;
/** The briefs' strings per window, by number. */
const KIND = 0;
const CONFIDENCE = 1;
const NODE = 2;
const TOPIC = 3;
const EV_FILE = 4;
const SOURCE_HOW = 5;
const SOURCE_FILE = 6;
const NAMES = 7;

/**
 * What the report reads of a window beyond its table, its chart title and
 * its JSON: its fields as WindowJson has them, read from the store (a
 * brief itself is its number: 130,000 windows of a gibibyte of logs held
 * as objects with their strings were 35 MB); `evidence` its first line's
 * place alone, `startSource` its method and its line's place. Its end's
 * source is not kept (read the whole window).
 */
class BriefWindow {
  constructor(private readonly store: BriefStore, private readonly i: number) {}

  get kind(): WindowJson['kind'] {
    return this.store.text(this.i, KIND) as WindowJson['kind'];
  }

  get start(): string {
    return this.store.iso(this.i, START)!;
  }

  get end(): string | null {
    return this.store.iso(this.i, END);
  }

  get node(): string | undefined {
    return this.store.text(this.i, NODE);
  }

  get topic(): string | undefined {
    return this.store.text(this.i, TOPIC);
  }

  get partition(): number | undefined {
    const p = this.store.number(this.i, PARTITION);
    return Number.isNaN(p) ? undefined : p;
  }

  get confidence(): WindowJson['confidence'] {
    return this.store.text(this.i, CONFIDENCE) as WindowJson['confidence'];
  }

  get durationMs(): number | null {
    return this.store.duration(this.i);
  }

  private bounds(k: number): { earliest: string; latest: string } | null {
    const earliest = this.store.iso(this.i, k);
    return earliest === null ? null : { earliest, latest: this.store.iso(this.i, k + 1)! };
  }

  get startBounds(): WindowJson['startBounds'] {
    return this.bounds(START_EARLIEST);
  }

  get endBounds(): WindowJson['endBounds'] {
    return this.bounds(END_EARLIEST);
  }

  /** Read back from the whole window: few are read (the narrative tells a few windows by their details). */
  get reason(): string {
    return this.store.full.at(this.i).reason;
  }

  get details(): WindowJson['details'] {
    return this.store.full.at(this.i).details;
  }

  /** The first line cited, its place alone. */
  get evidence(): { file: string; line: number }[] {
    const file = this.store.text(this.i, EV_FILE);
    return file === undefined ? [] : [{ file, line: this.store.number(this.i, EV_LINE) }];
  }

  get startSource(): { how: string; evidence: { file: string; line: number } | null } | undefined {
    const how = this.store.text(this.i, SOURCE_HOW);
    if (how === undefined) return undefined;
    const file = this.store.text(this.i, SOURCE_FILE);
    return { how, evidence: file === undefined ? null : { file, line: this.store.number(this.i, SOURCE_LINE) } };
  }

  /** The whole window (JSON.stringify of a report held whole: the windows as they are written). */
  toJSON(): WindowJson {
    return this.store.full.at(this.i);
  }

  get endSource(): never {
    throw new Error('internal: a brief of a window keeps no end source; read the whole window (fullWindows)');
  }
}
