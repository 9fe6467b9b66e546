/**
 * Sniffing of event files (what `kforensics timeline --format events` wrote
 * on a host; readers/events-ndjson.ts reads them): the first lines are
 * events or closing records, one JSON object a line.
 */
import type { NodeKind } from '../model/record.js';
import { fileLineSource } from './lines.js';
import type { Family, PlannedFile } from '../read/plan.js';

export const EVENTS_KIND = 'kforensics-events';

export function isEventObject(o: unknown): o is Record<string, unknown> {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
  const r = o as Record<string, unknown>;
  return typeof r.time === 'string' && typeof r.node === 'string' && (r.nodeKind === 'kafka-broker' || r.nodeKind === 'zookeeper') &&
    typeof r.file === 'string' && Number.isInteger(r.line) && (typeof r.rule === 'string' || r.rule === null) && typeof r.message === 'string';
}

/** A record no rule classifies, in an event file's short form (`{"u":SOURCE,"t":MS,"n":LINE,"m":MESSAGE,…}`). */
export function isSignOfLife(o: unknown): o is { u: number; t: number; n: number; v?: string; m: string; c?: string[] } {
  if (typeof o !== 'object' || o === null) return false;
  const r = o as Record<string, unknown>;
  return Number.isInteger(r.u) && Number.isFinite(r.t) && Number.isInteger(r.n) && typeof r.m === 'string';
}

export function closingKind(o: unknown): string | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const k = (o as Record<string, unknown>).kforensics;
  return typeof k === 'string' ? k : undefined;
}

export function parseRecord(line: string): unknown {
  if (line.charCodeAt(0) !== 123 /* { */) return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Whether a file's first lines are an event file's: its first non-empty line and most of the others events or closing records. */
export function looksLikeEventFile(lines: readonly string[]): boolean {
  const head = lines.filter((l) => l.trim() !== '').slice(0, 20);
  if (head.length === 0) return false;
  const isRecord = (l: string): boolean => {
    const o = parseRecord(l.trim());
    return isEventObject(o) || isSignOfLife(o) || ['input', 'end', 'startup-config', 'twin', 'source'].includes(closingKind(o) ?? '');
  };
  // The first line a record, and most of the others: a damaged line is the reader's to count.
  return isRecord(head[0]!) && head.filter(isRecord).length * 2 > head.length;
}


/**
 * An event file read as one stream: its nodes are those its first events
 * name (most events first; the others share it), for --node checks and for
 * the report's configuration files that sit beside it.
 */
export async function eventFileFamily(file: PlannedFile): Promise<Family> {
  const counts: Record<NodeKind, Map<string, number>> = { 'kafka-broker': new Map(), zookeeper: new Map() };
  try {
    for await (const batch of fileLineSource(file.path, 256 << 10).batches()) {
      for (const l of batch) {
        const o = parseRecord(l);
        // Events and the sources of signs of life name nodes.
        if (!isEventObject(o) && closingKind(o) !== 'source') continue;
        const r = o as Record<string, unknown>;
        const m = counts[r.nodeKind as NodeKind];
        if (!m || typeof r.node !== 'string') continue;
        m.set(r.node, (m.get(r.node) ?? 0) + 1);
      }
    }
  } catch {
    // Its reading reports the damage.
  }
  const order = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([n]) => n);
  const brokers = order(counts['kafka-broker']);
  const servers = order(counts.zookeeper);
  const sharedWith: Partial<Record<NodeKind, string[]>> = {};
  if (brokers.length > 1) sharedWith['kafka-broker'] = brokers.slice(1);
  if (servers.length > 1) sharedWith.zookeeper = servers.slice(1);
  return {
    key: file.path,
    files: [{ ...file, kafka: brokers.length > 0, zookeeperServer: servers.length > 0 }],
    nodes: { 'kafka-broker': brokers[0] ?? 'broker-?', zookeeper: servers[0] ?? 'zk-?' },
    defaultRole: brokers.length === 0 && servers.length > 0 ? 'zookeeper' : 'kafka-broker',
    ...(Object.keys(sharedWith).length > 0 && { sharedWith }),
  };
}
