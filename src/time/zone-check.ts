import type { Zone } from './zone.js';

/**
 * Checks the zone logs were read in against evidence that carries epoch
 * time. log4j timestamps carry no zone; DumpLogSegments CreateTime (and
 * other epoch-ms fields) do. When a span seen in epoch time (a record gap)
 * and a span seen in the logs (a node's silence, an outage window) only line
 * up once the log times are moved by a whole zone offset, the logs were
 * almost surely written in another zone than the one they were read in.
 *
 * The shift is log-read time − true time, which is (zone written − zone
 * read): a log written at +09:00 and read as UTC reads 9 h late.
 */

/** A span known in epoch time and a span of log lines that may be the same event. */
export interface SpanPair {
  /** What the epoch span is (`record gap account_event-0 offsets 52659→52660`). */
  label: string;
  epochStart: number;
  epochEnd: number;
  /** What the log span is and where (`broker-1 silent: server.log:2 → server.log:3`). */
  logLabel: string;
  logStart: number;
  logEnd: number;
  node: string;
}

export interface ZoneShift {
  /** log-read time − true time, ms: a multiple of 15 min. */
  shiftMs: number;
  /** `+09:00`: the offset the logs were most likely written in. */
  writtenOffset: string;
  /** A --tz value that reads them right. */
  tz: string;
  /** Node whose logs disagree. */
  node: string;
  pairs: SpanPair[];
  message: string;
}

/** Zone offsets are multiples of 15 minutes. */
export const ZONE_STEP_MS = 15 * 60_000;
/** Edges must agree this closely after the shift. */
export const EDGE_TOLERANCE_MS = 2 * 60_000;

/** `+09:00`, `-03:30` */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** A --tz value for a fixed offset: `Etc/GMT-9` is +09:00 (the Etc names invert the sign); UTC for 0. */
export function zoneForOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  if (minutes % 60 !== 0) return formatOffset(minutes);
  const h = minutes / 60;
  return `Etc/GMT${h > 0 ? '-' : '+'}${Math.abs(h)}`;
}

/** How far apart the edges of a pair are once the log span is moved back by `shift`; Infinity when the start edge is too far off. */
function misfit(p: SpanPair, shift: number): number {
  const start = Math.abs(p.logStart - shift - p.epochStart);
  const end = Math.abs(p.logEnd - shift - p.epochEnd);
  // The log side may begin a little before or after the records stop (producers and brokers do not stop together), by up to a tenth of the span; the end edge is the sharper one.
  const duration = Math.max(1, p.epochEnd - p.epochStart);
  if (start > Math.max(EDGE_TOLERANCE_MS, duration * 0.1)) return Number.POSITIVE_INFINITY;
  return end;
}

/**
 * The whole-zone shift under which the pairs agree and without which they do
 * not, or null (the zone read agrees, or nothing agrees). `candidates` are
 * the log spans that might match each epoch span (a node's longest
 * silences); one match per epoch span is used.
 */
/** The best whole-zone shift (0 included) under which epoch spans and log spans agree, with the pairs that agree; null when none does. */
export function bestZoneShift(
  epochSpans: readonly (Omit<SpanPair, 'logLabel' | 'logStart' | 'logEnd' | 'node'> & { host?: string | null })[],
  logSpans: readonly { node: string; label: string; start: number; end: number }[],
): { shift: number; pairs: SpanPair[] } | null {
  if (epochSpans.length === 0 || logSpans.length === 0) return null;
  // The node that hosted the records, when known and heard from; else any node.
  const spansOf = (host: string | null | undefined): typeof logSpans => {
    const own = host ? logSpans.filter((l) => l.node === host) : [];
    return own.length > 0 ? own : logSpans;
  };
  const pairsAt = (shift: number): SpanPair[] => {
    const out: SpanPair[] = [];
    for (const { host, ...e } of epochSpans) {
      let best: SpanPair | null = null;
      let bestMisfit = EDGE_TOLERANCE_MS;
      for (const l of spansOf(host)) {
        const p: SpanPair = { ...e, logLabel: l.label, logStart: l.start, logEnd: l.end, node: l.node };
        const m = misfit(p, shift);
        if (m <= bestMisfit) { best = p; bestMisfit = m; }
      }
      if (best) out.push(best);
    }
    return out;
  };
  const atZero = pairsAt(0);
  if (atZero.length > 0) return { shift: 0, pairs: atZero };
  // Shifts suggested by each pair's end edge, rounded to a zone step, within ±14 h.
  const tried = new Set<number>();
  let found: { shift: number; pairs: SpanPair[] } | null = null;
  for (const e of epochSpans) {
    for (const l of spansOf(e.host)) {
      const shift = Math.round((l.end - e.epochEnd) / ZONE_STEP_MS) * ZONE_STEP_MS;
      if (shift === 0 || Math.abs(shift) > 14 * 3_600_000 || tried.has(shift)) continue;
      tried.add(shift);
      const pairs = pairsAt(shift);
      if (pairs.length > 0 && (found === null || pairs.length > found.pairs.length)) found = { shift, pairs };
    }
  }
  return found;
}

/**
 * The whole-zone shift under which the pairs agree and without which they do
 * not, or null (the zone read agrees, or nothing agrees). `logSpans` are the
 * log spans that might match each epoch span (the nodes' longest silences);
 * one match per epoch span is used, the hosting node's when it has any.
 */
export function wholeZoneShift(
  epochSpans: readonly (Omit<SpanPair, 'logLabel' | 'logStart' | 'logEnd' | 'node'> & { host?: string | null })[],
  logSpans: readonly { node: string; label: string; start: number; end: number }[],
  zone: Zone,
): ZoneShift | null {
  const found = bestZoneShift(epochSpans, logSpans);
  if (!found || found.shift === 0) return null;
  const readOffset = zone.offsetAt(found.pairs[0]!.epochStart);
  const written = readOffset + found.shift / 60_000;
  const tz = zoneForOffset(written);
  const p = found.pairs[0]!;
  const hours = found.shift / 3_600_000;
  const message = `TIME ZONE MISMATCH: the logs of ${p.node} read as ${zone.name} (${formatOffset(readOffset)}) only agree with the epoch timestamps of the dumps when moved by ${hours > 0 ? '−' : '+'}${formatOffset(Math.abs(found.shift / 60_000)).slice(1)}: ${p.label} matches ${p.logLabel}. `
    + `The logs were most likely written at ${formatOffset(written)}; read them with --tz ${tz} (or that node's own zone name); gap --tz auto infers each node's zone.`;
  return { shiftMs: found.shift, writtenOffset: formatOffset(written), tz, node: p.node, pairs: found.pairs, message };
}
