import type { Classifier } from '../catalogue/classify.js';
import { severityOfLevel, type LogRecord, type NodeKind } from '../model/record.js';
import type { InputJson } from '../model/timeline.js';
import { RecordReader, type Layout, type UnrecognisedSink } from '../readers/assembler.js';
import { kafkaLog4jLayout } from '../readers/kafka-log4j.js';
import { zookeeperLayout } from '../readers/zookeeper.js';
import { byteReadable } from '../sources/fast-lines.js';
import { fileLineSource, newLineStats } from '../sources/lines.js';
import { kafkaGate, readKafkaBytes } from './kafka-fast.js';
import { fileLineFix, readFailure, type Family, type PlannedFile } from '../sources/plan.js';
import type { Zone } from '../time/zone.js';
import type { TimelineEvent } from './event.js';

export interface ReadOptions {
  zone: Zone;
  classifier: Classifier;
  /** Keep unclassified records as plain events. */
  all: boolean;
  keep: (e: TimelineEvent) => boolean;
  /** Receives each file's accounting when the file is done. */
  onInput: (input: InputJson) => void;
  onUnrecognised?: (file: string, line: number, text: string, reason: string) => void;
  /** Receives the numbers of lines cut at the line-length limit, per file. */
  onCutLines?: (file: string, lines: readonly number[], total: number) => void;
  /** Clock corrections by node (ms to subtract: a node +2500 ms ahead has its times moved back). */
  skew?: ReadonlyMap<string, number>;
  /** Sees every classified event before the filter (for clock-skew anchors). */
  observe?: (e: TimelineEvent) => void;
}

/**
 * Thrown by an unrecognised-line sink to stop reading (--strict). Passed
 * through the readers untouched, unlike read errors, which are recorded.
 */
export class StopReading extends Error {}

export function layoutFor(file: PlannedFile, defaultRole: NodeKind): Layout {
  return file.kind === 'zookeeper-native' ? zookeeperLayout : kafkaLog4jLayout(defaultRole);
}

/**
 * The node that wrote a record: the file's node for its role, except that a
 * ZooKeeper line's own `[myid:N]` names its server exactly (several servers'
 * output is sometimes concatenated into one file).
 */
function nodeOf(record: LogRecord, family: Pick<Family, 'nodes' | 'mapped'>): string {
  if (record.role === 'zookeeper' && record.myid && !family.mapped) return `zk-${record.myid}`;
  return family.nodes[record.role];
}

/** Turns a record into a timeline event, or undefined when it is not one. */
export function toEvent(
  record: LogRecord, file: string, family: Pick<Family, 'nodes' | 'mapped'>, classifier: Classifier, all: boolean,
): TimelineEvent | undefined {
  const hit = classifier.classify(record);
  if (!hit && !all) return undefined;
  return {
    time: record.time,
    node: nodeOf(record, family),
    nodeKind: record.role,
    file,
    line: record.line,
    rule: hit?.rule ?? null,
    category: hit?.rule.category ?? 'unclassified',
    severity: hit?.rule.severity ?? severityOfLevel(record.level),
    message: record.message,
    fields: hit?.fields ?? {},
    continuation: record.continuation,
  };
}

/**
 * Whether a file can take the byte-level path: a plain UTF-8 file in the
 * Kafka layout without a per-line fix, read for classified events only.
 * Then lines whose logger no rule names are counted without being decoded.
 * Undefined when not; else the BOM bytes to skip.
 */
function bytePath(file: PlannedFile, options: ReadOptions, fix: unknown): number | undefined {
  if (options.all || fix || file.kind === 'zookeeper-native') return undefined;
  return byteReadable(file.path);
}

/**
 * One family's events in file order, in batches (one per chunk read). Each
 * file's accounting is reported through `onInput` when it ends.
 */
export async function* familyEvents(family: Family, options: ReadOptions): AsyncGenerator<TimelineEvent[]> {
  for (const file of family.files) {
    const sink: UnrecognisedSink | undefined = options.onUnrecognised
      ? (line, text, reason) => options.onUnrecognised!(file.path, line, text, reason)
      : undefined;
    const layout = layoutFor(file, family.defaultRole);
    const reader = new RecordReader(layout, options.zone, sink);
    const fix = fileLineFix(file);
    const bom = bytePath(file, options, fix);
    const source = bom === undefined ? fileLineSource(file.path) : undefined;
    const stats = source?.stats ?? newLineStats();
    const nodesSeen = new Set<string>();
    let error: string | null = null;
    const take = (record: LogRecord | undefined, out: TimelineEvent[]): void => {
      if (!record) return;
      const node = nodeOf(record, family);
      nodesSeen.add(node);
      const skew = options.skew?.get(node);
      if (skew !== undefined) record.time -= skew;
      const event = toEvent(record, file.path, family, options.classifier, options.all);
      if (event && event.rule) options.observe?.(event);
      if (event && options.keep(event)) out.push(event);
    };
    try {
      if (source) {
        for await (const batch of source.batches()) {
          const out: TimelineEvent[] = [];
          if (fix) for (const line of batch) take(reader.push(fix(line)), out);
          else for (const line of batch) take(reader.push(line), out);
          if (out.length > 0) yield out;
        }
      } else {
        let out: TimelineEvent[] = [];
        const keep = (record: LogRecord | undefined): void => take(record, out);
        const gate = kafkaGate(layout, options.classifier);
        const chunks = readKafkaBytes(file.path, reader, gate, stats, keep, (e) => !(e instanceof StopReading), bom);
        for (const _ of chunks) {
          if (out.length > 0) {
            yield out;
            out = [];
          }
        }
        if (out.length > 0) yield out;
      }
    } catch (e) {
      if (e instanceof StopReading) throw e;
      error = readFailure(e);
    }
    // Records counted without being kept name their node too.
    for (const role of reader.skippedRoles) nodesSeen.add(family.nodes[role]);
    if (stats.cutLines > 0) options.onCutLines?.(file.path, stats.cutAt ?? [], stats.cutLines);
    const last: TimelineEvent[] = [];
    take(reader.end(), last);
    if (last.length > 0) yield last;
    options.onInput({
      file: file.path,
      kind: file.kind,
      node: nodesSeen.size > 0 ? [...nodesSeen].sort().join(',') : family.nodes[family.defaultRole],
      ...reader.counts,
      cutLines: stats.cutLines,
      skipped: null,
      error,
    });
  }
}
