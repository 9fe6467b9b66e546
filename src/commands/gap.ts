import { Args, Command, Flags } from '@oclif/core';
import { runtimeZoneChecks } from '../analysis/runtime-zone.js';
import { BULK_ACTION, ecsGap } from '../report/ecs.js';
import { printable } from '../sources/printable.js';
import { flushed, writeText } from '../report/stream-json.js';
import { analyzeGaps, DEFAULTS } from '../analysis/gap.js';
import { GapReportSchema, GapRowSchema, type GapReportJson } from '../model/gap.js';
import { renderDumpAccounting, renderGapReport } from '../report/gap-table.js';
import { renderAccounting } from '../cli/accounting.js';
import {
  checkNodeMap, displayFlags, failOnMissing, inputFlags, inputPaths,
  missingArgument, nodeMapFlag, noteDefaultZone, perFileAccounting, reportReadFailures, reportRuntimeZones, zoneFlag,
} from '../cli/common.js';
import { describeNodeZones } from '../analysis/zone-infer.js';
import { Zone } from '../time/zone.js';
import { planProgress, type Progress } from '../cli/progress.js';

/** `60`, `60s`, `90 s`, `5m`, `2h`, `1500ms` → milliseconds. */
export function parseDurationFlag(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/i.exec(text);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  switch ((m[2] ?? 's').toLowerCase()) {
    case 'ms': return Math.round(n);
    case 'm':
    case 'min': return Math.round(n * 60_000);
    case 'h': return Math.round(n * 3_600_000);
    default: return Math.round(n * 1000);
  }
}

export default class GapCommand extends Command {
  static override summary = 'Find time gaps and missing offsets in a topic\'s DumpLogSegments output, with the broker-log evidence for each gap.';
  static override description = `Reads kafka-dump-log.sh / DumpLogSegments output of any Kafka version (0.10 to 4.3) found in the given paths: files whose "Dumping …/<topic>-<partition>/…" header names the topic, or dump files given directly. Broker and ZooKeeper logs in the same paths are read for evidence.

Per partition and copy (each broker's dump apart) it reports offsets, the timestamp range and type, leader epochs, time gaps and offset discontinuities. A gap is two consecutive records further apart than k × the chosen percentile of that partition's own spacing (and than --min-gap, when given). For each gap: the last record before and the first after (epoch ms, UTC and --tz), the duration, the leader epoch on each side, the records missing (by the idempotent producer's sequence numbers when present, else the pre-gap rate), what the gap means (records truncated, given up by the producer, or buffered through the outage) and the hosting broker's last log line before the gap and first after, plus outage events around it, each with file:line. Copies that disagree show the acknowledged writes a deposed leader lost. The zone of the logs is checked against the dumps' epoch times (--tz auto infers it per node).

log4j timestamps carry no zone: --tz names the zone the logs were written in (default UTC) and the zone times are shown in. The zone is checked against the dumps' epoch CreateTimes: when the logs only agree with them under a whole-zone shift, gap says so loudly, with the --tz to use, and exits 1. --tz auto infers each node's zone (a GC log beside its logs that states its offset, else the shift under which its silences match the record gaps it hosted) and prints what it inferred from which lines.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --topic account_event ./incident --tz Asia/Seoul',
    '<%= config.bin %> <%= command.id %> --topic orders dump-orders-3.txt --broker 2 --min-gap 5m',
    '<%= config.bin %> <%= command.id %> --topic orders ./incident --format ndjson | jq .durationMs',
  ];

  static override strict = false;
  static override args = { paths: Args.string({ description: 'dump files, logs, directories (read recursively) or archives; - or nothing for standard input', required: false, ignoreStdin: true }) };
  static override enableJsonFlag = true;

  static override flags = {
    ...inputFlags,
    ...displayFlags,
    topic: Flags.string({ description: 'topic whose dumps to analyse', required: true }),
    'min-gap': Flags.string({ description: 'your floor: spacings at or below this are never gaps (e.g. 2s, 60, 5m); off by default, when the partition\'s own spacing alone decides' }),
    percentile: Flags.string({ description: 'percentile of the partition\'s record spacing used as its normal spacing', default: String(DEFAULTS.percentile) }),
    k: Flags.string({ description: 'a gap must exceed k × that percentile', default: String(DEFAULTS.k) }),
    broker: Flags.string({ description: 'broker that hosted the dumped partition (1 or broker-1), when paths do not say' }),
    format: Flags.string({
      description: 'output format (ndjson: one line per gap; ecs: one Elastic Common Schema state document per gap; ecs-bulk: the same with _bulk action lines)',
      options: ['table', 'ndjson', 'ecs', 'ecs-bulk'], default: 'table',
    }),
  };

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    return super.catch(missingArgument(err, 'the PATHS to read: DumpLogSegments output and logs, e.g. kforensics gap --topic orders ./incident'));
  }

  async run(): Promise<GapReportJson | void> {
    const { argv, flags, metadata } = await this.parse(GapCommand);
    const paths = inputPaths(this, argv);
    // --tz auto: each node's zone inferred from its own lines and the dumps (analysis/zone-infer.ts).
    const auto = flags.tz.toLowerCase() === 'auto';
    const zone = auto ? new Zone('UTC') : zoneFlag(this, flags.tz);
    if (!auto) noteDefaultZone(metadata);
    // Kafka's own rule for topic names: anything else names no topic (and would be printed as typed).
    if (!/^[a-zA-Z0-9._-]{1,249}$/.test(flags.topic)) {
      this.error(`--topic "${printable(flags.topic)}" is not a Kafka topic name: one is 1 to 249 of the characters a-z A-Z 0-9 . _ -. Give the topic as kafka-topics --list shows it.`, { exit: 2 });
    }
    const shown = flags['display-tz'] ? zoneFlag(this, flags['display-tz']) : undefined;
    const minGapMs = flags['min-gap'] === undefined ? DEFAULTS.minGapMs : parseDurationFlag(flags['min-gap']);
    if (Number.isNaN(minGapMs)) this.error(`--min-gap "${flags['min-gap']}" is not a duration. Use seconds (60), or 90s, 5m, 1h.`, { exit: 2 });
    const percentile = Number(flags.percentile);
    if (!(percentile > 0 && percentile <= 100)) this.error(`--percentile "${flags.percentile}" must be a number in (0, 100].`, { exit: 2 });
    const k = Number(flags.k);
    if (!(k > 0)) this.error(`--k "${flags.k}" must be a positive number.`, { exit: 2 });
    await checkNodeMap(this, paths, flags['node-map']);

    let analysis;
    // On a terminal, progress while the dumps and logs are read (cli/progress.ts); erased before anything is written.
    let progress: Progress | undefined;
    try {
      analysis = await analyzeGaps(paths, {
        onPlan: (plan) => { progress = planProgress(plan, true); },
        topic: flags.topic, zone, minGapMs, percentile, k,
        ...(flags.broker && { broker: flags.broker }),
        nodeMap: nodeMapFlag(flags),
        followSymlinks: flags['follow-symlinks'],
        layouts: flags.layout ?? [],
        autoZone: auto,
        ...(shown && { displayZone: shown }),
      });
    } catch (e) {
      this.error((e as Error).message, { exit: 2 });
    } finally {
      progress?.stop();
    }
    failOnMissing(this, analysis.plan.missing);
    const report = analysis.report;
    // --tz auto reads each node in its own zone: nothing single to check.
    if (!auto) {
      const runtime = await runtimeZoneChecks(report.inputs.logs, zone);
      reportRuntimeZones(runtime);
      if (runtime.length > 0) report.runtimeZoneCheck = runtime;
    }

    // Logs that could not be read in full, and paths not read at all (unreadable, links not followed): exit 1.
    const failures = (): void => reportReadFailures([
      ...report.inputs.logs, ...analysis.plan.skipped.map((s) => ({ file: s.path, skipped: s.reason, error: null, linesRead: 0 })),
    ]);
    if (this.jsonEnabled()) {
      failures();
      return GapReportSchema.parse(report);
    }

    if (flags.format !== 'table') {
      const action = flags.format === 'ecs-bulk' ? `${BULK_ACTION}\n` : '';
      for (const p of report.partitions) {
        for (const g of p.gaps) {
          const row = GapRowSchema.parse({ topic: p.topic, partition: p.partition, broker: p.broker, ...g });
          const text = flags.format === 'ndjson' ? JSON.stringify(row) : `${action}${JSON.stringify(ecsGap(row))}`;
          await writeText(process.stdout, `${text}\n`);
        }
      }
    } else {
      this.log(renderGapReport(report, new Zone(report.displayTimeZone ?? report.timeZone)));
    }
    await flushed(process.stdout);
    const perFile = perFileAccounting(flags.verbose);
    process.stderr.write(`${renderDumpAccounting(report.inputs.dumps, perFile)}\n`);
    if (report.inputs.logs.length > 0) process.stderr.write(`${renderAccounting(report.inputs.logs, perFile)}\n`);
    if (flags.verbose && report.inputs.other.length > 0) {
      process.stderr.write(`Not read:\n${report.inputs.other.map((o) => `  ${printable(o.file)}: ${o.note}`).join('\n')}\n`);
    }
    failures();
    if (report.nodeZones) {
      process.stderr.write(`--tz auto, zone of each node's logs:\n${describeNodeZones(report.nodeZones).replace(/^/gm, '  ')}\n`);
      if (report.nodeZones.some((z) => z.how === 'assumed' || z.how === 'unknown')) process.exitCode = 1;
    }
    if (report.zoneCheck.shiftMs !== null) {
      process.stderr.write(`${report.zoneCheck.message}\n`);
      process.exitCode = 1;
    }
    if (report.partitions.length === 0) {
      process.stderr.write(`No dump of topic ${flags.topic} found (exit code 1). Run kafka-dump-log.sh --deep-iteration --files <log dir>/${flags.topic}-<partition>/*.log and give its output.\n`);
      process.exitCode = 1;
    }
  }
}
