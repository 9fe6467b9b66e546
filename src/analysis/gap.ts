import { basename, dirname, join, resolve } from 'node:path';
import type {
  DumpInputJson, GapJson, GapReportJson, PartitionGapJson, RecordRefJson, ZoneCheckJson,
} from '../model/gap.js';
import type { InputJson } from '../model/timeline.js';
import { parseProperties } from '../readers/properties.js';
import { readDumpFile, type DumpEntry, type DumpLineSink, type DumpReadResult, type DumpSection, type TimestampType } from '../readers/dump-log-segments.js';
import { nodeFromPath } from '../sources/identity.js';
import { readSmallFile } from '../sources/lines.js';
import { planInputs, type Plan } from '../read/plan.js';
import type { Family } from '../read/plan.js';
import { wholeZoneShift } from '../time/zone-check.js';
import { Zone } from '../time/zone.js';
import { inferNodeZones, zonesByNode, type NodeZone } from './zone-infer.js';
import { estimateSkew, SkewAnchors } from './skew.js';
import { collectEvidence, EvidenceSink, type EvidenceWindow, type LineAt, type NodeSilence, type WindowEvidence } from './evidence.js';
import { lostWrites, type LostWrites, type TruncationLine } from './lost-writes.js';
import { PartitionScan, type Candidate, type UnitRef } from './partition-scan.js';
import { Copy, EpochRuns, extraInt, listsRecords, parseLeaderEpochCheckpoint, segmentOf, ViewStream, type CopyId } from './replicas.js';

export interface GapOptions {
  topic: string;
  zone: Zone;
  /** The user's floor: spacings at or below this are never gaps (0: the adaptive rule alone decides). */
  minGapMs: number;
  /** Requested percentile of the partition's spacings (0–100). */
  percentile: number;
  /** Multiplier on that percentile. */
  k: number;
  /** Broker that hosted the dumped partitions (`1` or `broker-1`), overriding what paths say. */
  broker?: string;
  skewToleranceMs?: number;
  nodeMap?: readonly string[];
  followSymlinks?: boolean;
  /** --layout: log4j ConversionPatterns for files in no known layout. */
  layouts?: readonly string[];
  /** --tz auto: infer each node's zone (zone-infer.ts); `zone` is then only the fallback. */
  autoZone?: boolean;
  /** --display-tz: the zone the document's times are shown in, when not the zone the logs were read in. */
  displayZone?: Zone;
  /** Sees the plan before any file is read (to show progress against it). */
  onPlan?: (plan: Plan) => void;
}

export const DEFAULTS = { minGapMs: 0, percentile: 99.9, k: 10, skewToleranceMs: 1_000 } as const;
/** The percentile is lowered on small partitions so that at least this many spacings lie above it. */
export const MIN_ABOVE = 5;
/** Below this many spacings there is no percentile: k × the median, and at least SMALL_PARTITION_FLOOR_MS. */
export const MIN_SPACINGS = 20;
/** The least gap on a partition of fewer than MIN_SPACINGS spacings, whose median says little. */
export const SMALL_PARTITION_FLOOR_MS = 5_000;
/** A CreateTime this far after the last log line is flagged as in the future. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** `2 h 15 m 3.689 s` */
export function formatDuration(ms: number): string {
  const neg = ms < 0;
  let rest = Math.abs(Math.round(ms));
  const d = Math.floor(rest / 86_400_000); rest -= d * 86_400_000;
  const h = Math.floor(rest / 3_600_000); rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000); rest -= m * 60_000;
  const s = rest / 1000;
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} m`);
  if (s || parts.length === 0) parts.push(`${Number.isInteger(s) ? s : s.toFixed(3)} s`);
  return (neg ? '-' : '') + parts.join(' ');
}

function normaliseBroker(b: string): string {
  return /^\d+$/.test(b) ? `broker-${b}` : b;
}

/** Which section of a file belongs to the topic: by its `Dumping` path, or for a file given directly, by assumption. */
function sectionTopic(section: DumpSection, topic: string, direct: boolean): { topic: string; partition: number | null } | null {
  if (section.topic !== null) return section.topic === topic ? { topic, partition: section.partition } : null;
  return direct ? { topic, partition: section.partition } : null;
}

/** Partition from a file name like `dump-account_event-0.txt`, for pastes without `Dumping`. */
function partitionFromName(file: string, topic: string): number | null {
  const name = basename(file);
  const i = name.indexOf(`${topic}-`);
  if (i === -1) return null;
  const m = /^(\d+)/.exec(name.slice(i + topic.length + 1));
  return m ? Number(m[1]) : null;
}

export interface GapAnalysis {
  report: GapReportJson;
  plan: Plan;
}

/** The name Kafka gives the leader-epoch file in each partition directory. */
const CHECKPOINT = 'leader-epoch-checkpoint';

/**
 * dumps → one copy per (partition, broker, dump location), its batch- and
 * record-level views combined → gaps by the spacing rule, per copy → copies
 * of a partition compared (lost writes) → evidence from the logs → what each
 * gap means → the zone checked against the dumps' epoch times.
 */
export async function analyzeGaps(paths: readonly string[], options: GapOptions): Promise<GapAnalysis> {
  let zone = options.zone;
  const plan = await planInputs(paths, { nodeMap: options.nodeMap ?? [], followSymlinks: options.followSymlinks ?? false, layouts: options.layouts ?? [] });
  options.onPlan?.(plan);
  const [t] = await readTopicDumps(plan, paths, [options.topic], options);
  const { windows, epochSpans } = t!;
  const logs: InputJson[] = [];
  let found: FoundEvidence | null = null;
  let nodeZones: NodeZone[] | null = null;
  let zoneOf: ((f: Family) => Zone) | undefined;
  if (options.autoZone && plan.families.length > 0) {
    // First pass as UTC: each node's silences, to set against the record gaps.
    const utc = new Zone('UTC');
    const anchors = new SkewAnchors();
    const probe = await collectEvidence(plan.families, [], utc, () => undefined, undefined, undefined, anchors);
    const skew = estimateSkew(anchors.events);
    const relative = new Map<string, { offsetMs: number; basis: string }>();
    if (skew.reference) relative.set(skew.reference, { offsetMs: 0, basis: 'the reference node' });
    for (const x of skew.estimates) relative.set(x.node, { offsetMs: x.offsetMs, basis: `${x.pairs} pair(s) of lines logged at the same moment as on ${x.via}: ${x.basis.join(', ')}` });
    const nodeByDir = new Map<string, string>();
    for (const f of plan.families) nodeByDir.set(dirname(f.key), f.nodes[f.defaultRole]);
    nodeZones = await inferNodeZones({
      nodes: [...new Set(plan.families.map((f) => f.nodes[f.defaultRole]))].sort(),
      nodeByDir,
      unread: plan.skipped.map((s) => s.path),
      epochSpans,
      relative,
      silencesUtc: probe.silences.map((x) => ({ node: x.node, start: x.start, end: x.end, label: `${x.node} logging nothing from ${utc.format(x.start)} (${x.before.file}:${x.before.line}) to ${utc.format(x.end)} (${x.after.file}:${x.after.line})` })),
    });
    const z = zonesByNode(nodeZones);
    zone = z.display;
    zoneOf = (f) => z.byNode.get(f.nodes[f.defaultRole]) ?? zone;
  }
  // Logs are read in `zone` (or each node's under --tz auto); times are shown in `shown`.
  const shown = options.displayZone ?? zone;
  const read = zone;
  if (plan.families.length > 0) {
    // Evidence: one pass over all logs for all gaps (and the topic's truncation lines, and each node's silences).
    found = await collectEvidence(plan.families, windows, shown, (i) => logs.push(i), options.topic, zoneOf ?? (() => read));
  }
  return { plan, report: await topicReport(t!, plan, found, logs, { ...options, zone, nodeZones }) };
}

/** The handlers of one topic's part of a read of a dump file, and what to do when it ends. */
interface DumpHandlers {
  onEntry: (e: DumpEntry) => void;
  numbers: DumpLineSink;
  /** `seen`: every section of the file (by default those the handlers saw). */
  end: (result: DumpReadResult, seen?: ReadonlySet<DumpSection>) => boolean;
}

/**
 * Reads a dump file once for every topic's handlers; `discover`, given a
 * section not seen before, may add the handlers of a topic found in it
 * (their results follow the others').
 */
async function readForAll(
  path: string, handlers: DumpHandlers[], discover?: (sec: DumpSection) => DumpHandlers | undefined,
  onRead?: (result: DumpReadResult, seen: ReadonlySet<DumpSection>) => void,
): Promise<boolean[]> {
  if (handlers.length === 1 && !discover && !onRead) return [handlers[0]!.end(await readDumpFile(path, handlers[0]!.onEntry, { numbers: handlers[0]!.numbers }))];
  let last: DumpSection | null = null;
  const seen = new Set<DumpSection>();
  const see = (sec: DumpSection): void => {
    if (sec === last) return;
    last = sec;
    seen.add(sec);
    const more = discover?.(sec);
    if (more) handlers.push(more);
  };
  const numbers: DumpLineSink = {
    batchLine: (...a) => { see(a[0]); for (const h of handlers) h.numbers.batchLine(...a); },
    recordLine: (...a) => { see(a[0]); for (const h of handlers) h.numbers.recordLine(...a); },
  };
  const result = await readDumpFile(path, (e) => { see(e.section); for (const h of handlers) h.onEntry(e); }, { numbers });
  onRead?.(result, seen);
  return handlers.map((h) => h.end(result, seen));
}

/** A dump file's accounting for a topic: its sections, how many were the topic's, which other topics it holds. */
function dumpAccount(path: string, topic: string, result: DumpReadResult, seen: ReadonlySet<DumpSection>, ofTopic: number): DumpInputJson {
  const otherTopics = new Set<string>();
  for (const sec of seen) if (sec.topic !== null && sec.topic !== topic) otherTopics.add(sec.topic);
  const c = result.counts;
  // The schema's fields, in its order (a document so built is written as it is: model/check.ts); not `numbered`, a count inside the others.
  return {
    file: path, sections: seen.size, sectionsOfTopic: ofTopic, otherTopics: [...otherTopics].sort(),
    linesRead: c.linesRead, headers: c.headers, batches: c.batches, records: c.records, summaries: c.summaries, indexEntries: c.indexEntries,
    noise: c.noise, wrapped: c.wrapped, unrecognised: c.unrecognised, cut: c.cut, cutLines: result.cutLines, error: result.error,
  };
}

/** One topic's copies as read from the dumps: the spans the logs are searched in for evidence, and the gaps decided. */
export interface TopicDumps {
  topic: string;
  copies: Map<string, Copy>;
  decided: Decided[];
  /** Gaps and probes, as the windows evidence is collected in; `owner[i]` the candidate of `windows[i]`. */
  windows: EvidenceWindow[];
  owner: Candidate[];
  epochSpans: { label: string; epochStart: number; epochEnd: number; host: string | null }[];
  dumps: DumpInputJson[];
  other: { file: string; kind: string; note: string }[];
}

type Decided = { copy: Copy; scan: PartitionScan } & ReturnType<typeof decide>;

/**
 * The dumps of the plan read for several topics at once (null: every topic
 * a log segment's dump names, in topic order): each dump file is read once
 * whatever the number of topics (a batch-level dump is read once for its
 * epochs, which serve record-level views, then once more), each topic's
 * sections fed to its own copies.
 */
export async function readTopicDumps(plan: Plan, paths: readonly string[], topics: readonly string[] | null, options: Omit<GapOptions, 'topic'>): Promise<TopicDumps[]> {
  const skewToleranceMs = options.skewToleranceMs ?? DEFAULTS.skewToleranceMs;
  const direct = new Set(paths.map((p) => resolve(p)));
  // Node of the broker logs in each directory, to name the host of a dump lying beside them.
  const logNodeByDir = new Map<string, Set<string>>();
  for (const f of plan.families) {
    if (f.defaultRole !== 'kafka-broker') continue;
    const dir = dirname(f.key);
    let set = logNodeByDir.get(dir);
    if (!set) logNodeByDir.set(dir, (set = new Set()));
    set.add(f.nodes['kafka-broker']);
  }

  // Each broker's log directories from the server.properties given: a dumped path under one names its broker.
  const logDirs: { dir: string; broker: string; source: string }[] = [];
  for (const f of plan.others) {
    if (f.kind !== 'properties') continue;
    try {
      const props = parseProperties(await readSmallFile(f.path));
      const id = props.values.get('broker.id') ?? props.values.get('node.id');
      const dirs = props.values.get('log.dirs') ?? props.values.get('log.dir');
      if (!id || !/^\d+$/.test(id.value) || !dirs) continue;
      for (const d of dirs.value.split(',').map((x) => x.trim().replace(/\/+$/, '')).filter(Boolean)) {
        logDirs.push({ dir: d, broker: `broker-${id.value}`, source: `log.dirs of broker ${id.value} (${f.path}:${dirs.line})` });
      }
    } catch {
      // Unreadable: the paths decide.
    }
  }
  const dumpFiles: string[] = [];
  const nonDumps: { file: string; kind: string; note: string }[] = [];
  for (const file of plan.others) {
    if (file.kind === 'dump-log-segments') dumpFiles.push(file.path);
    else nonDumps.push({ file: file.path, kind: file.kind, note: `${file.kind}; not read by gap` });
  }

  const makeState = (topic: string) => {
    const copies = new Map<string, Copy>();
    const scans = new Map<Copy, PartitionScan>();
    const dumps: DumpInputJson[] = [];
  /** The copy a section of a file belongs to (null: not the topic's), made on first sight. */
  const routeKey = (file: string, section: DumpSection): { key: string; id: CopyId } | null => {
    const tp = section.fileKind === 'log' || section.fileKind === 'unknown' ? sectionTopic(section, topic, direct.has(resolve(file))) : null;
    if (!tp) return null;
    const partition = tp.partition ?? partitionFromName(file, topic);
    const host = hostOf(file, section);
    const location = dirname(file);
    return { key: `${tp.topic}\0${partition ?? ''}\0${host.broker ?? ''}\0${location}`, id: { topic: tp.topic, partition, broker: host.broker, brokerSource: host.source, location } };
  };
  const hostOf = (file: string, section: DumpSection): { broker: string | null; source: string | null } => {
    if (options.broker) return { broker: normaliseBroker(options.broker), source: '--broker' };
    const beside = logNodeByDir.get(dirname(file));
    if (beside && beside.size === 1) return { broker: [...beside][0]!, source: `broker logs beside ${file}` };
    const fromFile = nodeFromPath(file, 'kafka-broker');
    if (fromFile?.startsWith('broker-')) return { broker: fromFile, source: `path of ${file}` };
    const fromDump = section.path ? nodeFromPath(section.path, 'kafka-broker') : undefined;
    if (fromDump?.startsWith('broker-')) return { broker: fromDump, source: `dumped path ${section.path}` };
    const under = section.path ? logDirs.filter((l) => section.path!.startsWith(`${l.dir}/`)) : [];
    if (under.length > 0 && new Set(under.map((l) => l.broker)).size === 1) return { broker: under[0]!.broker, source: `dumped path ${section.path} under ${under[0]!.source}` };
    return { broker: null, source: null };
  };
  const copyOf = (file: string, section: DumpSection): Copy | null => {
    const r = routeKey(file, section);
    if (!r) return null;
    let copy = copies.get(r.key);
    if (!copy) {
      const key = r.key;
      const scan = new PartitionScan({ minGapMs: options.minGapMs, skewToleranceMs });
      copy = new Copy(r.id, (f, sec) => routeKey(f, sec)?.key === key, (u) => scan.feed(u));
      copies.set(key, copy);
      scans.set(copy, scan);
    }
    return copy;
  };

  /**
   * This topic's part of one read of a dump file. `mode`: 'epochs' keeps a
   * batch-level view's epochs (stops feeding if the file lists records after
   * all: it is then read as record-level); 'feed' feeds each section's units
   * to its copy. `end` says whether the file listed no record of the topic.
   */
  const accounted = new Set<string>();
  const reader = (path: string, mode: 'epochs' | 'feed', only?: (copy: Copy, segment: string) => boolean): DumpHandlers => {
    const sections = new Set<DumpSection>();
    const ofTopic = new Set<DumpSection>();
    let section: DumpSection | null = null;
    let copy: Copy | null = null;
    let segment = '';
    let stream: ViewStream | null = null;
    let view: Copy['views'][number] | null = null;
    let listsRecordsAfterAll = false;
    const enter = (sec: DumpSection): void => {
      if (sec === section) return;
      stream?.end();
      stream = null;
      section = sec;
      sections.add(sec);
      copy = copyOf(path, sec);
      if (!copy) return;
      ofTopic.add(sec);
      segment = segmentOf(path, sec);
      if (mode === 'epochs') {
        view = copy.view(path, segment, 'batch');
        if (!copy.batchSegments.has(segment)) copy.batchSegments.set(segment, { file: path, runs: new EpochRuns() });
        return;
      }
      if (only && !only(copy, segment)) { copy = null; return; }
      const fed = copy.recordSegments.has(segment) || (only !== undefined);
      view = copy.view(path, segment, only ? 'batch' : 'record');
      if (!only && fed) {
        // Another record-level view of this segment was fed already: this one is only counted.
        stream = null;
        return;
      }
      if (!only) copy.recordSegments.add(segment);
      copy.sources.push({ file: path, segment, level: only ? 'batch' : 'record' });
      const target = copy;
      stream = new ViewStream(target, path, segment, (u) => target.feed(u));
    };
    const corrupt = (c: Copy, line: number, kind: string, offset: number | null): void => {
      if (!accounted.has(path)) c.flagCorrupt({ file: path, line, offset, text: `${kind} at offset ${offset ?? '?'} marked isvalid: false (its CRC does not match its bytes)` });
    };
    const onBatch = (sec: DumpSection, line: number, first: number, last: number, count: number, type: TimestampType | null, time: number | null,
      epoch: number | null, pid: number | null, pepoch: number | null, lastSeq: number | null, valid: boolean | null): void => {
      enter(sec);
      const c = copy as Copy | null;
      if (!c || !view) return;
      if (valid === false) corrupt(c, line, 'batch', first);
      if (mode === 'epochs') {
        if (listsRecordsAfterAll) return;
        c.batchSegments.get(segment)!.runs.add(first, last, epoch ?? Number.NaN, count);
        view.batches++;
        view.records += count;
        return;
      }
      if (!only) view.batches++;
      (stream as ViewStream | null)?.batchNumbers(first, last, count, type, time, epoch, pid, pepoch, lastSeq, line);
    };
    const onRecord = (sec: DumpSection, line: number, offset: number, type: TimestampType | null, time: number | null,
      epoch: number | null, pid: number | null, pepoch: number | null, seq: number | null, valid: boolean | null): void => {
      enter(sec);
      const c = copy as Copy | null;
      if (!c || !view) return;
      if (mode === 'epochs') { listsRecordsAfterAll = true; return; }
      if (valid === false) corrupt(c, line, 'record', offset);
      if (!only) view.records++;
      (stream as ViewStream | null)?.recordNumbers(offset, type, time, epoch, pid, pepoch, seq, line);
    };
    const onEntry = (e: DumpEntry): void => {
      if (e.type === 'summary') {
        if (e.kind === 'invalid-bytes' && !accounted.has(path)) {
          enter(e.section);
          if (copy) (copy as Copy).flagCorrupt({ file: path, line: e.line, offset: null, text: e.text });
        }
        return;
      }
      if (e.type === 'batch') {
        if (e.lastOffset === null) return;
        const first = e.baseOffset ?? e.lastOffset;
        onBatch(e.section, e.line, first, e.lastOffset, e.count ?? e.lastOffset - first + 1, e.timestampType, e.timestamp,
          e.legacy ? null : e.partitionLeaderEpoch, e.producerId, e.producerEpoch, e.lastSequence, e.isValid);
      } else if (e.type === 'record') {
        if (e.offset === null) return;
        onRecord(e.section, e.line, e.offset, e.timestampType, e.timestamp, e.partitionLeaderEpoch, extraInt(e, 'producerId'), extraInt(e, 'producerEpoch'), e.sequence, e.isValid);
      }
    };
    // The two common line shapes come as numbers from the byte path (no object per line).
    const numbers: DumpLineSink = {
      batchLine: (sec, line, first, last, count, type, time, epoch, pid, pepoch, lastSeq, valid) => onBatch(sec, line, first, last, count, type, time, epoch, pid, pepoch, lastSeq, valid),
      recordLine: (sec, line, offset, type, time, seq) => onRecord(sec, line, offset, type, time, null, null, null, seq, null),
    };
    const end = (result: DumpReadResult, seen: ReadonlySet<DumpSection> = sections): boolean => {
      (stream as ViewStream | null)?.end();
      if (!accounted.has(path)) {
        accounted.add(path);
        dumps.push(dumpAccount(path, topic, result, seen, ofTopic.size));
      }
      return !listsRecordsAfterAll;
    };
    return { onEntry, numbers, end };
  };

    return { topic, copies, scans, dumps, reader, converted: [] as string[], batchOnly: [] as string[] };
  };
  type State = ReturnType<typeof makeState>;
  const states: State[] = (topics ?? []).map(makeState);

  // Without topics given, every topic dumped: a topic's state is made when its first section of a log segment is
  // read, and its handlers join that read from there on (no earlier section of the file was the topic's).
  const known = new Map(states.map((st) => [st.topic, st]));
  // Each file's first read, in order: a topic found later is accounted for the files read before it was.
  const firstReads = new Map<string, { result: DumpReadResult; seen: ReadonlySet<DumpSection> }>();
  const onRead = topics !== null ? undefined : (f: string) => (result: DumpReadResult, seen: ReadonlySet<DumpSection>): void => {
    if (!firstReads.has(f)) firstReads.set(f, { result, seen });
  };
  const discover = (f: string, mode: 'epochs' | 'feed', joined: State[]) => topics !== null ? undefined : (sec: DumpSection): DumpHandlers | undefined => {
    if (sec.topic === null || sec.fileKind !== 'log' || known.has(sec.topic)) return undefined;
    const st = makeState(sec.topic);
    known.set(st.topic, st);
    states.push(st);
    joined.push(st);
    return st.reader(f, mode);
  };

  // Batch-level views first (their epochs serve the record-level views of the same segments), then record-level
  // views fed in path order, then the batch-level views of segments no record-level view lists.
  const levels = await Promise.all(dumpFiles.map((f) => listsRecords(f)));
  const recordLevel = new Set(dumpFiles.filter((_, i) => levels[i]));
  for (const f of dumpFiles) {
    if (recordLevel.has(f)) continue;
    const joined = [...states];
    const batchLevel = await readForAll(f, joined.map((st) => st.reader(f, 'epochs')), discover(f, 'epochs', joined), onRead?.(f));
    joined.forEach((st, k) => {
      if (batchLevel[k]) {
        st.batchOnly.push(f);
        return;
      }
      // It listed records after all: its views are record-level.
      for (const c of st.copies.values()) {
        for (const v of c.views) if (v.file === f) { v.level = 'record'; v.batches = 0; v.records = 0; }
        for (const [seg, b] of c.batchSegments) if (b.file === f) c.batchSegments.delete(seg);
      }
      st.converted.push(f);
    });
  }
  for (const f of [...new Set([...recordLevel, ...states.flatMap((st) => st.converted)])].sort()) {
    const joined = states.filter((st) => recordLevel.has(f) || st.converted.includes(f));
    await readForAll(f, joined.map((st) => st.reader(f, 'feed')), recordLevel.has(f) ? discover(f, 'feed', joined) : undefined, onRead?.(f));
  }
  for (const f of [...new Set(states.flatMap((st) => st.batchOnly))].sort()) {
    await readForAll(f, states.filter((st) => st.batchOnly.includes(f)).map((st) => st.reader(f, 'feed', (copy, segment) => !copy.recordSegments.has(segment))));
  }

  const out: TopicDumps[] = [];
  for (const { topic, copies, scans, dumps } of [...states].sort((x, y) => (x.topic < y.topic ? -1 : x.topic > y.topic ? 1 : 0))) {
    const other = [...nonDumps];
    if (firstReads.size > 0) {
      // Found as the dumps were read: the files read before, which held none of it, accounted too, in the order of reading.
      const order = [...firstReads.keys()];
      for (const [f, r] of firstReads) if (!dumps.some((d) => d.file === f)) dumps.push(dumpAccount(f, topic, r.result, r.seen, 0));
      dumps.sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file));
    }
    // A view read as record-level that listed no record of this copy (its records were another partition's) is batch-level.
    for (const c of copies.values()) for (const v of c.views) if (v.level === 'record' && v.records === 0 && v.batches > 0) v.level = 'batch';
    // leader-epoch-checkpoint files beside a copy's dumps.
    const checkpoints = new Set<string>();
    for (const copy of copies.values()) {
      const file = join(copy.id.location, CHECKPOINT);
      if (!plan.skipped.some((s) => resolve(s.path) === resolve(file)) && !plan.others.some((o) => resolve(o.path) === resolve(file))) continue;
      try {
        const entries = parseLeaderEpochCheckpoint((await readSmallFile(file)).join('\n'), file);
        checkpoints.add(resolve(file));
        if (entries) copy.checkpoint.push(...entries);
        else copy.warnings.push(`${file} is not a leader-epoch-checkpoint (version, count, then "epoch offset" lines); not used`);
      } catch (e) {
        copy.warnings.push(`${file} could not be read: ${(e as Error).message}`);
      }
    }

    for (const s of plan.skipped) {
      other.push(checkpoints.has(resolve(s.path))
        ? { file: s.path, kind: 'leader-epoch-checkpoint', note: 'read by gap: where each leader epoch starts' }
        : { file: s.path, kind: 'unknown', note: s.reason });
    }

    // One scan per copy, fed as its dumps were read.
    const ordered = [...copies.values()].sort((a, b) => (a.id.partition ?? -1) - (b.id.partition ?? -1)
      || (a.id.broker ?? '').localeCompare(b.id.broker ?? '') || a.id.location.localeCompare(b.id.location));
    const decided = ordered.map((copy) => ({ copy, scan: scans.get(copy)!, ...decide(scans.get(copy)!, options) }));

    // Evidence is looked for around each gap (and the topic's truncation lines, and each node's silences).
    // Shorter spacings (probes) are looked at too: one the logs show the partition leaderless in is reported as well.
    const windows: EvidenceWindow[] = [];
    const owner: Candidate[] = [];
    for (const d of decided) {
      for (const g of [...d.gaps, ...d.probes]) {
        windows.push({ start: g.before.time, end: g.after.time, topic: d.copy.id.topic, partition: d.copy.id.partition, broker: d.copy.id.broker });
        owner.push(g);
      }
    }
    const epochSpans = decided.flatMap((d) => d.gaps.map((g) => ({
      label: `record gap ${d.copy.id.topic}-${d.copy.id.partition ?? '?'} offsets ${g.before.offset}→${g.after.offset} (${new Date(g.before.time).toISOString()} → ${new Date(g.after.time).toISOString()})`,
      epochStart: g.before.time, epochEnd: g.after.time, host: d.copy.id.broker,
    })));
    out.push({ topic, copies, decided, windows, owner, epochSpans, dumps, other });
  }
  return out;
}

/**
 * Every dumped topic's gaps within a command's one pass over the logs: the
 * dumps are read first (each file once for every topic; `topics` none: every
 * topic dumped), then each topic's evidence is a sink on the pass.
 */
export class DumpedTopicGaps {
  private constructor(
    private readonly plan: Plan, private readonly dumped: TopicDumps[], readonly sinks: EvidenceSink[], private readonly options: Omit<GapOptions, 'topic'>,
  ) {}

  static async read(plan: Plan, paths: readonly string[], topics: readonly string[] | undefined, options: Omit<GapOptions, 'topic'>): Promise<DumpedTopicGaps> {
    const dumped = plan.others.some((o) => o.kind === 'dump-log-segments')
      ? await readTopicDumps(plan, paths, topics && topics.length > 0 ? topics : null, options)
      : [];
    return new DumpedTopicGaps(plan, dumped, dumped.map((t) => new EvidenceSink(plan.families, t.windows, t.topic)), options);
  }

  /** Once the pass is over: each topic's gap document; `logs`, the logs read as the documents list them. */
  async reports(logs: InputJson[]): Promise<GapReportJson[]> {
    const out: GapReportJson[] = [];
    for (let i = 0; i < this.dumped.length; i++) {
      const found = this.plan.families.length > 0 ? await this.sinks[i]!.finish(this.options.displayZone ?? this.options.zone) : null;
      out.push(await topicReport(this.dumped[i]!, this.plan, found, logs, this.options));
    }
    return out;
  }
}

/** What the pass over the logs found for a topic's gaps (collectEvidence, or an EvidenceSink of a command's one pass). */
export type FoundEvidence = Pick<Awaited<ReturnType<typeof collectEvidence>>, 'results' | 'lastLogTime' | 'truncations' | 'silences'>;

/**
 * A topic's gap document from its dumps and the evidence found in the logs
 * (null: no logs given): probes the logs show leaderless become gaps, copies
 * are compared (lost writes), and the zone is checked against the dumps.
 */
export async function topicReport(
  t: TopicDumps, plan: Plan, found: FoundEvidence | null, logs: InputJson[],
  options: Omit<GapOptions, 'topic'> & { nodeZones?: NodeZone[] | null },
): Promise<GapReportJson> {
  const zone = options.zone;
  const skewToleranceMs = options.skewToleranceMs ?? DEFAULTS.skewToleranceMs;
  const nodeZones = options.nodeZones ?? null;
  const shown = options.displayZone ?? zone;
  const { decided, owner, epochSpans, dumps, other } = t;
  const ordered = decided.map((d) => d.copy);
  const evidence = new Map<Candidate, WindowEvidence>();
  found?.results.forEach((r, i) => evidence.set(owner[i]!, r));
  const lastLogTime = found?.lastLogTime ?? null;
  const truncations = found ? dedupeTruncations(found.truncations) : [];
  const silences = found?.silences ?? [];

  // A probe within which a line says the partition had no leader is a gap too (below the threshold: no loss claimed).
  const belowThreshold = new Set<Candidate>();
  for (const d of decided) {
    const promoted = d.probes.filter((g) => {
      const l = evidence.get(g)?.leaderless;
      return l !== null && l !== undefined && l.time >= g.before.time && l.time <= g.after.time;
    });
    for (const g of promoted) belowThreshold.add(g);
    if (promoted.length > 0) d.gaps = [...d.gaps, ...promoted].sort((a, b) => a.before.offset - b.before.offset);
  }

  // Copies of each partition compared: lost writes.
  const byPartition = new Map<string, Copy[]>();
  for (const c of ordered) {
    const k = String(c.id.partition ?? '');
    const list = byPartition.get(k) ?? [];
    list.push(c);
    byPartition.set(k, list);
  }
  const lost = await Promise.all([...byPartition.values()].map((list) => lostWrites(list, truncations.filter((t) => t.partition === list[0]!.id.partition))));

  const ref = (u: UnitRef): RecordRefJson => ({
    offset: u.offset, createTime: u.time, time: shown.format(u.time), utc: new Date(u.time).toISOString(), line: u.line, file: u.file,
  });

  const out: PartitionGapJson[] = decided.map((d, part) => {
    const s = d.scan;
    const partLost = lost.find((l) => l.partition === d.copy.id.partition) ?? null;
    const gaps: GapJson[] = d.gaps.map((g) => {
      const ev = evidence.get(g);
      return describeGap(g, partLost, ev?.evidence ?? [], ev ? ev.note : plan.families.length === 0 ? 'no broker or ZooKeeper logs were given' : null, ev?.leaderless ?? null, ev?.online ?? null, ref,
        belowThreshold.has(g) ? d.spacing.thresholdMs : null);
    });
    const future = lastLogTime === null ? null : s.latest.filter((t) => t > lastLogTime! + FUTURE_TOLERANCE_MS).length;
    const warnings = [...d.copy.warnings, ...s.warnings];
    if (s.omittedBelow !== null && s.omittedBelow <= d.spacing.thresholdMs) warnings.push(`${s.candidatesOmitted} spacings were not kept (only the ${s.candidates.length} largest are) and the threshold ${formatDuration(d.spacing.thresholdMs)} lies below the shortest kept (${formatDuration(s.omittedBelow)}): gaps may be missing; raise --min-gap`);
    if (s.withoutOffset > 0) warnings.push(`${s.withoutOffset} record lines carry no offset (--skip-record-metadata); they are not analysed`);
    if (s.epochChangesOmitted > 0) warnings.push(`${s.epochChangesOmitted} more leader-epoch changes not listed`);
    if (d.copy.corruption.length > 0) warnings.push(`${d.copy.corruption.length + d.copy.corruptionOmitted} corrupt batches or records (isvalid: false / invalid bytes), first at ${d.copy.corruption[0]!.file}:${d.copy.corruption[0]!.line}`);
    if (d.copy.views.every((v) => v.level === 'batch')) warnings.push('only batch-level dumps (no --deep-iteration): a batch\'s max timestamp stands for all its records, so the first record after a gap may be earlier than shown; dump with --deep-iteration for each record\'s CreateTime');
    const type = timestampType(s.types);
    return {
      topic: d.copy.id.topic,
      partition: d.copy.id.partition,
      broker: d.copy.id.broker,
      brokerSource: d.copy.id.brokerSource,
      location: d.copy.id.location,
      views: d.copy.views.map((v) => ({ ...v })),
      firstOffset: s.firstOffset,
      lastOffset: s.lastOffset,
      records: s.records,
      batches: d.copy.views.reduce((n, v) => Math.max(n, v.batches), 0),
      createTime: {
        first: s.firstTime, last: s.lastTime, min: s.minTime, max: s.maxTime,
        minTime: s.minTime === null ? null : shown.format(s.minTime),
        maxTime: s.maxTime === null ? null : shown.format(s.maxTime),
      },
      timestampType: type,
      timestampTypeNote: TYPE_NOTE[type],
      timestampTypes: Object.fromEntries(s.types),
      leaderEpochs: s.epochs.map((e) => ({ epoch: e.epoch, firstOffset: e.firstOffset, firstCreateTime: e.firstTime, time: e.firstTime === null ? null : shown.format(e.firstTime) })),
      leaderChanges: s.boundaries.map((b) => {
        const spacingMs = Math.max(0, b.after.time - b.before.time);
        const gap = d.gaps.some((g) => g.after.offset === b.after.offset);
        return {
          before: ref(b.before), after: ref(b.after), spacingMs, epochBefore: b.before.epoch, epochAfter: b.after.epoch, gap,
          text: gap
            ? `leader epoch ${b.before.epoch} → ${b.after.epoch} across a gap of ${formatDuration(spacingMs)} (see the gap)`
            : `leader epoch ${b.before.epoch} → ${b.after.epoch} with records ${formatDuration(spacingMs)} apart, within the partition's normal spacing (gap threshold ${formatDuration(d.spacing.thresholdMs)}): producers kept their records through the leader change and they were written by the new leader with their original CreateTime; no loss is claimed here`,
        };
      }),
      spacing: d.spacing,
      gaps,
      offsetDiscontinuities: s.holes,
      offsetDiscontinuitiesOmitted: s.holesOmitted,
      clockSkew: {
        backwards: s.backwards,
        maxBackwardsMs: s.maxBackwardsMs,
        toleranceMs: skewToleranceMs,
        examples: s.skewExamples.map((x) => ({ offset: x.offset, createTime: x.time, time: shown.format(x.time), previousMaxCreateTime: x.previousMax, backwardsMs: x.previousMax - x.time })),
        future,
        futureNote: lastLogTime === null
          ? 'no logs given: cannot tell whether timestamps lie in the future'
          : `timestamps more than ${formatDuration(FUTURE_TOLERANCE_MS)} after the last log line (${shown.format(lastLogTime)}), among the ${s.latest.length} latest; genuine if the dump was taken after the logs end`,
      },
      corruption: d.copy.corruption,
      warnings,
    };
  });

  // The zone the logs were read in, checked against the dumps' epoch times.
  const logSpans = silences.map((x) => ({
    node: x.node, start: x.start, end: x.end,
    label: `${x.node} logging nothing from ${shown.format(x.start)} (${x.before.file}:${x.before.line}) to ${shown.format(x.end)} (${x.after.file}:${x.after.line})`,
  }));
  // Under --tz auto each node is read in its own zone: the check is then against the zones inferred.
  const shift = nodeZones ? null : wholeZoneShift(epochSpans, logSpans, zone);
  const zoneCheck: ZoneCheckJson = shift
    ? { checked: true, shiftMs: shift.shiftMs, writtenOffset: shift.writtenOffset, suggestedTimeZone: shift.tz, node: shift.node, message: shift.message }
    : {
      checked: epochSpans.length > 0 && logSpans.length > 0, shiftMs: null, writtenOffset: null, suggestedTimeZone: null, node: null,
      message: nodeZones ? `--tz auto: ${nodeZones.map((z) => `${z.node} ${z.timeZone} (${z.how})`).join(', ')}`
        : epochSpans.length === 0 ? 'zone not checked: no record gap to compare the logs with'
        : logSpans.length === 0 ? 'zone not checked: no log silences to compare the record gaps with'
          : `zone ${zone.name} agrees with the dumps: no whole-zone shift of the logs fits the record gaps better`,
    };

  return {
      schema: 'kforensics/gap/v1',
      topic: t.topic,
      timeZone: zone.name,
      ...(shown !== zone && { displayTimeZone: shown.name }),
      criterion: criterionText(options),
      partitions: out,
      // Fields in the schema's order (a document so built is written as it is: model/check.ts).
      lostWrites: lost.map((l) => ({
        ...l,
        divergent: l.divergent.map(({ firstLine, lastLine, ...x }) => ({
          ...x, from: x.minCreateTime === null ? null : shown.format(x.minCreateTime), to: x.maxCreateTime === null ? null : shown.format(x.maxCreateTime), firstLine, lastLine,
        })),
        truncations: l.truncations.map(({ file, line, accountedBy, lowerBound, ...t }) => ({ ...t, time: shown.format(t.time), epochMs: t.time, file, line, accountedBy, lowerBound })),
      })),
      zoneCheck,
      ...(nodeZones && { nodeZones }),
      inputs: { dumps, logs, other },
  };
}

/** The same truncation may be logged twice (the fetcher's WARN and the log's INFO): one per node, partition and offset within a minute. */
function dedupeTruncations(list: readonly TruncationLine[]): TruncationLine[] {
  const out: TruncationLine[] = [];
  for (const t of list) {
    const same = out.find((o) => o.node === t.node && o.partition === t.partition && o.offset === t.offset && Math.abs(o.time - t.time) < 60_000);
    if (!same) out.push({ ...t });
    else if (t.highWatermark !== null && same.highWatermark === null) same.highWatermark = t.highWatermark;
  }
  return out;
}

/**
 * A gap's figures and what it means. Records missing between the two
 * records: from the idempotent producer's sequence numbers when both carry
 * the same producer, else rate × duration − 1 (the records a steady flow
 * would have put strictly between them). Those a deposed leader wrote with a
 * CreateTime inside the gap and lost to truncation are counted apart.
 */
function describeGap(
  g: Candidate, lost: LostWrites | null,
  evidence: GapJson['evidence'], evidenceNote: string | null, leaderless: LineAt | null, online: LineAt | null, ref: (u: UnitRef) => RecordRefJson,
  /** The threshold, when this spacing lies below it and is reported only because the partition had no leader within it. */
  belowThresholdMs: number | null = null,
): GapJson {
  const rw = g.rateWindow;
  const windowMs = rw ? rw.toTime - rw.fromTime : 0;
  const rate = rw && windowMs > 0 ? rw.records / (windowMs / 1000) : null;
  const pb = g.before.producer;
  const pa = g.after.producer;
  let estimated: number | null;
  let method: string;
  if (pb && pa && pb.id === pa.id && pb.epoch === pa.epoch && pa.firstSeq > pb.lastSeq) {
    estimated = pa.firstSeq - pb.lastSeq - 1;
    method = `sequence numbers of idempotent producer ${pb.id} (epoch ${pb.epoch ?? '?'}): ${pb.lastSeq} before, ${pa.firstSeq} after (exact for this producer)`;
  } else if (rate !== null) {
    estimated = Math.max(0, Math.round(rate * (g.durationMs / 1000)) - 1);
    method = `rate × duration − 1: ${rate.toFixed(4)} records/s (from ${rw!.records} records over offsets ${rw!.fromOffset}..${rw!.toOffset}) × ${formatDuration(g.durationMs)}, less the record after the gap`;
  } else {
    estimated = null;
    method = 'too few records before the gap for a rate';
  }
  // Lost acknowledged writes whose CreateTime lies inside the gap.
  let inGap = 0;
  for (const d of lost?.divergent ?? []) {
    if (d.minCreateTime !== null && d.maxCreateTime !== null && d.minCreateTime > g.before.time && d.maxCreateTime < g.after.time) inGap += d.records;
  }
  const epochChanged = g.before.epoch !== null && g.after.epoch !== null && g.before.epoch !== g.after.epoch;
  const outage = evidence.some((e) => e.kind === 'outage-event');
  const at = (l: LineAt): string => `${l.file}:${l.line}`;
  let kind: GapJson['meaning']['kind'];
  let claimed: boolean;
  let text: string;
  if (belowThresholdMs !== null && inGap === 0) {
    kind = 'buffered';
    claimed = false;
    text = `a spacing within the partition's normal range (threshold ${formatDuration(belowThresholdMs)}), reported because the partition had no leader within it (${leaderless!.node}, ${at(leaderless!)}): producers held their records through the leaderless time and the new leader wrote them late with their original CreateTime, so no loss is claimed`;
  } else if (inGap > 0) {
    kind = 'truncated';
    claimed = true;
    text = `${inGap} records with a CreateTime inside the gap were written by the leader of epoch ${g.before.epoch ?? '?'} at offsets the next leader's epoch took over, and removed when that broker followed the new leader (see lost writes): acknowledged writes lost if producers used acks=1, or if the new leader was elected from outside the ISR (unclean election); the other ${Math.max(0, (estimated ?? 0) - inGap)} missing records were never written`;
  } else if (epochChanged || leaderless) {
    kind = 'given-up';
    claimed = true;
    const why = [
      epochChanged ? `the leader changed across the gap (epoch ${g.before.epoch} → ${g.after.epoch})` : null,
      leaderless ? `the partition had no leader (${leaderless.node}, ${at(leaderless)})` : null,
    ].filter(Boolean).join(' and ');
    text = `${why}, and no copy holds a record created inside the gap: records created in those ${formatDuration(g.durationMs)} were never written. `
      + 'A producer whose retries outlast an outage writes its records late with their original CreateTime (no CreateTime gap); these were older than its delivery timeout when the partition took writes again, so it gave them up.';
    if (online && g.after.time < online.time) {
      text += ` The first record after the gap was created ${formatDuration(online.time - g.after.time)} before the partition was online again (${online.node}, ${at(online)}): the producer held its newer records that long and delivered them, so its delivery timeout was about ${formatDuration(online.time - g.after.time)}.`;
    } else if (online) {
      text += ` Records resumed ${formatDuration(g.after.time - online.time)} after the partition was online again (${online.node}, ${at(online)}).`;
    }
  } else if (outage) {
    kind = 'unexplained';
    claimed = false;
    text = 'the leader epoch did not change across the gap and no line says the partition lost its leader; the logs show outage events around it, but nothing shows records were produced then: loss is not claimed (producers may have been idle or unable to connect); the estimate is what steady traffic would have written';
  } else {
    kind = 'unexplained';
    claimed = false;
    text = 'no leader change and no outage evidence around the gap: producers may simply have sent nothing; loss is not claimed';
  }
  const neverWritten = claimed && estimated !== null ? Math.max(0, estimated - inGap) : null;
  return {
    before: ref(g.before),
    after: ref(g.after),
    durationMs: g.durationMs,
    duration: formatDuration(g.durationMs),
    estimatedMissing: estimated,
    estimateMethod: method,
    lostAcknowledgedInGap: inGap,
    neverWritten,
    meaning: { kind, lossClaimed: claimed, text },
    rate,
    rateWindow: rw ? { records: rw.records, fromOffset: rw.fromOffset, toOffset: rw.toOffset, fromCreateTime: rw.fromTime, toCreateTime: rw.toTime, durationMs: windowMs } : null,
    leaderEpochBefore: g.before.epoch,
    leaderEpochAfter: g.after.epoch,
    evidence,
    evidenceNote,
  };
}

const TYPE_NOTE: Record<PartitionGapJson['timestampType'], string> = {
  CreateTime: 'CreateTime: set by the producer when it created the record (producer clock). A gap means no record was produced and accepted in that time: the partition could not take writes, or producers sent nothing.',
  LogAppendTime: 'LogAppendTime: set by the leader broker when it appended the batch (broker clock). A gap means the leader appended nothing in that time.',
  NoTimestampType: 'No timestamps (magic 0 messages): time gaps cannot be measured; only offsets are checked.',
  mixed: 'Mixed CreateTime and LogAppendTime batches (the topic\'s message.timestamp.type changed): spacings mix producer and broker clocks.',
  unknown: 'No timestamp seen.',
};

function timestampType(types: Map<string, number>): PartitionGapJson['timestampType'] {
  const seen = [...types.keys()].filter((t) => t !== 'NoTimestampType');
  if (seen.length === 0) return types.has('NoTimestampType') ? 'NoTimestampType' : 'unknown';
  if (seen.length > 1) return 'mixed';
  return seen[0] as 'CreateTime' | 'LogAppendTime';
}

export function criterionText(o: Pick<GapOptions, 'minGapMs' | 'percentile' | 'k'>): string {
  const floor = o.minGapMs > 0 ? `both the user's floor --min-gap (${formatDuration(o.minGapMs)}) and ` : '';
  return `a gap is two consecutive records whose timestamps are further apart than ${floor}${o.k} × the ${o.percentile}th percentile of the partition's own record spacing (on small partitions the percentile is lowered so that at least ${MIN_ABOVE} spacings lie above it; below ${MIN_SPACINGS} spacings, ${o.k} × the median and at least ${formatDuration(SMALL_PARTITION_FLOOR_MS)})${o.minGapMs > 0 ? '' : '; no --min-gap floor was set'}`;
}

/** Spacings below the threshold looked at in the logs, per copy (the longest above PROBE_FACTOR × the median). */
export const PROBES = 10;
export const PROBE_FACTOR = 3;

function decide(scan: PartitionScan, o: Pick<GapOptions, 'minGapMs' | 'percentile' | 'k'>): { gaps: Candidate[]; probes: Candidate[]; spacing: PartitionGapJson['spacing'] } {
  const n = scan.hist.count;
  let q: number | null = null;
  let p: number | null = null;
  let threshold = o.minGapMs;
  let criterion: string;
  const floorText = o.minGapMs > 0 ? `--min-gap ${formatDuration(o.minGapMs)}` : '--min-gap off 0 s';
  if (n < MIN_SPACINGS) {
    const median = scan.hist.percentile(50);
    const km = median === null ? 0 : Math.round(o.k * median);
    threshold = Math.max(o.minGapMs, km, SMALL_PARTITION_FLOOR_MS);
    criterion = `${n} spacings are too few for a percentile: gap = spacing > max(${floorText}, ${o.k} × median ${formatDuration(Math.round(median ?? 0))}, ${formatDuration(SMALL_PARTITION_FLOOR_MS)} for so few records) = ${formatDuration(threshold)}`;
  } else {
    q = Math.min(o.percentile, 100 * (1 - MIN_ABOVE / n));
    q = Math.floor(q * 1000) / 1000;
    p = scan.hist.percentile(q)!;
    const kp = Math.round(o.k * p);
    threshold = Math.max(o.minGapMs, kp);
    const lowered = q < o.percentile ? ` (${o.percentile}th requested, lowered so ${MIN_ABOVE} of ${n} spacings lie above it)` : '';
    criterion = `gap = spacing > max(${floorText}, ${o.k} × P${q}${lowered} = ${o.k} × ${formatDuration(Math.round(p))} = ${formatDuration(kp)}) = ${formatDuration(threshold)}`;
  }
  const gaps = scan.candidates.filter((c) => c.durationMs > threshold).sort((a, b) => a.before.offset - b.before.offset);
  const median = scan.hist.percentile(50);
  const probeFloor = Math.max(o.minGapMs, PROBE_FACTOR * (median ?? 0));
  const probes = scan.candidates.filter((c) => c.durationMs <= threshold && c.durationMs > probeFloor)
    .sort((a, b) => b.durationMs - a.durationMs).slice(0, PROBES);
  return {
    gaps,
    probes,
    spacing: {
      count: n, percentile: q, percentileMs: p === null ? null : Math.round(p), medianMs: median === null ? null : Math.round(median),
      k: o.k, minGapMs: o.minGapMs, thresholdMs: threshold, criterion,
    },
  };
}
