import type { FindingJson, MissingRecordsJson } from '../model/report.js';
import type { WindowJson } from '../model/window.js';
import { byNodeName, clockSecOf, humanDuration, kindStyle, subjectOf } from './report-text.js';

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The summary's plain-language paragraph, generated from the windows, the
 * gaps and the findings that contributed. Templates only: every figure comes
 * from the report's own data.
 */
export interface NarrativeInput {
  windows: readonly WindowJson[];
  missing: readonly MissingRecordsJson[];
  findings: readonly FindingJson[];
  clock: (iso: string) => string;
}

/** Windows shorter than this are leaders moving during a failover, told as one number. */
const BLIP_MS = 1000;
/** Up to this many windows of a kind are told one by one. */
const TELL_EACH = 3;

function brokerNumber(node: string | undefined): string {
  return node?.startsWith('broker-') ? `Broker ${node.slice(7)}` : node ?? 'A node';
}

function counts(names: readonly string[]): string {
  const c = new Map<string, number>();
  for (const n of names) c.set(n, (c.get(n) ?? 0) + 1);
  return [...c].sort(([a], [b]) => byNodeName(a, b)).map(([n, k]) => (k === 1 ? n : `${n} ×${k}`)).join(', ');
}

function longest(ws: readonly WindowJson[]): WindowJson {
  return ws.reduce((a, b) => ((b.durationMs ?? Infinity) > (a.durationMs ?? Infinity) ? b : a));
}

export function narrative(input: NarrativeInput): string {
  const { windows, missing } = input;
  const at = clockSecOf(windows[0]?.start ?? missing[0]?.lastBefore.time ?? null);
  const span = (w: WindowJson) => `${at(w.start)}–${w.end === null ? 'the end of the logs' : at(w.end)}${w.durationMs === null ? '' : ` (${humanDuration(w.durationMs)})`}`;
  const toldKinds = new Set<string>();
  const of = (kind: string) => {
    toldKinds.add(kind);
    return windows.filter((w) => w.kind === kind);
  };
  const out: string[] = [];

  if (windows.length === 0) {
    out.push('The logs show no outage window.');
  } else {
    const start = windows.map((w) => w.start).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
    const open = windows.filter((w) => w.end === null);
    const end = open.length > 0 ? null : windows.map((w) => w.end!).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
    const nodeWindows = windows.filter((w) => w.node !== undefined && w.topic === undefined);
    const nodes = [...new Set(nodeWindows.map((w) => w.node!))].sort(byNodeName);
    const partitionWindows = windows.filter((w) => w.topic !== undefined).length;
    const clusterWindows = windows.length - nodeWindows.length - partitionWindows;
    const where = [
      nodeWindows.length > 0 ? `${nodeWindows.length} on ${nodes.length === 1 ? 'node' : 'nodes'} ${nodes.join(', ')}` : '',
      clusterWindows > 0 ? `${clusterWindows} cluster-wide` : '',
      partitionWindows > 0 ? `${partitionWindows} on partitions` : '',
    ].filter(Boolean).join('; ');
    out.push(`From ${at(start)} to ${end === null ? `the end of the logs (${open.length} window${open.length === 1 ? ' was' : 's were'} still open)` : at(end)} the logs show ${windows.length} outage window${windows.length === 1 ? '' : 's'} (${where}).`);
  }

  const brokers = of('broker-down');
  if (brokers.length > 0 && brokers.length <= TELL_EACH) {
    for (const w of brokers) {
      const noticed = w.startBounds && w.startBounds.earliest !== w.startBounds.latest
        ? ` (between ${at(w.startBounds.earliest)} and ${at(w.startBounds.latest)}; set by ${w.startSource?.how ?? 'its last line'})` : '';
      out.push(`${brokerNumber(w.node)} was down from ${at(w.start)}${noticed} to ${w.end === null ? 'the end of the logs' : at(w.end)}${w.durationMs === null ? '' : `, ${humanDuration(w.durationMs)}`}.`);
    }
  } else if (brokers.length > 0) {
    const l = longest(brokers);
    out.push(`Brokers were down ${brokers.length} times (${counts(brokers.map((w) => w.node ?? '?'))}); the longest: ${l.node} ${span(l)}.`);
  }

  const quorum = of('zk-quorum-lost');
  if (quorum.length > 0) {
    out.push(`ZooKeeper had no quorum ${quorum.length === 1 ? 'once' : `${quorum.length} times`}: ${quorum.slice(0, TELL_EACH).map(span).join(', ')}${quorum.length > TELL_EACH ? ', …' : ''}.`);
  }
  const zk = of('zk-node-down');
  if (zk.length > 0) {
    out.push(zk.length <= TELL_EACH
      ? `ZooKeeper server${zk.length === 1 ? '' : 's'} down: ${zk.map((w) => `${w.node} ${span(w)}`).join(', ')}.`
      : `ZooKeeper servers were down ${zk.length} times (${counts(zk.map((w) => w.node ?? '?'))}).`);
  }

  const hung = of('broker-hung');
  if (hung.length > 0) {
    out.push(`Broker${hung.length === 1 ? '' : 's'} hung (frozen, then back without a restart): ${hung.map((w) => `${w.node} ${span(w)}`).join(', ')}.`);
  }
  const leaderless = of('partition-leaderless');
  if (leaderless.length > 0) {
    out.push(`Partition${leaderless.length === 1 ? '' : 's'} without a working leader: ${leaderless.slice(0, TELL_EACH).map((w) => `${subjectOf(w)} ${span(w)}`).join('; ')}${leaderless.length > TELL_EACH ? `; and ${leaderless.length - TELL_EACH} more` : ''}.`);
  }
  const offline = of('partition-offline');
  const lasting = offline.filter((w) => w.durationMs === null || w.durationMs >= BLIP_MS);
  const blips = offline.length - lasting.length;
  const told = lasting.slice(0, TELL_EACH).map((w) => {
    const rf1 = w.details?.['replicationFactor'] === 1 && Array.isArray(w.details['replicas'])
      ? ` — replication factor 1, its only replica on broker ${(w.details['replicas'] as number[]).join(',')}` : '';
    return `${subjectOf(w)} ${span(w)}${rf1}`;
  });
  if (lasting.length > 0) {
    out.push(`Partition${lasting.length === 1 ? '' : 's'} the controller held offline: ${told.join('; ')}${lasting.length > TELL_EACH ? `; and ${lasting.length - TELL_EACH} more` : ''}.`);
  }
  if (blips > 0) {
    out.push(`${blips} ${lasting.length > 0 ? 'other ' : ''}partition window${blips === 1 ? '' : 's'} lasted under a second (leaders moving during a failover).`);
  }

  const isolated = of('isolated');
  if (isolated.length > 0) {
    out.push(`Brokers lost ZooKeeper but kept running ${isolated.length === 1 ? 'once' : `${isolated.length} times`} (${counts(isolated.map((w) => w.node ?? '?'))}).`);
  }
  const under = of('under-replicated');
  if (under.length > 0) {
    out.push(`${under.length} under-replicated window${under.length === 1 ? '' : 's'} (${counts(under.map(subjectOf))}); the longest ${span(longest(under))}.`);
  }
  const stale = of('two-leaders');
  if (stale.length > 0) {
    out.push(`${stale.length} partition${stale.length === 1 ? '' : 's'} truncated acknowledged writes when a cut-off leader rejoined (${counts(stale.map(subjectOf))}).`);
  }

  // Every other kind (controller unavailable, ZooKeeper unreachable, below min.insync.replicas, kinds added
  // later to the window engine): one sentence by its label, so that no window goes untold.
  const others = new Map<string, WindowJson[]>();
  for (const w of windows) if (!toldKinds.has(w.kind)) others.set(w.kind, [...(others.get(w.kind) ?? []), w]);
  for (const [kind, ws] of others) {
    const l = longest(ws);
    const subjects = counts(ws.map((w) => subjectOf(w) || 'the cluster'));
    out.push(`${upperFirst(kindStyle(kind).label)}: ${ws.length === 1 ? `${subjectOf(l) || 'the cluster'} ${span(l)}` : `${ws.length} windows (${subjects}); the longest ${subjectOf(l) || 'the cluster'} ${span(l)}`}.`);
  }

  for (const m of missing) {
    const estimate = m.estimatedMissing === null ? '' : `, about ${m.estimatedMissing} records never written at the pre-gap rate`;
    out.push(`The dump of ${m.topic}-${m.partition ?? '?'} has no record between CreateTime ${m.lastBefore.createTime} (${at(m.lastBefore.time)}.${m.lastBefore.time.slice(20, 23)}, the last committed before the gap) and ${m.firstAfter.createTime} (${at(m.firstAfter.time)}.${m.firstAfter.time.slice(20, 23)}): ${m.duration}${estimate}.`);
  }

  // The configuration that contributed is the report's root-cause candidates (first-page.ts), not repeated here.
  return out.join(' ');
}
