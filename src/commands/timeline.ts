import { Args, Command, Flags } from '@oclif/core';
import { SEVERITIES, type Severity } from '../model/record.js';
import { TimelineSchema, type EventJson, type TimelineJson } from '../model/timeline.js';
import { renderAccounting, renderSkipped, renderTimelineTable } from '../report/table.js';
import { buildTimeline } from '../timeline/build.js';
import { compactBursts } from '../timeline/compact.js';
import { toEventJson } from '../timeline/event.js';
import { parseUserTime, UnknownZoneError, Zone } from '../time/zone.js';

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
    tz: Flags.string({ description: 'time zone the logs were written in (IANA name)', default: 'UTC' }),
    since: Flags.string({ description: 'only events at or after this time (e.g. "2024-02-23 07:40"; read in --tz unless it has an offset)' }),
    until: Flags.string({ description: 'only events at or before this time' }),
    node: Flags.string({ description: 'only these nodes (e.g. broker-2, zk-1)', multiple: true }),
    category: Flags.string({ description: 'only these categories', multiple: true }),
    'min-severity': Flags.string({ description: 'lowest severity shown', options: [...SEVERITIES] }),
    topic: Flags.string({ description: 'only events naming this topic or its partitions', multiple: true }),
    all: Flags.boolean({ description: 'also show records no rule classifies', default: false }),
    format: Flags.string({ description: 'output format', options: ['table', 'ndjson'], default: 'table' }),
    'node-map': Flags.string({ description: 'name the node behind a path: PATH=NAME', multiple: true }),
    verbose: Flags.boolean({ char: 'v', description: 'list files that were not read, with the reason', default: false }),
  };

  async run(): Promise<TimelineJson | void> {
    const { argv, flags } = await this.parse(TimelineCommand);
    const paths = argv as string[];
    let zone: Zone;
    try {
      zone = new Zone(flags.tz);
    } catch (e) {
      if (e instanceof UnknownZoneError) this.error(e.message, { exit: 2 });
      throw e;
    }
    const since = this.timeFlag('since', flags.since, zone);
    const until = this.timeFlag('until', flags.until, zone);

    let timeline;
    try {
      timeline = await buildTimeline(paths, {
        zone,
        all: flags.all,
        nodeMap: flags['node-map'] ?? [],
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
    if (timeline.plan.missing.length > 0) {
      this.error(`No such file or directory: ${timeline.plan.missing.join(', ')}. Check the path; kforensics reads files and directories.`, { exit: 2 });
    }

    if (this.jsonEnabled()) {
      const events: EventJson[] = [];
      for await (const e of timeline.events) events.push(toEventJson(e, zone));
      return TimelineSchema.parse({ schema: 'kforensics/timeline/v1', timeZone: zone.name, inputs: timeline.inputs(), events });
    }

    if (flags.format === 'ndjson') {
      for await (const e of timeline.events) {
        if (!process.stdout.write(`${JSON.stringify(toEventJson(e, zone))}\n`)) {
          await new Promise((resolve) => process.stdout.once('drain', resolve));
        }
      }
    } else {
      this.log(`Timeline of ${paths.join(' ')} — times in ${zone.name} (log4j timestamps read as ${zone.name} wall-clock time)`);
      let rows = 0;
      for await (const block of renderTimelineTable(countRows(compactBursts(timeline.events), () => rows++), zone)) this.log(block);
      if (rows === 0) this.log('(no events; --all shows unclassified records too)');
    }
    const inputs = timeline.inputs();
    process.stderr.write(`${renderAccounting(inputs)}\n`);
    if (flags.verbose) {
      const skipped = renderSkipped(inputs);
      if (skipped) process.stderr.write(`Not read:\n${skipped}\n`);
    }
  }

  private timeFlag(name: string, value: string | undefined, zone: Zone): number | undefined {
    if (value === undefined) return undefined;
    const t = parseUserTime(value, zone);
    if (Number.isNaN(t)) this.error(`--${name} "${value}" is not a time. Use "YYYY-MM-DD HH:MM[:SS[.mmm]]", optionally with an offset (+09:00 or Z).`, { exit: 2 });
    return t;
  }
}

async function* countRows<T>(rows: AsyncIterable<T>, count: () => void): AsyncGenerator<T> {
  for await (const row of rows) {
    count();
    yield row;
  }
}
