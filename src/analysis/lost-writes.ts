import type { Copy } from './replicas.js';

/**
 * Writes a deposed leader took and lost, from server evidence alone.
 *
 * Kafka keeps the log of a partition consistent by leader epoch (KIP-101):
 * epoch e ends where the next epoch begins, and a replica holding records of
 * epoch e at or after that offset truncates them when it follows the new
 * leader. So, across every copy of a partition that was dumped:
 * - where each epoch starts is the least offset any copy shows it at, or the
 *   offset a `leader-epoch-checkpoint` gives;
 * - a record of epoch e at an offset ≥ the start of a later epoch is a write
 *   that the leader of epoch e appended and that cannot be in the final log
 *   (divergence: the same offset holds another epoch's record elsewhere);
 * - a broker log line "Truncating to offset N" (not "… has no effect") says
 *   the broker removed records from offset N on; "… below high watermark M"
 *   says records up to M − 1 had been committed.
 * A leader appends a write and, with acks=1, acknowledges it at once; with
 * acks=all it acknowledges it once the ISR has it, which an unclean election
 * can undo. Either way the divergent records are writes a producer may have
 * been told were stored.
 */

export interface TruncationLine {
  node: string;
  topic: string;
  partition: number;
  offset: number;
  highWatermark: number | null;
  time: number;
  file: string;
  line: number;
}

export interface DivergentRange {
  broker: string | null;
  location: string;
  epoch: number;
  /** Start of the next epoch (where epoch `epoch` ends in the surviving lineage). */
  epochEnd: number;
  nextEpoch: number;
  fromOffset: number;
  toOffset: number;
  records: number;
  minCreateTime: number | null;
  maxCreateTime: number | null;
  firstLine: { file: string; line: number };
  lastLine: { file: string; line: number };
}

export interface EpochStart {
  epoch: number;
  startOffset: number;
  source: string;
}

export interface LostWrites {
  topic: string;
  partition: number | null;
  copies: number;
  epochStarts: EpochStart[];
  divergent: DivergentRange[];
  /** Distinct (offset, epoch) records found divergent across copies. */
  records: number;
  /** Records of the same offset and epoch that differ in CRC, payload or CreateTime between copies. */
  mismatches: { offset: number; epoch: number; a: { broker: string | null; file: string; line: number }; b: { broker: string | null; file: string; line: number }; what: string }[];
  truncations: (TruncationLine & { accountedBy: number | null; lowerBound: number })[];
  /** Lost acknowledged writes: the divergent records when a dump shows them, else the least the truncation lines prove. */
  count: number;
  countMethod: string;
}

const MAX_MISMATCHES = 20;

/** Lost writes of one partition, from all its copies and the truncation lines of the logs. */
export async function lostWrites(copies: readonly Copy[], truncations: readonly TruncationLine[]): Promise<LostWrites> {
  const first = copies[0]!.id;
  // Epoch starts: least offset per epoch over all copies' streams, or where a checkpoint states it.
  const starts = new Map<number, EpochStart>();
  // A checkpoint states where an epoch starts; a dump only shows where its first record still on disk lies.
  const see = (epoch: number, offset: number, source: string, stated = false): void => {
    const s = starts.get(epoch);
    if (!s || offset < s.startOffset || (stated && offset === s.startOffset)) starts.set(epoch, { epoch, startOffset: offset, source });
  };
  for (const c of copies) {
    const where = c.id.broker ?? c.id.location;
    for (const r of c.runs) if (r.epoch !== null && r.epoch >= 0) see(r.epoch, r.first, `dump of ${where} (${r.firstLine.file}:${r.firstLine.line})`);
    for (const k of c.checkpoint) see(k.epoch, k.startOffset, `leader-epoch-checkpoint of ${where} (${k.file}:${k.line})`, true);
  }
  const epochStarts = [...starts.values()].sort((a, b) => a.epoch - b.epoch);
  /** End of epoch e: the least start of any later epoch, with that epoch. */
  const endOf = (e: number): { end: number; next: number } | null => {
    let best: { end: number; next: number } | null = null;
    for (const s of epochStarts) if (s.epoch > e && (best === null || s.startOffset < best.end)) best = { end: s.startOffset, next: s.epoch };
    return best;
  };

  const divergent: DivergentRange[] = [];
  for (const c of copies) {
    for (const r of c.runs) {
      if (r.epoch === null || r.epoch < 0) continue;
      const end = endOf(r.epoch);
      if (end === null || r.last < end.end) continue;
      const base = { broker: c.id.broker, location: c.id.location, epoch: r.epoch, epochEnd: end.end, nextEpoch: end.next };
      if (r.first >= end.end) {
        divergent.push({ ...base, fromOffset: r.first, toOffset: r.last, records: r.records, minCreateTime: r.minTime, maxCreateTime: r.maxTime, firstLine: r.firstLine, lastLine: r.lastLine });
        continue;
      }
      // The run starts before the next epoch does: its part from there on is read again.
      const part: DivergentRange = { ...base, fromOffset: end.end, toOffset: r.last, records: 0, minCreateTime: null, maxCreateTime: null, firstLine: r.lastLine, lastLine: r.lastLine };
      let firstSeen = false;
      await c.replay(end.end, (u) => {
        if (u.epoch !== r.epoch || u.last < end.end || u.first > r.last) return;
        part.records += u.record ? 1 : Math.min(u.count, u.last - Math.max(u.first, end.end) + 1);
        if (u.time !== null) {
          if (part.minCreateTime === null || u.time < part.minCreateTime) part.minCreateTime = u.time;
          if (part.maxCreateTime === null || u.time > part.maxCreateTime) part.maxCreateTime = u.time;
        }
        if (!firstSeen) { part.firstLine = { file: u.file, line: u.line }; firstSeen = true; }
        part.lastLine = { file: u.file, line: u.line };
      });
      divergent.push(part);
    }
  }
  // Distinct divergent records: the same offsets of one epoch in several copies count once.
  const covered = new Map<number, [number, number][]>();
  let records = 0;
  for (const d of divergent) {
    const list = covered.get(d.epoch) ?? [];
    const overlap = list.reduce((n, [a, b]) => n + Math.max(0, Math.min(b, d.toOffset) - Math.max(a, d.fromOffset) + 1), 0);
    records += Math.max(0, d.records - overlap);
    list.push([d.fromOffset, d.toOffset]);
    covered.set(d.epoch, list);
  }

  const mismatches: LostWrites['mismatches'] = [];
  for (let i = 0; i < copies.length && mismatches.length < MAX_MISMATCHES; i++) {
    for (let j = i + 1; j < copies.length && mismatches.length < MAX_MISMATCHES; j++) {
      for (const b of copies[i]!.differingBlocks(copies[j]!)) {
        if (mismatches.length >= MAX_MISMATCHES) break;
        mismatches.push({
          offset: b.first, epoch: Number(b.epoch), what: `records of offsets ${b.first}..${b.last} differ (offset or CreateTime) though both copies hold them in epoch ${b.epoch}`,
          a: { broker: copies[i]!.id.broker, file: b.a.file, line: b.a.line }, b: { broker: copies[j]!.id.broker, file: b.b.file, line: b.b.line },
        });
      }
    }
  }

  const truncs = truncations.map((t) => {
    const shown = divergent.filter((d) => d.broker === t.node && d.toOffset >= t.offset);
    const accountedBy = shown.length > 0 ? shown.reduce((s, d) => s + d.records, 0) : null;
    const lowerBound = t.highWatermark !== null && t.highWatermark > t.offset ? t.highWatermark - t.offset : 1;
    return { ...t, accountedBy, lowerBound };
  });
  let count = records;
  let countMethod = records > 0
    ? `${records} records of a deposed leader's epoch at offsets the next epoch had already taken, counted offset by offset in the dumps`
    : 'no divergent records in the dumps';
  const unaccounted = truncs.filter((t) => t.accountedBy === null);
  if (unaccounted.length > 0) {
    const bound = unaccounted.reduce((s, t) => s + t.lowerBound, 0);
    count += bound;
    countMethod += `; ${unaccounted.length} truncation line(s) with no dump of the log before them: at least ${bound} more record(s) removed (one per line, or high watermark − offset committed ones); acknowledged if producers used acks=1 or the records lay below the high watermark`;
  }
  const omitted = copies.reduce((n, c) => n + c.runsOmitted, 0);
  if (omitted > 0) countMethod += `; ${omitted} runs of one epoch were not kept (too many epoch changes or holes): the count may be low`;
  return {
    topic: first.topic, partition: first.partition, copies: copies.length, epochStarts, divergent, records,
    mismatches, truncations: truncs, count, countMethod,
  };
}
