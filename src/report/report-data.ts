import type { SkewReport } from '../analysis/skew.js';
import { runtimeZoneChecks } from '../analysis/runtime-zone.js';
import { describeClockChange, describeClockNote } from '../time/clock-changes.js';
import { dirname } from 'node:path';
import { DEFAULTS, DumpedTopicGaps } from '../analysis/gap.js';
import { brokerSessions, isClientSessionExpiry, noteBrokerSession } from '../analysis/client-sessions.js';
import { propertiesRole, runChecks, type DescribeFile, type PropertiesFile, type StartupConfigFile } from '../analysis/findings.js';
import type { DumpInputJson } from '../model/gap.js';
import { severityRank } from '../model/record.js';
import { compiledParse } from '../model/check.js';
import {
  InputQualitySchema, KeyEventSchema, ReportSchema, type AppendixEntryJson, type GapPartitionJson, type KeyEventJson,
  type MissingRecordsJson, type ReportJson,
} from '../model/report.js';
import type { InputJson } from '../model/timeline.js';
import type { WindowJson } from '../model/window.js';
import { parseProperties } from '../readers/properties.js';
import { parseDescribe } from '../readers/topics-describe.js';
import { StartupConfigScan } from '../readers/startup-config.js';
import { nodeFromPath } from '../sources/identity.js';
import type { Plan } from '../read/plan.js';
import { buildTimeline } from '../read/build.js';
import { falseAlarmJson, smallFiles, WindowsSink, type SmallFiles } from '../windows/build.js';
import type { Window } from '../windows/engine.js';
import type { FalseAlarm } from '../windows/window.js';
import { positionOf } from '../windows/window.js';
import { drain, type EventSink } from '../timeline/sink.js';
import { carriedNodeBeside, EVENTS_KIND, eventFileStartupConfigs } from '../readers/events-ndjson.js';
import { PASS_POSITION, rowOnly, type Positioned, type TimelineEvent } from '../timeline/event.js';
import type { Zone } from '../time/zone.js';
import { Compactor, type CompactRow } from '../timeline/compact.js';
import type { Rule } from '../catalogue/schema.js';
import type { NodeKind, Severity } from '../model/record.js';
import { Appendix } from './appendix.js';
import { Spool } from '../windows/item-spool.js';
import { reportWindows } from './report-windows.js';
import { narrative } from './narrative.js';
import { byNodeName, clockOf, firstOf, subjectOf, type FalseAlarmJson, type ReportDoc, type ReportList } from './report-text.js';
import { StringTable } from '../windows/temp-bytes.js';

export interface ReportOptions {
  zone: Zone;
  /** --display-tz: the zone the report's times are shown in, when not `zone` (the zone the logs were written in). */
  displayZone?: Zone;
  /** Topics to analyse for gaps and to keep in the timeline; none: every topic a dump holds. */
  topics?: readonly string[];
  title?: string;
  /** Shown as given; nothing else in a report depends on the wall clock. */
  generatedAt?: string;
  nodeMap?: readonly string[];
  followSymlinks?: boolean;
  /** --layout: log4j ConversionPatterns for files in no known layout. */
  layouts?: readonly string[];
  /** false: every record by the string path (the reference the light events are tested against; read/light.ts). */
  light?: boolean;
  /** Sees the plan before any log is read, and each log file once read (to show progress). */
  onPlan?: (plan: Plan) => void;
  onInput?: (input: InputJson) => void;
  /**
   * true: the cited lines are still being quoted from the files when the
   * report is returned (on libuv's pool, while what renders it writes the
   * sections before the appendix): its appendix is read after
   * `appendix.ready()` (untilQuoted). Otherwise the report is returned whole.
   */
  quoteWhileWriting?: boolean;
}

export interface ReportResult {
  report: ReportDoc;
  missing: string[];
}

/** The report checked against its schema: the document itself where the compiled check passes it (no copy of it made). */
const parseReport = compiledParse(ReportSchema);

/** Categories whose info-level events are key events (the story of the cluster, not routine chatter). */
const KEY_CATEGORIES = new Set(['lifecycle', 'controller', 'zk-quorum']);
export const KEY_SELECTION = 'classified events of severity warn or above, info events of the lifecycle, controller and zk-quorum categories, and every line a window cites; a run of one rule on one node, each event within a second of the one before, is one row';

/**
 * sources → windows (buildWindows) → key events (buildTimeline, compacted) →
 * gaps (analyzeGaps) → findings (analysis/findings) → one report document.
 * Pure of wall-clock time: the same inputs give the same document.
 */
export async function buildReport(paths: readonly string[], options: ReportOptions): Promise<ReportResult> {
  const zone = options.zone;
  const shown = options.displayZone ?? zone;
  const nodeMap = options.nodeMap ?? [];
  const followSymlinks = options.followSymlinks ?? false;
  const layouts = options.layouts ?? [];
  // One pass over the logs: every record to the window engine, the classified
  // ones to the key events, the brokers' server logs' raw lines to their start-up configs, every record
  // to each dumped topic's gap evidence.
  const startups = new Map<string, StartupConfigScan>();
  const timeline = await buildTimeline(paths, {
    zone, nodeMap, followSymlinks, layouts, all: true, light: options.light ?? true,
    ...(options.onInput && { onInput: options.onInput }),
    watchLines: (f) => {
      if (f.kind !== 'kafka-server') return undefined;
      const scan = new StartupConfigScan(f);
      startups.set(f.path, scan);
      return scan;
    },
  });
  if (timeline.plan.missing.length > 0) return { report: undefined as never, missing: timeline.plan.missing };
  options.onPlan?.(timeline.plan);
  const small = smallFiles();
  const topics = options.topics ?? [];
  const keys = new KeyEvents(topics);
  // Gaps: each dumped topic's evidence a sink on the same pass over the logs.
  const plan = timeline.plan;
  const gapOptions = {
    zone, ...(shown !== zone && { displayZone: shown }), minGapMs: DEFAULTS.minGapMs, percentile: DEFAULTS.percentile, k: DEFAULTS.k, nodeMap, followSymlinks, layouts,
  };
  const topicGaps = await DumpedTopicGaps.read(plan, paths, topics, gapOptions);
  const { windows, falseAlarms, keyRows, appendix: cited } = await passOverLogs(timeline, small, keys, topicGaps.sinks, zone, shown);
  const { rows, eventsRead, keyEvents, clientExpiries } = keyRows;
  const logsRead = new Set(plan.families.flatMap((f) => f.files.map((x) => x.path)));
  const logInputs = timeline.inputs().filter((i) => logsRead.has(i.file));
  const gapReports = await topicGaps.reports(logInputs);
  const gaps: GapPartitionJson[] = gapReports.flatMap((g) => g.partitions.map((p) => ({
    topic: p.topic, partition: p.partition, broker: p.broker, firstOffset: p.firstOffset, lastOffset: p.lastOffset,
    records: p.records, timestampType: p.timestampType, criterion: p.spacing.criterion, gaps: p.gaps,
    offsetDiscontinuities: p.offsetDiscontinuities, warnings: p.warnings, location: p.location,
  })));
  // One entry per gap: copies of a partition (one per broker and dump location) that show the same gap are one loss.
  const missingRecords: MissingRecordsJson[] = [];
  for (const p of gaps) {
    for (const g of p.gaps) {
      const copy = `${p.broker ?? 'unknown broker'} (${p.location ?? '?'})`;
      const same = missingRecords.find((m) => m.topic === p.topic && m.partition === p.partition
        && m.lastBefore.offset === g.before.offset && m.firstAfter.offset === g.after.offset && m.lastBefore.createTime === g.before.createTime && m.firstAfter.createTime === g.after.createTime);
      if (same) { same.copies!.push(copy); continue; }
      missingRecords.push({
        topic: p.topic, partition: p.partition, broker: p.broker,
        lastBefore: { offset: g.before.offset, createTime: g.before.createTime, time: g.before.time },
        firstAfter: { offset: g.after.offset, createTime: g.after.createTime, time: g.after.time },
        durationMs: g.durationMs, duration: g.duration, estimatedMissing: g.neverWritten, rate: g.rate,
        copies: [copy], missingFromLog: g.estimatedMissing, lostAcknowledged: g.lostAcknowledgedInGap, meaning: `${g.meaning.kind}: ${g.meaning.text}`,
      });
    }
  }
  const lostWrites = gapReports.flatMap((g) => g.lostWrites).filter((l) => l.count > 0 || l.divergent.length > 0 || l.truncations.length > 0 || l.mismatches.length > 0);
  // The topic last, where the schema has it (a document built in its schema's order is written as it is: model/check.ts).
  const zoneCheck = gapReports.map((g) => ({ ...g.zoneCheck, topic: g.topic }));

  // Findings from describe snapshots and properties files.
  const clock = clockOf(windows[0]?.start ?? firstOf(rows)?.time ?? null);
  const { describes, properties, startup } = await configFiles(timeline.plan, startups, small, timeline.inputs());
  const { findings, recommendations } = runChecks({ describes, properties, startup, windows, clock });

  // Summary.
  const summary = summarise(windows, missingRecords);
  summary.narrative = narrative({ windows, missing: missingRecords, findings, clock });
  // A zone that only agrees with the dumps under a whole-zone shift is said first: every time below depends on it.
  // Input quality.
  const inputs = timeline.inputs();
  // Container logs: --tz checked against the runtime's own times, said as the dumps' check is.
  const runtimeZoneCheck = await runtimeZoneChecks(inputs, zone);
  const shifted = [...zoneCheck, ...runtimeZoneCheck].filter((z) => z.shiftMs !== null).map((z) => z.message);
  if (shifted.length > 0) summary.narrative = `${[...new Set(shifted)].join(' ')} ${summary.narrative}`;
  const runtimeNote = runtimeZoneCheck.length === 0 ? ''
    : ` Checked against the container runtime's own times (which carry a zone): ${runtimeZoneCheck.map((c) => c.message).join(' ')}`;
  const dumps = dedupeDumps(gapReports.flatMap((g) => g.inputs.dumps));
  const nodes = new Set<string>();
  for (const i of inputs) for (const n of (i.node ?? '').split(',')) if (n) nodes.add(n);
  for (const w of windows) if (w.node) nodes.add(w.node);
  const kinds: Record<string, number> = {};
  for (const i of inputs) kinds[i.kind] = (kinds[i.kind] ?? 0) + 1;
  const read = inputs.filter((i) => i.skipped === null);
  const sum = (f: (i: InputJson) => number) => read.reduce((s, i) => s + f(i), 0);

  const configRefs = [...findings.flatMap((f) => f.evidence), ...recommendations.flatMap((r) => r.values.flatMap((v) => (v.evidence ? [v.evidence] : [])))];
  const appendix = await cited.finish(rows, gaps, configRefs);
  if (!options.quoteWhileWriting) await appendix.ready();

  // Checked against the schema without its long lists, which are checked item by item as they are made.
  const report: ReportJson = {
    schema: 'kforensics/report/v1',
    title: options.title ?? `Incident report: ${paths.join(', ')}`,
    generatedAt: options.generatedAt ?? null,
    timeZone: zone.name,
    ...(shown !== zone && { displayTimeZone: shown.name }),
    paths: [...paths],
    topics: [...topics],
    summary,
    timeline: {
      selection: clientExpiries === 0 ? KEY_SELECTION
        : `${KEY_SELECTION}; left out: ${clientExpiries} expiries of ZooKeeper sessions no broker log established, with a timeout no broker negotiated (command-line tools' sessions)`,
      eventsRead, keyEvents, rows: [],
    },
    windows: [],
    gaps,
    ...(lostWrites.length > 0 && { lostWrites }),
    ...(zoneCheck.length > 0 && { zoneCheck }),
    ...(runtimeZoneCheck.length > 0 && { runtimeZoneCheck }),
    findings,
    recommendations,
    inputQuality: {
      timeZone: zone.name,
      timeZoneNote: `log4j and logback timestamps carry no zone: they were read as ${zone.name} wall-clock time (--tz)${shown === zone ? '' : ` and are shown in ${shown.name} (--display-tz)`}. DumpLogSegments CreateTime is epoch milliseconds and needs no zone.${runtimeNote}`,
      nodes: [...nodes].sort(byNodeName),
      kinds: Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => (a < b ? -1 : 1))),
      totals: {
        files: inputs.length,
        linesRead: sum((i) => i.linesRead),
        records: sum((i) => i.records),
        folded: sum((i) => i.folded),
        unrecognised: sum((i) => i.unrecognised),
        badTimestamps: sum((i) => i.badTimestamps),
        outOfOrder: sum((i) => i.outOfOrder),
      },
      files: inputs,
      dumps,
      clockSkew: {
        betweenNodes: describeSkew(timeline.skew()),
        producers: gapReports.flatMap((g) => g.partitions.map((p) => ({
          topic: p.topic, partition: p.partition, backwards: p.clockSkew.backwards, maxBackwardsMs: p.clockSkew.maxBackwardsMs,
        }))),
      },
      ...(timeline.clockChanges().length + timeline.clockNotes().length > 0 && {
        clockChanges: [
          ...timeline.clockChanges().map((c) => describeClockChange(c, zone)),
          ...timeline.clockNotes().map((n) => describeClockNote(n, zone)),
        ],
      }),
      falseAlarms: [],
    },
    appendix: [],
  };
  const checked = parseReport(report);
  // The long lists put back in their places (checked item by item as they were made, or are read).
  return {
    report: { ...checked, timeline: { ...checked.timeline, rows }, windows, inputQuality: { ...checked.inputQuality, falseAlarms }, appendix },
    missing: [],
  };
}

/**
 * The one pass over the logs, every record to the key events, the window
 * engine and the gap sinks. What is returned is the windows as JSON, the
 * key-event rows (spooled) and the appendix begun (the lines the windows and
 * the rows cite): the engine's own windows, with the lines they cite, are
 * let go on return.
 */
async function passOverLogs(
  timeline: Awaited<ReturnType<typeof buildTimeline>>, small: SmallFiles, keys: KeyEvents, sinks: readonly EventSink[], zone: Zone, shown: Zone,
) {
  const windowsSink = await WindowsSink.open(timeline.plan.others, zone, small);
  // The key events first: they number the events, and the window engine keeps that number with the lines it cites.
  await drain(timeline.eventBatches, [keys, windowsSink, ...sinks]);
  const finished = windowsSink.finish();
  // Key events' times in the zone shown (--display-tz); the false alarms' in the zone the logs were written in.
  const appendix = new Appendix(timeline.inputs(), shown);
  // Each window made JSON, checked and spooled in turn, the lines it cites noted: never all of them whole at once.
  // One reading of the windows (those spooled by the engine are read back): the lines and events they cite noted.
  const windows = reportWindows(finished.list, zone, shown, (json, w) => {
    appendix.cite(json);
    keys.cite(w);
  });
  const keyRows = await keys.rows(shown, appendix);
  return { windows, falseAlarms: falseAlarmList(finished.falseAlarms, zone), keyRows, appendix };
}

const parseFalseAlarm = compiledParse(InputQualitySchema.shape.falseAlarms.element);

/**
 * The lines judged false alarms as the report has them (in the zone the logs
 * were written in), each made and checked as it is read: the engine spools
 * them, and a report of a gibibyte of logs has tens of thousands.
 */
function falseAlarmList(list: Iterable<FalseAlarm> & { readonly length: number }, zone: Zone): ReportList<FalseAlarmJson> {
  return {
    length: list.length,
    *[Symbol.iterator]() {
      for (const f of list) yield parseFalseAlarm(falseAlarmJson(f, zone));
    },
  };
}

/** One sentence on the clock offsets estimated between nodes (see src/analysis/skew.ts). */
function describeSkew(skew: SkewReport): string {
  if (skew.reference === null || skew.estimates.length === 0) {
    return 'not estimated: no events that two nodes must log at the same moment were found; each node\'s clock is taken as written.';
  }
  const offsets = skew.estimates
    .filter((e) => e.node !== skew.reference)
    .map((e) => `${e.node} ${e.offsetMs >= 0 ? '+' : '−'}${Math.abs(e.offsetMs)} ms (±${e.spreadMs} ms, ${e.pairs} pair${e.pairs === 1 ? '' : 's'}: ${e.basis.join('; ')})`);
  return `estimated against ${skew.reference} from events nodes log at the same moment: ${offsets.join(', ')}. Offsets under a second are within logging jitter; larger ones can be corrected with --skew NODE=±Ns.`;
}

/**
 * The report's key events, a sink of the one pass. Which lines the windows
 * cite is known only once the pass is over, so the events key by their
 * severity and category are spooled as they come (with whether they were a
 * command-line tool's session expiring when read), and the cited ones that
 * are not key are found afterwards through the windows' evidence; both are
 * put back in the order of the pass and compacted into runs, the rows
 * spooled in turn: memory holds neither, however long the logs.
 */
class KeyEvents implements EventSink {
  private read = 0;
  private readonly sessions = brokerSessions();
  // Each classified event's position in the pass is written on it (PASS_POSITION), not kept in a WeakMap: a WeakMap's keys
  // survive every minor collection, which moved every event of the pass to the old generation (+60 MB peak RSS at 100 MB).
  // Only events of the topics asked for (all, when none were) are numbered: a line a window cites is a key event
  // when it has a number. This sink comes before the window engine in the pass, so that the cited lines carry it.
  // What is spooled is a row's worth of each key event (no fields, no continuation lines), in the order of the pass
  // (their positions ascending).
  private readonly held = Spool.ofText();
  /** The strings that repeat from event to event (nodes, files, rules' ids, categories …), by number, and the rules by id. */
  private readonly strings = new StringTable();
  private readonly named = this.strings.list;
  private readonly rules = new Map<string, Rule>();
  /**
   * The events the windows cite that are not held (not key by their
   * severity and category), spooled as the held ones are, and their
   * positions in the pass: rows too.
   */
  private readonly cited = Spool.ofText();
  private citedAt: number[] = [];
  /** The positions of the events held. */
  private readonly heldAt = new Bits();

  constructor(private readonly topics: readonly string[]) {}

  /** Unclassified records are no key events, and not numbered (see push). */
  pushRun(): void {}

  push(e: TimelineEvent): void {
    const rule = e.rule;
    if (rule === null) return;
    const position = this.read++;
    noteBrokerSession(this.sessions, e);
    if (!inTopics(e, this.topics)) return;
    (e as Positioned)[PASS_POSITION] = position;
    if (!isKeyBySeverity(e)) return;
    this.heldAt.add(position);
    const expiry = isClientSessionExpiry(this.sessions, e) ? 1 : 0;
    this.held.push(this.encode(position, e, expiry));
  }

  /** One line of text, the message last (it may hold any character): a third of the time JSON took. */
  private encode(position: number, e: TimelineEvent, expiry: number): string {
    const rule = e.rule!;
    if (!this.rules.has(rule.id)) this.rules.set(rule.id, rule);
    return `${position} ${e.time} ${this.name(e.node)} ${this.name(e.nodeKind)} ${this.name(e.file)} ${e.line} ${this.name(rule.id)} ${this.name(e.category)} ${this.name(e.severity)} ${expiry} ${e.message}`;
  }

  private name(s: string): number {
    return this.strings.number(s);
  }

  /** The held events read back, in the order of the pass. */
  private *heldEvents(): Generator<{ position: number; expiry: boolean; event: Positioned }> {
    for (const text of this.held) yield this.decode(text);
  }

  /** An event as encode wrote it. */
  private decode(text: string): { position: number; expiry: boolean; event: Positioned } {
    const { named } = this;
    const fields: number[] = [];
    let at = 0;
    for (let k = 0; k < 10; k++) {
      const space = text.indexOf(' ', at);
      fields.push(Number(text.slice(at, space)));
      at = space + 1;
    }
    const [position, time, node, nodeKind, file, line, rule, category, severity, expiry] = fields as [number, number, number, number, number, number, number, number, number, number];
    const message = text.slice(at);
    return {
      position,
      expiry: expiry === 1,
      event: rowOnly({
        time, node: named[node]!, nodeKind: named[nodeKind]! as NodeKind, file: named[file]!, line, rule: this.rules.get(named[rule]!)!,
        category: named[category]!, severity: named[severity]! as Severity, message,
      } as Positioned, message),
    };
  }

  /** The events a window cites (every window's, before the rows are made): those numbered and not held are rows too. */
  cite(w: Window): void {
    for (const ev of w.evidence) {
      // The row form of the event made only for those not held (it stays with the line's evidence).
      const position = positionOf(ev) ?? (ev.event as Positioned | undefined)?.[PASS_POSITION];
      if (position === undefined || this.heldAt.has(position)) continue;
      this.citedAt.push(position, this.cited.push(this.encode(position, ev.event!, 0)));
    }
  }

  /** The rows, once every window is cited (to the appendix too: it tells a line a window cites). */
  async rows(zone: Zone, appendix: Appendix): Promise<{ rows: Spool<KeyEventJson> & { latestEnd: string | null }; eventsRead: number; keyEvents: number; clientExpiries: number }> {
    // The cited events not held, in the order of the pass (a line cited by several windows once).
    const pairs = this.citedAt;
    this.citedAt = [];
    const order = Array.from({ length: pairs.length / 2 }, (_, k) => k).sort((a, b) => pairs[2 * a]! - pairs[2 * b]!);
    const more: number[] = [];
    for (const k of order) if (more.length === 0 || pairs[2 * more.at(-1)!] !== pairs[2 * k]) more.push(k);
    const position = (k: number) => pairs[2 * more[k]!]!;
    const citedEvent = (k: number) => this.decode(this.cited.at(pairs[2 * more[k]! + 1]!)).event;
    const rows = keyEventSpool();
    // The latest of the rows' last times (the first such), for the Mermaid chart's open windows: noted here, not read back.
    let latest = -Infinity;
    let latestEnd: string | null = null;
    const put = (row: CompactRow): void => {
      const json = keyEventRow(row, zone);
      const end = Date.parse(json.lastTime);
      if (end > latest) {
        latest = end;
        latestEnd = json.lastTime;
      }
      appendix.addRow(rows.push(json), row.first.file, row.first.line, row.first.node, row.first.time);
    };
    const compactor = new Compactor(1000, 'run');
    const released: CompactRow[] = [];
    let clientExpiries = 0;
    let keyEvents = 0;
    const take = (e: TimelineEvent): void => {
      keyEvents++;
      compactor.push(e, released);
      for (const row of released) put(row);
      released.length = 0;
    };
    let next = 0;
    for (const held of this.heldEvents()) {
      const { expiry, event } = held;
      while (next < more.length && position(next) < held.position) take(citedEvent(next++));
      // CLI tools' ZooKeeper sessions expiring are not the cluster's story.
      if (expiry && !appendix.citedByWindow(event.file, event.line)) {
        clientExpiries++;
        continue;
      }
      take(event);
    }
    while (next < more.length) take(citedEvent(next++));
    compactor.end(released);
    for (const row of released) put(row);
    this.held.close();
    this.cited.close();
    return { rows: Object.assign(rows, { latestEnd }), eventsRead: this.read, keyEvents, clientExpiries };
  }
}

/** A set of small numbers, a bit each. */
class Bits {
  private bits = new Uint8Array(1 << 12);

  add(n: number): void {
    if (n >> 3 >= this.bits.length) {
      const more = new Uint8Array(Math.max(this.bits.length * 2, (n >> 3) + 1));
      more.set(this.bits);
      this.bits = more;
    }
    this.bits[n >> 3]! |= 1 << (n & 7);
  }

  has(n: number): boolean {
    return n >> 3 < this.bits.length && (this.bits[n >> 3]! & (1 << (n & 7))) !== 0;
  }
}

/** The row of a run of key events, checked against its schema. */
function keyEventRow(row: CompactRow, zone: Zone): KeyEventJson {
  const time = zone.format(row.first.time);
  return parseKeyEvent({
    time,
    lastTime: row.last.time === row.first.time ? time : zone.format(row.last.time),
    node: row.first.node,
    nodeKind: row.first.nodeKind,
    rule: row.first.rule!.id,
    category: row.first.category,
    severity: row.first.severity,
    message: row.first.message,
    count: row.count,
    evidence: { file: row.first.file, line: row.first.line },
  });
}

const parseKeyEvent = compiledParse(KeyEventSchema);

/** Key-event rows spooled as tuples (lastTime null where it is the time). */
function keyEventSpool(): Spool<KeyEventJson> {
  type Tuple = [string, string | null, string, NodeKind, string, string, Severity, string, number, string, number];
  return new Spool<KeyEventJson>(
    (r): Tuple => [r.time, r.lastTime === r.time ? null : r.lastTime, r.node, r.nodeKind, r.rule, r.category, r.severity, r.message, r.count, r.evidence.file, r.evidence.line],
    (json) => {
      const [time, lastTime, node, nodeKind, rule, category, severity, message, count, file, line] = json as Tuple;
      return { time, lastTime: lastTime ?? time, node, nodeKind, rule, category, severity, message, count, evidence: { file, line } };
    },
  );
}

function isKeyBySeverity(e: TimelineEvent): boolean {
  return severityRank(e.severity) >= severityRank('warn') || (KEY_CATEGORIES.has(e.category) && severityRank(e.severity) >= severityRank('info'));
}

/** Strings in an event's fields that name a topic or partition. */
function namedTopics(e: TimelineEvent): string[] {
  const out: string[] = [];
  for (const key of ['topic', 'partition', 'partitions']) {
    const v = e.fields[key];
    for (const s of Array.isArray(v) ? v : [v]) if (typeof s === 'string') out.push(s.replace(/-\d+$/, ''));
  }
  return out;
}

/** With --topic: events that name other topics only are left out; events that name none stay (brokers, ZooKeeper). */
function inTopics(e: TimelineEvent, topics: readonly string[]): boolean {
  if (topics.length === 0) return true;
  const named = namedTopics(e);
  return named.length === 0 || named.some((t) => topics.includes(t));
}

function dedupeDumps(dumps: readonly DumpInputJson[]): DumpInputJson[] {
  const seen = new Map<string, DumpInputJson>();
  for (const d of dumps) if (!seen.has(d.file)) seen.set(d.file, d);
  return [...seen.values()].sort((a, b) => (a.file < b.file ? -1 : 1));
}

async function configFiles(
  plan: Plan, startups: ReadonlyMap<string, StartupConfigScan>, read: SmallFiles, inputs: readonly InputJson[],
): Promise<{ describes: DescribeFile[]; properties: PropertiesFile[]; startup: StartupConfigFile[] }> {
  const describes: DescribeFile[] = [];
  const properties: PropertiesFile[] = [];
  const startup: StartupConfigFile[] = [];
  // The brokers' start-up config dumps, from their server logs.
  for (const fam of plan.families) {
    for (const f of fam.files) {
      if (f.kind === EVENTS_KIND) {
        for (const { node, config } of await eventFileStartupConfigs(f.path)) startup.push({ node: config.brokerId !== null ? `broker-${config.brokerId}` : node, config });
        continue;
      }
      if (f.kind !== 'kafka-server') continue;
      for (const config of startups.get(f.path)?.finish() ?? []) {
        startup.push({ node: config.brokerId !== null ? `broker-${config.brokerId}` : fam.nodes['kafka-broker'], config });
      }
    }
  }
  for (const f of plan.others) {
    if (f.kind === 'topics-describe') {
      describes.push({ file: f.path, snapshot: parseDescribe(await read(f.path)) });
    } else if (f.kind === 'properties') {
      const props = parseProperties(await read(f.path));
      const role = propertiesRole(props);
      if (!role) continue;
      const id = props.values.get('broker.id')?.value ?? props.values.get('node.id')?.value;
      const kind = role === 'broker' ? 'kafka-broker' : 'zookeeper';
      const beside = plan.families.find((fam) => dirname(fam.files[0]!.path) === dirname(f.path));
      const node = role === 'broker' && id !== undefined && /^\d+$/.test(id)
        ? `broker-${id}`
        : beside?.nodes[kind] ?? carriedNodeBeside(inputs, f.path, kind) ?? nodeFromPath(f.path, kind) ?? null;
      properties.push({ file: f.path, role, node, props });
    }
  }
  return { describes, properties, startup };
}

const OUTAGE_KINDS = new Set(['broker-down', 'broker-hung', 'zk-node-down', 'zk-node-unreachable', 'zk-quorum-lost', 'partition-leaderless', 'partition-offline', 'isolated']);

function summarise(windows: readonly WindowJson[], missing: MissingRecordsJson[]): ReportJson['summary'] {
  let incident: ReportJson['summary']['incident'] = null;
  if (windows.length > 0) {
    const start = extreme(windows, (w) => w.start, (b, a) => b < a);
    const open = windows.some((w) => w.end === null);
    const end = open ? null : extreme(windows, (w) => w.end!, (b, a) => b > a);
    incident = { start, end, durationMs: end === null ? null : Date.parse(end) - Date.parse(start) };
  }
  const nodes = [...new Set(windows.flatMap((w) => (w.node ? [w.node] : [])))].sort(byNodeName);
  const partitions = [...new Set(windows.flatMap((w) => (w.topic !== undefined ? [`${w.topic}-${w.partition}`] : [])))].sort(byNodeName);
  let longest: ReportJson['summary']['longestOutage'] = null;
  windows.forEach((w, i) => {
    if (!OUTAGE_KINDS.has(w.kind) || w.durationMs === null) return;
    if (longest === null || w.durationMs > (longest.durationMs ?? 0)) {
      longest = { window: i, kind: w.kind, subject: subjectOf(w), start: w.start, end: w.end, durationMs: w.durationMs };
    }
  });
  return { incident, nodesAffected: nodes, partitionsAffected: partitions, longestOutage: longest, recordsNeverWritten: missing, narrative: '' };
}

/**
 * Of the windows' times `time`, the first that `beats` (as instants) every
 * one before it: a reduce of the texts comparing Date.parse of both, the best
 * one's instant kept rather than parsed again at each window.
 */
function extreme(windows: readonly WindowJson[], time: (w: WindowJson) => string, beats: (b: number, a: number) => boolean): string {
  let best = time(windows[0]!);
  let bestAt = Date.parse(best);
  for (let i = 1; i < windows.length; i++) {
    const t = time(windows[i]!);
    const at = Date.parse(t);
    if (beats(at, bestAt)) {
      best = t;
      bestAt = at;
    }
  }
  return best;
}
