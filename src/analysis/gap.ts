import { basename, dirname, resolve } from 'node:path';
import type {
  DumpInputJson, GapJson, GapReportJson, PartitionGapJson, RecordRefJson,
} from '../model/gap.js';
import type { InputJson } from '../model/timeline.js';
import { readDumpFile, type DumpEntry, type DumpLineSink, type DumpSection } from '../readers/dump-log-segments.js';
import { nodeFromPath } from '../sources/identity.js';
import { planInputs, type Plan } from '../sources/plan.js';
import type { Zone } from '../time/zone.js';
import { collectEvidence, type EvidenceWindow } from './evidence.js';
import { PartitionScan, type Candidate, type UnitRef } from './partition-scan.js';

export interface GapOptions {
  topic: string;
  zone: Zone;
  /** Spacings at or below this are never gaps. */
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
}

export const DEFAULTS = { minGapMs: 60_000, percentile: 99.9, k: 10, skewToleranceMs: 1_000 } as const;
/** The percentile is lowered on small partitions so that at least this many spacings lie above it. */
export const MIN_ABOVE = 5;
/** Below this many spacings there is no percentile: --min-gap alone decides. */
export const MIN_SPACINGS = 20;
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

interface PartitionState {
  topic: string;
  partition: number | null;
  scan: PartitionScan;
  broker: string | null;
  brokerSource: string | null;
}

function key(topic: string, partition: number | null): string {
  return `${topic}\0${partition ?? ''}`;
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

/** dumps → per-partition scans → gaps by the spacing rule → evidence from the logs. */
export async function analyzeGaps(paths: readonly string[], options: GapOptions): Promise<GapAnalysis> {
  const zone = options.zone;
  const skewToleranceMs = options.skewToleranceMs ?? DEFAULTS.skewToleranceMs;
  const plan = await planInputs(paths, { nodeMap: options.nodeMap ?? [], followSymlinks: options.followSymlinks ?? false, layouts: options.layouts ?? [] });
  const direct = new Set(paths.map((p) => resolve(p)));
  const partitions = new Map<string, PartitionState>();
  const dumps: DumpInputJson[] = [];
  const other: { file: string; kind: string; note: string }[] = [];

  // Node of the broker logs in each directory, to name the host of a dump lying beside them.
  const logNodeByDir = new Map<string, Set<string>>();
  for (const f of plan.families) {
    if (f.defaultRole !== 'kafka-broker') continue;
    const dir = dirname(f.key);
    let set = logNodeByDir.get(dir);
    if (!set) logNodeByDir.set(dir, (set = new Set()));
    set.add(f.nodes['kafka-broker']);
  }

  for (const file of plan.others) {
    if (file.kind !== 'dump-log-segments') {
      other.push({ file: file.path, kind: file.kind, note: `${file.kind}; not read by gap` });
      continue;
    }
    const isDirect = direct.has(resolve(file.path));
    const sections = new Set<DumpSection>();
    const ofTopic = new Set<DumpSection>();
    const otherTopics = new Set<string>();
    let current: PartitionState | null = null;
    let currentSection: DumpSection | null = null;
    const hostOf = (section: DumpSection): { broker: string | null; source: string | null } => {
      if (options.broker) return { broker: normaliseBroker(options.broker), source: '--broker' };
      const beside = logNodeByDir.get(dirname(file.path));
      if (beside && beside.size === 1) return { broker: [...beside][0]!, source: `broker logs beside ${file.path}` };
      const fromFile = nodeFromPath(file.path, 'kafka-broker');
      if (fromFile?.startsWith('broker-')) return { broker: fromFile, source: `path of ${file.path}` };
      const fromDump = section.path ? nodeFromPath(section.path, 'kafka-broker') : undefined;
      if (fromDump?.startsWith('broker-')) return { broker: fromDump, source: `dumped path ${section.path}` };
      return { broker: null, source: null };
    };
    /** The partition scan a section's lines go to (null: not the topic's); switched when the section changes. */
    const scanOf = (section: DumpSection): PartitionScan | null => {
      if (section === currentSection) return current?.scan ?? null;
      current?.scan.endSection();
      currentSection = section;
      sections.add(section);
      const tp = section.fileKind === 'log' || section.fileKind === 'unknown' ? sectionTopic(section, options.topic, isDirect) : null;
      if (section.topic !== null && section.topic !== options.topic) otherTopics.add(section.topic);
      if (tp) {
        ofTopic.add(section);
        const partition = tp.partition ?? partitionFromName(file.path, options.topic);
        const k = key(tp.topic, partition);
        let state = partitions.get(k);
        if (!state) {
          const host = hostOf(section);
          state = {
            topic: tp.topic, partition, broker: host.broker, brokerSource: host.source,
            scan: new PartitionScan({ minGapMs: options.minGapMs, skewToleranceMs }),
          };
          partitions.set(k, state);
        }
        current = state;
      } else {
        current = null;
      }
      return current?.scan ?? null;
    };
    // Entries (the tokenizer path, other line shapes) and the byte path's numbers feed the same scan.
    const onEntry = (e: DumpEntry): void => {
      const scan = scanOf(e.section);
      if (!scan) return;
      if (e.type === 'batch') scan.onBatch(e, file.path);
      else if (e.type === 'record') scan.onRecord(e, file.path);
    };
    const numbers: DumpLineSink = {
      batchLine(section, line, baseOffset, lastOffset, count, timestampType, timestamp, partitionLeaderEpoch) {
        scanOf(section)?.batch(baseOffset, lastOffset, count, timestampType, timestamp, partitionLeaderEpoch, line, file.path);
      },
      recordLine(section, line, offset, timestampType, timestamp) {
        scanOf(section)?.record(offset, timestampType, timestamp, null, line, file.path);
      },
    };
    const result = await readDumpFile(file.path, onEntry, { numbers });
    (current as PartitionState | null)?.scan.endSection();
    dumps.push({
      file: file.path,
      sections: sections.size,
      sectionsOfTopic: ofTopic.size,
      otherTopics: [...otherTopics].sort(),
      ...result.counts,
      cutLines: result.cutLines,
      error: result.error,
    });
  }

  // Gaps by the spacing rule, per partition.
  const ordered = [...partitions.values()].sort((a, b) => (a.partition ?? -1) - (b.partition ?? -1));
  const decided = ordered.map((p) => ({ p, ...decide(p.scan, options) }));

  // Evidence: one pass over all logs for all gaps.
  const windows: EvidenceWindow[] = [];
  const owner: { part: number; gap: number }[] = [];
  decided.forEach((d, part) => d.gaps.forEach((g, gap) => {
    windows.push({ start: g.before.time, end: g.after.time, topic: d.p.topic, partition: d.p.partition, broker: d.p.broker });
    owner.push({ part, gap });
  }));
  const logs: InputJson[] = [];
  let lastLogTime: number | null = null;
  const evidence = new Map<string, { evidence: GapJson['evidence']; note: string | null }>();
  if (plan.families.length > 0) {
    const found = await collectEvidence(plan.families, windows, zone, (i) => logs.push(i));
    lastLogTime = found.lastLogTime;
    found.results.forEach((r, i) => evidence.set(`${owner[i]!.part}:${owner[i]!.gap}`, r));
  }
  for (const s of plan.skipped) other.push({ file: s.path, kind: 'unknown', note: s.reason });

  const ref = (u: UnitRef): RecordRefJson => ({
    offset: u.offset, createTime: u.time, time: zone.format(u.time), utc: new Date(u.time).toISOString(), line: u.line, file: u.file,
  });

  const out: PartitionGapJson[] = decided.map((d, part) => {
    const s = d.p.scan;
    const gaps: GapJson[] = d.gaps.map((g, i) => {
      const rw = g.rateWindow;
      const windowMs = rw ? rw.toTime - rw.fromTime : 0;
      const rate = rw && windowMs > 0 ? rw.records / (windowMs / 1000) : null;
      const ev = evidence.get(`${part}:${i}`);
      return {
        before: ref(g.before),
        after: ref(g.after),
        durationMs: g.durationMs,
        duration: formatDuration(g.durationMs),
        estimatedMissing: rate === null ? null : Math.round(rate * (g.durationMs / 1000)),
        rate,
        rateWindow: rw ? { records: rw.records, fromOffset: rw.fromOffset, toOffset: rw.toOffset, fromCreateTime: rw.fromTime, toCreateTime: rw.toTime, durationMs: windowMs } : null,
        leaderEpochBefore: g.before.epoch,
        leaderEpochAfter: g.after.epoch,
        evidence: ev?.evidence ?? [],
        evidenceNote: ev ? ev.note : plan.families.length === 0 ? 'no broker or ZooKeeper logs were given' : null,
      };
    });
    const future = lastLogTime === null ? null : s.latest.filter((t) => t > lastLogTime! + FUTURE_TOLERANCE_MS).length;
    const warnings = [...s.warnings];
    if (s.candidatesOmitted > 0) warnings.push(`${s.candidatesOmitted} spacings above --min-gap were not kept (only the ${s.candidates.length} largest are); raise --min-gap`);
    if (s.withoutOffset > 0) warnings.push(`${s.withoutOffset} record lines carry no offset (--skip-record-metadata); they are not analysed`);
    if (s.epochChangesOmitted > 0) warnings.push(`${s.epochChangesOmitted} more leader-epoch changes not listed`);
    const type = timestampType(s.types);
    return {
      topic: d.p.topic,
      partition: d.p.partition,
      broker: d.p.broker,
      brokerSource: d.p.brokerSource,
      firstOffset: s.firstOffset,
      lastOffset: s.lastOffset,
      records: s.records,
      batches: s.batches,
      createTime: {
        first: s.firstTime, last: s.lastTime, min: s.minTime, max: s.maxTime,
        minTime: s.minTime === null ? null : zone.format(s.minTime),
        maxTime: s.maxTime === null ? null : zone.format(s.maxTime),
      },
      timestampType: type,
      timestampTypeNote: TYPE_NOTE[type],
      timestampTypes: Object.fromEntries(s.types),
      leaderEpochs: s.epochs.map((e) => ({ epoch: e.epoch, firstOffset: e.firstOffset, firstCreateTime: e.firstTime, time: e.firstTime === null ? null : zone.format(e.firstTime) })),
      spacing: d.spacing,
      gaps,
      offsetDiscontinuities: s.holes,
      offsetDiscontinuitiesOmitted: s.holesOmitted,
      clockSkew: {
        backwards: s.backwards,
        maxBackwardsMs: s.maxBackwardsMs,
        toleranceMs: skewToleranceMs,
        examples: s.skewExamples.map((x) => ({ offset: x.offset, createTime: x.time, time: zone.format(x.time), previousMaxCreateTime: x.previousMax, backwardsMs: x.previousMax - x.time })),
        future,
        futureNote: lastLogTime === null
          ? 'no logs given: cannot tell whether timestamps lie in the future'
          : `timestamps more than ${formatDuration(FUTURE_TOLERANCE_MS)} after the last log line (${zone.format(lastLogTime)}), among the ${s.latest.length} latest; genuine if the dump was taken after the logs end`,
      },
      warnings,
    };
  });

  return {
    plan,
    report: {
      schema: 'kforensics/gap/v1',
      topic: options.topic,
      timeZone: zone.name,
      rule: ruleText(options),
      partitions: out,
      inputs: { dumps, logs, other },
    },
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

export function ruleText(o: Pick<GapOptions, 'minGapMs' | 'percentile' | 'k'>): string {
  return `a gap is two consecutive records whose timestamps are further apart than both --min-gap (${formatDuration(o.minGapMs)}) and ${o.k} × the ${o.percentile}th percentile of the partition's record spacing (on small partitions the percentile is lowered so that at least ${MIN_ABOVE} spacings lie above it)`;
}

function decide(scan: PartitionScan, o: GapOptions): { gaps: Candidate[]; spacing: PartitionGapJson['spacing'] } {
  const n = scan.hist.count;
  let q: number | null = null;
  let p: number | null = null;
  let threshold = o.minGapMs;
  let rule: string;
  if (n < MIN_SPACINGS) {
    rule = `${n} spacings are too few for a percentile: gap = spacing > --min-gap ${formatDuration(o.minGapMs)}`;
  } else {
    q = Math.min(o.percentile, 100 * (1 - MIN_ABOVE / n));
    q = Math.floor(q * 1000) / 1000;
    p = scan.hist.percentile(q)!;
    const kp = Math.round(o.k * p);
    threshold = Math.max(o.minGapMs, kp);
    const lowered = q < o.percentile ? ` (${o.percentile}th requested, lowered so ${MIN_ABOVE} of ${n} spacings lie above it)` : '';
    rule = `gap = spacing > max(--min-gap ${formatDuration(o.minGapMs)}, ${o.k} × P${q}${lowered} = ${o.k} × ${formatDuration(Math.round(p))} = ${formatDuration(kp)}) = ${formatDuration(threshold)}`;
  }
  const gaps = scan.candidates.filter((c) => c.durationMs > threshold).sort((a, b) => a.before.offset - b.before.offset);
  const median = scan.hist.percentile(50);
  return {
    gaps,
    spacing: {
      count: n, percentile: q, percentileMs: p === null ? null : Math.round(p), medianMs: median === null ? null : Math.round(median),
      k: o.k, minGapMs: o.minGapMs, thresholdMs: threshold, rule,
    },
  };
}
