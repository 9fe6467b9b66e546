import { Args, Command, Flags } from '@oclif/core';
import {
  checkNodeMap, displayFlags, failOnMissing, inputFlags, inputPaths, LIST,
  missingArgument, nodeMapFlag, noteDefaultZone, reportNothingFound, reportReadFailures, reportRuntimeZones, timeFlag, zoneFlag,
} from '../cli/common.js';
import { checkOutPath, OutPathError, writeOutAtomically } from '../report/write-out.js';
import { buildReport } from '../report/report-data.js';
import { untilQuoted, type ReportDoc, type ReportList } from '../report/report-text.js';
import { htmlPieces } from '../report/html.js';
import { flushed, jsonChunks, Pause, writeChunks } from '../report/stream-json.js';
import { markdownPieces } from '../report/markdown.js';
import { fullWindows } from '../report/report-windows.js';
import { planProgress, type Progress } from '../cli/progress.js';

const FORMATS = ['md', 'html', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** The format from --format, else from the extension of --out (Markdown for `-`, stdout). */
export function formatFor(out: string, flag: string | undefined): Format | undefined {
  if (flag) return flag as Format;
  if (out === '-') return 'md';
  const ext = /\.([A-Za-z]+)$/.exec(out)?.[1]?.toLowerCase();
  if (ext === 'md' || ext === 'markdown') return 'md';
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'json') return 'json';
  return undefined;
}

/** The document in pieces (a long report is never one string): JSON as JSON.stringify(report, null, 2) writes it, and a newline. */
export function* render(format: Format, report: ReportDoc): Generator<string | Pause> {
  if (format === 'json') {
    yield* reportJson(report);
    return;
  }
  let first = true;
  for (const piece of format === 'md' ? markdownPieces(report) : htmlPieces(report)) {
    if (piece instanceof Pause) {
      // Not a piece of text: the line feeds between pieces go on as they were.
      yield piece;
      continue;
    }
    if (typeof piece === 'string') {
      yield first ? piece : `\n${piece}`;
    } else {
      if (!first) yield '\n';
      yield* piece.parts;
    }
    first = false;
  }
}

/**
 * The report as JSON.stringify(report, null, 2) writes it, and a newline: in
 * pieces of one member of its top three levels at most (a key-event row, an
 * appendix entry), its long lists read back as they are written.
 */
function* reportJson(r: ReportDoc): Generator<string | Pause> {
  let first = true;
  for (const [key, value] of Object.entries(r)) {
    if (value === undefined) continue;
    yield `${first ? '{' : ','}\n  ${JSON.stringify(key)}: `;
    first = false;
    if (key === 'appendix') {
      yield* untilQuoted(r.appendix);
      yield* listJson(r.appendix, '  ');
    } else if (key === 'windows') {
      yield* listJson(fullWindows(r.windows), '  ');
    } else if (key === 'timeline') {
      yield* membersJson(r.timeline, 'rows');
    } else if (key === 'inputQuality') {
      yield* membersJson(r.inputQuality, 'falseAlarms');
    } else {
      yield* jsonChunks(value, '  ', 1, 3);
    }
  }
  yield '\n}\n';
}

/** An object of the report's top level, its long list `long` one piece per item. */
function* membersJson(value: object, long: string): Generator<string> {
  let member = true;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    yield `${member ? '{' : ','}\n    ${JSON.stringify(k)}: `;
    member = false;
    if (k === long) yield* listJson(v as ReportList<unknown>, '    ');
    else yield* jsonChunks(v, '    ', 2, 3);
  }
  yield member ? '{}' : '\n  }';
}

/** A list a level below `indent`'s, its items one piece each. */
function* listJson(items: ReportList<unknown>, indent: string): Generator<string> {
  let count = 0;
  for (const item of items) {
    yield `${count++ === 0 ? '[' : ','}\n${indent}  `;
    yield JSON.stringify(item, null, 2).replace(/\n/g, `\n${indent}  `);
  }
  yield count === 0 ? '[]' : `\n${indent}]`;
}

export default class ReportCommand extends Command {
  static override summary = 'Write the evidence part of a postmortem: summary, key events, windows, gaps, configuration findings, input quality and every evidence line.';
  static override description = `One document from the logs, DumpLogSegments output, kafka-topics --describe snapshots and server.properties found in the paths: the incident window, what was down and for how long, the records never written (when dumps of --topic are given), the configuration that contributed (replication factor 1, min.insync.replicas, unclean leader election, log.dirs under /tmp …) with the recommended values, and every line it relies on, quoted with file:line.

Markdown (GitHub/GitLab), one self-contained HTML file with a swimlane chart (no network, no scripts), or JSON (schema/report.v1.json). The same inputs give a byte-identical report: no wall-clock time appears unless --generated-at gives one.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> fixtures/account-event-2022-10-05 --tz Asia/Seoul --topic account_event --out postmortem.html',
    '<%= config.bin %> <%= command.id %> ./incident --tz Asia/Seoul --out postmortem.md --title "Sign-ups lost, 2022-10-05"',
    '<%= config.bin %> <%= command.id %> ./incident --out report.json --generated-at 2022-10-06T10:00:00+09:00',
    '<%= config.bin %> <%= command.id %> ./incident --out - | less',
    '<%= config.bin %> <%= command.id %> ./incident --json | jq .summary',
  ];

  static override enableJsonFlag = true;

  static override strict = false;
  static override args = { paths: Args.string({ description: 'log files, directories (read recursively) or archives; - or nothing for standard input', required: false, ignoreStdin: true }) };
  static override flags = {
    ...inputFlags,
    ...displayFlags,
    topic: Flags.string({ description: 'topic whose dumps to analyse for missing records (repeatable); the timeline keeps events of these topics and of none', ...LIST }),
    title: Flags.string({ description: 'title of the report' }),
    'generated-at': Flags.string({ description: 'a time to print as the generation time (ISO 8601); without it the report carries none, so that it is reproducible' }),
    out: Flags.string({ char: 'o', description: 'file to write (its extension picks the format: .md, .html, .json), or - for stdout (Markdown unless --format says otherwise)' }),
    format: Flags.string({ description: 'output format, overriding the extension of --out', options: [...FORMATS] }),
  };

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    return super.catch(missingArgument(err, 'the PATHS to read: log files or directories, e.g. kforensics report ./incident --out report.md'));
  }

  async run(): Promise<void> {
    const { argv, flags, metadata } = await this.parse(ReportCommand);
    const paths = inputPaths(this, argv);
    const zone = zoneFlag(this, flags.tz);
    noteDefaultZone(metadata);
    const shown = flags['display-tz'] ? zoneFlag(this, flags['display-tz']) : zone;
    if (flags.out === undefined && !this.jsonEnabled()) {
      this.error('Say where the report goes: --out FILE (.md, .html or .json), --out - for stdout, or --json for the JSON document on stdout.', { exit: 2 });
    }
    if (flags.out !== undefined && this.jsonEnabled()) this.error('--json writes the report to stdout; give either --json or --out, not both.', { exit: 2 });
    await checkNodeMap(this, paths, flags['node-map']);
    const format = this.jsonEnabled() ? 'json' : formatFor(flags.out!, flags.format);
    if (!format) this.error(`Cannot tell the format of "${flags.out}" from its extension. Name it .md, .html or .json, or give --format md|html|json.`, { exit: 2 });
    timeFlag(this, 'generated-at', flags['generated-at'], zone);
    // Refused before reading: --out names an input or lies in an evidence folder.
    const toFile = flags.out !== undefined && flags.out !== '-';
    if (toFile) await this.guardOut(flags.out!, paths);

    let result;
    // On a terminal, progress while the inputs are read (cli/progress.ts); erased before anything is written.
    let progress: Progress | undefined;
    try {
      result = await buildReport(paths, {
        onPlan: (plan) => { progress = planProgress(plan, true); },
        onInput: (input) => progress?.done(input),
        zone,
        ...(shown !== zone && { displayZone: shown }),
        ...(flags.topic && { topics: flags.topic }),
        ...(flags.title !== undefined && { title: flags.title }),
        ...(flags['generated-at'] !== undefined && { generatedAt: flags['generated-at'] }),
        nodeMap: nodeMapFlag(flags),
        followSymlinks: flags['follow-symlinks'],
        layouts: flags.layout ?? [],
        // The files are read again for the appendix's quotes while the sections before it are written.
        quoteWhileWriting: true,
      });
    } catch (e) {
      this.error((e as Error).message, { exit: 2 });
    } finally {
      progress?.stop();
    }
    failOnMissing(this, result.missing);
    const report = result.report;
    if (report.inputQuality.dumps.length === 0) reportNothingFound(paths, report.inputQuality.files);
    reportRuntimeZones(report.runtimeZoneCheck ?? []);
    // Zones that disagree with the dumps, inputs not read in full: said on stderr, exit 1, wherever the report goes.
    const problems = (): void => {
      for (const z of report.zoneCheck ?? []) {
        if (z.shiftMs === null) continue;
        process.stderr.write(`${z.message}\n`);
        process.exitCode = 1;
      }
      reportReadFailures(report.inputQuality.files);
    };
    if (this.jsonEnabled() || flags.out === undefined || flags.out === '-') {
      // --json too: written here in pieces (as oclif would print it), not handed back as one document to print.
      await writeChunks(process.stdout, render(format, report));
      await flushed(process.stdout);
      problems();
      return undefined;
    }
    // Again with every file found (links followed with --follow-symlinks may lead elsewhere).
    await this.guardOut(flags.out, paths, [...report.inputQuality.files.map((f) => f.file), ...report.inputQuality.dumps.map((d) => d.file)]);
    try {
      await writeOutAtomically(flags.out, render(format, report));
    } catch (e) {
      if (e instanceof OutPathError) this.error(e.message, { exit: 2 });
      throw e;
    }
    process.stderr.write(`Wrote ${flags.out} (${format}): ${report.windows.length} window(s), ${report.timeline.rows.length} timeline row(s), ${report.findings.length} finding(s), ${report.appendix.length} evidence line(s).\n`);
    problems();
  }

  private async guardOut(out: string, roots: readonly string[], files?: readonly string[]): Promise<void> {
    try {
      await checkOutPath(out, roots, files);
    } catch (e) {
      if (e instanceof OutPathError) this.error(e.message, { exit: 2 });
      throw e;
    }
  }
}
