import { Args, Command, Flags } from '@oclif/core';
import { printable } from '../sources/printable.js';
import { SEVERITIES, type Severity } from '../model/record.js';
import { CATEGORIES } from '../catalogue/schema.js';
import type { InputJson, TimelineJson } from '../model/timeline.js';
import { writeText, flushed } from '../report/stream-json.js';
import { jsonString } from '../report/json-bytes.js';
import { Progress } from '../cli/progress.js';
import { runtimeZoneChecks } from '../analysis/runtime-zone.js';
import type { SkewReport } from '../analysis/skew.js';
import { renderAccounting, renderSkipped } from '../cli/accounting.js';
import { buildTimeline } from '../read/build.js';
import type { CompactRow } from '../timeline/compact.js';
import { toEventJson } from '../timeline/event.js';
import {
  brokenInputFlags, checkCatalogueFlags, checkNodeMap, checkSkewNodes, displayFlags, failOnMissing, inputFlags, inputPaths, knownValues, LIST,
  missingArgument, nodeMapFlag, noteDefaultZone, perFileAccounting, plannedNodes, reportClockChanges, reportNothingFound, reportReadFailures,
  reportRuntimeZones, reportSkew, skewFlag, StrictFailure, timeRange, unrecognisedHandlers, zoneFlag,
} from '../cli/common.js';
import { eventFilter, filtersNothing, windowFilter, type EventFilter } from '../timeline/filter.js';
import type { Window } from '../windows/engine.js';
import { through } from '../timeline/sink.js';
import type { WindowsDocJson } from '../model/window.js';
import type { TimelineEvent } from '../timeline/event.js';
import type { Zone } from '../time/zone.js';
import type { StartupConfigScan } from '../readers/startup-config.js';
import type { PlannedFile } from '../read/plan.js';

export default class TimelineCommand extends Command {
  static override summary = 'One ordered, classified timeline of every Kafka and ZooKeeper log in the given paths.';
  static override description = `Reads broker logs (server.log, controller.log, state-change.log, rotated and gzipped) and ZooKeeper logs (native layout or Kafka's), sniffing each file's kind from its content, and merges their events by time across nodes.

log4j timestamps carry no zone: --tz names the zone the logs were written in (default UTC). Every event's time is printed with that zone's offset.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> ./logs --tz Asia/Seoul',
    '<%= config.bin %> <%= command.id %> ./logs --topic account_event --min-severity warn',
    '<%= config.bin %> <%= command.id %> ./logs --format ndjson | jq .rule',
  ];

  static override strict = false;
  static override enableJsonFlag = true;

  static override args = {
    paths: Args.string({ description: 'log files, directories (read recursively) or archives; - or nothing for standard input', required: false, ignoreStdin: true }),
  };

  static override flags = {
    ...inputFlags,
    ...displayFlags,
    ...brokenInputFlags,
    since: Flags.string({ description: 'only events at or after this time (e.g. "2024-02-23 07:40"; read in --tz unless it has an offset)' }),
    until: Flags.string({ description: 'only events at or before this time' }),
    node: Flags.string({ description: 'only these nodes (e.g. broker-2,zk-1)', ...LIST }),
    category: Flags.string({ description: `only these categories: ${CATEGORIES.join(', ')}`, ...LIST }),
    'min-severity': Flags.string({ description: 'lowest severity shown', options: [...SEVERITIES] }),
    topic: Flags.string({ description: 'only events naming these topics or their partitions', ...LIST }),
    rule: Flags.string({ description: 'only events of these catalogue rules (ids as `kforensics rules` lists them)', ...LIST }),
    all: Flags.boolean({ description: 'also show records no rule classifies', default: false }),
    format: Flags.string({
      description: 'output format: table; ndjson (one event a line); events (an event file: ndjson with each record\'s level and logger, then closing records with the accounting, for windows, timeline and report to read back as input on another machine; with --all it holds every record, as windows need); ecs (Elastic Common Schema documents: events, then windows as state documents); ecs-bulk (the same with _bulk action lines); parquet (the events as one Parquet file on standard output, the columns of kforensics sql\'s events table)',
      options: ['table', 'ndjson', 'events', 'ecs', 'ecs-bulk', 'parquet'], default: 'table',
    }),
    windows: Flags.boolean({ description: 'print the outage windows summary after the table (--no-windows to leave it out)', default: true, allowNo: true }),
  };

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    return super.catch(missingArgument(err, 'the PATHS to read: log files or directories, e.g. kforensics timeline ./logs'));
  }

  async run(): Promise<TimelineJson | void> {
    try {
      return await this.timeline();
    } catch (e) {
      // --strict: the first unrecognised line ends the run, naming it.
      if (e instanceof StrictFailure) this.error(e.message, { exit: 1 });
      throw e;
    }
  }

  private async timeline(): Promise<TimelineJson | void> {
    const { argv, flags, metadata } = await this.parse(TimelineCommand);
    const paths = inputPaths(this, argv);
    const zone = zoneFlag(this, flags.tz);
    noteDefaultZone(metadata);
    const shown = flags['display-tz'] ? zoneFlag(this, flags['display-tz']) : zone;
    const range = timeRange(this, flags, zone);
    checkCatalogueFlags(this, flags);
    await checkNodeMap(this, paths, flags['node-map'] ?? []);
    const nodeMap = nodeMapFlag(flags);
    const skew = skewFlag(this, flags.skew);
    const handlers = unrecognisedHandlers(flags);
    const filter: EventFilter = {
      ...range,
      ...(flags.node && { nodes: flags.node }),
      ...(flags.category && { categories: flags.category }),
      ...(flags['min-severity'] && { minSeverity: flags['min-severity'] as Severity }),
      ...(flags.topic && { topics: flags.topic }),
      ...(flags.rule && { rules: flags.rule }),
    };

    // One pass: the window engine (for --json, the table's summary and ECS's
    // state documents) sees every record of it, whatever the filters; the
    // filters choose what is printed, and which windows are shown.
    const ecs = flags.format === 'ecs' || flags.format === 'ecs-bulk';
    const withWindows = this.jsonEnabled() || (flags.windows && (flags.format === 'table' || ecs));
    // Classified events dropped as appender twins: an event file records them for the skew estimate (readers/events-ndjson.ts).
    const twins: TimelineEvent[] = [];
    const startups = new Map<string, StartupConfigScan>();
    // Each format's own modules are loaded for it alone (ndjson's start-up does without the window engine, the table, ECS and the event file's).
    const { StartupConfigScan } = flags.format === 'events' && flags.all ? await import('../readers/startup-config.js') : {};
    let timeline;
    let progress: Progress | undefined;
    try {
      timeline = await buildTimeline(paths, {
        zone,
        onInput: (input) => progress?.done(input),
        all: withWindows || flags.all,
        // Records no rule classifies only feed the window engine unless --all prints them.
        light: withWindows && !flags.all,
        nodeMap,
        followSymlinks: flags['follow-symlinks'],
        layouts: flags.layout ?? [],
        skew,
        // --json and the windows read every record; the others may seek to --since.
        seek: !withWindows,
        ...(handlers.listing && { onUnrecognised: handlers.listing }),
        ...(handlers.cut && { onCutLines: handlers.cut }),
        ...(!withWindows && { filter }),
        ...(flags.format === 'events' && { onTwin: (e: TimelineEvent) => { if (e.rule) twins.push(e); } }),
        // An event file written with --all carries the brokers' start-up configs, scanned in the same pass.
        ...(flags.format === 'events' && flags.all && {
          watchLines: (f: PlannedFile) => {
            if (f.kind !== 'kafka-server') return undefined;
            const scan = new StartupConfigScan!(f);
            startups.set(f.path, scan);
            return scan;
          },
        }),
      });
    } catch (e) {
      this.error((e as Error).message, { exit: 2 });
    }
    failOnMissing(this, timeline.plan.missing);
    knownValues(this, 'node', flags.node, plannedNodes(timeline.plan), { one: 'node', many: 'nodes', where: ' in these logs' });
    progress = new Progress(timeline.plan);
    const windowing = withWindows ? await windowModules() : undefined;
    const sink = windowing ? await windowing.WindowsSink.open(timeline.plan.others, zone) : undefined;
    const keep = eventFilter(filter);
    const batches = sink ? through(timeline.eventBatches, [sink], (e) => (flags.all || e.rule !== null) && keep(e)) : through(timeline.eventBatches, []);
    /** The windows, once the pass is over: those the filters keep, in the zone shown. */
    const windowsDoc = (): { all: WindowsDocJson; kept: WindowsDocJson } => {
      const all = sink!.finish().doc;
      const kept = { ...all, windows: all.windows.filter(windowFilter(filter)) };
      return { all, kept: shown !== zone ? windowing!.rezoneWindows(kept, shown) : kept };
    };

    if (this.jsonEnabled()) {
      // The schema (and zod) only for --json: loading them costs the other formats ~50 ms a run.
      const { EventSchema, TimelineSchema } = await import('../model/timeline.js');
      const { WindowSchema } = await import('../model/window.js');
      const { compiledParse } = await import('../model/check.js');
      const { LazyArray, StreamedArray, streamedDocument, writeChunks } = await import('../report/stream-json.js');
      const { toWindowJson, rezoneWindow } = windowing!;
      const event = compiledParse(EventSchema);
      // Written as it is read: each event checked against its schema and spooled, the document's head once the pass is over.
      const events = new StreamedArray();
      try {
        for await (const batch of batches) for (const e of batch) events.add(event(toEventJson(e, shown)));
        progress.stop();
        const inputs = timeline.inputs();
        reportClockChanges(timeline.clockChanges(), zone, timeline.clockNotes());
        const runtime = await runtimeZoneChecks(inputs, zone);
        reportRuntimeZones(runtime);
        this.reportProblems(paths, inputs, timeline.skew(), skew);
        // The head checked with the windows and events left out (each is checked on its own), then written in pieces with them in their place:
        // the windows made JSON one by one as they are written, the events read back from their spool.
        const head = compiledParse(TimelineSchema)({
          schema: 'kforensics/timeline/v1', timeZone: zone.name, ...(shown !== zone && { displayTimeZone: shown.name }), inputs, windows: [], skew: timeline.skew(),
          ...(runtime.length > 0 && { runtimeZoneCheck: runtime }), events: [],
        });
        let found: Iterable<Window> | undefined = sink!.finish().list;
        const window = compiledParse(WindowSchema);
        const kept = windowFilter(filter);
        const windows = new LazyArray(function* () {
          // Written once: the windows let go once written (the events, read back after them, are the rest of the document).
          const all = found!;
          found = undefined;
          for (const w of all) {
            const json = toWindowJson(w, zone);
            if (kept(json)) yield window(shown !== zone ? rezoneWindow(json, shown) : json);
          }
        });
        await writeChunks(process.stdout, streamedDocument({ ...head, windows, events }));
      } finally {
        events.close();
      }
      return;
    }

    if (flags.format === 'parquet') {
      if (process.stdout.isTTY) this.error('Parquet is binary: send it to a file, e.g. kforensics timeline ./logs --format parquet > events.parquet', { exit: 2 });
      // Loaded for this format only: its writer costs every other format's start-up ~40 ms.
      const { writeParquet } = await import('../report/parquet.js');
      await writeParquet(batches, process.stdout);
    } else if (flags.format !== 'table') {
      const { BULK_ACTION, ecsEvent, ecsWindow } = ecs ? await import('../report/ecs.js') : {};
      const { closingFor, eventFileLines, twinRecord } = flags.format === 'events' ? await import('../report/events-closing.js') : {};
      const action = flags.format === 'ecs-bulk' ? `${BULK_ACTION}\n` : '';
      const line = ecs
        ? (e: TimelineEvent) => `${action}${JSON.stringify(ecsEvent!(e))}\n`
        : flags.format === 'events'
          ? eventFileLines!(shown)
          : eventLine(shown);
      // Lines are gathered into writes of ~64 KiB: one write per event costs more than the event.
      let pending = '';
      let written = 0;
      const flush = async (): Promise<void> => {
        const text = pending;
        pending = '';
        progress!.clear();
        await writeText(process.stdout, text);
      };
      for await (const batch of batches) {
        for (const t of twins.splice(0)) pending += twinRecord!(t, shown);
        for (const e of batch) {
          pending += line(e);
          written++;
          if (pending.length >= 1 << 16) await flush();
        }
      }
      if (pending.length > 0) await flush();
      for (const t of twins.splice(0)) pending += twinRecord!(t, shown);
      if (ecs) {
        // Windows as state documents, after the events.
        for (const w of sink ? windowsDoc().kept.windows : []) pending += `${action}${JSON.stringify(ecsWindow!(w))}\n`;
      } else if (flags.format === 'events') {
        // Closing records: what the event file needs to be read back as an input (readers/events-ndjson.ts).
        pending += await closingFor!(timeline, { zone, all: flags.all, filtered: !filtersNothing(filter), skew, events: written, startups });
      }
      await flush();
    } else {
      const { TimelineTable } = await import('../report/table.js');
      const { Compactor } = await import('../timeline/compact.js');
      const { writeLines } = await import('../report/stream-json.js');
      progress.clear();
      this.log(`Timeline of ${paths.join(' ')} — times in ${shown.name} (log4j timestamps read as ${zone.name} wall-clock time)`);
      let rows = 0;
      const columns = process.stdout.isTTY === true ? process.stdout.columns : undefined;
      const table = new TimelineTable(shown, columns);
      const compactor = new Compactor();
      const released: CompactRow[] = [];
      // Written as the pipe takes it: rows written faster than it is read would pile up in memory.
      const print = async (block: string[] | undefined): Promise<void> => {
        if (block === undefined) return;
        progress!.clear();
        // Piece by piece, each waited for only where the pipe is full (as a reader that keeps up takes it).
        for (const piece of block) await writeText(process.stdout, `${piece}\n`);
      };
      await print([table.head()]);
      // Batch by batch: the rows each batch closes, printed with it.
      for await (const batch of batches) {
        for (const e of batch) compactor.push(e, released);
        rows += released.length;
        await print(table.rows(released));
        released.length = 0;
      }
      compactor.end(released);
      rows += released.length;
      await print(table.rows(released));
      progress.stop();
      if (rows === 0) this.log('(no events; --all shows unclassified records too)');
      // The windows need the whole pass: their summary comes after the rows.
      if (sink) {
        // Row by row as the windows are read back (a first pass counts those the filters keep).
        const { list, head, falseAlarms } = sink.finish();
        const keptJson = windowFilter(filter);
        // What the table shows alone, unless a filter reads the windows' evidence.
        const brief = filtersNothing(filter);
        const kept = function* () {
          for (const w of list) {
            const json = windowing!.toWindowJson(w, zone, false, brief);
            if (keptJson(json)) yield shown !== zone ? windowing!.rezoneWindow(json, shown) : json;
          }
        };
        this.log('');
        if (!filtersNothing(filter)) {
          let count = 0;
          for (const _ of kept()) count++;
          this.log(`Outage windows matching the filters: ${count} of ${list.length}`);
        }
        // Of the false alarms, only their number.
        const summary = { ...(shown !== zone ? windowing!.rezoneWindows(head(false), shown) : head(false)), falseAlarms };
        await writeLines(process.stdout, windowing!.windowsTableBlocks(summary, kept()));
      }
    }
    progress.stop();
    await flushed(process.stdout);
    const inputs = timeline.inputs();
    const perFile = perFileAccounting(flags.verbose);
    process.stderr.write(`${renderAccounting(inputs, perFile)}\n`);
    const seeks = timeline.seeks();
    for (const { file, seek } of perFile ? seeks : []) {
      process.stderr.write(
        `  ${printable(file)}: read from line ${seek.lines + 1} (byte ${seek.byte}) on, found by --since; its ${seek.lines} lines before were not read (their records are older than --since)\n`,
      );
    }
    if (!perFile && seeks.length > 0) {
      process.stderr.write(`${seeks.length} file(s) read from where --since starts; their lines before it were not read (--verbose lists them).\n`);
    }
    if (flags.verbose) {
      const skipped = renderSkipped(inputs);
      if (skipped) process.stderr.write(`Not read:\n${skipped}\n`);
    }
    reportClockChanges(timeline.clockChanges(), zone, timeline.clockNotes());
    reportRuntimeZones(await runtimeZoneChecks(inputs, zone));
    this.reportProblems(paths, inputs, timeline.skew(), skew);
  }

  /** Empty inputs, unknown --skew nodes, clock skew, unreadable inputs (exit 1): on stderr. */
  private reportProblems(paths: readonly string[], inputs: InputJson[], report: SkewReport, applied: ReadonlyMap<string, number>): void {
    reportNothingFound(paths, inputs);
    checkSkewNodes(applied, inputs);
    reportSkew(report, applied);
    reportReadFailures(inputs);
  }

}

/** The window engine and what shows its windows: loaded for the formats that print them. */
async function windowModules() {
  const [{ WindowsSink, toWindowJson }, { rezoneWindow, rezoneWindows }, { windowsTableBlocks }] = await Promise.all([
    import('../windows/build.js'), import('../windows/display-zone.js'), import('../report/windows-table.js'),
  ]);
  return { WindowsSink, toWindowJson, rezoneWindow, rezoneWindows, windowsTableBlocks };
}

/**
 * An event's `--format ndjson` line: `JSON.stringify(toEventJson(e, zone))`
 * and a line feed, its members that repeat from event to event (node, its
 * kind and file; rule, category and severity) quoted once for the events
 * that share them rather than stringified with every event (at 700,000
 * events a GiB, the line was the main thread's largest cost). An event whose
 * members are not of their usual types takes JSON.stringify whole.
 */
function eventLine(zone: Zone): (e: TimelineEvent) => string {
  let node: string | undefined;
  let nodeKind: string | undefined;
  let file: string | undefined;
  let where = '';
  const ruled = new Map<TimelineEvent['rule'], { category: string; severity: string; text: string }>();
  return (e) => {
    const { rule, category, severity, message, fields, continuation } = e;
    if (typeof e.node !== 'string' || typeof e.nodeKind !== 'string' || typeof e.file !== 'string' || typeof e.line !== 'number' ||
      typeof category !== 'string' || typeof severity !== 'string' || typeof message !== 'string' || typeof fields !== 'object' ||
      fields === null || typeof (fields as { toJSON?: unknown }).toJSON === 'function' || !Array.isArray(continuation)) {
      return `${JSON.stringify(toEventJson(e, zone))}\n`;
    }
    if (e.node !== node || e.nodeKind !== nodeKind || e.file !== file) {
      node = e.node;
      nodeKind = e.nodeKind;
      file = e.file;
      where = `,"node":${JSON.stringify(node)},"nodeKind":${JSON.stringify(nodeKind)},"file":${JSON.stringify(file)},"line":`;
    }
    let what = ruled.get(rule);
    if (what === undefined || what.category !== category || what.severity !== severity) {
      // Rules are few; held while they are (an event file's events may each bring a rule of their own).
      if (ruled.size >= 4096) ruled.clear();
      what = { category, severity, text: `,"rule":${JSON.stringify(rule?.id ?? null)},"category":${JSON.stringify(category)},"severity":${JSON.stringify(severity)},"message":` };
      ruled.set(rule, what);
    }
    const lines = continuation.length === 0 ? '[]' : JSON.stringify(continuation);
    // A finite line number's text is String's; the time's and message's, their own between quotes unless something in them is escaped.
    const line = Number.isFinite(e.line) ? e.line : 'null';
    return `{"time":${jsonString(zone.format(e.time))}${where}${line}${what.text}${jsonString(message)},"fields":${JSON.stringify(fields)},"continuation":${lines}}\n`;
  };
}
