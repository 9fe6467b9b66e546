import { dirname } from 'node:path';
import type { Classifier } from '../catalogue/classify.js';
import type { FieldValue } from '../catalogue/fields.js';
import type { Rule } from '../catalogue/schema.js';
import { severityOfLevel, type NodeKind, type Severity } from '../model/record.js';
import type { InputJson } from '../model/timeline.js';
import { fileLineSource } from '../sources/lines.js';
import { readFailure } from '../read/plan.js';
import { closingKind, EVENTS_KIND, isEventObject, isSignOfLife, parseRecord as parse } from '../sources/events-sniff.js';

export { EVENTS_KIND };
import type { TimelineEvent } from '../timeline/event.js';
import type { StartupConfig } from './startup-config.js';

/**
 * Event files: what `kforensics timeline --format events` wrote on a host,
 * read back as an input (map on the hosts, reduce centrally). Each line is
 * one event (EventSchema: time with its offset, node, file:line of the
 * ORIGINAL log, rule, fields…); after the events come closing records, each
 * an object with a `kforensics` key:
 *
 * Among the events, a `{"kforensics":"twin", time, node, rule, fields}`
 * line stands for a classified event the host dropped as the twin of one
 * written through another appender: the clock-skew estimate counts it, as
 * it does when the logs themselves are read.
 *
 *   {"kforensics":"startup-config", file, line, stamp, brokerId, node, values: {key: [value, line]}}
 *   {"kforensics":"input", …InputJson}    one per file the host read or could not read
 *   {"kforensics":"end", schema, timeZone, all, filtered, skew, events}
 *
 * Beside EventSchema's fields, each event line carries the record's `level`
 * and `logger` as printed (for --format ecs from an event file). A record no
 * rule classifies (--all) is written short: `{"u":SOURCE,"t":EPOCH_MS,
 * "n":LINE,"v":LEVEL,"m":MESSAGE,"c":[CONTINUATION…]}`, its file, node,
 * nodeKind and logger in a `{"kforensics":"source","id":SOURCE,…}` line
 * before its first use.
 *
 * Written with --all, the unclassified records are events too (rule null):
 * they are the nodes' signs of life the window engine needs (a node's last
 * line before a window, its first line after). Without them, or without the
 * closing `end` record (a copy cut short), the file's reading says so as an
 * error, and the commands exit 1.
 */
export const EVENTS_SCHEMA = 'kforensics/events/v1';

export interface EventsEnd {
  kforensics: 'end';
  schema: typeof EVENTS_SCHEMA;
  /** --tz of the host's run: the zone its log timestamps were read in. */
  timeZone: string;
  /** Written with --all: every record is in it (classified or not). */
  all: boolean;
  /** Written with filters (--since, --node, …): events are missing on purpose. */
  filtered: boolean;
  /** --skew applied on the host, ms by node. */
  skew: Record<string, number>;
  /** Event lines written before this record. */
  events: number;
}

export interface StartupConfigRecord {
  kforensics: 'startup-config';
  file: string;
  line: number;
  stamp: string;
  brokerId: string | null;
  node: string;
  values: Record<string, [string, number]>;
}

/** The closing records of an event file, in the order written. */
export function closingRecords(
  inputs: readonly InputJson[], startup: readonly StartupConfigRecord[], end: Omit<EventsEnd, 'kforensics' | 'schema'>,
): string {
  const lines: string[] = [];
  for (const s of startup) lines.push(JSON.stringify(s));
  for (const i of inputs) lines.push(JSON.stringify({ kforensics: 'input', ...i }));
  lines.push(JSON.stringify({ kforensics: 'end', schema: EVENTS_SCHEMA, ...end }));
  return `${lines.join('\n')}\n`;
}

export function startupRecord(c: StartupConfig, node: string): StartupConfigRecord {
  return {
    kforensics: 'startup-config', file: c.file, line: c.line, stamp: c.stamp, brokerId: c.brokerId, node,
    values: Object.fromEntries([...c.values].map(([k, v]) => [k, [v.value, v.line]])),
  };
}

export interface EventFileOptions {
  classifier: Classifier;
  /** Keep unclassified records (signs of life) as events. */
  all: boolean;
  keep: (e: TimelineEvent) => boolean;
  observe?: (e: TimelineEvent) => void;
  skew?: ReadonlyMap<string, number>;
  onUnrecognised?: (file: string, line: number, text: string, reason: string) => void;
  /** Whether an error thrown by onUnrecognised stops the reading (--strict) rather than being a read error. */
  isStop?: (e: unknown) => boolean;
  /** Each original file's accounting (from the closing records), then the event file's own when something in it is wrong. */
  onInput: (input: InputJson) => void;
}

const BATCH = 1024;

/**
 * One event file's events in file order, in batches, each citing its
 * original file:line. Closing records give the accounting of the files the
 * host read; problems with the event file itself (lines that are no record,
 * rules this catalogue lacks, no closing record, written without --all while
 * windows are inferred) are its own input's error.
 */
export async function* eventFileEvents(path: string, options: EventFileOptions): AsyncGenerator<TimelineEvent[]> {
  const rules = rulesById(options.classifier);
  let lineNo = 0;
  let unrecognised = 0;
  let records = 0;
  let eventLines = 0;
  let end: EventsEnd | undefined;
  let error: string | null = null;
  const unknownRules = new Set<string>();
  const nodes = new Set<string>();
  const inputs: InputJson[] = [];
  /** Sources of the signs of life (`{"kforensics":"source", …}`), by id. */
  const sources = new Map<number, { file: string; node: string; nodeKind: NodeKind; logger?: string }>();
  let out: TimelineEvent[] = [];
  let latest = Number.NEGATIVE_INFINITY;
  let outOfOrder = 0;
  const bad = (text: string, reason: string): void => {
    unrecognised++;
    options.onUnrecognised?.(path, lineNo, text, reason);
  };
  try {
    for await (const batch of fileLineSource(path).batches()) {
      for (const text of batch) {
        lineNo++;
        if (text.trim() === '') continue;
        const o = parse(text);
        if (isEventObject(o)) {
          eventLines++;
          if (end) {
            bad(text, 'an event after the closing record');
            continue;
          }
          const time = Date.parse(o.time as string);
          const rule = o.rule === null ? null : rules.get(o.rule as string);
          if (!Number.isFinite(time)) {
            bad(text, 'its time is not an ISO 8601 instant');
            continue;
          }
          if (rule === undefined) {
            unknownRules.add(o.rule as string);
            bad(text, `rule ${String(o.rule)} is not in this catalogue`);
            continue;
          }
          records++;
          nodes.add(o.node as string);
          const skew = options.skew?.get(o.node as string);
          const e: TimelineEvent = {
            time: skew === undefined ? time : time - skew,
            node: o.node as string,
            nodeKind: o.nodeKind as NodeKind,
            file: o.file as string,
            line: o.line as number,
            rule,
            category: typeof o.category === 'string' ? o.category : rule?.category ?? 'unclassified',
            severity: o.severity as Severity,
            message: o.message as string,
            fields: (typeof o.fields === 'object' && o.fields !== null ? o.fields : {}) as Record<string, FieldValue>,
            continuation: Array.isArray(o.continuation) ? o.continuation as string[] : [],
            ...(typeof o.level === 'string' && { level: o.level }),
            ...(typeof o.logger === 'string' && { logger: o.logger }),
          };
          if (e.time < latest) outOfOrder++;
          else latest = e.time;
          if (rule) options.observe?.(e);
          else if (!options.all) continue;
          if (!options.keep(e)) continue;
          out.push(e);
          if (out.length >= BATCH) {
            yield out;
            out = [];
          }
          continue;
        }
        if (isSignOfLife(o)) {
          eventLines++;
          const source = sources.get(o.u);
          if (end || !source) {
            bad(text, end ? 'an event after the closing record' : `source ${o.u} is not declared before it`);
            continue;
          }
          records++;
          const skew = options.skew?.get(source.node);
          const e: TimelineEvent = {
            time: skew === undefined ? o.t : o.t - skew,
            node: source.node,
            nodeKind: source.nodeKind,
            file: source.file,
            line: o.n,
            rule: null,
            category: 'unclassified',
            severity: severityOfLevel(o.v ?? ''),
            message: o.m,
            fields: {},
            continuation: Array.isArray(o.c) ? o.c : [],
            ...(o.v !== undefined && { level: o.v }),
            ...(source.logger !== undefined && { logger: source.logger }),
          };
          if (e.time < latest) outOfOrder++;
          else latest = e.time;
          if (!options.all || !options.keep(e)) continue;
          out.push(e);
          if (out.length >= BATCH) {
            yield out;
            out = [];
          }
          continue;
        }
        const kind = closingKind(o);
        if (kind === 'source') {
          const r = o as Record<string, unknown>;
          if (Number.isInteger(r.id) && typeof r.file === 'string' && typeof r.node === 'string' && (r.nodeKind === 'kafka-broker' || r.nodeKind === 'zookeeper')) {
            nodes.add(r.node);
            sources.set(r.id as number, { file: r.file, node: r.node, nodeKind: r.nodeKind, ...(typeof r.logger === 'string' && { logger: r.logger }) });
          } else {
            bad(text, 'a source record without id, file, node and nodeKind');
          }
        } else if (kind === 'input') {
          const { kforensics: _, ...input } = o as Record<string, unknown>;
          inputs.push(input as unknown as InputJson);
        } else if (kind === 'end') {
          end = o as EventsEnd;
        } else if (kind === 'twin') {
          // An appender twin the host dropped: seen by the skew anchors, as the logs' own reading sees it.
          const t = o as Record<string, unknown>;
          const rule = typeof t.rule === 'string' ? rules.get(t.rule) : undefined;
          const time = Date.parse(String(t.time));
          if (rule && Number.isFinite(time) && typeof t.node === 'string') {
            const skew = options.skew?.get(t.node);
            options.observe?.({ time: skew === undefined ? time : time - skew, node: t.node, rule, fields: (t.fields ?? {}) as Record<string, FieldValue> } as TimelineEvent);
          }
        } else if (kind !== 'startup-config') {
          bad(text, 'not an event or closing record of kforensics timeline --format events');
        }
      }
    }
  } catch (e) {
    // --strict's stop passes through; a read error is this file's to report.
    if (options.isStop?.(e)) throw e;
    error = readFailure(e);
  }
  if (out.length > 0) yield out;
  for (const input of inputs) options.onInput(input);
  const problems: string[] = [];
  if (error) problems.push(error);
  if (!end) {
    problems.push('it ends without its closing record (written with --format ndjson rather than --format events, or the host\'s run stopped early, or the copy was cut short), so events and the accounting of its files may be missing; run kforensics timeline --format events --all on the host again, or copy the file again');
  } else {
    if (end.events !== eventLines) {
      problems.push(`its closing record counts ${end.events} events but ${eventLines} event lines were found: the copy is damaged`);
    }
    if (!end.all && options.all) {
      problems.push('it was written without --all: the unclassified lines (each node\'s signs of life) are not in it, so a window\'s start or end may differ from what the logs themselves give; write it with kforensics timeline --format events --all');
    }
    if (end.filtered) problems.push('it was written with filters (--since, --until, --node, --category, --min-severity, --topic or --rule): events are missing from it; write it without them');
  }
  if (unknownRules.size > 0) {
    problems.push(`rules ${[...unknownRules].sort().join(', ')} are not in this kforensics' catalogue (the host ran another version): their events were not read`);
  }
  if (problems.length > 0 || unrecognised > 0) {
    options.onInput({
      file: path, kind: EVENTS_KIND, node: nodes.size > 0 ? [...nodes].sort().join(',') : null,
      linesRead: lineNo, records, folded: 0, unrecognised, badTimestamps: 0, outOfOrder, cutLines: 0, skipped: null,
      error: problems.length > 0 ? problems.join('; ') : null,
    });
  }
}

/** The brokers' start-up configuration dumps an event file carries. */
export async function eventFileStartupConfigs(path: string): Promise<{ node: string; config: StartupConfig }[]> {
  const out: { node: string; config: StartupConfig }[] = [];
  try {
    for await (const batch of fileLineSource(path).batches()) {
      for (const text of batch) {
        if (!text.includes('"startup-config"')) continue;
        const o = parse(text) as StartupConfigRecord | undefined;
        if (closingKind(o) !== 'startup-config') continue;
        out.push({
          node: o!.node,
          config: {
            file: o!.file, line: o!.line, stamp: o!.stamp, brokerId: o!.brokerId,
            values: new Map(Object.entries(o!.values).map(([k, [value, line]]) => [k, { value, line }])),
          },
        });
      }
    }
  } catch {
    // Its reading as events reports the damage.
  }
  return out;
}

const byClassifier = new WeakMap<Classifier, Map<string, Rule>>();
function rulesById(classifier: Classifier): Map<string, Rule> {
  let rules = byClassifier.get(classifier);
  if (!rules) byClassifier.set(classifier, rules = new Map(classifier.rules.map((r) => [r.id, r])));
  return rules;
}

/**
 * The node of a log that an event file's accounting places in the same
 * directory as `path` (a properties file shipped beside it), for `role`:
 * what the log's family would have said had the log itself been read.
 */
export function carriedNodeBeside(inputs: readonly InputJson[], path: string, role: NodeKind): string | undefined {
  const dir = dirname(path);
  const prefix = role === 'zookeeper' ? 'zookeeper-' : 'kafka-';
  const named = role === 'zookeeper' ? 'zk-' : 'broker-';
  for (const i of inputs) {
    if (i.node === null || dirname(i.file) !== dir) continue;
    const nodes = i.node.split(',');
    // A log of that role names its node; a log two processes share names both.
    if (i.kind.startsWith(prefix) && nodes.length === 1) return nodes[0];
    const match = nodes.find((n) => n.startsWith(named));
    if (match) return match;
  }
  return undefined;
}
