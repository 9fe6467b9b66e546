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
  ReportSchema, type AppendixEntryJson, type GapPartitionJson, type KeyEventJson, type LineRefJson,
  type MissingRecordsJson, type ReportJson,
} from '../model/report.js';
import type { InputJson } from '../model/timeline.js';
import type { WindowJson } from '../model/window.js';
import { parseProperties } from '../readers/properties.js';
import { parseDescribe } from '../readers/topics-describe.js';
import { StartupConfigScan } from '../readers/startup-config.js';
import { nodeFromPath } from '../sources/identity.js';
import { pickLines } from '../sources/lines.js';
import type { Plan } from '../read/plan.js';
import { buildTimeline } from '../read/build.js';
import { smallFiles, WindowsSink, type SmallFiles } from '../windows/build.js';
import type { Window } from '../windows/engine.js';
import { drain, type EventSink } from '../timeline/sink.js';
import { carriedNodeBeside, EVENTS_KIND, eventFileStartupConfigs } from '../readers/events-ndjson.js';
import { ownCopy, PASS_POSITION, rowOnly, type Positioned, type TimelineEvent } from '../timeline/event.js';
import type { Zone } from '../time/zone.js';
import { compactRuns } from '../timeline/compact.js';
import { rezoneWindows } from '../windows/display-zone.js';
import { narrative } from './narrative.js';
import { byNodeName, clockOf, subjectOf } from './report-text.js';

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
}

export interface ReportResult {
  report: ReportJson;
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
  const { windows, falseAlarms, keyRows } = await passOverLogs(timeline, small, keys, topicGaps.sinks, zone, shown);
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
  const clock = clockOf(windows[0]?.start ?? rows[0]?.time ?? null);
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
  const appendix = await buildAppendix(windows, rows, gaps, configRefs, inputs);

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
      eventsRead, keyEvents, rows,
    },
    windows,
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
      falseAlarms,
    },
    appendix,
  };
  return { report: parseReport(report), missing: [] };
}

/**
 * The one pass over the logs, every record to the key events, the window
 * engine and the gap sinks. What is returned is the windows as JSON and the
 * key-event rows: the engine's own windows, with the lines they cite, are
 * let go on return (held beside their JSON they were the report's peak).
 */
async function passOverLogs(
  timeline: Awaited<ReturnType<typeof buildTimeline>>, small: SmallFiles, keys: KeyEvents, sinks: readonly EventSink[], zone: Zone, shown: Zone,
) {
  const windowsSink = await WindowsSink.open(timeline.plan.others, zone, small);
  // The key events first: they number the events, and the window engine keeps that number with the lines it cites.
  await drain(timeline.eventBatches, [keys, windowsSink, ...sinks]);
  const finished = windowsSink.finish();
  // Key events' times in the zone shown (--display-tz).
  const keyRows = await keys.rows(finished.list, shown);
  const doc = finished.doc;
  return { windows: (shown === zone ? doc : rezoneWindows(doc, shown)).windows, falseAlarms: doc.falseAlarms, keyRows };
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
 * severity and category are held (with whether they were a command-line
 * tool's session expiring when read), and the cited ones that are not key
 * are found afterwards through the windows' evidence; both are put back in
 * the order of the pass and compacted into runs.
 */
class KeyEvents implements EventSink {
  private read = 0;
  private readonly sessions = brokerSessions();
  // Each classified event's position in the pass is written on it (PASS_POSITION), not kept in a WeakMap: a WeakMap's keys
  // survive every minor collection, which moved every event of the pass to the old generation (+60 MB peak RSS at 100 MB).
  // Only events of the topics asked for (all, when none were) are numbered: a line a window cites is a key event
  // when it has a number. This sink comes before the window engine in the pass, so that the cited lines carry it.
  // What is held is a row's worth of each key event (no fields, no continuation lines): tens of thousands of them
  // are held to the end of the pass.
  // They are held in the order of the pass (their positions ascending); those that were a command-line tool's
  // session expiring when read are also in `expiries`. Their messages are held once per distinct text (MESSAGES_HELD).
  private readonly held: Positioned[] = [];
  private readonly expiries = new Set<Positioned>();
  private readonly messages = new Map<string, string>();

  constructor(private readonly topics: readonly string[]) {}

  /** Unclassified records are no key events, and not numbered (see push). */
  pushRun(): void {}

  push(e: TimelineEvent): void {
    if (e.rule === null) return;
    const position = this.read++;
    noteBrokerSession(this.sessions, e);
    if (!inTopics(e, this.topics)) return;
    (e as Positioned)[PASS_POSITION] = position;
    if (!isKeyBySeverity(e)) return;
    const row = rowOnly(e, this.message(e.message));
    this.held.push(row);
    if (isClientSessionExpiry(this.sessions, e)) this.expiries.add(row);
  }

  /** The message in a string of its own (a slice of its line would keep the line), one per distinct text while there are few. */
  private message(text: string): string {
    let own = this.messages.get(text);
    if (own === undefined) {
      own = ownCopy(text);
      if (this.messages.size < MESSAGES_HELD) this.messages.set(own, own);
    }
    return own;
  }

  /** `windows` may be read twice (the lines they cite, then, only if there are client expiries, to tell those cited). */
  async rows(windows: Iterable<Window>, zone: Zone): Promise<{ rows: KeyEventJson[]; eventsRead: number; keyEvents: number; clientExpiries: number }> {
    this.messages.clear();
    const citedEvents = new Set<TimelineEvent>();
    for (const w of windows) for (const ev of w.evidence) if (ev.event) citedEvents.add(ev.event);
    // The lines the windows cite, to tell a cited expiry (asked only when there are expiries).
    let cited: Set<string> | undefined;
    const isCited = (e: TimelineEvent): boolean => {
      if (!cited) {
        cited = new Set();
        for (const w of windows) for (const ev of w.evidence) cited.add(`${ev.file}:${ev.line}`);
      }
      return cited.has(`${e.file}:${e.line}`);
    };
    let clientExpiries = 0;
    const chosen: TimelineEvent[] = [];
    const held = this.held;
    for (const e of held) {
      // CLI tools' ZooKeeper sessions expiring are not the cluster's story.
      if (this.expiries.has(e) && !isCited(e)) clientExpiries++;
      else chosen.push(e);
    }
    // Whether a cited event is held: by its position, among the held ones' (ascending).
    const isHeld = (seq: number): boolean => {
      let lo = 0;
      let hi = held.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (held[mid]![PASS_POSITION]! < seq) lo = mid + 1;
        else hi = mid;
      }
      return lo < held.length && held[lo]![PASS_POSITION] === seq;
    };
    for (const e of citedEvents) {
      const seq = (e as Positioned)[PASS_POSITION];
      if (seq !== undefined && !isHeld(seq)) chosen.push(e);
    }
    // What is chosen is all that is needed of them now (the report is built after, and rendered).
    this.held.length = 0;
    this.expiries.clear();
    chosen.sort((a, b) => (a as Positioned)[PASS_POSITION]! - (b as Positioned)[PASS_POSITION]!);
    const rows: KeyEventJson[] = [];
    for (const row of compactRuns(chosen, 1000, 'run')) {
      // Held to the end (the report is made whole): in strings of their own, as the windows' (toWindowJson). A row of
      // one instant (most) holds one string for both: the zone's formatting keeps only the last second it made, and
      // made twice per row it was made anew each time.
      const time = ownCopy(zone.format(row.first.time));
      rows.push({
        time,
        lastTime: row.last.time === row.first.time ? time : ownCopy(zone.format(row.last.time)),
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
    return { rows, eventsRead: this.read, keyEvents: chosen.length, clientExpiries };
  }
}

/** Distinct key-event messages held once each, at most (past that, each event's is its own copy). */
const MESSAGES_HELD = 50_000;

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
    const start = windows.map((w) => w.start).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
    const open = windows.some((w) => w.end === null);
    const end = open ? null : windows.map((w) => w.end!).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
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
 * Every line the report cites, quoted as written: the files are read once
 * more, keeping only the cited lines.
 */
async function buildAppendix(
  windows: readonly WindowJson[], rows: readonly KeyEventJson[], gaps: readonly GapPartitionJson[],
  findingRefs: readonly LineRefJson[], inputs: readonly InputJson[],
): Promise<AppendixEntryJson[]> {
  const entries = new Map<string, Omit<AppendixEntryJson, 'id'>>();
  const nodeOfFile = new Map(inputs.map((i) => [i.file, i.node]));
  const add = (file: string, line: number, time: string | null, node: string | null, text: string) => {
    const k = `${file}:${line}`;
    const had = entries.get(k);
    if (had) {
      if (had.node === null && node !== null) had.node = node;
      return;
    }
    entries.set(k, { file, line, node: node ?? nodeOfFile.get(file) ?? null, time, text });
  };
  for (const w of windows) for (const e of w.evidence) add(e.file, e.line, e.time, null, e.text);
  for (const r of rows) add(r.evidence.file, r.evidence.line, r.time, r.node, r.message);
  for (const p of gaps) {
    for (const g of p.gaps) {
      add(g.before.file, g.before.line, g.before.time, p.broker, `offset ${g.before.offset} CreateTime ${g.before.createTime}`);
      add(g.after.file, g.after.line, g.after.time, p.broker, `offset ${g.after.offset} CreateTime ${g.after.createTime}`);
      for (const e of g.evidence) add(e.file, e.line, e.time, e.node, e.text);
    }
  }
  for (const r of findingRefs) add(r.file, r.line, null, null, '');

  // Quote the lines as written.
  const byFile = new Map<string, Set<number>>();
  for (const e of entries.values()) {
    let s = byFile.get(e.file);
    if (!s) byFile.set(e.file, (s = new Set()));
    s.add(e.line);
  }
  for (const [file, wanted] of byFile) {
    try {
      await pickLines(file, wanted, (n, text) => {
        entries.get(`${file}:${n}`)!.text = text;
      });
    } catch {
      // The file changed or vanished since it was read: keep the text the readers gave.
    }
  }
  // Each entry's time parsed once, not at every comparison.
  const sorted = [...entries.values()].map((e) => ({ e, t: e.time === null ? Infinity : Date.parse(e.time) })).sort((a, b) => (
    a.t - b.t || (a.e.file < b.e.file ? -1 : a.e.file > b.e.file ? 1 : 0) || a.e.line - b.e.line
  ));
  return sorted.map(({ e }, i) => ({ id: `ev-${i + 1}`, ...e }));
}
