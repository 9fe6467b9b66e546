import type { Copy, MergedUnit } from './replicas.js';

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
export function lostWrites(copies: readonly Copy[], truncations: readonly TruncationLine[]): LostWrites {
  const first = copies[0]!.id;
  // Epoch starts: least offset per epoch over all copies' units and checkpoints.
  const starts = new Map<number, EpochStart>();
  // A checkpoint states where an epoch starts; a dump only shows where its first record still on disk lies.
  const see = (epoch: number, offset: number, source: string, stated = false): void => {
    const s = starts.get(epoch);
    if (!s || offset < s.startOffset || (stated && offset === s.startOffset)) starts.set(epoch, { epoch, startOffset: offset, source });
  };
  for (const c of copies) {
    const where = c.id.broker ?? c.id.location;
    for (const u of c.merged()) if (u.epoch !== null && u.epoch >= 0) see(u.epoch, u.first, `dump of ${where} (${u.file}:${u.line})`);
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
  const seen = new Set<string>();
  let records = 0;
  for (const c of copies) {
    let open: DivergentRange | null = null;
    const close = (): void => { if (open) divergent.push(open); open = null; };
    for (const u of c.merged()) {
      if (u.epoch === null || u.epoch < 0) { close(); continue; }
      const end = endOf(u.epoch);
      if (end === null || u.last < end.end) { close(); continue; }
      const from = Math.max(u.first, end.end);
      const n = u.record ? 1 : Math.min(u.count, u.last - from + 1);
      const key = `${from}:${u.epoch}`;
      const fresh = !seen.has(key);
      seen.add(key);
      if (open !== null && ((open as DivergentRange).epoch !== u.epoch || (open as DivergentRange).toOffset + 1 < from)) close();
      if (open === null) {
        open = {
          broker: c.id.broker, location: c.id.location, epoch: u.epoch, epochEnd: end.end, nextEpoch: end.next,
          fromOffset: from, toOffset: u.last, records: 0, minCreateTime: null, maxCreateTime: null,
          firstLine: { file: u.file, line: u.line }, lastLine: { file: u.file, line: u.line },
        };
      }
      const o: DivergentRange = open;
      o.toOffset = u.last;
      o.records += n;
      o.lastLine = { file: u.file, line: u.line };
      if (u.time !== null) {
        if (o.minCreateTime === null || u.time < o.minCreateTime) o.minCreateTime = u.time;
        if (o.maxCreateTime === null || u.time > o.maxCreateTime) o.maxCreateTime = u.time;
      }
      if (fresh) records += n;
    }
    close();
  }

  const mismatches = compareSameEpoch(copies);

  const truncs = truncations.map((t) => {
    const broker = t.node;
    const shown = divergent.filter((d) => d.broker === broker && d.toOffset >= t.offset);
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
    countMethod += `; ${unaccounted.length} truncation line(s) with no dump of the log before them: at least ${bound} more record(s) (a line proves one removed record, or high watermark − offset committed ones)`;
  }
  return {
    topic: first.topic, partition: first.partition, copies: copies.length, epochStarts, divergent, records,
    mismatches, truncations: truncs, count, countMethod,
  };
}

/** Copies compared offset by offset where they hold the same epoch: a different CRC, payload or CreateTime is corruption or a forged history. */
function compareSameEpoch(copies: readonly Copy[]): LostWrites['mismatches'] {
  const out: LostWrites['mismatches'] = [];
  if (copies.length < 2) return out;
  const ref = copies[0]!;
  const byOffset = new Map<number, MergedUnit>();
  for (const u of ref.merged()) if (u.record) byOffset.set(u.first, u);
  for (const c of copies.slice(1)) {
    for (const u of c.merged()) {
      if (out.length >= MAX_MISMATCHES) return out;
      const r = byOffset.get(u.first);
      if (!r || !u.record || r.epoch === null || r.epoch !== u.epoch) continue;
      const what = r.crc !== null && u.crc !== null && r.crc !== u.crc ? 'CRC'
        : r.hash !== null && u.hash !== null && r.hash !== u.hash ? 'payload'
          : r.time !== null && u.time !== null && r.time !== u.time ? 'CreateTime' : null;
      if (what) {
        out.push({ offset: u.first, epoch: u.epoch!, what, a: { broker: ref.id.broker, file: r.file, line: r.line }, b: { broker: c.id.broker, file: u.file, line: u.line } });
      }
    }
  }
  return out;
}
