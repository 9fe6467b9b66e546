import { basename, dirname } from 'node:path';
import { fileLineSource } from '../sources/lines.js';
import { bestZoneShift, EDGE_TOLERANCE_MS, formatOffset, ZONE_STEP_MS, zoneForOffset, type SpanPair } from '../time/zone-check.js';
import { Zone } from '../time/zone.js';

/**
 * `--tz auto`: the zone each node's logs were written in, from evidence that
 * carries its own zone or epoch time, never assumed silently.
 *
 * 1. Lines that state their offset: a JVM's GC log beside the broker's logs
 *    (`kafkaServer-gc.log`; JDK 9+ unified logging `[2024-02-23T07:47:50.149+0900]`,
 *    JDK 8 `-XX:+PrintGCDateStamps` `2024-02-23T07:47:50.149+0900: 1.234: [GC …`)
 *    is written by the broker's own JVM, so its offset is the zone of the
 *    broker's log4j times.
 * 2. The dumps: a record gap (epoch CreateTime) against the silence of the
 *    broker that hosted the records (its logs read as UTC): the whole-zone
 *    shift under which they agree is that node's offset (zone-check.ts).
 * 3. Events two nodes log at the same moment (analysis/skew.ts: ZooKeeper
 *    sessions seen from both sides, cluster-wide reactions): read as UTC, a
 *    node whose lines sit a whole zone step from a node of known zone is in
 *    that zone plus the step.
 * A node with none of these is given the zone most other nodes have, and said so.
 *
 * ZooKeeper session ids are not used: 3.4 builds them from the wall clock
 * (SessionTrackerImpl.initializeNextSessionId, currentTimeMillis), but later
 * versions from a monotonic clock, which carries no zone.
 */

export interface NodeZone {
  node: string;
  /** Minutes east of UTC, or null when nothing at all was found. */
  offsetMinutes: number | null;
  /** The --tz its logs are read with. */
  timeZone: string;
  how: 'stated' | 'dumps' | 'relative' | 'assumed' | 'unknown';
  /** Which lines, in words, with file:line. */
  evidence: string;
}

const UNIFIED = /^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)([+-])(\d\d):?(\d\d)\]/;
const DATESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)([+-])(\d\d):?(\d\d): \d+(?:\.\d+)?: \[/;
/** Lines looked at in a candidate GC log. */
const HEAD_LINES = 50;

/** The offset a GC log's lines state, with the first line stating it; null when the file is no such log. */
export async function gcLogOffset(path: string): Promise<{ minutes: number; line: number; text: string } | null> {
  let n = 0;
  try {
    for await (const batch of fileLineSource(path).batches()) {
      for (const text of batch) {
        n++;
        const m = UNIFIED.exec(text) ?? DATESTAMP.exec(text);
        if (m) {
          const minutes = (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4]));
          return { minutes, line: n, text };
        }
        if (n >= HEAD_LINES) return null;
      }
    }
  } catch {
    return null;
  }
  return null;
}

/**
 * Per node: the stated offset (GC logs among `unread`, the files no reader
 * took, matched to the node whose logs lie in the same directory), else the
 * shift under which its silences (read as UTC) agree with the record gaps it
 * hosted, else the zone most nodes have.
 */
export async function inferNodeZones(input: {
  nodes: readonly string[];
  /** Node of the logs in each directory. */
  nodeByDir: ReadonlyMap<string, string>;
  unread: readonly string[];
  epochSpans: readonly (Omit<SpanPair, 'logLabel' | 'logStart' | 'logEnd' | 'node'> & { host?: string | null })[];
  /** Each node's longest silences, its logs read as UTC. */
  silencesUtc: readonly { node: string; label: string; start: number; end: number }[];
  /** Each node's log times minus a reference node's, all read as UTC (analysis/skew.ts), with what they rest on. */
  relative?: ReadonlyMap<string, { offsetMs: number; basis: string }>;
}): Promise<NodeZone[]> {
  const found = new Map<string, NodeZone>();
  for (const path of input.unread) {
    if (!/gc/i.test(basename(path))) continue;
    const node = input.nodeByDir.get(dirname(path));
    if (!node || found.has(node)) continue;
    const stated = await gcLogOffset(path);
    if (!stated) continue;
    found.set(node, {
      node, offsetMinutes: stated.minutes, timeZone: zoneForOffset(stated.minutes), how: 'stated',
      evidence: `the JVM's GC log beside its logs states ${formatOffset(stated.minutes)}: ${path}:${stated.line} ${stated.text.slice(0, 80)}`,
    });
  }
  for (const node of input.nodes) {
    if (found.has(node)) continue;
    const spans = input.epochSpans.filter((e) => e.host === node);
    const silences = input.silencesUtc.filter((s) => s.node === node);
    const best = bestZoneShift(spans, silences);
    if (!best) continue;
    const minutes = best.shift / 60_000;
    const p = best.pairs[0]!;
    found.set(node, {
      node, offsetMinutes: minutes, timeZone: zoneForOffset(minutes), how: 'dumps',
      evidence: `its logs read at ${formatOffset(minutes)} agree with the dumps: ${p.label} matches ${p.logLabel.replace(/\+00:00/g, '')} (times as written)`,
    });
  }
  // Nodes tied by simultaneous events to a node whose zone was found.
  const relative = input.relative ?? new Map();
  for (let changed = true; changed;) {
    changed = false;
    for (const node of input.nodes) {
      if (found.has(node)) continue;
      const r = relative.get(node);
      if (!r) continue;
      for (const k of found.values()) {
        const rk = relative.get(k.node);
        if (!rk || k.offsetMinutes === null) continue;
        const diff = r.offsetMs - rk.offsetMs;
        const step = Math.round(diff / ZONE_STEP_MS) * ZONE_STEP_MS;
        if (Math.abs(diff - step) > EDGE_TOLERANCE_MS) continue;
        const minutes = k.offsetMinutes + step / 60_000;
        found.set(node, {
          node, offsetMinutes: minutes, timeZone: zoneForOffset(minutes), how: 'relative',
          evidence: `read as UTC its lines run ${Math.round(diff / 1000)} s from ${k.node}'s for the same moments (${r.basis}): ${step === 0 ? 'the same zone' : `${formatOffset(step / 60_000)} from it`}`,
        });
        changed = true;
        break;
      }
    }
  }
  // Nodes without evidence: the zone most others have, loudly.
  const votes = new Map<number, number>();
  for (const z of found.values()) if (z.offsetMinutes !== null) votes.set(z.offsetMinutes, (votes.get(z.offsetMinutes) ?? 0) + 1);
  const common = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return input.nodes.map((node) => found.get(node) ?? (common === null
    ? { node, offsetMinutes: null, timeZone: 'UTC', how: 'unknown' as const, evidence: 'nothing in the logs or dumps states this node\'s zone: read as UTC; give --tz' }
    : { node, offsetMinutes: common, timeZone: zoneForOffset(common), how: 'assumed' as const, evidence: `nothing states this node's zone: assumed ${formatOffset(common)}, as the nodes whose zone was found` }));
}

/** One line per node: `broker-1: +09:00 (Etc/GMT-9) from the dumps — …`. */
export function describeNodeZones(zones: readonly NodeZone[]): string {
  return zones.map((z) => `${z.node}: ${z.offsetMinutes === null ? 'unknown' : formatOffset(z.offsetMinutes)} (--tz ${z.timeZone}) ${z.how === 'stated' ? 'stated' : z.how === 'dumps' ? 'from the dumps' : z.how === 'relative' ? 'relative to a node of known zone' : z.how === 'assumed' ? 'ASSUMED' : 'NOT FOUND'} — ${z.evidence}`).join('\n');
}

/** The zones as Zone objects by node, and the zone to show times in (the most common). */
export function zonesByNode(zones: readonly NodeZone[]): { byNode: Map<string, Zone>; display: Zone } {
  const byNode = new Map<string, Zone>();
  const count = new Map<string, number>();
  for (const z of zones) {
    byNode.set(z.node, new Zone(z.timeZone));
    count.set(z.timeZone, (count.get(z.timeZone) ?? 0) + (z.how === 'assumed' || z.how === 'unknown' ? 1 : 2));
  }
  const display = [...count].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'UTC';
  return { byNode, display: new Zone(display) };
}
