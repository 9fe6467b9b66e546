import type { MetadataHistory, MetadataWindow } from './metadata-history.js';
import type { DisagreementJson, WindowKind } from '../model/window.js';
import type { MetadataReadResult } from '../readers/metadata-log.js';
import { parseProperties } from '../readers/properties.js';
import type { PlannedFile } from '../read/plan.js';
import type { Zone } from '../time/zone.js';
import type { TimelineEvent } from '../timeline/event.js';
import type { Evidence, Window } from './engine.js';
import { addEvidence, evidenceOf, MAX_EVIDENCE } from './window.js';

/**
 * Puts the KRaft metadata log beside the logs. The metadata log is the
 * controller's own record of every fencing, leader and ISR change, stamped
 * by batch; the logs are what each node saw. A window both show gains the
 * other's evidence and says whether their edges agree; a window only one
 * shows is listed as a disagreement, with the likely reason.
 */

/**
 * How far apart a log line and a metadata batch may be and still mark the
 * same moment: an active controller appends at least every
 * metadata.max.idle.interval.ms (500 ms), and a batch's time is when it was
 * built, not when its records were decided.
 */
export const METADATA_RESOLUTION_MS = 500;
/** Log edges kept per partition for metadata-only windows. */
const EDGES_PER_PARTITION = 64;

export interface MetadataInput {
  history: MetadataHistory;
  windows: MetadataWindow[];
  files: ({ path: string } & MetadataReadResult)[];
}

export type Disagreement = Omit<DisagreementJson, 'evidence'> & { evidence: Evidence[] };

/** Which mode the cluster ran in, from what fired and what the folder holds. */
export class ModeTally {
  private kraft = 0;
  private zookeeper = 0;
  private readonly reasons = { kraft: new Set<string>(), zookeeper: new Set<string>() };
  /** Partition-level log lines (ISR, leadership) by partition, for metadata-only windows (kept only where there is a metadata log). */
  readonly edges = new Map<string, Evidence[]>();

  constructor(private readonly keepEdges = true) {}

  event(e: TimelineEvent): void {
    const id = e.rule?.id;
    if (id === undefined) return;
    if (id.startsWith('kafka.kraft.')) {
      this.kraft++;
      this.reasons.kraft.add('KRaft log lines');
    } else if (e.nodeKind === 'zookeeper' || id.startsWith('kafka.zk.') || id.startsWith('kafka.controller.')) {
      this.zookeeper++;
      this.reasons.zookeeper.add(e.nodeKind === 'zookeeper' ? 'ZooKeeper server logs' : 'ZooKeeper-mode broker log lines');
    }
    const effect = e.rule?.effect;
    if (this.keepEdges && (effect?.signal === 'isr-change' || effect?.signal === 'partition-online' || effect?.signal === 'partition-offline')) {
      const field = effect.signal === 'isr-change' ? effect.partition : effect.field;
      const raw = e.fields[field];
      for (const p of Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) {
        const list = this.edges.get(String(p)) ?? [];
        if (list.length >= EDGES_PER_PARTITION) list.shift();
        list.push(evidenceOf(e));
        this.edges.set(String(p), list);
      }
    }
  }

  async readProperties(others: readonly PlannedFile[], read: (path: string) => Promise<string[]>): Promise<void> {
    for (const f of others) {
      if (f.kind !== 'properties') continue;
      const props = parseProperties(await read(f.path));
      const roles = props.values.get('process.roles');
      if (roles) {
        this.kraft += 1000;
        this.reasons.kraft.add(`process.roles=${roles.value} in ${f.path}`);
      } else if (props.values.has('zookeeper.connect')) {
        this.zookeeper += 1000;
        this.reasons.zookeeper.add(`zookeeper.connect in ${f.path}`);
      }
    }
  }

  metadataDump(path: string): void {
    this.kraft += 1000;
    this.reasons.kraft.add(`cluster-metadata dump ${path}`);
  }

  verdict(): { mode: 'zookeeper' | 'kraft' | 'unknown'; reason: string } {
    const list = (s: Set<string>) => [...s].slice(0, 4).join('; ');
    if (this.kraft === 0 && this.zookeeper === 0) return { mode: 'unknown', reason: 'no line or file in the inputs tells KRaft from ZooKeeper mode' };
    if (this.kraft > this.zookeeper) {
      return { mode: 'kraft', reason: `${list(this.reasons.kraft)}${this.zookeeper > 0 ? ` (also ZooKeeper-mode signs: ${list(this.reasons.zookeeper)}; a migration?)` : ''}` };
    }
    return { mode: 'zookeeper', reason: `${list(this.reasons.zookeeper)}${this.kraft > 0 ? ` (also KRaft signs: ${list(this.reasons.kraft)}; a migration?)` : ''}` };
  }
}

function subjectOf(w: { kind: WindowKind; node?: string; topic?: string; partition?: number }): string {
  if (w.kind === 'controller-quorum-leaderless') return 'quorum';
  return w.topic !== undefined ? `${w.topic}-${w.partition}` : w.node ?? '';
}

function within(t: number, bounds: readonly [number, number]): boolean {
  return t >= bounds[0] - METADATA_RESOLUTION_MS && t <= bounds[1] + METADATA_RESOLUTION_MS;
}

function secs(ms: number): string {
  return `${(Math.abs(ms) / 1000).toFixed(3)} s`;
}

const COMPARABLE: ReadonlySet<WindowKind> = new Set(['broker-fenced', 'partition-offline', 'under-replicated', 'controller-quorum-leaderless']);

function subjectFields(w: { node?: string; topic?: string; partition?: number }) {
  return {
    ...(w.node !== undefined && { node: w.node }),
    ...(w.topic !== undefined && { topic: w.topic, partition: w.partition! }),
  };
}

function fromMetadata(m: MetadataWindow, extra: Partial<Window> = {}): Window {
  return {
    kind: m.kind, ...subjectFields(m), start: m.start, end: m.end,
    startBounds: [m.start, m.start], endBounds: m.end === null ? null : [m.end, m.end],
    confidence: 'high', reason: m.reason, details: { ...m.details, metadataOffsets: `${m.startOffset ?? '?'}–${m.endOffset ?? 'open'}` },
    evidence: [...m.evidence], evidenceOmitted: 0, track: { alive: 0 }, ...extra,
  };
}

/**
 * Partitions a dead broker led stayed unavailable until the controller moved
 * their leadership (or marked them offline) at fencing: from the broker's
 * last sign of life to that metadata record. The logs give the start, the
 * metadata log the end.
 */
function ledByDeadBroker(windows: Window[], meta: MetadataInput, used: Set<MetadataWindow>): Window[] {
  const out: Window[] = [];
  const downs = windows.filter((w) => w.kind === 'broker-down' && w.node?.startsWith('broker-'));
  for (const down of downs) {
    const id = Number(down.node!.slice('broker-'.length));
    for (const h of meta.history.partitions.values()) {
      const before = meta.history.stateAt(h, down.start);
      if (!before || before.leader !== id) continue;
      const next = h.states.find((s) => s.time !== null && s.time > down.start && s.leader !== id);
      const tp = `${h.topic}-${h.partition}`;
      if (!next || next.time === null || (down.end !== null && next.time > down.end + METADATA_RESOLUTION_MS)) continue;
      if (windows.some((w) => w.kind === 'partition-offline' && `${w.topic}-${w.partition}` === tp &&
        w.start <= next.time! && (w.end ?? Infinity) >= down.start)) continue;
      let end = next.time;
      let how = `the controller moved its leadership to broker ${next.leader}`;
      const evidence = [...down.evidence.slice(0, 2), before.evidence, next.evidence];
      if (next.leader < 0) {
        const offline = meta.windows.find((m) => m.kind === 'partition-offline' && m.topic === h.topic && m.partition === h.partition && m.start === next.time);
        how = 'the controller marked it offline (leader -1)';
        if (offline) {
          used.add(offline);
          end = offline.end ?? end;
          for (const ev of offline.evidence) if (!evidence.includes(ev)) evidence.push(ev);
          if (offline.end !== null) how += `, until broker ${offline.details.leaderAfter} led it again`;
        }
      }
      out.push({
        kind: 'partition-offline', topic: h.topic, partition: h.partition, start: down.start, end,
        startBounds: down.startBounds, endBounds: [end, end], confidence: 'medium',
        reason: `its leader, broker ${id}, was down from its last sign of life and ${how} only at ${next.offset === null ? 'a later record' : `metadata offset ${next.offset}`}: writes and reads failed in between (NOT_LEADER_OR_FOLLOWER, timeouts)`,
        details: { inferred: true, leaderBefore: id, leaderAfter: next.leader, replicas: before.replicas },
        evidence: evidence.slice(0, MAX_EVIDENCE), evidenceOmitted: Math.max(0, evidence.length - MAX_EVIDENCE), track: { alive: 0 },
      });
    }
  }
  return out;
}

export function mergeMetadata(
  logWindows: Window[], meta: MetadataInput | undefined, edges: Map<string, Evidence[]>, zone: Zone,
): { windows: Window[]; disagreements: Disagreement[] } {
  if (!meta) return { windows: logWindows, disagreements: [] };
  const disagreements: Disagreement[] = [];
  const used = new Set<MetadataWindow>();
  const matched = new Set<Window>();
  const synthesized = ledByDeadBroker(logWindows, meta, used);
  const iso = (t: number | null) => (t === null ? 'still open' : zone.format(t));

  for (const m of meta.windows) {
    if (used.has(m)) continue;
    const lo = m.start - METADATA_RESOLUTION_MS;
    const hi = (m.end ?? Infinity) + METADATA_RESOLUTION_MS;
    const l = logWindows.find((w) => w.kind === m.kind && subjectOf(w) === subjectOf(m) && !matched.has(w) &&
      (w.startBounds?.[0] ?? w.start) <= hi && (w.end ?? Infinity) >= lo);
    if (!l) continue;
    used.add(m);
    matched.add(l);
    for (const ev of m.evidence) addEvidence(l, ev);
    const startAgree = within(m.start, l.startBounds ?? [l.start, l.start]);
    const endAgree = m.end === null ? l.end === null : l.end !== null && within(m.end, l.endBounds ?? [l.end, l.end]);
    l.details.metadataStart = iso(m.start);
    l.details.metadataEnd = iso(m.end);
    l.details.metadataOffsets = `${m.startOffset ?? '?'}–${m.endOffset ?? 'open'}`;
    l.details.edgesAgree = startAgree && endAgree;
    if (m.kind === 'controller-quorum-leaderless') {
      for (const k of ['epochBefore', 'epochAfter', 'leaderAfter'] as const) if (m.details[k] !== undefined && l.details[k] === undefined) l.details[k] = m.details[k]!;
    }
    if (startAgree && endAgree) {
      const late = m.start - l.start > METADATA_RESOLUTION_MS
        ? `; the controller recorded it at ${iso(m.start)}, when the cluster noticed (within the start bounds)`
        : '';
      l.reason = `${l.reason}; the metadata log agrees (offsets ${l.details.metadataOffsets})${late}`;
      continue;
    }
    const parts: string[] = [];
    if (!startAgree) parts.push(`starts it at ${iso(m.start)} (${secs(m.start - l.start)} ${m.start > l.start ? 'after' : 'before'} the logs)`);
    if (!endAgree) parts.push(m.end === null || l.end === null ? `ends it ${iso(m.end)} (logs: ${iso(l.end)})` : `ends it at ${iso(m.end)} (${secs(m.end - l.end)} ${m.end > l.end ? 'after' : 'before'} the logs)`);
    let why = `the metadata log ${parts.join(' and ')}`;
    if (!startAgree && m.kind === 'partition-offline' && m.start > l.start) {
      why += ': the controller wrote it down only when it fenced the broker, after the broker session timeout; the logs date it from the broker\'s last sign of life';
    }
    l.reason = `${l.reason}; ${why}`;
    disagreements.push({ kind: l.kind, ...subjectFields(l), side: 'edges', why, evidence: [...m.evidence.slice(0, 2), ...l.evidence.slice(0, 2)] });
  }

  const added: Window[] = [];
  for (const m of meta.windows) {
    if (used.has(m)) continue;
    const w = fromMetadata(m);
    // Log lines about the same partition at one of its edges (an ISR
    // expansion that ends it, a leader taking over that starts it).
    if (m.topic !== undefined) {
      for (const ev of edges.get(`${m.topic}-${m.partition}`) ?? []) {
        if (ev.time === null) continue;
        if (Math.abs(ev.time - m.start) <= METADATA_RESOLUTION_MS || (m.end !== null && Math.abs(ev.time - m.end) <= METADATA_RESOLUTION_MS)) addEvidence(w, ev);
      }
    }
    const logSeen = w.evidence.length > m.evidence.length;
    const why = m.kind === 'under-replicated'
      ? `only the metadata log shows ${subjectOf(m)} under-replicated${logSeen ? ' (the logs show only an edge of it)' : ''}: a KRaft leader logs no ISR shrink the controller makes when it fences a replica`
      : m.kind === 'controller-quorum-leaderless'
        ? 'only the metadata log shows the quorum changing leader (epoch gap); the raft lines of the nodes involved are missing from the logs given'
        : `only the metadata log shows this ${m.kind} window; the logs given have no line for it`;
    w.reason = `${w.reason} (metadata only)`;
    added.push(w);
    disagreements.push({ kind: m.kind, ...subjectFields(m), side: 'metadata-only', why, evidence: w.evidence.slice(0, 3) });
  }

  const first = meta.history.first?.time;
  const last = meta.history.last?.time;
  if (first !== undefined && last !== undefined) {
    for (const l of logWindows) {
      if (!COMPARABLE.has(l.kind) || matched.has(l)) continue;
      if (l.start < first - METADATA_RESOLUTION_MS || l.start > last + METADATA_RESOLUTION_MS) continue;
      if (l.kind === 'partition-offline' && l.details.inferred) continue;
      disagreements.push({
        kind: l.kind, ...subjectFields(l), side: 'logs-only',
        why: `the logs show this ${l.kind} window but the metadata log, which covers its time, records no matching change`,
        evidence: l.evidence.slice(0, 3),
      });
    }
  }
  const order = (w: Window) => w.start;
  return { windows: [...logWindows, ...synthesized, ...added].sort((a, b) => order(a) - order(b)), disagreements };
}
