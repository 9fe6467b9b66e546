import { defaultClassifier } from '../catalogue/index.js';
import type { Classifier } from '../catalogue/classify.js';
import type { InputJson } from '../model/timeline.js';
import { planInputs, type Family, type Plan } from './plan.js';
import { ClockChanges, type ClockChange, type FileClockNote } from '../time/clock-changes.js';
import type { Zone } from '../time/zone.js';
import type { ClockNote } from '../readers/assembler.js';
import type { TimelineEvent } from '../timeline/event.js';
import { eventFilter, filtersNothing, type EventFilter } from '../timeline/filter.js';
import { chunkFor } from '../sources/fast-lines.js';
import { mergeBatchesByTime } from '../timeline/merge.js';
import { dropAppenderTwins } from '../timeline/dedupe.js';
import { SEEK_MARGIN_MS, type Seek } from './kafka-ranges.js';
import { familyEvents, type ReadOptions } from './read.js';
import { estimateSkew, SkewAnchors, type SkewReport } from '../analysis/skew.js';
import { eventsOf, isRun, type PassItem } from '../timeline/run.js';

export interface TimelineOptions {
  zone: Zone;
  filter?: EventFilter;
  all?: boolean;
  /** With `all`: unclassified records only feed the sinks (no command prints them), so they may be light (read.ts). */
  light?: boolean;
  nodeMap?: readonly string[];
  followSymlinks?: boolean;
  /** --layout: log4j ConversionPatterns for files in no known layout. */
  layouts?: readonly string[];
  classifier?: Classifier;
  onUnrecognised?: (file: string, line: number, text: string, reason: string) => void;
  onCutLines?: (file: string, lines: readonly number[], total: number) => void;
  /** Clock corrections by node, ms the node was ahead (--skew). */
  skew?: ReadonlyMap<string, number>;
  /**
   * With filter.since: read large plain Kafka-layout files from a seek
   * shortly before it (their accounting then covers the lines read; see
   * `seeks`). Off where every record matters (windows, --json).
   */
  seek?: boolean;
  watchLines?: ReadOptions['watchLines'];
  /** Told as each file's reading ends (progress). */
  onInput?: (input: InputJson) => void;
  /** Sees each event dropped as an appender twin (timeline/dedupe.ts). */
  onTwin?: (twin: TimelineEvent) => void;
}

export interface Timeline {
  plan: Plan;
  /** Merged events, streamed; iterate once, and this or `eventBatches`, not both. */
  events: AsyncIterable<TimelineEvent>;
  /**
   * The same merged events in batches (cheaper to iterate); with `light`,
   * unclassified records may come as runs (timeline/run.ts): feed them to
   * sinks with `drain` or `through`, which make them events for a sink that
   * cannot take a run.
   */
  eventBatches: AsyncIterable<PassItem[]>;
  /**
   * Accounting of every input, in input order: files read (complete once
   * `events` is exhausted), then files of other kinds and files skipped.
   */
  inputs(): InputJson[];
  /** Clock skew between nodes, from the events read (complete once `events` is exhausted). */
  skew(): SkewReport;
  /** Files read from a --since seek, in input order, with where reading started. */
  seeks(): { file: string; seek: Seek }[];
  /** Changes of the zone's clocks among the events, with the events placed in the ambiguous hour (complete once `events` is exhausted). */
  clockChanges(): ClockChange[];
  /** Each file's records in local hours a change of clocks made ambiguous, in input order (complete once `events` is exhausted). */
  clockNotes(): FileClockNote[];
}

/** sources → readers → catalogue → merged timeline. */
export async function buildTimeline(paths: readonly string[], options: TimelineOptions): Promise<Timeline> {
  const plan = await planInputs(paths, { nodeMap: options.nodeMap ?? [], followSymlinks: options.followSymlinks ?? false, layouts: options.layouts ?? [] });
  const read = new Map<string, InputJson>();
  /** Accounting carried by event files (readers/events-ndjson.ts), by event file. */
  const carried = new Map<string, InputJson[]>();
  const keep = eventFilter(options.filter ?? {});
  const anchors = new SkewAnchors();
  const seeks = new Map<string, Seek>();
  const notes = new Map<string, FileClockNote[]>();
  const seekSince = options.seek ? options.filter?.since : undefined;
  // Clock-skew anchors are observed in the merged order, which does not depend on how each file's reading
  // batches its events (the byte path, light events and the string path batch differently); with a filter,
  // as each file is read, before the filter drops events.
  const filtering = !filtersNothing(options.filter ?? {});
  // The merge holds a reader open per family: their buffers share one budget.
  const chunk = chunkFor(plan.families.length);
  const streams = plan.families.map((family) => familyEvents(family, {
    zone: options.zone,
    chunk,
    classifier: options.classifier ?? defaultClassifier(),
    all: options.all ?? false,
    ...(options.light && { light: true, lightRuns: !filtering }),
    keep,
    onInput: (input: InputJson, via?: string) => {
      if (via !== undefined) {
        // Pushed, not copied: an event file carries the accounting of every file its host read (thousands).
        const list = carried.get(via);
        if (list) list.push(input);
        else carried.set(via, [input]);
        return;
      }
      read.set(input.file, input);
      options.onInput?.(input);
    },
    ...(filtering && { observe: (e: TimelineEvent) => anchors.observe(e) }),
    ...(options.onUnrecognised && { onUnrecognised: options.onUnrecognised }),
    ...(options.onCutLines && { onCutLines: options.onCutLines }),
    onClockNotes: (file: string, list: readonly ClockNote[]) => notes.set(file, list.map((note) => ({ file, note }))),
    ...(options.skew && { skew: options.skew }),
    ...(options.watchLines && { watchLines: options.watchLines }),
    ...(seekSince !== undefined && { seekSince, onSeek: (file: string, seek: Seek) => seeks.set(file, seek) }),
  }));
  const clock = new ClockChanges(options.zone);
  const starts = plan.families.map((family) => familyStart(family, options.zone, options.skew));
  const all = mergeBatchesByTime(streams, starts);
  const anchored = filtering ? all : observeBatches(all, (e) => {
    if (!isRun(e) && e.rule) anchors.observe(e);
  });
  const merged = observeBatches(dropAppenderTwins(anchored, options.onTwin), (e) => {
    if (!isRun(e)) clock.observe(e.time);
    else clock.observeEach(e.time, e.lastTime, e.length, (i) => e.timeAt(i));
  });
  return {
    plan,
    eventBatches: merged,
    events: flattenEvents(merged),
    inputs: () => {
      const list: InputJson[] = [];
      for (const family of plan.families) {
        for (const f of family.files) {
          const i = read.get(f.path);
          if (i) list.push(i);
          for (const c of carried.get(f.path) ?? []) list.push(c);
        }
      }
      for (const other of plan.others) {
        list.push(emptyInput(other.path, other.kind, `${other.kind} output; read by the commands that use it (gap, report), not by the timeline`));
      }
      for (const s of plan.skipped) list.push(emptyInput(s.path, 'unknown', s.reason));
      return list;
    },
    seeks: () => plan.families.flatMap((family) => family.files.flatMap((f) => {
      const seek = seeks.get(f.path);
      return seek ? [{ file: f.path, seek }] : [];
    })),
    clockChanges: () => clock.list(),
    clockNotes: () => plan.families.flatMap((family) => family.files.flatMap((f) => notes.get(f.path) ?? [])),
    // Nodes whose lines share a file share a machine, hence a clock.
    skew: () => estimateSkew(anchors.events, [...read.values(), ...[...carried.values()].flat()].map((i) => (i.node ?? '').split(',')).filter((g) => g.length > 1)),
  };
}

/**
 * A time no event of the family is earlier than, so the merge need not open
 * it before (see mergeBatchesByTime): the earliest time its files' first
 * lines hold, less a margin for records written out of order, a clock
 * change's repeated hour and the largest clock correction. -Infinity when a
 * file's first lines hold no time the zone places.
 */
export function familyStart(family: Family, zone: Zone, skew?: ReadonlyMap<string, number>): number {
  let naive = Number.POSITIVE_INFINITY;
  for (const f of family.files) naive = Math.min(naive, f.headNaive ?? Number.NEGATIVE_INFINITY);
  if (!Number.isFinite(naive)) return Number.NEGATIVE_INFINITY;
  let corrected = 0;
  for (const ms of skew?.values() ?? []) corrected = Math.max(corrected, Math.abs(ms));
  return zone.toEpoch(naive) - START_MARGIN_MS - corrected;
}

/** Records out of order (SEEK_MARGIN_MS) and an hour a clock change repeats. */
const START_MARGIN_MS = SEEK_MARGIN_MS + 3_600_000;

async function* flattenEvents(batches: AsyncIterable<PassItem[]>): AsyncGenerator<TimelineEvent> {
  for await (const batch of batches) for (const item of batch) yield* eventsOf(item);
}

async function* observeBatches<T>(batches: AsyncIterable<T[]>, see: (item: T) => void): AsyncGenerator<T[]> {
  for await (const batch of batches) {
    for (const item of batch) see(item);
    yield batch;
  }
}

function emptyInput(file: string, kind: string, skipped: string): InputJson {
  return {
    file, kind, node: null, linesRead: 0, records: 0, folded: 0, unrecognised: 0,
    badTimestamps: 0, outOfOrder: 0, cutLines: 0, skipped, error: null,
  };
}
