import type { FindingJson, LineRefJson, RecommendationJson } from '../model/report.js';
import type { WindowJson } from '../model/window.js';
import type { DescribeSnapshot, PartitionSnapshot, TopicSnapshot } from '../readers/topics-describe.js';
import type { Properties } from '../readers/properties.js';
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
  return windowsWhere(ctx, (w) => w.kind === 'partition-offline' && w.topic === topic &&
    (partition === undefined || w.partition === partition) && (w.durationMs === null || w.durationMs >= LASTING_MS));
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

interface Setting {
  value: string;
  line: number | null;
}

/** A broker setting as the file sets it, or Kafka's default when it does not. */
function setting(p: PropertiesFile, key: string, fallback?: string): Setting | undefined {
  const v = p.props.values.get(key);
  if (v) return { value: v.value, line: v.line };
  return fallback === undefined ? undefined : { value: fallback, line: null };
}

function brokerFiles(ctx: FindingContext): PropertiesFile[] {
  return ctx.properties.filter((p) => p.role === 'broker');
}

function brokerName(p: PropertiesFile): string {
  return p.node ?? p.file;
}

/** One hit per broker file whose setting fails; hits with equal values group into one finding. */
function brokerHits(
  ctx: FindingContext, key: string, fallback: string | undefined, fails: (value: string) => boolean,
  tie?: (value: string) => { windows: number[]; incident: string | null },
): Hit[] {
  const hits: Hit[] = [];
  for (const p of brokerFiles(ctx)) {
    const s = setting(p, key, fallback);
    if (!s || !fails(s.value)) continue;
    const t = tie?.(s.value) ?? { windows: [], incident: null };
    hits.push({
      subject: brokerName(p),
      observed: s.line === null ? `${key} not set (Kafka's default: ${s.value})` : `${key}=${s.value}`,
      evidence: s.line === null ? [] : [ref(p.file, s.line)],
      windows: t.windows,
      incident: t.incident,
      group: s.line === null ? `default:${s.value}` : `set:${s.value}`,
    });
  }
  return hits;
}

const num = (v: string): number => Number(v.trim());
const anyDescribe = (ctx: FindingContext) => ctx.describes.some((d) => d.snapshot.partitions.length > 0 || d.snapshot.topics.length > 0);
const anyBroker = (ctx: FindingContext) => brokerFiles(ctx).length > 0;

/** Topics with RF 1 that were offline, for tying broker defaults to the incident. */
function rf1Outages(ctx: FindingContext): { windows: number[]; incident: string | null } {
  const hurt: string[] = [];
  const windows: number[] = [];
  const parts = partitions(ctx);
  for (const t of topics(ctx)) {
    if (replicationFactor(t, parts) !== 1) continue;
    const off = lastingOffline(ctx, t.topic);
    if (off.length === 0) continue;
    hurt.push(`${t.topic}, offline ${off.map((o) => span(ctx, o.w)).join(', ')}`);
    windows.push(...off.map((o) => o.i));
  }
  return hurt.length === 0
    ? { windows: [], incident: null }
    : { windows, incident: `topics created with these defaults have one replica: ${list(hurt)}` };
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
    title: 'Auto-created topics get one replica',
    severity: 'high',
    scope: 'broker',
    setting: 'default.replication.factor',
    recommended: '3, and create topics by hand (auto.create.topics.enable=false)',
    why: 'A topic a producer creates by writing to it takes the broker defaults. With default.replication.factor=1 it lives on one broker only — how account_event came to have a single replica in the seed-001 postmortem.',
    applies: anyBroker,
    find: (ctx) => brokerHits(ctx, 'default.replication.factor', '1', (v) => num(v) < 3, () => rf1Outages(ctx)),
  },
  {
    id: 'broker.num-partitions',
    title: 'Auto-created topics get one partition',
    severity: 'medium',
    scope: 'broker',
    setting: 'num.partitions',
    recommended: '≥ 2 (3 on a three-broker cluster)',
    why: 'Auto-created topics take num.partitions: with 1 every write of the topic goes to a single leader.',
    applies: anyBroker,
    find: (ctx) => brokerHits(ctx, 'num.partitions', '1', (v) => num(v) < 2),
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
    find: (ctx) => brokerHits(ctx, 'auto.create.topics.enable', 'true', (v) => v.trim() !== 'false'),
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
    find: (ctx) => brokerHits(ctx, 'min.insync.replicas', '1', (v) => num(v) < 2),
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
    find: (ctx) => brokerHits(ctx, 'offsets.topic.replication.factor', '3', (v) => num(v) < 3, () => {
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
    find: (ctx) => brokerHits(ctx, 'transaction.state.log.replication.factor', '3', (v) => num(v) < 3),
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
    find: (ctx) => brokerHits(ctx, 'unclean.leader.election.enable', 'false', (v) => v.trim() === 'true', () => {
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
    why: 'Files under /tmp are removed by tmp cleaners and on reboot: segments vanish under the broker ("Failed to clean up log for __consumer_offsets", seed 001) and data is lost.',
    applies: anyBroker,
    find: (ctx) => brokerFiles(ctx).flatMap((p) => {
      const s = setting(p, 'log.dirs') ?? setting(p, 'log.dir', '/tmp/kafka-logs')!;
      if (!s.value.split(',').some((d) => d.trim().startsWith('/tmp'))) return [];
      return [{
        subject: brokerName(p),
        observed: s.line === null ? `log.dirs not set (Kafka's default: ${s.value})` : `log.dirs=${s.value}`,
        evidence: s.line === null ? [] : [ref(p.file, s.line)],
        windows: [],
        incident: null,
        group: s.value,
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
    find: (ctx) => ctx.properties.filter((p) => p.role === 'zookeeper').flatMap((p) => {
      const s = setting(p, 'dataDir');
      if (!s || !s.value.startsWith('/tmp')) return [];
      return [{ subject: p.node ?? p.file, observed: `dataDir=${s.value}`, evidence: [ref(p.file, s.line!)], windows: [], incident: null, group: s.value }];
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
    find: (ctx) => brokerHits(ctx, 'zookeeper.session.timeout.ms', undefined, (v) => num(v) < 6000 || num(v) > 18000, () => {
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
    find: (ctx) => brokerHits(ctx, 'replica.lag.time.max.ms', undefined, (v) => num(v) < 10000 || num(v) > 30000),
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
    find: (ctx) => brokerHits(ctx, 'auto.leader.rebalance.enable', 'true', (v) => v.trim() === 'false'),
  },
];

/**
 * The recommended configuration (seeds 001, 003, 004: replication factor 3,
 * min.insync.replicas 2, acks=all, partitions ≥ 2, …), each row judged by the
 * checks that test it.
 */
export const RECOMMENDED: readonly { setting: string; scope: RecommendationJson['scope']; recommended: string; checks: readonly string[]; unchecked?: string }[] = [
  { setting: 'replication factor', scope: 'topic', recommended: '3', checks: ['topic.replication-factor-1', 'topic.replication-factor-below-3', 'topic.no-leader'] },
  { setting: 'partitions', scope: 'topic', recommended: '≥ 2 (3 on a three-broker cluster)', checks: ['topic.single-partition'] },
  { setting: 'min.insync.replicas', scope: 'topic', recommended: '2', checks: ['topic.min-insync-replicas', 'broker.min-insync-replicas'] },
  {
    setting: 'acks', scope: 'producer', recommended: 'all', checks: [],
    unchecked: 'a producer setting: broker logs do not show it. With acks=1 a leader that dies or is cut off loses the writes it acknowledged but had not replicated (seed 004).',
  },
  { setting: 'default.replication.factor', scope: 'broker', recommended: '3', checks: ['broker.default-replication-factor'] },
  { setting: 'num.partitions', scope: 'broker', recommended: '≥ 2', checks: ['broker.num-partitions'] },
  { setting: 'auto.create.topics.enable', scope: 'broker', recommended: 'false', checks: ['broker.auto-create-topics'] },
  { setting: 'offsets.topic.replication.factor', scope: 'broker', recommended: '≥ 3', checks: ['broker.offsets-topic-replication-factor'] },
  { setting: 'transaction.state.log.replication.factor', scope: 'broker', recommended: '3', checks: ['broker.transaction-log-replication'] },
  { setting: 'unclean.leader.election.enable', scope: 'broker', recommended: 'false', checks: ['broker.unclean-leader-election'] },
  { setting: 'log.dirs', scope: 'broker', recommended: 'not under /tmp', checks: ['broker.log-dirs-tmp', 'zookeeper.data-dir-tmp'] },
  { setting: 'zookeeper.session.timeout.ms', scope: 'broker', recommended: '18000', checks: ['broker.zookeeper-session-timeout'] },
  { setting: 'replica.lag.time.max.ms', scope: 'broker', recommended: '30000', checks: ['broker.replica-lag-time'] },
  { setting: 'auto.leader.rebalance.enable', scope: 'broker', recommended: 'true', checks: ['broker.auto-leader-rebalance'] },
];

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
  const recommendations = RECOMMENDED.map((row): RecommendationJson => {
    const hit = findings.filter((f) => row.checks.includes(f.id));
    const ran = checks.filter((c) => row.checks.includes(c.id) && c.applies(ctx));
    if (row.checks.length === 0) {
      const violated = row.setting === 'acks' && stale > 0;
      return {
        setting: row.setting, scope: row.scope, recommended: row.recommended, status: violated ? 'violated' : 'not-checked',
        note: violated ? `likely acks=1 or 0: ${stale} two-leaders window(s) show acknowledged writes truncated. ${row.unchecked}` : row.unchecked ?? '',
      };
    }
    if (hit.length > 0) {
      return {
        setting: row.setting, scope: row.scope, recommended: row.recommended, status: 'violated',
        note: hit.map((f) => `${f.subject}: ${f.observed}`).join('; '),
      };
    }
    if (ran.length === 0) {
      return {
        setting: row.setting, scope: row.scope, recommended: row.recommended, status: 'not-checked',
        note: row.scope === 'topic' ? 'no kafka-topics --describe output in the inputs' : 'no server.properties in the inputs',
      };
    }
    return {
      setting: row.setting, scope: row.scope, recommended: row.recommended, status: 'ok',
      note: row.scope === 'topic' ? 'no snapshot read contradicts it' : 'no properties file read contradicts it (settings not written take Kafka\'s default)',
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
