import type { Rule } from '../catalogue/schema.js';
import type { WindowKind } from '../model/window.js';
import type { NodeKind, Severity } from '../model/record.js';
import { evidenceFromRecord, evidenceRecord, MAX_EVIDENCE, positionOf, type EdgeSource, type Evidence, type Window } from './window.js';
import { StringTable, TempBytes } from './temp-bytes.js';

/**
 * Windows the pass is done with, out of memory: a window closed that no
 * tracker can reach any more and no step after the pass changes (an ISR
 * shrink that ended, a truncation's two leaders, a controller failover) is
 * written to a private temporary file and read back, in the windows' order,
 * when they are output. On an event-dense log most windows are of these
 * kinds; held to the end of the pass they were most of its memory (~2 KB
 * each, 130,000 windows in a gibibyte).
 *
 * The file is unlinked as soon as it is open: nothing is left behind, even
 * when the run is killed. Where no such file can be made, the serialized
 * windows are held in memory instead (still a third of the objects' size).
 */
export class WindowSpool {
  /** The windows' text, one after the other (temp-bytes.ts: a file, or memory where there is none). */
  readonly bytes = new TempBytes('windows');
  /** Per spooled window: its place in the order (start, kind, opening) and where its bytes are. */
  private readonly starts: number[] = [];
  private readonly kinds: number[] = [];
  private readonly seqs: number[] = [];
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  /** Evidence added to a window after it was spooled, by its place in the spool. */
  private readonly later = new Map<number, { evidence: Evidence[]; omitted: number }>();
  /** One number per line cited (the same evidence object cited by several windows is one object again when read back). */
  private readonly ids = new WeakMap<Evidence, number>();
  private nextId = 0;
  private readonly rules = new Map<string, Rule>();
  private readonly strings = new StringTable();
  private readonly names = this.strings.list;
  constructor(private readonly kindOrder: (k: WindowKind) => number) {}

  get size(): number {
    return this.seqs.length;
  }

  /**
   * `w`, final, out of memory; `seq`: its place among the windows opened.
   * Returns its place in the spool (to add evidence to it by), or undefined:
   * `w` holds what JSON does not keep (a number not finite), and stays in
   * memory.
   */
  put(w: Window, seq: number): number | undefined {
    if (!keptByJson(w)) return undefined;
    const table: StoredWindow['table'] = [];
    const index = new Map<Evidence, number>();
    const ref = (ev: Evidence): number => {
      let i = index.get(ev);
      if (i === undefined) {
        let id = this.ids.get(ev);
        if (id === undefined) this.ids.set(ev, (id = this.nextId++));
        const r = evidenceRecord(ev, id);
        if (r.rule) this.rules.set(r.rule.id, r.rule);
        index.set(ev, (i = table.length));
        const name = (s: string | null) => this.name(s);
        const e = r.event;
        table.push([id, name(r.file), r.line, r.time, name(r.ruleId), r.text, e ? name(e.node) : -1, e ? name(e.nodeKind) : -1,
          e ? name(e.category) : -1, e ? name(e.severity) : -1, r.position ?? -1]);
      }
      return i;
    };
    const edge = (s: EdgeSource | undefined) => s && { how: s.how, evidence: s.evidence ? ref(s.evidence) : -1 };
    const stored: StoredWindow = {
      kind: w.kind, node: w.node, topic: w.topic, partition: w.partition, start: w.start, end: w.end,
      startBounds: w.startBounds, endBounds: w.endBounds, startSource: edge(w.startSource), endSource: edge(w.endSource),
      confidence: w.confidence, reason: w.reason, details: w.details, evidence: w.evidence.map(ref), evidenceOmitted: w.evidenceOmitted, table,
    };
    this.starts.push(w.start);
    this.kinds.push(this.kindOrder(w.kind));
    this.seqs.push(seq);
    this.offsets.push(this.bytes.size);
    this.lengths.push(this.bytes.append(JSON.stringify(stored)));
    return this.seqs.length - 1;
  }

  /**
   * Evidence for spooled window `i` (put's answer; addEvidence's rules: no
   * line twice, MAX_EVIDENCE at most, the rest counted): what it cites is
   * read back to tell.
   */
  addEvidence(i: number, ev: Evidence): void {
    const s = this.stored(i);
    let more = this.later.get(i);
    const cites = (file: string, line: number) => file === ev.file && line === ev.line;
    if (s.evidence.some((k) => cites(this.names[s.table[k]![1]]!, s.table[k]![2])) || more?.evidence.some((x) => cites(x.file, x.line))) return;
    if (!more) this.later.set(i, (more = { evidence: [], omitted: 0 }));
    if (s.evidence.length + more.evidence.length < MAX_EVIDENCE) more.evidence.push(ev);
    else more.omitted++;
  }

  private stored(i: number): StoredWindow {
    return JSON.parse(this.bytes.text(this.offsets[i]!, this.lengths[i]!)) as StoredWindow;
  }

  /** The spooled windows' numbers in the windows' order (start, kind, opening). */
  order(): number[] {
    const n = this.seqs.length;
    const at = Array.from({ length: n }, (_, i) => i);
    const { starts, kinds, seqs } = this;
    at.sort((a, b) => starts[a]! - starts[b]! || kinds[a]! - kinds[b]! || seqs[a]! - seqs[b]!);
    return at;
  }

  key(i: number): { start: number; kind: number; seq: number } {
    return { start: this.starts[i]!, kind: this.kinds[i]!, seq: this.seqs[i]! };
  }

  /** Spooled window `i` read back; `shared`: evidence already read back in this pass over the windows, by number. */
  read(i: number, shared: Map<number, Evidence> | undefined): Window {
    const s = this.stored(i);
    const { names } = this;
    const evidence = s.table.map(([id, file, line, time, ruleId, text, node, nodeKind, category, severity, position]) => {
      // One object per line, as during the pass, where the report's key events tell lines apart by it (they number them).
      const known = position >= 0 ? shared?.get(id) : undefined;
      if (known) return known;
      const rule = ruleId < 0 ? null : names[ruleId]!;
      const ev = evidenceFromRecord({
        id, file: names[file]!, line, time, ruleId: rule, text, rule: rule === null ? null : this.rules.get(rule) ?? null,
        ...(node >= 0 && { event: { node: names[node]!, nodeKind: names[nodeKind]! as NodeKind, category: names[category]!, severity: names[severity]! as Severity } }),
        ...(position >= 0 && { position }),
      });
      if (position >= 0) shared?.set(id, ev);
      return ev;
    });
    const edge = (e: StoredWindow['startSource']): EdgeSource | undefined => e && { how: e.how, evidence: e.evidence < 0 ? null : evidence[e.evidence]! };
    const startSource = edge(s.startSource);
    const endSource = edge(s.endSource);
    const w: Window = {
      kind: s.kind, ...(s.node !== undefined && { node: s.node }), ...(s.topic !== undefined && { topic: s.topic }), ...(s.partition !== undefined && { partition: s.partition }),
      start: s.start, end: s.end, startBounds: s.startBounds, endBounds: s.endBounds,
      ...(startSource && { startSource }), ...(endSource && { endSource }),
      confidence: s.confidence, reason: s.reason, details: s.details, evidence: s.evidence.map((k) => evidence[k]!), evidenceOmitted: s.evidenceOmitted,
      track: { alive: 0 },
    };
    const more = this.later.get(i);
    if (more) {
      w.evidence.push(...more.evidence);
      w.evidenceOmitted += more.omitted;
    }
    return w;
  }

  /** A string that repeats from line to line (a file's name, a node's, a rule's id) by number. */
  private name(s: string | null): number {
    return s === null ? -1 : this.strings.number(s);
  }

  /**
   * The evidence objects of windows in memory that spooled windows cite too,
   * by number, where the events were numbered (the report's key events tell
   * lines apart by these objects): read back, those windows cite them again.
   */
  shared(held: Iterable<Window>): Map<number, Evidence> {
    const shared = new Map<number, Evidence>();
    const note = (ev: Evidence | null | undefined): void => {
      const id = ev ? this.ids.get(ev) : undefined;
      if (id !== undefined && positionOf(ev!) !== undefined) shared.set(id, ev!);
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
  }
}

interface StoredWindow {
  kind: WindowKind;
  node: string | undefined;
  topic: string | undefined;
  partition: number | undefined;
  start: number;
  end: number | null;
  startBounds: [number, number] | null;
  endBounds: [number, number] | null;
  startSource: { how: string; evidence: number } | undefined;
  endSource: { how: string; evidence: number } | undefined;
  confidence: Window['confidence'];
  reason: string;
  details: Window['details'];
  evidence: number[];
  evidenceOmitted: number;
  /**
   * The lines cited: number, file, line, time, rule id, text, then for a log
   * line its node, node kind, category and severity, and its position in the
   * pass (-1: none); strings that repeat by their number in `names`.
   */
  table: [number, number, number, number | null, number, string, number, number, number, number, number][];
}

/** Whether JSON gives `w` back as it is: every number finite, no member undefined. */
function keptByJson(w: Window): boolean {
  const finite = (n: number | null | undefined) => n === null || n === undefined || Number.isFinite(n);
  if (![w.start, w.end, w.partition, ...(w.startBounds ?? []), ...(w.endBounds ?? [])].every(finite)) return false;
  for (const v of Object.values(w.details)) {
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v)) || (Array.isArray(v) && !v.every(finite))) return false;
  }
  const lines = [...w.evidence, w.startSource?.evidence, w.endSource?.evidence];
  return lines.every((ev) => !ev || (Number.isFinite(ev.line) && finite(ev.time)));
}
