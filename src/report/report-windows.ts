import { compiledParse } from '../model/check.js';
import { WindowSchema, type EvidenceJson, type WindowJson } from '../model/window.js';
import type { Zone } from '../time/zone.js';
import { rezoneWindow } from '../windows/display-zone.js';
import { toWindowJson } from '../windows/build.js';
import type { Window } from '../windows/engine.js';
import { Spool } from '../windows/item-spool.js';
import { StringTable } from '../windows/temp-bytes.js';
import { ownCopy } from '../timeline/event.js';

/**
 * A report's windows, never all of them whole in memory (130,000 windows of
 * a gibibyte of logs, each with the lines it cites, were most of a report's
 * gigabyte). Each window is made JSON once, checked against its schema, and
 * spooled (`full`: read back in order, or by its number, for the windows
 * table, the chart's titles and the JSON report). What the summary, the
 * narrative, the findings, the first page and the charts read of every
 * window at once is held: the window as a brief (BriefWindow), its bounds'
 * times as numbers, of its evidence only the first line's place and of its edges'
 * sources only the start's method and line (its reason and details are
 * read back from the spool when asked for).
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

/** Times per window in `times`: the start's bounds, the end's bounds (NaN: none). */
const TIMES = 4;

/**
 * The engine's windows as the report's: each made JSON (in `zone`, shown in
 * `shown`), checked, spooled and handed to `each` (the appendix notes the
 * lines it cites), one at a time; a brief of each held.
 */
export function reportWindows(
  list: Iterable<Window> & { readonly length: number }, zone: Zone, shown: Zone, each: (json: WindowJson, w: Window) => void,
): ReportWindows {
  const spool = windowSpool();
  const times = new Float64Array(list.length * TIMES);
  const briefs: BriefWindow[] = [];
  const full: FullWindows = { length: list.length, at: (i) => spool.at(i), [Symbol.iterator]: () => spool[Symbol.iterator]() };
  const store: Store = { times, full, zone: shown };
  for (const w of list) {
    const made = toWindowJson(w, zone);
    const json = parseWindow(shown !== zone ? rezoneWindow(made, shown) : made);
    const i = spool.push(json);
    briefs.push(new BriefWindow(store, i, json));
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

interface Store {
  readonly times: Float64Array;
  readonly full: FullWindows;
  /** The zone the times are shown in. */
  readonly zone: Zone;
}

/**
 * What the report reads of a window beyond its table, its chart title and
 * its JSON: its fields as WindowJson has them, the bounds formatted when
 * read; `evidence` its first line's place alone, `startSource` its method
 * and its line's place. Its end's source is not kept (read the whole window).
 */
class BriefWindow {
  readonly kind: WindowJson['kind'];
  /** Read often (sorted, compared, shown): held, in strings of their own. */
  readonly start: string;
  readonly end: string | null;
  readonly node: string | undefined;
  readonly topic: string | undefined;
  readonly partition: number | undefined;
  readonly confidence: WindowJson['confidence'];
  readonly durationMs: number | null;
  private readonly evFile: string | undefined;
  private readonly evLine: number;
  private readonly sourceHow: string | undefined;
  private readonly sourceFile: string | undefined;
  private readonly sourceLine: number;

  constructor(private readonly store: Store, private readonly i: number, w: WindowJson) {
    this.kind = w.kind;
    this.node = w.node;
    this.topic = w.topic;
    this.partition = w.partition;
    this.confidence = w.confidence;
    this.durationMs = w.durationMs;
    const first = w.evidence[0];
    this.evFile = first?.file;
    this.evLine = first?.line ?? 0;
    this.sourceHow = w.startSource?.how;
    this.sourceFile = w.startSource?.evidence?.file;
    this.sourceLine = w.startSource?.evidence?.line ?? 0;
    this.start = ownCopy(w.start);
    this.end = w.end === null ? null : ownCopy(w.end);
    const at = i * TIMES;
    const t = store.times;
    const ms = (iso: string | undefined) => (iso === undefined ? NaN : Date.parse(iso));
    t[at] = ms(w.startBounds?.earliest);
    t[at + 1] = ms(w.startBounds?.latest);
    t[at + 2] = ms(w.endBounds?.earliest);
    t[at + 3] = ms(w.endBounds?.latest);
  }

  private time(k: number): number {
    return this.store.times[this.i * TIMES + k]!;
  }

  private bounds(k: number): { earliest: string; latest: string } | null {
    const { zone } = this.store;
    return Number.isNaN(this.time(k)) ? null : { earliest: zone.format(this.time(k)), latest: zone.format(this.time(k + 1)) };
  }

  get startBounds(): WindowJson['startBounds'] {
    return this.bounds(0);
  }

  get endBounds(): WindowJson['endBounds'] {
    return this.bounds(2);
  }

  /** The first line cited, its place alone. */
  /** Read back from the whole window: few are read (the narrative tells a few windows by their details). */
  get reason(): string {
    return this.store.full.at(this.i).reason;
  }

  get details(): WindowJson['details'] {
    return this.store.full.at(this.i).details;
  }

  get evidence(): { file: string; line: number }[] {
    return this.evFile === undefined ? [] : [{ file: this.evFile, line: this.evLine }];
  }

  get startSource(): { how: string; evidence: { file: string; line: number } | null } | undefined {
    if (this.sourceHow === undefined) return undefined;
    return { how: this.sourceHow, evidence: this.sourceFile === undefined ? null : { file: this.sourceFile, line: this.sourceLine } };
  }

  /** The whole window (JSON.stringify of a report held whole: the windows as they are written). */
  toJSON(): WindowJson {
    return this.store.full.at(this.i);
  }

  get endSource(): never {
    throw new Error('internal: a brief of a window keeps no end source; read the whole window (fullWindows)');
  }
}
