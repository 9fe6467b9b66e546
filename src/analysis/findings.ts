import type { FindingJson, LineRefJson, RecommendationJson } from '../model/report.js';
import type { WindowJson } from '../model/window.js';
import type { DescribeSnapshot, PartitionSnapshot, TopicSnapshot } from '../readers/topics-describe.js';
import type { Properties } from '../readers/properties.js';
import type { StartupConfig } from '../readers/startup-config.js';
import { formatDuration } from './gap.js';

/**
 * Configuration risks read from what the incident folder holds
 * (`kafka-topics --describe` snapshots, server.properties), each tied to the
 * outage windows it contributed to. The checks are data: CHECKS below; each
 * has the seeds' recommended value, why it matters and a predicate that
 * returns the places it fails.
 */

export interface DescribeFile {
  file: string;
  snapshot: DescribeSnapshot;
}

export interface PropertiesFile {
  file: string;
  role: 'broker' | 'zookeeper';
  /** `broker-1` from broker.id, else the node of the logs beside it, else null. */
  node: string | null;
  props: Properties;
}

export interface FindingContext {
  describes: readonly DescribeFile[];
  properties: readonly PropertiesFile[];
  /** The brokers' start-up config dumps (`KafkaConfig values:`), when their server logs were read. */
  startup?: readonly StartupConfigFile[];
  windows: readonly WindowJson[];
  /** `HH:MM` (or `YYYY-MM-DD HH:MM` on another day than the incident's first) of an ISO time in --tz. */
  clock: (iso: string) => string;
}

/** One place a check fails. Hits of one check with the same `group` become one finding. */
export interface Hit {
  subject: string;
  observed: string;
  evidence: LineRefJson[];
  windows: number[];
  incident: string | null;
  /** Hits with the same group (default: subject + observed) are merged. */
  group?: string;
}

export interface Check {
  id: string;
  /** state: what a snapshot showed (a symptom), not a setting; default: a configuration setting. */
  basis?: FindingJson['basis'];
  title: string;
  severity: FindingJson['severity'];
  scope: RecommendationJson['scope'];
  setting: string;
  recommended: string;
  why: string;
  /** Whether the inputs let this check run at all (else its setting is "not checked"). */
  applies: (ctx: FindingContext) => boolean;
  find: (ctx: FindingContext) => Hit[];
}

// ---------------------------------------------------------------- helpers

interface PartitionFacts {
  topic: string;
  partition: number;
  snapshots: { file: string; p: PartitionSnapshot }[];
}

interface TopicFacts {
  topic: string;
  snapshots: { file: string; t: TopicSnapshot }[];
}

/** Partitions of every snapshot, in first-seen order, with every snapshot line that shows them. */
function partitions(ctx: FindingContext): PartitionFacts[] {
  const out = new Map<string, PartitionFacts>();
  for (const d of ctx.describes) {
    for (const p of d.snapshot.partitions) {
      const key = `${p.topic}-${p.partition}`;
      let f = out.get(key);
      if (!f) out.set(key, (f = { topic: p.topic, partition: p.partition, snapshots: [] }));
      f.snapshots.push({ file: d.file, p });
    }
  }
  return [...out.values()];
}

function topics(ctx: FindingContext): TopicFacts[] {
  const out = new Map<string, TopicFacts>();
  for (const d of ctx.describes) {
    for (const t of d.snapshot.topics) {
      let f = out.get(t.topic);
      if (!f) out.set(t.topic, (f = { topic: t.topic, snapshots: [] }));
      f.snapshots.push({ file: d.file, t });
    }
  }
  return [...out.values()];
}

const ref = (file: string, line: number): LineRefJson => ({ file, line });

function span(ctx: FindingContext, w: WindowJson): string {
  const end = w.end === null ? 'the end of the logs' : ctx.clock(w.end);
  const d = w.durationMs === null ? '' : ` (${formatDuration(roundToSecond(w.durationMs))})`;
  return `${ctx.clock(w.start)}–${end}${d}`;
}

function roundToSecond(ms: number): number {
  return ms >= 1000 ? Math.round(ms / 1000) * 1000 : ms;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Windows of the given kind and filter, with their indexes. */
function windowsWhere(ctx: FindingContext, pred: (w: WindowJson) => boolean): { w: WindowJson; i: number }[] {
  const out: { w: WindowJson; i: number }[] = [];
  ctx.windows.forEach((w, i) => { if (pred(w)) out.push({ w, i }); });
  return out;
}

/** A partition offline for at least a second: not the blip of a leader moving. */
const LASTING_MS = 1000;
function lastingOffline(ctx: FindingContext, topic: string, partition?: number) {
  const lasting = (kind: string) => windowsWhere(ctx, (w) => w.kind === kind && w.topic === topic &&
    (partition === undefined || w.partition === partition) && (w.durationMs === null || w.durationMs >= LASTING_MS));
  // A partition without a working leader (from its replicas' fate) and the controller's OfflinePartition tell one outage:
  // the former where the engine found it, else the latter.
  const leaderless = lasting('partition-leaderless');
  const told = new Set(leaderless.map((o) => o.w.partition));
  return [...leaderless, ...lasting('partition-offline').filter((o) => !told.has(o.w.partition))].sort((x, y) => x.i - y.i);
}

function brokerDown(ctx: FindingContext, broker: number) {
  return windowsWhere(ctx, (w) => w.kind === 'broker-down' && w.node === `broker-${broker}`);
}

function snapshotRefs(f: PartitionFacts): LineRefJson[] {
  return f.snapshots.map((s) => ref(s.file, s.p.line));
}

function topicRefs(t: TopicFacts): LineRefJson[] {
  return t.snapshots.map((s) => ref(s.file, s.t.line));
}

function replicationFactor(t: TopicFacts, parts: readonly PartitionFacts[]): number | undefined {
  const declared = t.snapshots.map((s) => s.t.replicationFactor).find((n) => n !== undefined && Number.isFinite(n));
  if (declared !== undefined) return declared;
  const sizes = parts.filter((p) => p.topic === t.topic).map((p) => p.snapshots[0]!.p.replicas.length);
  return sizes.length > 0 ? Math.max(...sizes) : undefined;
}

/** Where a configuration value comes from, most authoritative first. */
export type ValueSource = 'topic' | 'start-up' | 'properties' | 'default';
export const SOURCE_LABEL: Record<ValueSource, string> = {
  'topic': 'kafka-topics output',
  'start-up': 'broker start-up config',
  'properties': 'properties file',
  'default': "Kafka's default, not in the inputs",
};

/** A value as the evidence gives it, with where it comes from. */
export interface Resolved {
  value: string;
  source: ValueSource;
  evidence: LineRefJson | null;
}

/** The start-up dumps of one broker; `node` is `broker-N`. */
export interface StartupConfigFile {
  node: string;
  config: StartupConfig;
}

/** Brokers the configuration evidence names: start-up dumps first, then broker properties files. */
function brokerNodes(ctx: FindingContext): string[] {
  const out = new Set<string>();
  for (const s of ctx.startup ?? []) out.add(s.node);
  for (const p of brokerFiles(ctx)) out.add(brokerName(p));
  return [...out].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** `2026-11-21T04:39:50.559+09:00` → `2026-11-21 04:39:50,559`: a log4j stamp in the same zone. */
const asStamp = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;

/** The start-up dump in effect when the incident began: the last before its first window, else the first one. */
function startupOf(ctx: FindingContext, node: string): StartupConfig | undefined {
  const dumps = (ctx.startup ?? []).filter((s) => s.node === node).map((s) => s.config)
    .sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.line - b.line));
  if (dumps.length === 0) return undefined;
  const first = ctx.windows.map((w) => w.start).sort()[0];
  const before = first === undefined ? [] : dumps.filter((d) => d.stamp <= asStamp(first));
  return before.at(-1) ?? dumps[0];
}

/**
 * A broker setting from, in order: the broker's start-up config dump (what it
 * ran with), its properties file, Kafka's default (`fallback`); undefined
 * when none applies.
 */
export function brokerValue(ctx: FindingContext, node: string, key: string, fallback?: string): Resolved | undefined {
  const dump = startupOf(ctx, node);
  const v = dump?.values.get(key);
  if (dump && v) return { value: v.value, source: 'start-up', evidence: ref(dump.file, v.line) };
  for (const p of brokerFiles(ctx)) {
    if (brokerName(p) !== node) continue;
    const set = p.props.values.get(key);
    if (set) return { value: set.value, source: 'properties', evidence: ref(p.file, set.line) };
  }
  return fallback === undefined ? undefined : { value: fallback, source: 'default', evidence: null };
}

function brokerFiles(ctx: FindingContext): PropertiesFile[] {
  return ctx.properties.filter((p) => p.role === 'broker');
}

function brokerName(p: PropertiesFile): string {
  return p.node ?? p.file;
}

/** `key=value (broker start-up config)`, or `key not set (Kafka's default: value)`. */
function observedOf(key: string, r: Resolved): string {
  return r.source === 'default' ? `${key} not set (Kafka's default: ${r.value})` : `${key}=${r.value} (${SOURCE_LABEL[r.source]})`;
}

/** One hit per broker whose setting fails; hits with equal values from the same kind of source group into one finding. */
function brokerHits(
  ctx: FindingContext, key: string, fails: (value: string) => boolean,
  tie?: (value: string) => { windows: number[]; incident: string | null },
): Hit[] {
  const hits: Hit[] = [];
  for (const node of brokerNodes(ctx)) {
    const s = brokerValue(ctx, node, key, BROKER_DEFAULTS[key]);
    if (!s || !fails(s.value)) continue;
    const t = tie?.(s.value) ?? { windows: [], incident: null };
    hits.push({
      subject: node,
      observed: observedOf(key, s),
      evidence: s.evidence === null ? [] : [s.evidence],
      windows: t.windows,
      incident: t.incident,
      group: `${s.source}:${s.value}`,
    });
  }
  return hits;
}

/** log.dirs, else log.dir (a start-up dump prints `log.dirs = null` when only log.dir is set), else Kafka's default. */
function logDirs(ctx: FindingContext, node: string): Resolved {
  const dirs = brokerValue(ctx, node, 'log.dirs');
  if (dirs && dirs.value !== 'null' && dirs.value !== '') return dirs;
  return brokerValue(ctx, node, 'log.dir', '/tmp/kafka-logs')!;
}

function zookeeperDataDirs(ctx: FindingContext): { subject: string; r: Resolved }[] {
  return ctx.properties.filter((p) => p.role === 'zookeeper').flatMap((p) => {
    const v = p.props.values.get('dataDir');
    return v ? [{ subject: p.node ?? p.file, r: { value: v.value, source: 'properties' as const, evidence: ref(p.file, v.line) } }] : [];
  });
}

/** Topics the inputs show created by hand (kafka-topics --create output). */
function createdByHand(ctx: FindingContext): Map<string, LineRefJson> {
  const out = new Map<string, LineRefJson>();
  for (const d of ctx.describes) for (const c of d.snapshot.created ?? []) if (!out.has(c.topic)) out.set(c.topic, ref(d.file, c.line));
  return out;
}

/**
 * Whether a topic may have been created automatically, by a producer, with
 * the broker defaults: some broker ran with auto.create.topics.enable on and
 * the inputs hold no create command for it. Null when nothing says so.
 */
function mayBeAutoCreated(ctx: FindingContext, topic: string): Resolved | null {
  if (createdByHand(ctx).has(topic)) return null;
  for (const node of brokerNodes(ctx)) {
    const r = brokerValue(ctx, node, 'auto.create.topics.enable', 'true');
    if (r && r.value.trim() === 'true') return r;
  }
  return null;
}

const num = (v: string): number => Number(v.trim());
const anyDescribe = (ctx: FindingContext) => ctx.describes.some((d) => d.snapshot.partitions.length > 0 || d.snapshot.topics.length > 0);
const anyBroker = (ctx: FindingContext) => brokerNodes(ctx).length > 0;

/**
 * Offline topics whose replication factor is the broker default and that may
 * have taken it by being created automatically (see mayBeAutoCreated): only
 * then did the default contribute. A topic created by hand took the
 * replication factor its create command gave.
 */
function defaultRfOutages(ctx: FindingContext, value: string): { windows: number[]; incident: string | null } {
  const hurt: string[] = [];
  const windows: number[] = [];
  const parts = partitions(ctx);
  for (const t of topics(ctx)) {
    if (replicationFactor(t, parts) !== num(value)) continue;
    const off = lastingOffline(ctx, t.topic);
    const auto = off.length === 0 ? null : mayBeAutoCreated(ctx, t.topic);
    if (!auto) continue;
    hurt.push(`${t.topic} has replication factor ${num(value)}, no create command in the inputs and auto.create.topics.enable=${auto.value} (${SOURCE_LABEL[auto.source]}): a producer may have created it with these defaults; it was offline ${off.map((o) => span(ctx, o.w)).join(', ')}`);
    windows.push(...off.map((o) => o.i));
  }
  return { windows, incident: hurt.length === 0 ? null : hurt.join('; ') };
}

// ---------------------------------------------------------------- the checks

export const CHECKS: readonly Check[] = [
  {
    id: 'topic.replication-factor-1',
    title: 'Topic with a single replica',
    severity: 'high',
    scope: 'topic',
    setting: 'replication factor',
    recommended: '3 (on three or more brokers)',
    why: 'With one replica the partition has no follower to take over: while its broker is down the partition is offline, producers cannot write to it and the records they would have sent are lost unless they buffer and retry.',
    applies: anyDescribe,
    find: (ctx) => {
      const hits: Hit[] = [];
      for (const f of partitions(ctx)) {
        const replicas = f.snapshots[0]!.p.replicas;
        if (replicas.length !== 1) continue;
        const broker = replicas[0]!;
        const down = brokerDown(ctx, broker);
        const off = lastingOffline(ctx, f.topic, f.partition);
        const windows = [...new Set([...down.map((d) => d.i), ...off.map((o) => o.i)])].sort((a, b) => a - b);
        let incident: string | null = null;
        if (down.length > 0) {
          incident = `${f.topic} has RF=1 and its only replica was broker ${broker}, down ${down.map((d) => span(ctx, d.w)).join(', ')}`;
          if (off.length > 0) incident += `; ${f.topic}-${f.partition} had no leader for that time`;
        } else if (off.length > 0) {
          incident = `${f.topic} has RF=1: ${f.topic}-${f.partition} (only replica broker ${broker}) was offline ${off.map((o) => span(ctx, o.w)).join(', ')}`;
        }
        hits.push({
          subject: `${f.topic}-${f.partition}`,
          observed: `Replicas: ${broker} (replication factor 1)`,
          evidence: snapshotRefs(f),
          windows,
          incident,
          group: `${f.topic}-${f.partition}`,
        });
      }
      return hits;
    },
  },
  {
    id: 'topic.replication-factor-below-3',
    title: 'Topic with fewer than three replicas',
    severity: 'medium',
    scope: 'topic',
    setting: 'replication factor',
    recommended: '3 (on three or more brokers)',
    why: 'With two replicas, losing two brokers — or one while the other is out of the ISR — leaves a partition without a leader. Three replicas with min.insync.replicas=2 survive one broker failure without losing acknowledged writes or availability.',
    applies: anyDescribe,
    find: (ctx) => {
      const parts = partitions(ctx);
      const hits: Hit[] = [];
      for (const t of topics(ctx)) {
        const rf = replicationFactor(t, parts);
        if (rf === undefined || rf < 2 || rf >= 3) continue;
        const off = lastingOffline(ctx, t.topic);
        const byPartition = new Map<number, string[]>();
        for (const o of off) {
          const list = byPartition.get(o.w.partition!) ?? [];
          list.push(span(ctx, o.w));
          byPartition.set(o.w.partition!, list);
        }
        const told = [...byPartition].map(([p, spans]) => {
          const replicas = parts.find((f) => f.topic === t.topic && f.partition === p)?.snapshots[0]!.p.replicas;
          return `${t.topic}-${p}${replicas ? ` (replicas ${replicas.join(',')})` : ''} was offline ${spans.join(', ')}`;
        });
        hits.push({
          subject: t.topic,
          observed: `ReplicationFactor: ${rf}`,
          evidence: topicRefs(t),
          windows: off.map((o) => o.i),
          incident: told.length === 0 ? null : `${t.topic} has RF=${rf}: ${list(told)}, with all its replicas down or out of sync`,
        });
      }
      return hits;
    },
  },
  {
    id: 'topic.single-partition',
    title: 'Topic with one partition',
    severity: 'medium',
    scope: 'topic',
    setting: 'partitions',
    recommended: '≥ 2 (3 on a three-broker cluster)',
    why: 'One partition means one leader takes every write and one consumer of a group reads everything; when that leader is unavailable the whole topic stops. More partitions spread leaders over brokers (add them before you need them: their number cannot shrink, and keyed records change partition).',
    applies: anyDescribe,
    find: (ctx) => topics(ctx).filter((t) => t.snapshots.some((s) => s.t.partitionCount === 1)).map((t) => {
      const off = lastingOffline(ctx, t.topic);
      return {
        subject: t.topic,
        observed: 'PartitionCount: 1',
        evidence: topicRefs(t),
        windows: off.map((o) => o.i),
        incident: off.length === 0 ? null : `every write to ${t.topic} went to its one partition, which was offline ${off.map((o) => span(ctx, o.w)).join(', ')}`,
      };
    }),
  },
  {
    id: 'topic.no-leader',
    basis: 'state',
    title: 'Partition without a leader in a snapshot',
    severity: 'high',
    scope: 'topic',
    setting: 'replication factor / min.insync.replicas',
    recommended: 'replication factor 3, min.insync.replicas 2',
    why: '`Leader: none` (or -1) means no replica in the ISR was alive: the partition could neither take writes nor serve reads when the snapshot was taken.',
    applies: anyDescribe,
    find: (ctx) => partitions(ctx).flatMap((f) => {
      const bad = f.snapshots.filter((s) => s.p.leader === null);
      if (bad.length === 0) return [];
      const off = lastingOffline(ctx, f.topic, f.partition);
      const p = bad[0]!.p;
      return [{
        subject: `${f.topic}-${f.partition}`,
        observed: `Leader: none, Replicas: ${p.replicas.join(',')}, Isr: ${p.isr.join(',')}`,
        evidence: bad.map((s) => ref(s.file, s.p.line)),
        windows: off.map((o) => o.i),
        incident: off.length === 0 ? null : `${f.topic}-${f.partition} (replicas ${p.replicas.join(',')}) had no leader in a snapshot and was offline ${off.map((o) => span(ctx, o.w)).join(', ')}`,
      }];
    }),
  },
  {
    id: 'topic.isr-short',
    basis: 'state',
    title: 'ISR smaller than the replica list',
    severity: 'medium',
    scope: 'topic',
    setting: 'ISR = replicas',
    recommended: 'every replica in the ISR; find out why the others fell behind',
    why: 'A replica outside the ISR cannot take over without losing writes (unless unclean election is on, which loses them for certain). The partition is one failure closer to being offline.',
    applies: anyDescribe,
    find: (ctx) => partitions(ctx).flatMap((f) => {
      const short = f.snapshots.filter((s) => s.p.isr.length < s.p.replicas.length);
      if (short.length === 0) return [];
      const under = windowsWhere(ctx, (w) => w.kind === 'under-replicated' && w.topic === f.topic && w.partition === f.partition);
      const p = short[0]!.p;
      const missing = p.replicas.filter((r) => !p.isr.includes(r));
      return [{
        subject: `${f.topic}-${f.partition}`,
        observed: `Replicas: ${p.replicas.join(',')}, Isr: ${p.isr.join(',') || '(empty)'} (${short.length} of ${f.snapshots.length} snapshot${f.snapshots.length === 1 ? '' : 's'})`,
        evidence: short.map((s) => ref(s.file, s.p.line)),
        windows: under.map((u) => u.i),
        incident: under.length === 0 ? null
          : `${f.topic}-${f.partition} was under-replicated ${under.map((u) => span(ctx, u.w)).join(', ')} (broker ${missing.join(', ')} out of the ISR in the snapshot)`,
      }];
    }),
  },
  {
    id: 'topic.leader-not-preferred',
    basis: 'state',
    title: 'Leader is not the preferred replica',
    severity: 'low',
    scope: 'topic',
    setting: 'auto.leader.rebalance.enable',
    recommended: 'true (Kafka\'s default), or run kafka-leader-election --election-type preferred after a failover',
    why: 'After a failover the surviving brokers keep the leaderships they took over: load stays skewed until a preferred-leader election moves them back.',
    applies: anyDescribe,
    find: (ctx) => partitions(ctx).flatMap((f) => {
      const moved = f.snapshots.filter((s) => s.p.leader !== null && s.p.replicas.length > 0 && s.p.leader !== s.p.replicas[0]);
      if (moved.length === 0) return [];
      const p = moved[0]!.p;
      const preferred = p.replicas[0]!;
      const odd = !p.replicas.includes(p.leader!);
      const down = brokerDown(ctx, preferred);
      return [{
        subject: `${f.topic}-${f.partition}`,
        observed: `Leader: ${p.leader}, preferred (first replica): ${preferred}${odd ? ` — the leader is not in the replica list ${p.replicas.join(',')}: the snapshot is inconsistent (taken during a reassignment, or edited)` : ''}`,
        evidence: moved.map((s) => ref(s.file, s.p.line)),
        windows: [],
        incident: down.length === 0 ? null : `its preferred leader, broker ${preferred}, was down ${down.map((d) => span(ctx, d.w)).join(', ')}`,
      }];
    }),
  },
  {
    id: 'topic.min-insync-replicas',
    title: 'Topic min.insync.replicas out of range',
    severity: 'medium',
    scope: 'topic',
    setting: 'min.insync.replicas',
    recommended: '2 (with replication factor 3)',
    why: 'With acks=all a write needs min.insync.replicas copies: 1 acknowledges writes held by a single broker; a value ≥ the replication factor refuses every write as soon as one replica is down.',
    applies: anyDescribe,
    find: (ctx) => {
      const parts = partitions(ctx);
      return topics(ctx).flatMap((t) => {
        const s = t.snapshots.find((x) => x.t.configs['min.insync.replicas'] !== undefined);
        if (!s) return [];
        const min = num(s.t.configs['min.insync.replicas']!);
        const rf = replicationFactor(t, parts);
        if (!(min <= 1 || (rf !== undefined && min >= rf))) return [];
        return [{
          subject: t.topic,
          observed: `min.insync.replicas=${min}${rf !== undefined ? ` with replication factor ${rf}` : ''}`,
          evidence: [ref(s.file, s.t.line)],
          windows: [],
          incident: null,
        }];
      });
    },
  },
  {
    id: 'broker.default-replication-factor',
    title: 'New topics get fewer than three replicas by default',
    severity: 'high',
    scope: 'broker',
    setting: 'default.replication.factor',
    recommended: '3, and create topics by hand (auto.create.topics.enable=false)',
    why: 'A topic created without a replication factor — by a producer writing to it while auto.create.topics.enable is on, or by a create command that gives none — takes default.replication.factor. With 1 it lives on one broker only: while that broker is down the topic is offline.',
    applies: anyBroker,
    find: (ctx) => brokerHits(ctx, 'default.replication.factor', (v) => num(v) < 3, (v) => defaultRfOutages(ctx, v)),
  },
  {
    id: 'broker.num-partitions',
    title: 'New topics get one partition by default',
    severity: 'medium',
    scope: 'broker',
    setting: 'num.partitions',
    recommended: '≥ 2 (3 on a three-broker cluster)',
    why: 'A topic created without a partition count (by a producer while auto.create.topics.enable is on, or by a create command that gives none) takes num.partitions: with 1 every write of the topic goes to a single leader.',
    applies: anyBroker,
    find: (ctx) => brokerHits(ctx, 'num.partitions', (v) => num(v) < 2),
  },
  {
    id: 'broker.auto-create-topics',
    title: 'Topics are created automatically',
    severity: 'low',
    scope: 'broker',
    setting: 'auto.create.topics.enable',
    recommended: 'false: create topics by hand with their partitions and replication factor',
    why: 'With auto-creation on, the first producer (or a typo) creates a topic with the broker defaults instead of the settings the data needs.',
    applies: anyBroker,
    find: (ctx) => brokerHits(ctx, 'auto.create.topics.enable', (v) => v.trim() !== 'false'),
  },
  {
    id: 'broker.min-insync-replicas',
    title: 'Broker min.insync.replicas is 1',
    severity: 'medium',
    scope: 'broker',
    setting: 'min.insync.replicas',
    recommended: '2 (with replication factor 3 and producers on acks=all)',
    why: 'acks=all only waits for min.insync.replicas copies: with 1, a write acknowledged by the leader alone is lost if that leader dies before a follower fetched it.',
    applies: anyBroker,
    find: (ctx) => brokerHits(ctx, 'min.insync.replicas', (v) => num(v) < 2),
  },
  {
    id: 'broker.offsets-topic-replication-factor',
    title: 'Consumer offsets topic with fewer than three replicas',
    severity: 'high',
    scope: 'broker',
    setting: 'offsets.topic.replication.factor',
    recommended: '≥ 3',
    why: '__consumer_offsets holds every group\'s committed positions and its coordinator: with fewer copies one broker loss stops groups from committing or rebalancing.',
    applies: anyBroker,
    find: (ctx) => brokerHits(ctx, 'offsets.topic.replication.factor', (v) => num(v) < 3, () => {
      const off = lastingOffline(ctx, '__consumer_offsets');
      return { windows: off.map((o) => o.i), incident: off.length === 0 ? null : `__consumer_offsets partitions were offline ${off.slice(0, 3).map((o) => span(ctx, o.w)).join(', ')}` };
    }),
  },
  {
    id: 'broker.transaction-log-replication',
    title: 'Transaction state log with fewer than three replicas',
    severity: 'medium',
    scope: 'broker',
    setting: 'transaction.state.log.replication.factor',
    recommended: '3 (and transaction.state.log.min.isr 2)',
    why: 'Transactional and idempotent producers need __transaction_state: with one replica a single broker loss blocks them.',
    applies: anyBroker,
    find: (ctx) => brokerHits(ctx, 'transaction.state.log.replication.factor', (v) => num(v) < 3),
  },
  {
    id: 'broker.unclean-leader-election',
    title: 'Unclean leader election enabled',
    severity: 'high',
    scope: 'broker',
    setting: 'unclean.leader.election.enable',
    recommended: 'false',
    why: 'An out-of-sync replica may become leader: the partition comes back sooner but every write it had not fetched is lost, silently.',
    applies: anyBroker,
    find: (ctx) => brokerHits(ctx, 'unclean.leader.election.enable', (v) => v.trim() === 'true', () => {
      const stale = windowsWhere(ctx, (w) => w.kind === 'two-leaders');
      return { windows: stale.map((s) => s.i), incident: stale.length === 0 ? null : `writes were truncated on ${stale.length} partition(s) (two-leaders windows)` };
    }),
  },
  {
    id: 'broker.log-dirs-tmp',
    title: 'Kafka data under /tmp',
    severity: 'high',
    scope: 'broker',
    setting: 'log.dirs',
    recommended: 'a dedicated data directory, not under /tmp',
    why: 'Files under /tmp are removed by tmp cleaners and on reboot: segments vanish under the running broker, which then fails to clean or roll its logs, and data is lost.',
    applies: anyBroker,
    find: (ctx) => brokerNodes(ctx).flatMap((node) => {
      const s = logDirs(ctx, node);
      if (!s.value.split(',').some((d) => d.trim().startsWith('/tmp'))) return [];
      return [{
        subject: node,
        observed: observedOf('log.dirs', s),
        evidence: s.evidence === null ? [] : [s.evidence],
        windows: [],
        incident: null,
        group: `${s.source}:${s.value}`,
      }];
    }),
  },
  {
    id: 'zookeeper.data-dir-tmp',
    title: 'ZooKeeper data under /tmp',
    severity: 'high',
    scope: 'broker',
    setting: 'dataDir (zookeeper.properties)',
    recommended: 'a dedicated data directory, not under /tmp',
    why: 'ZooKeeper keeps the cluster metadata (brokers, topics, ACLs) in dataDir: a tmp cleaner or reboot that empties it loses the cluster\'s state.',
    applies: (ctx) => ctx.properties.some((p) => p.role === 'zookeeper'),
    find: (ctx) => zookeeperDataDirs(ctx).flatMap(({ subject, r }) => {
      if (!r.value.startsWith('/tmp')) return [];
      return [{ subject, observed: `dataDir=${r.value}`, evidence: r.evidence === null ? [] : [r.evidence], windows: [], incident: null, group: r.value }];
    }),
  },
  {
    id: 'broker.zookeeper-session-timeout',
    title: 'ZooKeeper session timeout outside 6–18 s',
    severity: 'low',
    scope: 'broker',
    setting: 'zookeeper.session.timeout.ms',
    recommended: '18000 (Kafka ≥ 2.5 default, KIP-537; 6000 before)',
    why: 'Too short and a GC pause or network blip expires the broker\'s session (it is dropped from the cluster and its partitions move); too long and a dead broker keeps its leaderships for that long.',
    applies: anyBroker,
    find: (ctx) => brokerHits(ctx, 'zookeeper.session.timeout.ms', (v) => num(v) < 6000 || num(v) > 18000, () => {
      const iso = windowsWhere(ctx, (w) => w.kind === 'isolated');
      return { windows: iso.map((s) => s.i), incident: iso.length === 0 ? null : `brokers lost their ZooKeeper session ${iso.length} time(s)` };
    }),
  },
  {
    id: 'broker.replica-lag-time',
    title: 'replica.lag.time.max.ms outside 10–30 s',
    severity: 'low',
    scope: 'broker',
    setting: 'replica.lag.time.max.ms',
    recommended: '30000 (Kafka ≥ 2.5 default; 10000 before)',
    why: 'Too short and followers drop out of the ISR at every hiccup (writes with acks=all stall); too long and a dead follower stays in the ISR, so a leader failover can lose what it had not fetched.',
    applies: anyBroker,
    find: (ctx) => brokerHits(ctx, 'replica.lag.time.max.ms', (v) => num(v) < 10000 || num(v) > 30000),
  },
  {
    id: 'broker.auto-leader-rebalance',
    title: 'Automatic preferred-leader election disabled',
    severity: 'medium',
    scope: 'broker',
    setting: 'auto.leader.rebalance.enable',
    recommended: 'true (Kafka\'s default)',
    why: 'Without it, leaderships taken over during a failover stay on the survivors: one broker ends up leading most partitions.',
    applies: anyBroker,
    find: (ctx) => brokerHits(ctx, 'auto.leader.rebalance.enable', (v) => v.trim() === 'false'),
  },
];

/** One value of a recommended-configuration row: a topic's or a broker's, with its source. */
export type RowValue = RecommendationJson['values'][number];

interface RecommendedRow {
  setting: string;
  scope: RecommendationJson['scope'];
  recommended: string;
  /** The values the evidence gives, each with its source; none: not checked. */
  values?: (ctx: FindingContext) => RowValue[];
  fails?: (value: string) => boolean;
  /** Why the row cannot be checked (producer settings), or what its values mean. */
  note?: string;
  /** Why there are no values. */
  missing?: string;
}

const resolvedRow = (subject: string, r: Resolved): RowValue => ({ subject, value: r.value, source: r.source, evidence: r.evidence });

/** A broker setting of every broker the evidence names. */
function brokerRow(key: string): (ctx: FindingContext) => RowValue[] {
  const fallback = BROKER_DEFAULTS[key];
  return (ctx) => brokerNodes(ctx).flatMap((node) => {
    const r = brokerValue(ctx, node, key, fallback);
    return r ? [resolvedRow(node, r)] : [];
  });
}

/** Kafka's defaults of the settings whose default has not changed across versions (the others are only read from the inputs). */
const BROKER_DEFAULTS: Record<string, string> = {
  'default.replication.factor': '1', 'num.partitions': '1', 'auto.create.topics.enable': 'true', 'min.insync.replicas': '1',
  'offsets.topic.replication.factor': '3', 'transaction.state.log.replication.factor': '3',
  'unclean.leader.election.enable': 'false', 'auto.leader.rebalance.enable': 'true',
};

const NO_BROKER = 'no broker start-up config (KafkaConfig values in server.log) or server.properties in the inputs';
const NO_DESCRIBE = 'no kafka-topics --describe output in the inputs';

/** Per topic: its own min.insync.replicas (Configs: of the describe output), else the brokers' setting it falls back to. */
function minIsrValues(ctx: FindingContext): RowValue[] {
  const brokers = brokerNodes(ctx).map((n) => brokerValue(ctx, n, 'min.insync.replicas', '1')!);
  const broker = brokers.find((b) => b.source !== 'default') ?? brokers[0] ?? { value: '1', source: 'default' as const, evidence: null };
  return topics(ctx).map((t) => {
    const own = t.snapshots.find((x) => x.t.configs['min.insync.replicas'] !== undefined);
    return own
      ? { subject: t.topic, value: own.t.configs['min.insync.replicas']!, source: 'topic' as const, evidence: ref(own.file, own.t.line) }
      : resolvedRow(t.topic, broker);
  });
}

const below = (n: number) => (v: string) => !(num(v) >= n);

/**
 * The recommended configuration (seeds 001, 003, 004: replication factor 3,
 * min.insync.replicas 2, acks=all, partitions ≥ 2, …). Each row is judged on
 * the values the evidence gives — topic configs (describe output), the
 * brokers' start-up config dumps, properties files, then Kafka's defaults —
 * and names the source of each, so that no row contradicts the evidence.
 */
export const RECOMMENDED: readonly RecommendedRow[] = [
  {
    setting: 'replication factor', scope: 'topic', recommended: '3', fails: below(3), missing: NO_DESCRIBE,
    values: (ctx) => { const parts = partitions(ctx); return topics(ctx).flatMap((t) => { const rf = replicationFactor(t, parts); return rf === undefined ? [] : [{ subject: t.topic, value: String(rf), source: 'topic' as const, evidence: topicRefs(t)[0]! }]; }); },
  },
  {
    setting: 'partitions', scope: 'topic', recommended: '≥ 2 (3 on a three-broker cluster)', fails: below(2), missing: NO_DESCRIBE,
    values: (ctx) => topics(ctx).flatMap((t) => { const s = t.snapshots.find((x) => x.t.partitionCount !== undefined && Number.isFinite(x.t.partitionCount)); return s ? [{ subject: t.topic, value: String(s.t.partitionCount), source: 'topic' as const, evidence: ref(s.file, s.t.line) }] : []; }),
  },
  {
    setting: 'min.insync.replicas', scope: 'topic', recommended: '2', fails: below(2), missing: NO_DESCRIBE, values: minIsrValues,
    note: 'topics without their own setting take the brokers\' min.insync.replicas',
  },
  {
    setting: 'acks', scope: 'producer', recommended: 'all',
    note: 'a producer setting: broker logs do not show it. With acks=1 a leader that dies or is cut off loses the writes it acknowledged but had not replicated.',
  },
  { setting: 'default.replication.factor', scope: 'broker', recommended: '3', fails: below(3), values: brokerRow('default.replication.factor') },
  { setting: 'num.partitions', scope: 'broker', recommended: '≥ 2', fails: below(2), values: brokerRow('num.partitions') },
  { setting: 'auto.create.topics.enable', scope: 'broker', recommended: 'false', fails: (v) => v.trim() !== 'false', values: brokerRow('auto.create.topics.enable') },
  { setting: 'offsets.topic.replication.factor', scope: 'broker', recommended: '≥ 3', fails: below(3), values: brokerRow('offsets.topic.replication.factor') },
  { setting: 'transaction.state.log.replication.factor', scope: 'broker', recommended: '3', fails: below(3), values: brokerRow('transaction.state.log.replication.factor') },
  { setting: 'unclean.leader.election.enable', scope: 'broker', recommended: 'false', fails: (v) => v.trim() === 'true', values: brokerRow('unclean.leader.election.enable') },
  {
    setting: 'log.dirs', scope: 'broker', recommended: 'not under /tmp', fails: (v) => v.split(',').some((d) => d.trim().startsWith('/tmp')),
    values: (ctx) => [...brokerNodes(ctx).map((n) => resolvedRow(n, logDirs(ctx, n))), ...zookeeperDataDirs(ctx).map((z) => resolvedRow(z.subject, z.r))],
  },
  {
    setting: 'zookeeper.session.timeout.ms', scope: 'broker', recommended: '6000–18000 (18000 since Kafka 2.5)', fails: (v) => num(v) < 6000 || num(v) > 18000,
    values: brokerRow('zookeeper.session.timeout.ms'), missing: `${NO_BROKER}; Kafka's default is 6000 before 2.5 and 18000 since`,
  },
  {
    setting: 'replica.lag.time.max.ms', scope: 'broker', recommended: '10000–30000 (30000 since Kafka 2.5)', fails: (v) => num(v) < 10000 || num(v) > 30000,
    values: brokerRow('replica.lag.time.max.ms'), missing: `${NO_BROKER}; Kafka's default is 10000 before 2.5 and 30000 since`,
  },
  { setting: 'auto.leader.rebalance.enable', scope: 'broker', recommended: 'true', fails: (v) => v.trim() === 'false', values: brokerRow('auto.leader.rebalance.enable') },
];

/** `broker-1, broker-2: 6000 (broker start-up config); broker-3: 18000 (properties file)`. */
function valuesText(values: readonly RowValue[]): string {
  const groups = new Map<string, { subjects: string[]; v: RowValue }>();
  for (const v of values) {
    const k = `${v.value}\0${v.source}`;
    const g = groups.get(k);
    if (g) g.subjects.push(v.subject);
    else groups.set(k, { subjects: [v.subject], v });
  }
  return [...groups.values()].map((g) => `${g.subjects.join(', ')}: ${g.v.value} (${SOURCE_LABEL[g.v.source]})`).join('; ');
}

const SEVERITY_RANK = { high: 0, medium: 1, low: 2 } as const;

export interface FindingsResult {
  findings: FindingJson[];
  recommendations: RecommendationJson[];
}

/** Runs every check; hits of one check that say the same thing merge into one finding. */
export function runChecks(ctx: FindingContext, checks: readonly Check[] = CHECKS): FindingsResult {
  const found: { f: FindingJson; order: number }[] = [];
  checks.forEach((check, order) => {
    if (!check.applies(ctx)) return;
    const groups = new Map<string, Hit[]>();
    for (const hit of check.find(ctx)) {
      const key = hit.group ?? `${hit.subject}\0${hit.observed}`;
      groups.set(key, [...(groups.get(key) ?? []), hit]);
    }
    for (const hits of groups.values()) {
      const first = hits[0]!;
      const subjects = [...new Set(hits.map((h) => h.subject))];
      found.push({
        order,
        f: {
          id: check.id,
          basis: check.basis ?? 'setting',
          title: check.title,
          severity: check.severity,
          subject: subjects.join(', '),
          observed: first.observed,
          recommended: check.recommended,
          why: check.why,
          incident: hits.map((h) => h.incident).find((i) => i !== null) ?? null,
          windows: [...new Set(hits.flatMap((h) => h.windows))].sort((a, b) => a - b),
          evidence: dedupeRefs(hits.flatMap((h) => h.evidence)),
        },
      });
    }
  });
  // What contributed to this incident first, then by severity, then in table order.
  found.sort((a, b) =>
    Number(b.f.windows.length > 0) - Number(a.f.windows.length > 0) ||
    SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] ||
    a.order - b.order ||
    (a.f.subject < b.f.subject ? -1 : a.f.subject > b.f.subject ? 1 : 0));
  const findings = found.map((x) => x.f);

  const stale = ctx.windows.filter((w) => w.kind === 'two-leaders').length;
  // Fields in the schema's order (a report so built is written as it is, not copied by zod: model/check.ts).
  const recommendations = RECOMMENDED.map((row): RecommendationJson => {
    const head = { setting: row.setting, scope: row.scope, recommended: row.recommended };
    if (!row.values) {
      const violated = row.setting === 'acks' && stale > 0;
      return {
        ...head, status: violated ? 'violated' : 'not-checked',
        note: violated ? `likely acks=1 or 0: ${stale} two-leaders window(s) show acknowledged writes truncated. ${row.note ?? ''}` : row.note ?? '',
        values: [],
      };
    }
    const values = row.values(ctx);
    if (values.length === 0) {
      return { ...head, status: 'not-checked', note: row.missing ?? (row.scope === 'topic' ? NO_DESCRIBE : NO_BROKER), values };
    }
    const bad = values.filter((v) => row.fails!(v.value));
    return {
      ...head, status: bad.length > 0 ? 'violated' : 'ok',
      note: `${valuesText(values)}${row.note && values.some((v) => v.source !== 'topic') ? ` — ${row.note}` : ''}`,
      values,
    };
  });
  return { findings, recommendations };
}

function dedupeRefs(refs: readonly LineRefJson[]): LineRefJson[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.file}:${r.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Which kind of properties file: a broker's or ZooKeeper's (by the keys it sets). */
export function propertiesRole(props: Properties): PropertiesFile['role'] | null {
  const keys = [...props.values.keys()];
  if (keys.some((k) => k === 'broker.id' || k === 'node.id' || k === 'zookeeper.connect' || k === 'log.dirs' || k === 'log.dir' || k === 'listeners')) return 'broker';
  if (keys.some((k) => k === 'dataDir' || k === 'clientPort' || k === 'tickTime' || /^server\.\d+$/.test(k))) return 'zookeeper';
  return null;
}
