import type { Rule } from '../catalogue/schema.js';
import type { WindowKind } from '../model/window.js';
import type { NodeKind, Severity } from '../model/record.js';
import { evidenceFromRecord, evidenceNumber, evidenceRecord, MAX_EVIDENCE, numberEvidence, positionOf, type EdgeSource, type Evidence, type Window } from './window.js';
import { StringTable, TempBytes } from './temp-bytes.js';
import { Spool } from './item-spool.js';
import { OrderRuns, type OrderKey } from './order-runs.js';

/**
 * Windows the pass is done with, out of memory: a window closed that no
 * tracker can reach any more and no step after the pass changes (an ISR
 * shrink that ended, a truncation's two leaders, a controller failover) is
 * written to a private temporary file and read back, in the windows' order,
 * when they are output. On an event-dense log most windows are of these
 * kinds; held to the end of the pass they were most of its memory (~2 KB
 * each, 130,000 windows in a gibibyte). Broker windows are put here too
 * once the pass is well past them (WindowBook.parkLater), and read back
 * into memory (drop) where a look-up or a step after the pass changes one;
 * and lines trackers keep to cite later, maybe (keepLine).
 *
 * A window is written in two parts, each to a file of its own: its head
 * (what it is, when, why: all a windows table shows) and the lines it cites.
 * A window read back as the windows are output reads its lines only if they
 * are asked for: the tables (`windows`, `timeline`) read the heads alone,
 * ~a fifth of the bytes, from a file of heads alone.
 *
 * The files are unlinked as soon as they are open: nothing is left behind,
 * even when the run is killed. Where no such file can be made, the serialized
 * windows are held in memory instead (still a third of the objects' size).
 */
export class WindowSpool {
  /** The windows' heads, one after the other (temp-bytes.ts: a file, or memory where there is none). */
  readonly bytes = new TempBytes('windows');
  /** The lines the windows cite, a table per window, and the lines kept on their own (keepLine). */
  readonly lines = new TempBytes('lines');
  /**
   * Per spooled window, its place in the order (start, kind, opening) and in
   * the spool (where its head begins in `bytes`: all it takes to read it
   * back), in sorted runs on disk (order-runs.ts): memory holds no index
   * that grows with the windows.
   */
  private readonly order: OrderRuns;
  /** Windows spooled (dropped or not). */
  private count = 0;
  /** The lines kept on their own (keepLine), by their number (item-spool.ts: memory holds where every 32nd begins). */
  private readonly kept = new Spool<StoredLine>();
  /**
   * Evidence added to a window after it was spooled, by its place in the
   * spool, with what it cited then (read back once, by file and line) and how
   * many lines that was.
   */
  private readonly later = new Map<number, Later>();
  /**
   * One number per line cited (the same evidence object cited by several
   * windows is one object again when read back): a log line's evidence
   * carries its number (numberEvidence), other evidence is numbered here.
   */
  private readonly ids = new WeakMap<Evidence, number>();
  private nextId = 0;
  /** Windows read back into memory for good (drop). */
  private readonly dropped = new Set<number>();
  private readonly rules = new Map<string, Rule>();
  private readonly strings = new StringTable();
  private readonly names = this.strings.list;
  /** `order`: the size of the order's runs and how many are merged at once (OrderRuns; tests make them tiny). */
  constructor(private readonly kindOrder: (k: WindowKind) => number, order: { run?: number; fanIn?: number } = {}) {
    this.order = new OrderRuns(order.run, order.fanIn);
  }

  /** Windows spooled, less those dropped. */
  get size(): number {
    return this.count - this.dropped.size;
  }

  /** Spooled window `i` is no longer one of the spool's (read back into memory for good). */
  drop(i: number): void {
    this.dropped.add(i);
    this.later.delete(i);
  }

  /** The number a line cited was given here, if it was: a log line's on it (numberEvidence), another's in `ids`. */
  private numberOf(ev: Evidence): number | undefined {
    const id = evidenceNumber(ev, this);
    return id !== undefined && id >= 0 ? id : this.ids.get(ev);
  }

  /** The number of a line cited (made the first time it is asked for). */
  private idOf(ev: Evidence): number {
    let id = this.numberOf(ev);
    if (id !== undefined) return id;
    id = this.nextId++;
    if (!numberEvidence(ev, this, id)) this.ids.set(ev, id);
    return id;
  }

  /**
   * `w`, final, out of memory; `seq`: its place among the windows opened.
   * Returns its place in the spool (to read it back and add evidence to it by), or undefined:
   * `w` holds what JSON does not keep (a number not finite), and stays in
   * memory.
   */
  put(w: Window, seq: number): number | undefined {
    if (!keptByJson(w)) return undefined;
    const table: StoredLine[] = [];
    // The lines cited, each once (most windows cite a handful: a list is read faster than a map is made).
    const cited: Evidence[] = [];
    const ref = (ev: Evidence): number => {
      let i = cited.indexOf(ev);
      if (i < 0) {
        i = cited.length;
        cited.push(ev);
        table.push(this.lineOf(ev));
      }
      return i;
    };
    const edge = (x: EdgeSource | undefined): StoredEdge => (x ? [x.how, x.evidence ? ref(x.evidence) : -1] : null);
    const evidence = w.evidence.map(ref);
    const startEdge = edge(w.startSource);
    const endEdge = edge(w.endSource);
    const tableAt = this.lines.size;
    const tableLength = this.lines.append(JSON.stringify(table));
    const stored: StoredWindow = [
      w.kind, w.node ?? null, w.topic ?? null, w.partition ?? null, w.start, w.end, w.startBounds, w.endBounds, startEdge, endEdge,
      w.confidence, w.reason, w.details, evidence, w.evidenceOmitted, tableAt, tableLength,
    ];
    const place = this.bytes.appendFramed(JSON.stringify(stored));
    this.order.put(w.start, this.kindOrder(w.kind), seq, place);
    this.count++;
    return place;
  }

  /** A line cited, as stored. */
  private lineOf(ev: Evidence): StoredLine {
    const r = evidenceRecord(ev, this.idOf(ev));
    if (r.rule) this.rules.set(r.rule.id, r.rule);
    const e = r.event;
    return [r.id, this.name(r.file), r.line, r.time, this.name(r.ruleId), r.text, e ? this.name(e.node) : -1, e ? this.name(e.nodeKind) : -1,
      e ? this.name(e.category) : -1, e ? this.name(e.severity) : -1, r.position ?? -1];
  }

  /** A line stored, as evidence again; `shared`: as in read. */
  private lineEvidence([id, file, line, time, ruleId, text, node, nodeKind, category, severity, position]: StoredLine, shared: Map<number, Evidence> | undefined): Evidence {
    const { names } = this;
    // One object per line, as during the pass, where the report's key events tell lines apart by it (they number them).
    const known = position >= 0 ? shared?.get(id) : undefined;
    if (known) return known;
    const rule = ruleId < 0 ? null : names[ruleId]!;
    const ev = evidenceFromRecord({
      id, file: names[file]!, line, time, ruleId: rule, text, rule: rule === null ? null : this.rules.get(rule) ?? null,
      ...(node >= 0 && { event: { node: names[node]!, nodeKind: names[nodeKind]! as NodeKind, category: names[category]!, severity: names[severity]! as Severity } }),
      ...(position >= 0 && { position }),
    });
    // Read back, it is the line it was: the same number if it is spooled again.
    if (!numberEvidence(ev, this, id)) this.ids.set(ev, id);
    if (position >= 0) shared?.set(id, ev);
    return ev;
  }

  /**
   * A line cited out of memory, on its own (a controller's election, cited
   * only after the pass): where to read it back from (line).
   */
  keepLine(ev: Evidence): number {
    return this.kept.push(this.lineOf(ev));
  }

  /** A line kept (keepLine's answer) read back; `shared`: as in read. */
  line(k: number, shared: Map<number, Evidence> | undefined): Evidence {
    return this.lineEvidence(this.kept.at(k), shared);
  }

  /**
   * Evidence for spooled window `i` (put's answer; addEvidence's rules: no
   * line twice, MAX_EVIDENCE at most, the rest counted): what it cites is
   * read back the first time, to tell.
   */
  addEvidence(i: number, ev: Evidence): void {
    let more = this.later.get(i);
    if (!more) {
      const s = this.stored(i);
      const table = this.table(s);
      const cited = new Set(s[EVIDENCE].map((k) => lineKey(table[k]![1], table[k]![2])));
      this.later.set(i, (more = { evidence: [], omitted: 0, cited, count: s[EVIDENCE].length }));
    }
    const key = lineKey(this.name(ev.file), ev.line);
    if (more.cited.has(key)) return;
    if (more.count + more.evidence.length < MAX_EVIDENCE) {
      more.evidence.push(ev);
      more.cited.add(key);
    } else more.omitted++;
  }

  /** Spooled window `i`'s head. */
  private stored(i: number): StoredWindow {
    return JSON.parse(this.bytes.framed(i)) as StoredWindow;
  }

  /** The lines a window's head says it cites, as stored. */
  private table(s: StoredWindow): StoredLine[] {
    return JSON.parse(this.lines.text(s[TABLE_AT], s[TABLE_LENGTH])) as StoredLine[];
  }

  /**
   * The spooled windows (less those dropped) in the windows' order (start,
   * kind, opening): each key with the window's place, to read it by. A key
   * is changed by the next step: read it before asking for the next.
   */
  *inOrder(): Generator<OrderKey> {
    const { dropped } = this;
    for (const key of this.order) if (dropped.size === 0 || !dropped.has(key.place)) yield key;
  }

  /**
   * Spooled window `i` read back; `shared`: evidence already read back in
   * this pass over the windows, by number. `lazy`: the lines it cites (its
   * evidence, its edges' sources) read back only if they are asked for (a
   * window to output, not to change).
   */
  read(i: number, shared: Map<number, Evidence> | undefined, lazy = false): Window {
    const s = this.stored(i);
    const [kind, node, topic, partition, start, end, startBounds, endBounds, , , confidence, reason, details, , omitted] = s;
    const more = this.later.get(i);
    const evidenceOmitted = omitted + (more?.omitted ?? 0);
    if (lazy) {
      return new CitingOnDemand({
        kind, ...(node !== null && { node }), ...(topic !== null && { topic }), ...(partition !== null && { partition }),
        start, end, startBounds, endBounds, confidence, reason, details, evidenceOmitted, track: { alive: 0 },
      }, () => this.cites(s, shared, more));
    }
    const { evidence, startSource, endSource } = this.cites(s, shared, more);
    return {
      kind, ...(node !== null && { node }), ...(topic !== null && { topic }), ...(partition !== null && { partition }),
      start, end, startBounds, endBounds,
      ...(startSource && { startSource }), ...(endSource && { endSource }),
      confidence, reason, details, evidence, evidenceOmitted,
      track: { alive: 0 },
    };
  }

  /** What a window's head says it cites, read back: its evidence (with that added later: `more`) and its edges' sources. */
  private cites(s: StoredWindow, shared: Map<number, Evidence> | undefined, more: Later | undefined): Cites {
    const evidence = this.table(s).map((line) => this.lineEvidence(line, shared));
    const edge = (e: StoredEdge): EdgeSource | undefined => (e ? { how: e[0], evidence: e[1] < 0 ? null : evidence[e[1]]! } : undefined);
    const cited = s[EVIDENCE].map((k) => evidence[k]!);
    if (more) cited.push(...more.evidence);
    return { evidence: cited, startSource: edge(s[START_EDGE]), endSource: edge(s[END_EDGE]) };
  }

  /** A string that repeats from line to line (a file's name, a node's, a rule's id) by number. */
  private name(s: string | null): number {
    return s === null ? -1 : this.strings.number(s);
  }

  /**
   * The evidence objects of windows in memory that spooled windows cite too,
   * by number, where the events were numbered: windows the steps after the
   * pass read back (WindowBook.passOver) cite them again, one object per
   * line as during the pass. Iterating the windows (WindowList) does not.
   */
  shared(held: Iterable<Window>): Map<number, Evidence> {
    const shared = new Map<number, Evidence>();
    const note = (ev: Evidence | null | undefined): void => {
      if (!ev || positionOf(ev) === undefined) return;
      const id = this.numberOf(ev);
      if (id !== undefined) shared.set(id, ev);
    };
    for (const w of held) {
      for (const ev of w.evidence) note(ev);
      note(w.startSource?.evidence);
      note(w.endSource?.evidence);
    }
    for (const more of this.later.values()) for (const ev of more.evidence) note(ev);
    return shared;
  }

  close(): void {
    this.bytes.close();
    this.lines.close();
    this.order.close();
    this.kept.close();
  }
}

/** A line cited by a window, by its file's number and its line number, as one number. */
function lineKey(file: number, line: number): number {
  return file * 2 ** 32 + line;
}

/**
 * The lines cited: number, file, line, time, rule id, text, then for a log
 * line its node, node kind, category and severity, and its position in the
 * pass (-1: none); strings that repeat by their number in `names`.
 */
type StoredLine = [number, number, number, number | null, number, string, number, number, number, number, number];
/** An edge's source: how, and the line it rests on (its place in the table; -1: none). */
type StoredEdge = [string, number] | null;
/**
 * A window's head as JSON, a list rather than an object with its keys (a
 * third of the time to write and read back): kind, node, topic, partition,
 * start, end, start and end bounds, start and end sources, confidence,
 * reason, details, the evidence (places in the table), evidence omitted,
 * and where the table of the lines it cites (StoredLine[], as JSON) is in
 * the lines' file and its length.
 */
type StoredWindow = [
  WindowKind, string | null, string | null, number | null, number, number | null, [number, number] | null, [number, number] | null, StoredEdge, StoredEdge,
  Window['confidence'], string, Window['details'], number[], number, number, number,
];
const START_EDGE = 8;
const END_EDGE = 9;
const EVIDENCE = 13;
const TABLE_AT = 15;
const TABLE_LENGTH = 16;

/** Evidence added to a spooled window (WindowSpool.addEvidence): the lines, how many more were omitted, the lines it cites by file and line, and how many it cited when spooled. */
interface Later {
  evidence: Evidence[];
  omitted: number;
  cited: Set<number>;
  count: number;
}

/** What a window cites: its evidence and its edges' sources. */
interface Cites {
  evidence: Evidence[];
  startSource: EdgeSource | undefined;
  endSource: EdgeSource | undefined;
}

/**
 * A window read back whose evidence and edges' sources are read back (`read`)
 * the first time one of them is asked for; each may be set, as on any window.
 */
class CitingOnDemand implements Window {
  declare kind: WindowKind;
  declare node?: string;
  declare topic?: string;
  declare partition?: number;
  declare start: number;
  declare end: number | null;
  declare startBounds: [number, number] | null;
  declare endBounds: [number, number] | null;
  declare confidence: Window['confidence'];
  declare reason: string;
  declare details: Window['details'];
  declare evidenceOmitted: number;
  declare track: Window['track'];
  private cites: Cites | undefined = undefined;

  constructor(head: Omit<Window, 'evidence' | 'startSource' | 'endSource'>, private readonly read: () => Cites) {
    Object.assign(this, head);
  }

  private get got(): Cites {
    return (this.cites ??= this.read());
  }

  get evidence(): Evidence[] {
    return this.got.evidence;
  }

  set evidence(v: Evidence[]) {
    this.got.evidence = v;
  }

  get startSource(): EdgeSource | undefined {
    return this.got.startSource;
  }

  set startSource(v: EdgeSource | undefined) {
    this.got.startSource = v;
  }

  get endSource(): EdgeSource | undefined {
    return this.got.endSource;
  }

  set endSource(v: EdgeSource | undefined) {
    this.got.endSource = v;
  }
}
/** Whether JSON gives `w` back as it is: every number finite, no member undefined. */
function keptByJson(w: Window): boolean {
  const finite = (n: number | null | undefined) => n === null || n === undefined || Number.isFinite(n);
  const bounds = (b: [number, number] | null) => b === null || (Number.isFinite(b[0]) && Number.isFinite(b[1]));
  if (!finite(w.start) || !finite(w.end) || !finite(w.partition) || !bounds(w.startBounds) || !bounds(w.endBounds)) return false;
  for (const key in w.details) {
    const v = w.details[key];
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v)) || (Array.isArray(v) && !v.every(finite))) return false;
  }
  const line = (ev: Evidence | null | undefined) => !ev || (Number.isFinite(ev.line) && finite(ev.time));
  return w.evidence.every(line) && line(w.startSource?.evidence) && line(w.endSource?.evidence);
}
