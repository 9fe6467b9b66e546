import type { Classifier } from '../catalogue/classify.js';
import type { EvidenceJson, WindowJson, WindowsDocJson } from '../model/window.js';
import type { InputJson } from '../model/timeline.js';
import { MetadataHistory } from './metadata-history.js';
import { isMetadataDump, readMetadataDump } from '../readers/metadata-log.js';
import { parseDescribe } from '../readers/topics-describe.js';
import { parseProperties, zookeeperServers } from '../readers/properties.js';
import { fileLineSource, readSmallFile } from '../sources/lines.js';
import type { Plan, PlannedFile } from '../read/plan.js';
import type { Zone } from '../time/zone.js';
import { buildTimeline, type TimelineOptions } from '../read/build.js';
import { ModeTally, mergeMetadata, type Disagreement, type MetadataInput } from './metadata-merge.js';
import type { SkewReport } from '../analysis/skew.js';
import { WindowEngine, windowSpool, WindowList, type Evidence, type FalseAlarm, type Window, type WindowContext } from './engine.js';
import type { EdgeSource } from './window.js';
import type { ClockChange, FileClockNote } from '../time/clock-changes.js';
import { ownCopy, type TimelineEvent } from '../timeline/event.js';
import type { EventRun } from '../timeline/run.js';
import { drain, type EventSink } from '../timeline/sink.js';


/** Replica assignments from describe snapshots and ZooKeeper addresses from configs. */
export async function windowContext(others: readonly PlannedFile[], read: SmallFiles = readSmallFile): Promise<WindowContext> {
  const context: WindowContext = { replicas: new Map(), zkAddresses: new Map(), minIsr: new Map() };
  for (const file of others) {
    if (file.kind === 'topics-describe') {
      const lines = await read(file.path);
      const snapshot = parseDescribe(lines);
      for (const p of snapshot.partitions) {
        const evidence: Evidence = { file: file.path, line: p.line, time: null, ruleId: null, text: p.text.trim() };
        context.replicas.set(`${p.topic}-${p.partition}`, { replicas: p.replicas, evidence });
      }
      for (const t of snapshot.topics) {
        const value = Number(t.configs['min.insync.replicas']);
        if (!Number.isInteger(value) || value < 1) continue;
        context.minIsr!.set(t.topic, { value, evidence: { file: file.path, line: t.line, time: null, ruleId: null, text: (lines[t.line - 1] ?? '').trim() } });
      }
    } else if (file.kind === 'properties') {
      const lines = await read(file.path);
      const props = parseProperties(lines);
      const minIsr = props.values.get('min.insync.replicas');
      if (minIsr && Number.isInteger(Number(minIsr.value)) && !context.minIsr!.has('*')) {
        context.minIsr!.set('*', { value: Number(minIsr.value), evidence: { file: file.path, line: minIsr.line, time: null, ruleId: null, text: (lines[minIsr.line - 1] ?? '').trim() } });
      }
      for (const [host, id] of zookeeperServers(props)) {
        if (host !== '0.0.0.0' && host !== 'localhost' && host !== '127.0.0.1') context.zkAddresses.set(host, id);
      }
    }
  }
  return context;
}

/**
 * A window as JSON. `held`: for a document held whole (windowsDoc, the
 * report's), each time in a string of its own: zone.format's are chains of
 * pieces, ~130 bytes each where the text is 48. `brief`: what the windows
 * table shows alone, its evidence and its edges' sources left out (two
 * thirds of the times to format, on 130,000 windows).
 */
export function toWindowJson(w: Window, zone: Zone, held = false, brief = false): WindowJson {
  const iso = held ? (t: number) => ownCopy(zone.format(t)) : (t: number) => zone.format(t);
  return {
    kind: w.kind,
    ...(w.node !== undefined && { node: w.node }),
    ...(w.topic !== undefined && { topic: w.topic, partition: w.partition! }),
    start: iso(w.start),
    end: w.end === null ? null : iso(w.end),
    startBounds: w.startBounds && { earliest: iso(w.startBounds[0]), latest: iso(w.startBounds[1]) },
    endBounds: w.endBounds && { earliest: iso(w.endBounds[0]), latest: iso(w.endBounds[1]) },
    ...(!brief && w.startSource && { startSource: edgeJson(w.startSource, iso) }),
    ...(!brief && w.endSource && { endSource: edgeJson(w.endSource, iso) }),
    durationMs: w.end === null ? null : w.end - w.start,
    confidence: w.confidence,
    reason: w.reason,
    ...(Object.keys(w.details).length > 0 && { details: w.details }),
    evidence: brief ? [] : w.evidence.map((ev) => evidenceJson(ev, iso)),
  };
}

/** A false alarm as JSON. */
export function falseAlarmJson(f: FalseAlarm, zone: Zone): WindowsDocJson['falseAlarms'][number] {
  return { file: f.file, line: f.line, time: f.time === null ? null : zone.format(f.time), rule: f.ruleId, text: f.text, why: f.why };
}

function evidenceJson(ev: Evidence, iso: (t: number) => string): EvidenceJson {
  return { file: ev.file, line: ev.line, time: ev.time === null ? null : iso(ev.time), rule: ev.ruleId, text: ev.text };
}

function edgeJson(s: EdgeSource, iso: (t: number) => string): { how: string; evidence: EvidenceJson | null } {
  return { how: s.how, evidence: s.evidence && evidenceJson(s.evidence, iso) };
}

export interface WindowsResult {
  /** The whole document (made when first asked for). */
  readonly doc: WindowsDocJson;
  /**
   * The document with its windows left out (and its false alarms, unless
   * `withFalseAlarms`), and the windows to make JSON one at a time
   * (toWindowJson): for writing it in pieces.
   */
  head: (withFalseAlarms?: boolean) => WindowsDocJson;
  /** The lines judged false alarms, one at a time. */
  falseAlarms: WindowsFinished['falseAlarms'];
  /** Every window in an array of its own (made each time it is asked for: all of them in memory at once). */
  readonly windows: readonly Window[];
  /** The windows one at a time (some read back from a spool as they are reached): what to write them from. */
  list: WindowList;
  inputs: InputJson[];
  missing: string[];
  skew: SkewReport;
  /** Changes of the zone's clocks among the events, with the events in the ambiguous hour. */
  clockChanges: ClockChange[];
  /** Each file's records in local hours a change of clocks made ambiguous. */
  clockNotes: FileClockNote[];
}

/**
 * KRaft metadata-log dumps among the other files, read into one history:
 * snapshots first (state as of their end), then log segments in offset order
 * (records already applied from an overlapping dump are skipped).
 */
export async function readMetadata(others: readonly PlannedFile[]): Promise<MetadataInput | undefined> {
  const dumps: { path: string; snapshot: boolean; firstOffset: number }[] = [];
  for (const file of others) {
    if (file.kind !== 'dump-log-segments' || !(await isMetadataDump(file.path))) continue;
    const head = await readHead(file.path);
    dumps.push({
      path: file.path,
      snapshot: head.some((l) => /\.checkpoint\s*$|^Snapshot end offset:/.test(l.trim())),
      firstOffset: Number(/baseOffset: (\d+)/.exec(head.join('\n'))?.[1] ?? Number.MAX_SAFE_INTEGER),
    });
  }
  if (dumps.length === 0) return undefined;
  dumps.sort((a, b) => Number(b.snapshot) - Number(a.snapshot) || a.firstOffset - b.firstOffset);
  const history = new MetadataHistory();
  const files: MetadataInput['files'] = [];
  for (const d of dumps) {
    const result = await readMetadataDump(d.path, (r) => history.apply(r), { onBatch: (b) => history.batch(b) });
    files.push({ path: d.path, ...result });
  }
  return { history, windows: history.finish(), files };
}

async function readHead(path: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of fileLineSource(path, 64 << 10).batches()) lines.push(...batch);
  return lines;
}

/** Reads small files (configs, describe snapshots) once per command, however many consumers ask for them. */
export type SmallFiles = (path: string) => Promise<string[]>;

export function smallFiles(): SmallFiles {
  const read = new Map<string, Promise<string[]>>();
  return (path) => {
    let lines = read.get(path);
    if (!lines) read.set(path, (lines = readSmallFile(path)));
    return lines;
  };
}

/** What the window engine found, once the pass is over. */
export interface WindowsFinished {
  /** The whole document (made when first asked for). */
  readonly doc: WindowsDocJson;
  /**
   * The document with its windows left out (an empty array in their place),
   * and its false alarms too unless `withFalseAlarms` (to write them one at a
   * time, from `falseAlarms`).
   */
  head: (withFalseAlarms?: boolean) => WindowsDocJson;
  /** The lines judged false alarms, one at a time (read back from a temporary file where the windows were spooled). */
  falseAlarms: Iterable<FalseAlarm> & { readonly length: number };
  /**
   * The windows themselves, their evidence with the events it came from, in
   * an array of their own (made each time it is asked for, from `list`).
   */
  readonly windows: readonly Window[];
  /** The same one at a time, those the pass was done with read back from a spool as they are reached. */
  list: WindowList;
}

/**
 * The window engine as a sink of the one pass: its context (replica
 * assignments, ZooKeeper addresses, KRaft metadata dumps) read before the
 * pass, every event of the pass pushed, unfiltered.
 */
export class WindowsSink implements EventSink {
  private constructor(
    /** Let go by finish: the windows are then held by what finish returned alone, for as long as that is. */
    private engine: WindowEngine | undefined, private readonly mode: ModeTally, private readonly metadata: MetadataInput | undefined, private readonly zone: Zone,
  ) {}

  static async open(others: readonly PlannedFile[], zone: Zone, read: SmallFiles = smallFiles()): Promise<WindowsSink> {
    const context = await windowContext(others, read);
    const metadata = await readMetadata(others);
    // The metadata log's replica sets stand in for describe output the folder lacks.
    if (metadata) for (const [p, a] of metadata.history.replicaAssignments()) if (!context.replicas.has(p)) context.replicas.set(p, a);
    const mode = new ModeTally(metadata !== undefined);
    await mode.readProperties(others, read);
    if (metadata) mode.metadataDump(metadata.files[0]!.path);
    // Windows final before the pass ends leave memory, unless a KRaft metadata log is to be set beside them all.
    return new WindowsSink(new WindowEngine(context, metadata ? undefined : windowSpool()), mode, metadata, zone);
  }

  push(e: TimelineEvent): void {
    this.engine!.push(e);
    this.mode.event(e);
  }

  /** Unclassified records: the engine's alone (the cluster's mode is told by classified events). */
  pushRun(run: EventRun): void {
    this.engine!.pushRun(run);
  }

  /** Once, at the end of the pass. */
  finish(): WindowsFinished {
    const { engine, zone } = this;
    if (!engine) throw new Error('internal: the window engine was finished twice');
    this.engine = undefined;
    const { metadata } = this;
    let list: WindowList;
    let disagreements: Disagreement[] = [];
    if (metadata) {
      const merged = mergeMetadata(engine.finish(), metadata, this.mode.edges, zone);
      list = WindowList.of(merged.windows);
      disagreements = merged.disagreements;
    } else {
      list = engine.finishList();
    }
    // The engine let go: what its trackers kept for the pass is not needed now.
    const falseAlarms = engine.falseAlarmList;
    const { mode: clusterMode, reason: modeReason } = this.mode.verdict();
    const head = (withFalseAlarms = true): WindowsDocJson => ({
      schema: 'kforensics/windows/v1',
      timeZone: zone.name,
      mode: clusterMode,
      modeReason,
      windows: [],
      falseAlarms: withFalseAlarms ? Array.from(falseAlarms, (f) => falseAlarmJson(f, zone)) : [],
      disagreements: disagreements.map((d) => ({
        ...d, evidence: d.evidence.map((ev) => evidenceJson(ev, (t) => zone.format(t))),
      })),
    });
    let doc: WindowsDocJson | undefined;
    return {
      get windows() {
        return [...list];
      },
      list,
      head,
      falseAlarms,
      // Made when asked for: a document written window by window (--json) never holds them all as JSON.
      get doc(): WindowsDocJson {
        doc ??= { ...head(), windows: Array.from(list, (w) => toWindowJson(w, zone, true)) };
        return doc;
      },
    };
  }
}

/** sources → readers → catalogue → merged records → window engine; KRaft metadata dumps beside. */
export async function buildWindows(
  paths: readonly string[],
  options: {
    zone: Zone; nodeMap?: readonly string[]; followSymlinks?: boolean; layouts?: readonly string[]; classifier?: Classifier;
    /** Sees the plan before any log is read (to show progress against it). */
    onPlan?: (plan: Plan) => void;
  } & Pick<TimelineOptions, 'onUnrecognised' | 'onCutLines' | 'skew' | 'onInput' | 'light'>,
): Promise<WindowsResult> {
  // Every record feeds the engine; unclassified ones light unless told otherwise (the string path, the reference).
  const timeline = await buildTimeline(paths, { ...options, all: true, light: options.light ?? true });
  options.onPlan?.(timeline.plan);
  const sink = await WindowsSink.open(timeline.plan.others, options.zone);
  await drain(timeline.eventBatches, [sink]);
  const finished = sink.finish();
  return {
    get doc() {
      return finished.doc;
    },
    head: finished.head,
    falseAlarms: finished.falseAlarms,
    get windows() {
      return finished.windows;
    },
    list: finished.list,
    inputs: timeline.inputs(),
    missing: timeline.plan.missing,
    skew: timeline.skew(),
    clockChanges: timeline.clockChanges(),
    clockNotes: timeline.clockNotes(),
  };
}
