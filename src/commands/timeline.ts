import { Args, Command, Flags } from '@oclif/core';
import { SEVERITIES, type Severity } from '../model/record.js';
import type { EventJson, InputJson, TimelineJson } from '../model/timeline.js';
import type { SkewReport } from '../timeline/skew.js';
import { renderAccounting, renderSkipped, renderTimelineTable } from '../report/table.js';
import { buildTimeline } from '../timeline/build.js';
import { compactBursts } from '../timeline/compact.js';
import { toEventJson } from '../timeline/event.js';
import {
  brokenInputFlags, checkSkewNodes, failOnMissing, inputFlags, reportNothingFound, reportReadFailures, reportSkew,
  skewFlag, StrictFailure, timeFlag, unrecognisedHandlers, zoneFlag,
} from '../cli/common.js';
import { renderWindowsTable } from '../report/windows-table.js';
import { buildWindows } from '../windows/build.js';

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
    paths: Args.string({ description: 'log files or directories (read recursively)', required: true }),
  };

  static override flags = {
    ...inputFlags,
    ...brokenInputFlags,
    since: Flags.string({ description: 'only events at or after this time (e.g. "2024-02-23 07:40"; read in --tz unless it has an offset)' }),
    until: Flags.string({ description: 'only events at or before this time' }),
    node: Flags.string({ description: 'only these nodes (e.g. broker-2, zk-1)', multiple: true }),
    category: Flags.string({ description: 'only these categories', multiple: true }),
    'min-severity': Flags.string({ description: 'lowest severity shown', options: [...SEVERITIES] }),
    topic: Flags.string({ description: 'only events naming this topic or its partitions', multiple: true }),
    all: Flags.boolean({ description: 'also show records no rule classifies', default: false }),
    format: Flags.string({ description: 'output format', options: ['table', 'ndjson'], default: 'table' }),
    windows: Flags.boolean({ description: 'print the outage windows summary above the table (--no-windows to skip that pass)', default: true, allowNo: true }),
  };

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
    const { argv, flags } = await this.parse(TimelineCommand);
    const paths = argv as string[];
    const zone = zoneFlag(this, flags.tz);
    const since = timeFlag(this, 'since', flags.since, zone);
    const until = timeFlag(this, 'until', flags.until, zone);
    const nodeMap = flags['node-map'] ?? [];
    const skew = skewFlag(this, flags.skew);
    const handlers = unrecognisedHandlers(flags);

    let timeline;
    try {
      timeline = await buildTimeline(paths, {
        zone,
        all: flags.all,
        nodeMap,
        skew,
        // --json reports the accounting of whole files; the other formats may seek to --since.
        seek: !this.jsonEnabled(),
        ...(handlers.listing && { onUnrecognised: handlers.listing }),
        ...(handlers.cut && { onCutLines: handlers.cut }),
        filter: {
          ...(since !== undefined && { since }),
          ...(until !== undefined && { until }),
          ...(flags.node && { nodes: flags.node }),
          ...(flags.category && { categories: flags.category }),
          ...(flags['min-severity'] && { minSeverity: flags['min-severity'] as Severity }),
          ...(flags.topic && { topics: flags.topic }),
        },
      });
    } catch (e) {
      this.error((e as Error).message, { exit: 2 });
    }
    failOnMissing(this, timeline.plan.missing);
    // Windows need every record, whatever the filters: a second, unfiltered pass.
    const windows = this.jsonEnabled() || (flags.windows && flags.format === 'table')
      ? (await buildWindows(paths, { zone, nodeMap, skew, ...(handlers.checking && { onUnrecognised: handlers.checking }) })).doc
      : undefined;

    if (this.jsonEnabled()) {
      const events: EventJson[] = [];
      for await (const e of timeline.events) events.push(toEventJson(e, zone));
      const inputs = timeline.inputs();
      this.reportProblems(paths, inputs, timeline.skew(), skew);
      // The schema (and zod) only for --json: loading them costs the other formats ~50 ms a run.
      const { TimelineSchema } = await import('../model/timeline.js');
      return TimelineSchema.parse({
        schema: 'kforensics/timeline/v1', timeZone: zone.name, inputs, windows: windows!.windows, skew: timeline.skew(), events,
      });
    }

    if (flags.format === 'ndjson') {
      // Lines are gathered into writes of ~64 KiB: one write per event costs more than the event.
      let pending = '';
      const flush = async (): Promise<void> => {
        const text = pending;
        pending = '';
        if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once('drain', resolve));
      };
      for await (const batch of timeline.eventBatches) {
        for (const e of batch) {
          pending += `${JSON.stringify(toEventJson(e, zone))}\n`;
          if (pending.length >= 1 << 16) await flush();
        }
      }
      if (pending.length > 0) await flush();
    } else {
      this.log(`Timeline of ${paths.join(' ')} — times in ${zone.name} (log4j timestamps read as ${zone.name} wall-clock time)`);
      if (windows) this.log(`${renderWindowsTable(windows)}\n`);
      let rows = 0;
      for await (const block of renderTimelineTable(countRows(compactBursts(timeline.events), () => rows++), zone)) this.log(block);
      if (rows === 0) this.log('(no events; --all shows unclassified records too)');
    }
    const inputs = timeline.inputs();
    process.stderr.write(`${renderAccounting(inputs)}\n`);
    for (const { file, seek } of timeline.seeks()) {
      process.stderr.write(
        `  ${file}: read from line ${seek.lines + 1} (byte ${seek.byte}) on, found by --since; its ${seek.lines} lines before were not read (their records are older than --since)\n`,
      );
    }
    if (flags.verbose) {
      const skipped = renderSkipped(inputs);
      if (skipped) process.stderr.write(`Not read:\n${skipped}\n`);
    }
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

async function* countRows<T>(rows: AsyncIterable<T>, count: () => void): AsyncGenerator<T> {
  for await (const row of rows) {
    count();
    yield row;
  }
}
