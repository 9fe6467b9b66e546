import { CATALOGUE } from '../catalogue/index.js';
import type { Effect } from '../catalogue/schema.js';
import type { FieldValue } from '../catalogue/fields.js';
import { severityRank, type NodeKind, type Severity } from '../model/record.js';
import type { WindowJson } from '../model/window.js';
import type { GapRowJson } from '../model/gap.js';
import type { TimelineEvent } from '../timeline/event.js';

/**
 * Elastic Common Schema documents for the log platforms (Elasticsearch,
 * OpenSearch; the same flat NDJSON loads into ClickHouse as JSONEachRow):
 * one document per event, one `event.kind: state` document per outage
 * window. Keys are dotted field paths (flat), values scalars or arrays.
 * The README's "ECS fields" table is this mapping in words.
 */
export const ECS_VERSION = '9.4.0';

export type EcsDoc = Record<string, string | number | boolean | (string | number)[]>;

/** ECS event.category by kforensics category: Kafka and ZooKeeper are data stores; sessions, connections and processes have their own. */
const CATEGORY: Record<string, string> = {
  lifecycle: 'process',
  'zk-session': 'session',
  network: 'network',
};

/** event.type values each ECS category expects (ECS 9.4.0's allowed values, those used here). */
const EXPECTED_TYPES: Record<string, readonly string[]> = {
  process: ['access', 'change', 'end', 'info', 'start'],
  session: ['start', 'end', 'info'],
  network: ['access', 'allowed', 'connection', 'denied', 'end', 'info', 'protocol', 'start'],
  database: ['access', 'change', 'info', 'error'],
  host: ['access', 'change', 'end', 'info', 'start'],
};

/** What a rule's signal is, as an ECS event.type. */
function typeOfSignal(effect: Effect | undefined): string {
  switch (effect?.signal) {
    case 'broker-stopping':
    case 'zk-leader-stepped-down':
    case 'session-expired':
    case 'session-closed':
    case 'zk-peer-lost':
    case 'zk-peer-unreachable':
    case 'zk-follower-lost':
    case 'zk-leader-lost':
    case 'zk-contact-lost':
    case 'zk-dropped':
      return 'end';
    case 'broker-starting':
    case 'broker-started':
    case 'zk-starting':
    case 'session-established':
      return 'start';
    case undefined:
      return 'info';
    default:
      return 'change';
  }
}

const SEVERITY_NUMBER: Record<Severity, number> = { debug: 7, info: 6, warn: 4, error: 3, critical: 2 };

/** service.type and the custom field set of a node kind. */
function service(kind: NodeKind): 'kafka' | 'zookeeper' {
  return kind === 'zookeeper' ? 'zookeeper' : 'kafka';
}

/** camelCase rule field names as ECS-style snake_case (`brokerIds` → `broker_ids`). */
export function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function categoryOf(category: string): string {
  return CATEGORY[category] ?? 'database';
}

export function ecsEvent(e: TimelineEvent): EcsDoc {
  const category = categoryOf(e.category);
  const signalType = typeOfSignal(e.rule?.effect);
  const allowed = EXPECTED_TYPES[category]!;
  const types = [allowed.includes(signalType) ? signalType : 'info'];
  const isError = severityRank(e.severity) >= severityRank('error');
  if (isError && allowed.includes('error') && !types.includes('error')) types.push('error');
  const svc = service(e.nodeKind);
  const doc: EcsDoc = {
    '@timestamp': new Date(e.time).toISOString(),
    'ecs.version': ECS_VERSION,
    'event.kind': 'event',
    'event.category': [category],
    'event.type': types,
    'event.action': e.rule?.id ?? 'unclassified',
    'event.module': svc,
    'event.dataset': `${svc}.${e.category}`,
    'event.severity': SEVERITY_NUMBER[e.severity],
    'log.level': (e.level ?? e.severity).toLowerCase(),
    ...(e.logger !== undefined && { 'log.logger': e.logger }),
    'log.file.path': e.file,
    'log.origin.file.line': e.line,
    'host.name': e.node,
    'service.type': svc,
    'service.node.name': e.node,
    message: e.message,
  };
  if (isError) {
    doc['error.message'] = e.message;
    const exception = /^([\w$.]+(?:Exception|Error))(?::|$)/.exec(e.continuation[0] ?? '');
    if (exception) doc['error.type'] = exception[1]!;
    if (e.continuation.length > 0) doc['error.stack_trace'] = e.continuation.join('\n');
  }
  for (const [name, value] of Object.entries(e.fields)) {
    // One name, one type across rules (an index maps each field once): partition lists are `partitions`, whatever the rule calls them.
    if (e.rule?.fields?.[name] === 'partitions') {
      const key = `${svc}.partitions`;
      const list = Array.isArray(value) ? value : [value];
      doc[key] = [...(doc[key] as (string | number)[] | undefined) ?? [], ...list];
    } else {
      // Text where other rules give the same name a number: its own field, so that each field keeps one type.
      const text = typeof (Array.isArray(value) ? value[0] : value) === 'string' && numericFields().has(name);
      doc[`${svc}.${snake(name)}${text ? '_text' : ''}`] = value as FieldValue;
    }
  }
  return doc;
}

let numeric: Set<string> | undefined;
/** Rule field names that some rule types as a number or ids. */
function numericFields(): Set<string> {
  numeric ??= new Set(CATALOGUE.flatMap((r) => Object.entries(r.fields ?? {}).filter(([, t]) => t === 'int' || t === 'ids').map(([n]) => n)));
  return numeric;
}

/** Window kinds about a node (its host), as opposed to a partition or the cluster. */
const NODE_WINDOW = /^(broker-|zk-node-|isolated)/;

export function ecsWindow(w: WindowJson): EcsDoc {
  const svc = w.kind.startsWith('zk-') ? 'zookeeper' : 'kafka';
  const category = w.node !== undefined && NODE_WINDOW.test(w.kind) ? 'host' : 'database';
  const subject = w.topic !== undefined ? `${w.topic}-${w.partition}` : w.node ?? 'the cluster';
  const doc: EcsDoc = {
    '@timestamp': new Date(Date.parse(w.start)).toISOString(),
    'ecs.version': ECS_VERSION,
    'event.kind': 'state',
    'event.category': [category],
    'event.type': ['info'],
    'event.action': w.kind,
    'event.module': svc,
    'event.dataset': `${svc}.window`,
    'event.start': new Date(Date.parse(w.start)).toISOString(),
    ...(w.end !== null && { 'event.end': new Date(Date.parse(w.end)).toISOString() }),
    ...(w.durationMs !== null && { 'event.duration': w.durationMs * 1_000_000 }),
    'event.reason': w.reason,
    'service.type': svc,
    ...(w.node !== undefined && { 'host.name': w.node }),
    message: `${w.kind} ${subject} from ${w.start} to ${w.end ?? 'the end of the logs'}: ${w.reason}`,
    [`${svc}.window.confidence`]: w.confidence,
    [`${svc}.window.evidence`]: w.evidence.map((ev) => `${ev.file}:${ev.line}`),
  };
  if (w.startBounds) {
    doc[`${svc}.window.start_earliest`] = new Date(Date.parse(w.startBounds.earliest)).toISOString();
    doc[`${svc}.window.start_latest`] = new Date(Date.parse(w.startBounds.latest)).toISOString();
  }
  if (w.topic !== undefined) {
    doc['kafka.topic'] = w.topic;
    doc['kafka.partition'] = w.partition!;
  }
  return doc;
}

/** The `_bulk` action line before each document (`create` suits data streams and indices alike; the index is the request's). */
export const BULK_ACTION = '{"create":{}}';

/**
 * A gap in a partition's records (`gap --format ecs`) as a state document:
 * from the last record before it to the first after it (their timestamps
 * as the dump gives them), with what it means.
 */
export function ecsGap(g: GapRowJson): EcsDoc {
  const subject = g.partition === null ? g.topic : `${g.topic}-${g.partition}`;
  return {
    '@timestamp': g.before.utc,
    'ecs.version': ECS_VERSION,
    'event.kind': 'state',
    'event.category': ['database'],
    'event.type': ['info'],
    'event.action': 'record-gap',
    'event.module': 'kafka',
    'event.dataset': 'kafka.gap',
    'event.start': g.before.utc,
    'event.end': g.after.utc,
    'event.duration': g.durationMs * 1_000_000,
    'event.reason': g.meaning.text,
    'service.type': 'kafka',
    ...(g.broker !== null && { 'host.name': g.broker }),
    message: `${subject}: no records for ${g.duration} between offsets ${g.before.offset} and ${g.after.offset}: ${g.meaning.text}`,
    'kafka.topic': g.topic,
    ...(g.partition !== null && { 'kafka.partition': g.partition }),
    'kafka.gap.before_offset': g.before.offset,
    'kafka.gap.after_offset': g.after.offset,
    'kafka.gap.meaning': g.meaning.kind,
    'kafka.gap.loss_claimed': g.meaning.lossClaimed,
    ...(g.estimatedMissing !== null && { 'kafka.gap.estimated_missing': g.estimatedMissing }),
    'kafka.gap.lost_acknowledged': g.lostAcknowledgedInGap,
    'kafka.gap.evidence': [`${g.before.file}:${g.before.line}`, `${g.after.file}:${g.after.line}`, ...g.evidence.map((e) => `${e.file}:${e.line}`)],
  };
}
