import { defaultClassifier } from '../catalogue/index.js';
import type { EvidenceJson } from '../model/gap.js';
import type { InputJson } from '../model/timeline.js';
import { fileLineSource } from '../sources/lines.js';
import type { Family } from '../read/plan.js';
import type { TimelineEvent } from '../timeline/event.js';
import type { EventSink } from '../timeline/sink.js';
import { mergeByTime } from '../timeline/merge.js';
import { isRun, type EventRun } from '../timeline/run.js';
import type { SkewAnchors } from './skew.js';
import { familyEvents } from '../read/read.js';
import type { Zone } from '../time/zone.js';
import type { TruncationLine } from './lost-writes.js';

/** A time window to find broker-log evidence for (one gap). */
export interface EvidenceWindow {
  start: number;
  end: number;
  topic: string;
  partition: number | null;
  /** Node name of the broker that hosted the partition (`broker-1`), if known. */
  broker: string | null;
}

export interface WindowEvidence {
  evidence: EvidenceJson[];
  note: string | null;
  /** First line saying the partition had no leader (offline, or its host lost), from a margin before the window to its end. */
  leaderless: LineAt | null;
  /** First line after the window start saying the partition is online again. */
  online: LineAt | null;
}

export interface LineAt {
  node: string;
  file: string;
  line: number;
  time: number;
}

/** Whether an event says the window's partition has no leader (catalogue signals). */
function saysLeaderless(e: TimelineEvent, w: EvidenceWindow): boolean {
  const effect = e.rule?.effect;
  if (!effect) return false;
  if (effect.signal === 'partition-offline') return namesPartition(e.fields[effect.field], w);
  if (effect.signal === 'brokers-lost' && w.broker?.startsWith('broker-')) {
    const id = Number(w.broker.slice('broker-'.length));
    const v = e.fields[effect.field];
    return (Array.isArray(v) ? v : [v]).some((x) => Number(x) === id);
  }
  return false;
}

function namesPartition(v: unknown, w: EvidenceWindow): boolean {
  const names = partitionNames(w.topic, w.partition);
  return (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'string' && names.includes(x));
}

/** Outage events are looked for this long before the gap starts and after it ends. */
export const EVIDENCE_MARGIN_MS = 10 * 60_000;
export const MAX_EVENTS_PER_GAP = 50;

const HOST_RULES = new Set([
  'kafka.broker.starting', 'kafka.broker.started', 'kafka.broker.shutting-down', 'kafka.broker.shut-down',
  'kafka.zk.session-timeout', 'kafka.zk.session-established',
]);
const HOST_CATEGORIES = new Set(['lifecycle', 'zk-session', 'storage']);
const PEER_PARTITION_RULES = new Set(['kafka.fetcher.removed', 'kafka.isr.shrink']);
/** Classified events of these categories count when they name the partition. */
const PARTITION_CATEGORIES = new Set(['replication', 'isr', 'leadership', 'controller', 'truncation']);
const ANY_NODE_RULES = new Set(['zk.session.expired']);
const NO_LEADER = /does not have a leader|LEADER_NOT_AVAILABLE|NOT_LEADER|NotLeaderFor|Leader not available|OfflinePartition|no leader/i;

interface Seen {
  time: number;
  file: string;
  line: number;
  rule: string | null;
}

interface Silence {
  before: Seen | null;
  after: Seen | null;
  overlap: number;
}

function partitionNames(topic: string, partition: number | null): string[] {
  return partition === null ? [topic] : [`${topic}-${partition}`, `[${topic},${partition}]`];
}

function fieldNames(e: TimelineEvent, names: string[]): boolean {
  for (const v of Object.values(e.fields)) {
    const list = Array.isArray(v) ? v : [v];
    for (const x of list) if (typeof x === 'string' && names.includes(x)) return true;
  }
  return names.some((n) => e.message.includes(n));
}

function isOutageEvent(e: TimelineEvent, w: EvidenceWindow): boolean {
  const rule = e.rule?.id ?? null;
  if (rule !== null && e.node === w.broker && (HOST_RULES.has(rule) || HOST_CATEGORIES.has(e.category))) return true;
  if (rule !== null && ANY_NODE_RULES.has(rule)) return true;
  const names = partitionNames(w.topic, w.partition);
  if (rule !== null && (PEER_PARTITION_RULES.has(rule) || PARTITION_CATEGORIES.has(e.category)) && fieldNames(e, names)) return true;
  return NO_LEADER.test(e.message) && e.message.includes(w.topic);
}

/**
 * Streams every record of the broker and ZooKeeper logs once, in time order,
 * and collects for each window: the hosting broker's longest silence that
 * overlaps it (its last line before and first line after), and the outage
 * events around it. Holds one previous line per node and the few evidence
 * lines; log text is read back at the end for those lines only.
 */
export async function collectEvidence(
  families: readonly Family[],
  windows: readonly EvidenceWindow[],
  zone: Zone,
  onInput: (input: InputJson) => void,
  topic?: string,
  /** The zone each family's logs were written in (--tz auto); `zone` for all without it. */
  zoneOf?: (family: Family) => Zone,
  /** Fed every event: anchors of the clock offsets between nodes (analysis/skew.ts). */
  anchors?: SkewAnchors,
): Promise<EvidenceFound> {
  const sink = new EvidenceSink(families, windows, topic);
  const classifier = defaultClassifier();
  const streams = families.map((family) => familyEvents(family, {
    zone: zoneOf ? zoneOf(family) : zone, classifier, all: true, light: true, lightRuns: true, keep: () => true, onInput,
  }));
  const see = (e: TimelineEvent): void => {
    anchors?.observe(e);
    sink.push(e);
  };
  // Runs are unclassified: no skew anchors.
  for await (const item of mergeByTime(streams)) {
    if (isRun(item)) sink.pushRun(item);
    else see(item);
  }
  return sink.finish(zone);
}

export interface EvidenceFound {
  results: WindowEvidence[];
  lastLogTime: number | null;
  nodes: Set<string>;
  truncations: TruncationLine[];
  silences: NodeSilence[];
}

/**
 * The evidence of record gaps as a sink of a pass over the logs (every
 * record, classified or not, in time order): see collectEvidence.
 */
export class EvidenceSink implements EventSink {
  private readonly truncations: TruncationLine[] = [];
  private readonly longest = new Map<string, NodeSilence[]>();
  private readonly nodes = new Set<string>();
  private readonly silences: Silence[];
  private readonly events: { seen: Seen; node: string }[][];
  private readonly omitted: number[];
  private readonly leaderless: (LineAt | null)[];
  private readonly online: (LineAt | null)[];
  private readonly previous = new Map<string, Seen>();
  private lastLogTime: number | null = null;

  constructor(families: readonly Family[], private readonly windows: readonly EvidenceWindow[], private readonly topic?: string) {
    for (const f of families) this.nodes.add(f.nodes['kafka-broker']);
    this.silences = windows.map(() => ({ before: null, after: null, overlap: -1 }));
    this.events = windows.map(() => []);
    this.omitted = windows.map(() => 0);
    this.leaderless = windows.map(() => null);
    this.online = windows.map(() => null);
  }

  push(e: TimelineEvent): void {
    const { windows, silences, events, omitted, leaderless, online, topic } = this;
    if (this.lastLogTime === null || e.time > this.lastLogTime) this.lastLogTime = e.time;
    const seen: Seen = { time: e.time, file: e.file, line: e.line, rule: e.rule?.id ?? null };
    const prev = this.previous.get(e.node);
    if (prev) keepSilence(this.longest, e.node, prev, seen);
    if (topic !== undefined && e.rule?.removes !== undefined) {
      const t = truncationOf(e, topic);
      if (t) this.truncations.push(t);
    }
    for (let i = 0; i < windows.length; i++) {
      const w = windows[i]!;
      if (e.node === w.broker && e.time > w.start) {
        const from = prev ? Math.max(prev.time, w.start) : w.start;
        const overlap = Math.min(e.time, w.end) - from;
        if ((prev === undefined || prev.time < w.end) && overlap > silences[i]!.overlap) {
          silences[i] = { before: prev ?? null, after: seen, overlap };
        }
      }
      if (leaderless[i] === null && e.time >= w.start - EVIDENCE_MARGIN_MS && e.time <= w.end && saysLeaderless(e, w)) {
        leaderless[i] = { node: e.node, file: e.file, line: e.line, time: e.time };
      }
      if (online[i] === null && e.time > w.start && e.time <= w.end + EVIDENCE_MARGIN_MS && e.rule?.effect?.signal === 'partition-online' && namesPartition(e.fields[e.rule.effect.field], w)) {
        online[i] = { node: e.node, file: e.file, line: e.line, time: e.time };
      }
      if (e.time >= w.start - EVIDENCE_MARGIN_MS && e.time <= w.end + EVIDENCE_MARGIN_MS && isOutageEvent(e, w)) {
        if (events[i]!.length < MAX_EVENTS_PER_GAP) events[i]!.push({ seen, node: e.node });
        else omitted[i]!++;
      }
    }
    this.previous.set(e.node, seen);
  }

  /**
   * A run of unclassified records (timeline/run.ts): record by record where
   * any may be evidence (within a window's margins, or its broker's first
   * line after a window's start); elsewhere only the node's silences matter,
   * found between the run's times.
   */
  pushRun(run: EventRun): void {
    const { node } = run;
    const prev = this.previous.get(node);
    for (const w of this.windows) {
      if (run.lastTime < w.start - EVIDENCE_MARGIN_MS) continue;
      if (run.time > w.end + EVIDENCE_MARGIN_MS && (node !== w.broker || (prev !== undefined && prev.time >= w.end))) continue;
      for (const e of run.events()) this.push(e);
      return;
    }
    if (this.lastLogTime === null || run.lastTime > this.lastLogTime) this.lastLogTime = run.lastTime;
    const seenAt = (i: number): Seen => ({ time: run.timeAt(i), file: run.file, line: run.lineAt(i), rule: null });
    let before = prev?.time;
    for (let i = 0; i < run.length; i++) {
      const t = run.timeAt(i);
      if (before !== undefined && t - before >= MIN_SILENCE_MS) keepSilence(this.longest, node, i === 0 ? prev! : seenAt(i - 1), seenAt(i));
      before = t;
    }
    this.previous.set(node, seenAt(run.length - 1));
  }

  /** Once the pass is over: each window's evidence, its lines' text read back (times shown in `zone`). */
  async finish(zone: Zone): Promise<EvidenceFound> {
    const { windows, silences, events, omitted, leaderless, online, nodes, previous } = this;
    // A broker whose log stops inside a window and never resumes.
    for (let i = 0; i < windows.length; i++) {
      const w = windows[i]!;
      const last = w.broker ? previous.get(w.broker) : undefined;
      if (last && last.time < w.end) {
        const overlap = w.end - Math.max(last.time, w.start);
        if (overlap > silences[i]!.overlap) silences[i] = { before: last, after: null, overlap };
      }
    }
    // Read back the text of the lines used as evidence.
    const wanted = new Map<string, Set<number>>();
    const want = (s: Seen | null): void => {
      if (!s) return;
      let set = wanted.get(s.file);
      if (!set) wanted.set(s.file, (set = new Set()));
      set.add(s.line);
    };
    silences.forEach((s) => { want(s.before); want(s.after); });
    events.forEach((list) => list.forEach((x) => want(x.seen)));
    const text = await readLines(wanted);

    const results = windows.map((w, i): WindowEvidence => {
      const out: EvidenceJson[] = [];
      const s = silences[i]!;
      const item = (kind: EvidenceJson['kind'], node: string, x: Seen): EvidenceJson => ({
        kind, node, file: x.file, line: x.line, time: zone.format(x.time), epochMs: x.time,
        text: text.get(`${x.file}\0${x.line}`) ?? '', rule: x.rule,
      });
      const notes: string[] = [];
      if (w.broker === null) notes.push('the hosting broker is unknown (give --broker, or put the dump beside that broker\'s logs)');
      else if (!nodes.has(w.broker)) notes.push(`no log of ${w.broker} was given`);
      else if (s.overlap < 0) notes.push(`${w.broker} logged nothing around the gap`);
      if (w.broker !== null && s.before) out.push(item('last-line-before', w.broker, s.before));
      if (w.broker !== null && s.after) out.push(item('first-line-after', w.broker, s.after));
      if (w.broker !== null && s.overlap >= 0 && !s.after) notes.push(`${w.broker}'s log ends before the gap does`);
      for (const ev of events[i]!) {
        if (out.some((o) => o.file === ev.seen.file && o.line === ev.seen.line)) continue;
        out.push(item('outage-event', ev.node, ev.seen));
      }
      if (omitted[i]! > 0) notes.push(`${omitted[i]} more outage events not listed`);
      return { evidence: out, note: notes.length > 0 ? notes.join('; ') : null, leaderless: leaderless[i]!, online: online[i]! };
    });
    return { results, lastLogTime: this.lastLogTime, nodes, truncations: this.truncations, silences: [...this.longest.values()].flat() };
  }
}

/** A stretch in which a node logged nothing: its last line before and first line after. */
export interface NodeSilence {
  node: string;
  start: number;
  end: number;
  before: { file: string; line: number };
  after: { file: string; line: number };
}

/** Longest silences kept per node (for the zone check, which matches them against record gaps). */
export const SILENCES_KEPT = 10;
/** Shorter silences are not kept. */
export const MIN_SILENCE_MS = 5_000;

function keepSilence(longest: Map<string, NodeSilence[]>, node: string, prev: Seen, next: Seen): void {
  const length = next.time - prev.time;
  if (length < MIN_SILENCE_MS) return;
  let list = longest.get(node);
  if (!list) longest.set(node, (list = []));
  if (list.length >= SILENCES_KEPT) {
    let min = 0;
    for (let i = 1; i < list.length; i++) if (list[i]!.end - list[i]!.start < list[min]!.end - list[min]!.start) min = i;
    if (list[min]!.end - list[min]!.start >= length) return;
    list.splice(min, 1);
  }
  list.push({ node, start: prev.time, end: next.time, before: { file: prev.file, line: prev.line }, after: { file: next.file, line: next.line } });
}

/** A truncation line of the topic (catalogue signal `truncation`): which partition, to which offset. */
function truncationOf(e: TimelineEvent, topic: string): TruncationLine | null {
  const removes = e.rule?.removes;
  if (!removes || (removes.requires !== undefined && e.fields[removes.requires] === undefined)) return null;
  const offset = e.fields[removes.from];
  if (typeof offset !== 'number') return null;
  const hw = removes.committedTo ? e.fields[removes.committedTo] : undefined;
  const raw = e.fields[removes.partition];
  for (const name of Array.isArray(raw) ? raw : [raw]) {
    if (typeof name !== 'string') continue;
    const m = /^\[?(.+?)[-,](\d+)\]?$/.exec(name);
    if (!m || m[1] !== topic) continue;
    return { node: e.node, topic, partition: Number(m[2]), offset, highWatermark: typeof hw === 'number' ? hw : null, time: e.time, file: e.file, line: e.line };
  }
  return null;
}

/** The text of a few numbered lines per file, reading each file once up to its last wanted line. */
async function readLines(wanted: Map<string, Set<number>>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [file, lines] of wanted) {
    // A loop: a spread of a file's every cited line overflows the call stack past ~120,000 of them.
    let max = -Infinity;
    for (const n of lines) if (n > max) max = n;
    let n = 0;
    try {
      outer: for await (const batch of fileLineSource(file).batches()) {
        for (const line of batch) {
          n++;
          if (lines.has(n)) out.set(`${file}\0${n}`, line);
          if (n >= max) break outer;
        }
      }
    } catch {
      // The text stays empty; file and line still point at it.
    }
  }
  return out;
}
