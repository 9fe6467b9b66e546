import type { Classifier } from '../catalogue/classify.js';
import { severityOfLevel, type LogRecord, type NodeKind } from '../model/record.js';
import type { InputJson } from '../model/timeline.js';
import { addClockNotes, RecordReader, type ClockNote, type Layout, type UnrecognisedSink } from '../readers/assembler.js';
import { kafkaLog4jLayout } from '../readers/kafka-log4j.js';
import { zookeeperLayout } from '../readers/zookeeper.js';
import { byteReadable } from '../sources/fast-lines.js';
import { streamByteReadable } from '../sources/gzip-lines.js';
import { isMember, isStreamed } from '../sources/archive.js';
import { evidencePath } from '../sources/open.js';
import { fileLineSource, newLineStats } from '../sources/lines.js';
import { kafkaGate, readKafkaBytes, zookeeperGate, type LightTake } from './kafka-fast.js';
import { LightEvent, LightRun, RunSlab } from './light.js';
import type { PassItem } from '../timeline/run.js';
import { SEEK_MARGIN_MS, seekOffset, verifySeekInParallel, type Seek } from './kafka-ranges.js';
import { statSync } from 'node:fs';
import { fileLineFix, readFailure, type Family, type PlannedFile } from './plan.js';
import type { Zone } from '../time/zone.js';
import type { TimelineEvent } from '../timeline/event.js';
import { EVENTS_KIND, eventFileEvents } from '../readers/events-ndjson.js';

export interface ReadOptions {
  zone: Zone;
  classifier: Classifier;
  /** Keep unclassified records as plain events. */
  all: boolean;
  /**
   * With `all`: unclassified records are wanted only as signs of life (the
   * window engine's), not printed. A plain file then takes the byte path,
   * its unclassified records made LightEvents whose text is read back from
   * the file only when asked for (light.ts).
   */
  light?: boolean;
  /**
   * With `light`, when `keep` keeps every record: a file's consecutive light
   * records of one node are handed on as LightRuns rather than an event each.
   */
  lightRuns?: boolean;
  keep: (e: TimelineEvent) => boolean;
  /** Receives each file's accounting when the file is done; `via`: the event file that carried it (readers/events-ndjson.ts). */
  onInput: (input: InputJson, via?: string) => void;
  onUnrecognised?: (file: string, line: number, text: string, reason: string) => void;
  /** Receives the numbers of lines cut at the line-length limit, per file. */
  onCutLines?: (file: string, lines: readonly number[], total: number) => void;
  /** Clock corrections by node (ms to subtract: a node +2500 ms ahead has its times moved back). */
  skew?: ReadonlyMap<string, number>;
  /** Sees every classified event before the filter (for clock-skew anchors). */
  observe?: (e: TimelineEvent) => void;
  /**
   * --since (epoch ms), to seek to: a large plain Kafka-layout file is then
   * read from a record start shortly before it, found by binary search on
   * record times, rather than from its first line (see kafka-ranges.ts).
   */
  seekSince?: number;
  /** Every file through the line splitter (the reference the byte paths are tested against). */
  textOnly?: boolean;
  /** Bytes per buffer of the byte path (chunkFor the number of files read at once); 1 MiB by default. */
  chunk?: number;
  /** Receives a file's records stamped in local hours a change of clocks made ambiguous, when it has any. */
  onClockNotes?: (file: string, notes: readonly ClockNote[]) => void;
  /** Told when a file is read from a seek: its accounting covers only the lines from there on. */
  onSeek?: (file: string, seek: Seek) => void;
  /**
   * Another reader of a file's raw lines in the same pass (the report's
   * start-up configs): a file it watches is read by the line splitter, each
   * line handed to it before the record reader.
   */
  watchLines?: (file: PlannedFile) => LineWatch | undefined;
}

/**
 * A reader of a file's raw lines beside the record reader (watchLines). The
 * line splitter hands it every line; the byte path, only the lines holding
 * its `marker` and the lines after one while it `wantsNext`, each after
 * `skipTo` its number — which must change nothing it finds.
 */
export interface LineWatch {
  push(line: string): void;
  readonly marker?: string;
  readonly wantsNext?: boolean;
  skipTo?(line: number): void;
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
export function nodeOf(record: Pick<LogRecord, 'role' | 'myid'>, family: Pick<Family, 'nodes' | 'mapped'>): string {
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
    level: record.level,
    logger: record.logger,
  };
}

/**
 * Where to start reading a byte-path file for --since: a record start before
 * which every record is older than --since (less the margin for records out
 * of order, less the largest clock correction), with the lines before it
 * counted so line numbers stay the file's. Undefined: from the start.
 */
async function seekFor(path: string, bom: number, options: ReadOptions): Promise<Seek | undefined> {
  if (options.seekSince === undefined) return undefined;
  let skew = 0;
  for (const ms of options.skew?.values() ?? []) skew = Math.max(skew, Math.abs(ms));
  try {
    const target = options.seekSince - SEEK_MARGIN_MS - skew;
    const byte = seekOffset(path, bom, target, options.zone);
    if (byte === undefined) return undefined;
    // The search probed a few records; every record it skips is checked, and any as new as --since cancels the seek.
    const lines = await verifySeekInParallel(path, bom, byte, target, options.zone);
    return lines === undefined ? undefined : { byte, lines };
  } catch {
    // Unreadable here: reading from the start reports the error where it belongs.
    return undefined;
  }
}

/**
 * Whether a file can take the byte-level path: a plain UTF-8 file in the
 * Kafka layout or ZooKeeper's native one without a per-line fix, read for
 * classified events only. Then lines whose logger (class) no rule names are
 * counted without being decoded. Undefined when not; else the BOM bytes to skip.
 */
async function bytePath(file: PlannedFile, options: ReadOptions, fix: unknown, watch: LineWatch | undefined): Promise<number | undefined> {
  if (options.textOnly || fix || (watch && (watch.marker === undefined || watch.skipTo === undefined))) return undefined;
  // Every record kept: only light ones, from a file whose lines can be read back at their offset.
  if (options.all && (!options.light || isStreamed(file.path))) return undefined;
  return isStreamed(file.path) ? streamByteReadable(file.path) : byteReadable(file.path);
}

/**
 * Events a file's reading holds before handing them on. Until then it is
 * not suspended, so a small file is read to its end (its descriptor and
 * buffers let go) before the merge holds its events: thousands of small
 * files merged hold their events, not their readers.
 */
const YIELD_EVENTS = 64;
/** Light records a reading holds in its runs before it hands them on. */
const YIELD_LIGHT = 4096;
/** Records of one run at most: a run is handed on whole, its numbers kept until the pass is past it. */
const RUN_RECORDS = 1024;

/**
 * One family's events in file order, in batches (of YIELD_EVENTS or more,
 * and at each file's end). Each file's accounting is reported through
 * `onInput` when it ends.
 */
export async function* familyEvents(family: Family, options: ReadOptions): AsyncGenerator<PassItem[]> {
  for (const file of family.files) {
    if (file.kind === EVENTS_KIND) {
      yield* eventFileEvents(file.path, { ...options, onInput: (input) => options.onInput(input, file.path), isStop: (e) => e instanceof StopReading });
      continue;
    }
    const fix = fileLineFix(file);
    const watch = options.watchLines?.(file);
    const bom = await bytePath(file, options, fix, watch);
    const zookeeper = file.kind === 'zookeeper-native';
    // The seek's binary search reads Kafka-layout record times.
    const plain = bom !== undefined && !isStreamed(file.path) && !zookeeper;
    const seek = plain ? await seekFor(file.path, bom, options) : undefined;
    if (seek) options.onSeek?.(file.path, seek);
    // Lines not read before the first one read (a seek): added to every line number.
    const linesBefore = seek?.lines ?? 0;
    const sink: UnrecognisedSink | undefined = options.onUnrecognised
      ? (line, text, reason) => options.onUnrecognised!(file.path, linesBefore + line, text, reason)
      : undefined;
    const layout = layoutFor(file, family.defaultRole);
    const reader = new RecordReader(layout, options.zone, sink);
    const source = bom === undefined ? fileLineSource(file.path) : undefined;
    const stats = source?.stats ?? newLineStats();
    const nodesSeen = new Set<string>();
    let error: string | null = null;
    // Events the byte path took and not yet passed on: after a read error too (the lines before the damage).
    let kept: PassItem[] = [];
    // Light records in `kept`'s runs (a run counts as one item there).
    let keptLight = 0;
    const full = (): boolean => kept.length >= YIELD_EVENTS || keptLight >= YIELD_LIGHT;
    const handOn = (): PassItem[] => {
      const out = kept;
      kept = [];
      keptLight = 0;
      return out;
    };
    const take = (record: LogRecord | undefined, out: PassItem[]): void => {
      if (!record) return;
      record.line += linesBefore;
      const node = nodeOf(record, family);
      nodesSeen.add(node);
      const skew = options.skew?.get(node);
      if (skew !== undefined) record.time -= skew;
      const event = toEvent(record, file.path, family, options.classifier, options.all);
      if (event && event.rule) options.observe?.(event);
      if (event && options.keep(event)) out.push(event);
    };
    // Unclassified records of the byte path, as signs of life (options.light): placed as take() places a record.
    const lightTake = (path: string, layout: Layout): LightTake => {
      const source = { path, layout };
      // A file's records name one node or a few, one after the other: its name (and its clock correction) is found when it changes.
      let lastRole: NodeKind | undefined;
      let lastMyid: string | undefined;
      let node = '';
      let skew: number | undefined;
      let run: LightRun | undefined;
      const slab = new RunSlab();
      return (line, time, role, myid, from, to) => {
        if (role !== lastRole || myid !== lastMyid) {
          lastRole = role;
          lastMyid = myid;
          node = nodeOf({ role, myid }, family);
          nodesSeen.add(node);
          skew = options.skew?.get(node);
        }
        const at = skew === undefined ? time : time - skew;
        if (!options.lightRuns) {
          const event = new LightEvent(at, node, role, linesBefore + line, source, from, to);
          if (options.keep(event)) kept.push(event);
          return;
        }
        // The run goes on while nothing else was kept after it, for the same node, in time order.
        if (run === undefined || kept[kept.length - 1] !== run || run.node !== node || run.nodeKind !== role || at < run.lastTime || run.length >= RUN_RECORDS || slab.full) {
          if (slab.full) slab.renew();
          run = new LightRun(node, role, source, slab);
          kept.push(run);
        }
        run.add(slab, at, linesBefore + line, from, to);
        keptLight++;
      };
    };
    try {
      if (source) {
        for await (const batch of source.batches()) {
          if (watch) for (const line of batch) watch.push(line);
          if (fix) for (const line of batch) take(reader.push(fix(line)), kept);
          else for (const line of batch) take(reader.push(line), kept);
          if (full()) yield handOn();
        }
      } else {
        const keep = (record: LogRecord | undefined): void => take(record, kept);
        const light = options.all ? lightTake(file.path, layout) : undefined;
        const gate = zookeeper
          ? zookeeperGate(options.classifier, options.zone, light !== undefined)
          : kafkaGate(options.classifier, family.defaultRole, options.zone, light !== undefined);
        const from = seek?.byte ?? bom!; // defined: no line source means the byte path
        const chunks = readKafkaBytes(
          file.path, reader, gate, stats, keep, (e) => !(e instanceof StopReading), from, undefined, linesBefore, options.chunk, light, watch,
        );
        for await (const _ of chunks) {
          if (full()) yield handOn();
        }
        if (kept.length > 0) yield handOn();
      }
    } catch (e) {
      if (e instanceof StopReading) throw e;
      error = readFailure(e);
    }
    // Records counted without being kept name their node too.
    for (const role of reader.skippedRoles) nodesSeen.add(family.nodes[role]);
    for (const myid of reader.skippedMyids) nodesSeen.add(nodeOf({ role: 'zookeeper', myid }, family));
    if (stats.cutLines > 0) options.onCutLines?.(file.path, stats.cutAt ?? [], stats.cutLines);
    error ??= changedWhileRead(file);
    take(reader.end(), kept);
    if (kept.length > 0) yield handOn();
    if (reader.clockNotes.length > 0) {
      const notes: ClockNote[] = [];
      addClockNotes(notes, reader.clockNotes, linesBefore);
      options.onClockNotes?.(file.path, notes);
    }
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

/**
 * A file truncated (copytruncate) or replaced (renamed, rotated) while it was
 * read: what was read may lack lines or mix two files. Said as a read error.
 */
export function changedWhileRead(file: Pick<PlannedFile, 'path' | 'size' | 'id'>): string | null {
  // An archive member or standard input is no file of its own: its reading says its damage.
  if (isMember(file.path)) return null;
  let now;
  try {
    now = statSync(evidencePath(file.path));
  } catch {
    return `the file was removed or renamed while being read (it had ${file.size} bytes); what was read may be incomplete`;
  }
  if (file.id !== undefined && `${now.dev}:${now.ino}` !== file.id) {
    return 'the file was replaced while being read (renamed or rotated): the lines read may come from two files; read a copy taken when the logs are at rest';
  }
  if (now.size < file.size) {
    return `the file was truncated while being read (${file.size} bytes when found, ${now.size} now; copytruncate?): lines may be missing; read a copy taken when the logs are at rest`;
  }
  return null;
}
