import { Flags, type Command } from '@oclif/core';
import { parseUserTime, UnknownZoneError, Zone } from '../time/zone.js';
import { describeClockChange, describeClockNote, type ClockChange, type FileClockNote } from '../time/clock-changes.js';
import type { RuntimeZoneCheckJson } from '../model/window.js';
import type { InputJson } from '../model/timeline.js';
import { isReadFailure, type Plan } from '../read/plan.js';
import { STDIN_NAME } from '../sources/archive.js';
import { discover } from '../sources/discover.js';
import { mappedNode, parseNodeMap } from '../sources/identity.js';
import { CATALOGUE } from '../catalogue/index.js';
import { CATEGORIES } from '../catalogue/schema.js';
import type { NodeKind } from '../model/record.js';
import { unknownValues, type Known } from './suggest.js';
import { MAX_LINE_BYTES } from '../sources/lines.js';
import { printable } from '../sources/printable.js';
import { StopReading } from '../read/read.js';
import { formatSkew, isSignificant, parseSkewFlags, type SkewReport } from '../analysis/skew.js';

/** Flags every command that reads logs takes. */
export const inputFlags = {
  tz: Flags.string({ description: 'time zone the logs were written in (IANA name, e.g. Asia/Seoul)', default: 'UTC' }),
  'node-map': Flags.string({ description: 'name the node behind a path: PATH=NAME (repeatable)', multiple: true, multipleNonGreedy: true }),
  verbose: Flags.boolean({ char: 'v', description: 'list every file on stderr: what was read from it, or why it was not read', default: false }),
  'follow-symlinks': Flags.boolean({ description: 'follow symbolic links that lead out of the given paths (by default they are listed as not read)', default: false }),
  'stdin-node': Flags.string({ description: 'name the node whose log is piped in on standard input (read with - or when no path is given)' }),
  layout: Flags.string({ description: "read files in no known layout with this log4j ConversionPattern (e.g. '%d{ISO8601} | %-5p | %c | %m%n')", multiple: true, multipleNonGreedy: true }),
};

/**
 * The paths to read: those given; standard input (`-`) when none is given
 * and something is piped in; else a usage error (exit 2).
 */
export function inputPaths(command: Command, argv: readonly unknown[]): string[] {
  if (argv.length > 0) return argv as string[];
  if (!process.stdin.isTTY) return ['-'];
  command.error('Give the log files, directories or archives to read, or pipe a log in (kubectl logs kafka-0 | kforensics timeline -).', { exit: 2 });
}

/** --node-map, with --stdin-node naming standard input. */
export function nodeMapFlag(flags: { 'node-map'?: string[] | undefined; 'stdin-node'?: string | undefined }): string[] {
  const map = [...(flags['node-map'] ?? [])];
  if (flags['stdin-node'] !== undefined) map.push(`${STDIN_NAME}=${flags['stdin-node']}`);
  return map;
}

/** --display-tz, for the commands that can show times in another zone than the logs were written in. */
export const displayFlags = {
  'display-tz': Flags.string({ description: 'show times in this zone (IANA name) instead of --tz, the zone the logs were written in' }),
};

/**
 * --tz left at its default: the logs were read as UTC. Said on stderr every
 * run, since log4j timestamps carry no zone and a wrong guess shifts every
 * time by hours.
 */
export function noteDefaultZone(metadata: { flags: Record<string, { setFromDefault?: boolean } | undefined> }): void {
  if (metadata.flags.tz?.setFromDefault) {
    process.stderr.write('--tz not given: log timestamps were read as UTC. If the logs were written in another zone, give it (e.g. --tz Asia/Seoul).\n');
  }
}

/** The --tz zone, or a usage error (exit 2) that says what a zone looks like. */
export function zoneFlag(command: Command, name: string): Zone {
  try {
    return new Zone(name);
  } catch (e) {
    if (e instanceof UnknownZoneError) command.error(e.message, { exit: 2 });
    throw e;
  }
}

export function timeFlag(command: Command, flag: string, value: string | undefined, zone: Zone): number | undefined {
  if (value === undefined) return undefined;
  const t = parseUserTime(value, zone);
  if (Number.isNaN(t)) {
    const shaped = /^\s*\d{4}-\d\d-\d\d/.test(value);
    command.error(`--${flag} "${value}" is not a time${shaped ? ' that exists (check the day of the month, hours 00-23, minutes and seconds 00-59)' : ''}. Use "YYYY-MM-DD HH:MM[:SS[.mmm]]", optionally with an offset (+09:00 or Z).`, { exit: 2 });
  }
  return t;
}

/** --since and --until, each a time, the first not after the second; or a usage error (exit 2). */
export function timeRange(command: Command, flags: { since?: string | undefined; until?: string | undefined }, zone: Zone): { since?: number; until?: number } {
  const since = timeFlag(command, 'since', flags.since, zone);
  const until = timeFlag(command, 'until', flags.until, zone);
  if (since !== undefined && until !== undefined && since > until) {
    command.error(`--since "${flags.since}" is after --until "${flags.until}": nothing can be in between. Swap them.`, { exit: 2 });
  }
  return { ...(since !== undefined && { since }), ...(until !== undefined && { until }) };
}

/** Flag values that must name something known (categories, rule ids, nodes): a usage error (exit 2) listing the known ones. */
export function knownValues(command: Command, flag: string, values: readonly string[] | undefined, known: readonly string[], what: Known): void {
  const problem = unknownValues(flag, values, known, what);
  if (problem) command.error(problem, { exit: 2 });
}

/** --category and --rule against the catalogue. */
export function checkCatalogueFlags(command: Command, flags: { category?: string[] | undefined; rule?: string[] | undefined }): void {
  knownValues(command, 'category', flags.category, CATEGORIES, { one: 'category', many: 'categories' });
  knownValues(command, 'rule', flags.rule, CATALOGUE.map((r) => r.id), { one: 'rule', many: 'rule ids', hint: ' (kforensics rules says what each is)' });
}

/** The node names the planned logs can hold: each log's node for the roles its lines were seen in. */
export function plannedNodes(plan: Plan): string[] {
  const names = new Set<string>();
  for (const family of plan.families) {
    const roles = new Set<NodeKind>([family.defaultRole]);
    if (family.files.some((f) => f.kafka)) roles.add('kafka-broker');
    if (family.files.some((f) => f.zookeeperServer)) roles.add('zookeeper');
    for (const role of roles) {
      names.add(family.nodes[role]);
      for (const other of family.sharedWith?.[role] ?? []) names.add(other);
    }
  }
  return [...names];
}

/**
 * Each --node-map PATH must be (or hold) one of the files found under the
 * paths: a mapping that names nothing is a mistyped path, and its node would
 * silently keep the name the logs gave it.
 */
export async function checkNodeMap(command: Command, paths: readonly string[], entries: readonly string[] | undefined): Promise<void> {
  if (!entries || entries.length === 0) return;
  let maps;
  try {
    maps = entries.map((entry) => ({ entry, map: parseNodeMap([entry]) }));
  } catch (e) {
    command.error((e as Error).message, { exit: 2 });
  }
  // Standard input and archive members are named only once they are read:
  // entries for them (`<stdin>=…`, `bundle.tar.gz!/broker-1=…`) are not checked here.
  const onDisk = paths.filter((p) => p !== '-');
  if (onDisk.length === 0) return;
  const found = await discover(onDisk);
  const files = [...found.files.map((f) => f.path), ...found.notRead.map((n) => n.path)];
  const idle = maps.filter(({ entry, map }) => !entry.includes('!/') && !files.some((f) => mappedNode(f, map) !== undefined)).map(({ entry }) => entry);
  if (idle.length > 0) {
    command.error(`--node-map ${idle.map((e) => `"${e}"`).join(', ')}: no file under ${onDisk.join(', ')} is at or below that path, so it names nothing. ` +
      'Give the directory or file as it is on disk (relative to the current directory, or absolute), e.g. --node-map ./logs/host-a=broker-1.', { exit: 2 });
  }
}

export function failOnMissing(command: Command, missing: readonly string[]): void {
  if (missing.length > 0) {
    // Node decodes the command line as UTF-8: a name in another encoding arrives with U+FFFD and cannot be opened.
    const mangled = missing.some((p) => p.includes('\uFFFD'));
    command.error(`No such file or directory: ${missing.map((p) => printable(p)).join(', ')}. Check the path; kforensics reads files and directories.` +
      (mangled ? ' A name that is not UTF-8 cannot be passed on the command line: give the folder that holds it (its files are read whatever their names).' : ''), { exit: 2 });
  }
}

/**
 * Whether stderr gets the per-file accounting: with --verbose only. Else one
 * summary line, on a terminal too (a folder of many files would push the
 * table off the screen), and into a pipe (`| less`, `| jq`) stderr does not
 * paint over the pager.
 */
export function perFileAccounting(verbose: boolean): boolean {
  return verbose;
}

/** Flags for broken input, taken by the commands that read logs into a timeline. */
export const brokenInputFlags = {
  strict: Flags.boolean({ description: 'fail (exit 1) at the first line that is not part of a log record, naming its file and line', default: false }),
  'show-unrecognised': Flags.boolean({ description: 'list every line not part of a log record on stderr, with file:line and why', default: false }),
  skew: Flags.string({ description: "correct a node's clock: NODE=OFFSET, how far it was ahead (e.g. broker-2=+2.5s, zk-1=-800ms; repeatable)", multiple: true, multipleNonGreedy: true }),
};

/** The --skew corrections, or a usage error (exit 2). */
export function skewFlag(command: Command, values: readonly string[] | undefined): Map<string, number> {
  try {
    return parseSkewFlags(values ?? []);
  } catch (e) {
    command.error((e as Error).message, { exit: 2 });
  }
}

const REASONS: Record<string, string> = {
  'no-record-yet': 'before the first record of the file',
  'bad-timestamp': 'shaped like a record but its timestamp does not parse',
  foreign: "another program's output inside the log",
};

/** --strict: the first unrecognised line stops the run. */
export class StrictFailure extends StopReading {
  constructor(readonly file: string, readonly line: number, text: string, reason: string) {
    super(`${printable(file)}:${line}: ${REASONS[reason] ?? reason}: ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}. ` +
      '--strict stops at the first line that is not part of a log record; without it such lines are counted as unrecognised (--show-unrecognised lists them).');
  }
}

export type UnrecognisedHandler = (file: string, line: number, text: string, reason: string) => void;

/**
 * What to do with unrecognised lines: list them (--show-unrecognised, on
 * stderr so stdout stays a clean table or JSON) and/or stop (--strict), in
 * the one pass over the logs.
 */
export function unrecognisedHandlers(flags: { strict: boolean; 'show-unrecognised': boolean }): {
  listing?: UnrecognisedHandler; cut?: (file: string, lines: readonly number[], total: number) => void;
} {
  const stop: UnrecognisedHandler = (file, line, text, reason) => {
    throw new StrictFailure(file, line, text, reason);
  };
  const list: UnrecognisedHandler = (file, line, text, reason) => {
    const shown = text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
    process.stderr.write(`unrecognised ${printable(file)}:${line} (${REASONS[reason] ?? reason}): ${JSON.stringify(shown)}\n`);
  };
  const show = flags['show-unrecognised'];
  return {
    ...(show && !flags.strict && { listing: list }),
    ...(show && flags.strict && { listing: (f: string, l: number, t: string, r: string) => { list(f, l, t, r); stop(f, l, t, r); } }),
    ...(!show && flags.strict && { listing: stop }),
    ...(show && {
      cut: (file: string, lines: readonly number[], total: number) => {
        const where = lines.map((l) => `${printable(file)}:${l}`).join(', ');
        process.stderr.write(`cut ${where}${total > lines.length ? ` and ${total - lines.length} more` : ''}: line longer than ${MAX_LINE_BYTES >> 20} MiB, kept up to that length\n`);
      },
    }),
  };
}

/**
 * Inputs that could not be read in full (permission denied, damaged gzip):
 * listed on stderr with what to do, and the exit code set to 1 (the analysis
 * ran on the rest).
 */
export function reportReadFailures(inputs: readonly Pick<InputJson, 'file' | 'skipped' | 'error' | 'linesRead'>[]): void {
  const failed = inputs.filter(isReadFailure);
  if (failed.length === 0) return;
  const lines = failed.map((i) => `  ${printable(i.file)}: ${i.error ?? i.skipped}${i.error ? ` (read up to line ${i.linesRead}; the lines before the damage are in the results)` : ''}`);
  process.stderr.write(`${failed.length} input(s) could not be read in full; the results above lack their lines (exit code 1):\n${lines.join('\n')}\n`);
  process.exitCode = 1;
}

/**
 * Nothing read: no file under the paths (an empty directory), or no file a
 * log reader took (only notes, dumps, binaries). Said on stderr, exit code 1:
 * an analysis of nothing is no evidence that nothing happened.
 */
export function reportNothingFound(paths: readonly string[], inputs: readonly InputJson[]): void {
  if (inputs.length === 0) {
    process.stderr.write(`No files found under ${paths.map((p) => printable(p)).join(', ')}: nothing to analyse (exit code 1). Check the path (an empty directory, or only links to nothing).\n`);
  } else if (!inputs.some((i) => i.skipped === null && i.linesRead > 0)) {
    process.stderr.write(`No log read from ${paths.map((p) => printable(p)).join(', ')}: none of the ${inputs.length} file(s) found is a Kafka or ZooKeeper log with lines in it (exit code 1; --verbose says why each was not read).\n`);
  } else {
    return;
  }
  process.exitCode = 1;
}

/** Clock skew worth knowing, on stderr, with the flag that corrects it. */
export function reportSkew(report: SkewReport, applied: ReadonlyMap<string, number>): void {
  const lines: string[] = [];
  for (const e of report.estimates) {
    if (!isSignificant(e)) continue;
    lines.push(`  ${e.node} is ${formatSkew(e.offsetMs)} ahead of ${report.reference} (±${e.spreadMs} ms, ${e.pairs} pair(s): ${e.basis.join('; ')}); correct with --skew ${e.node}=${formatSkew(e.offsetMs)}`);
  }
  if (lines.length > 0) process.stderr.write(`Clock skew between nodes${applied.size > 0 ? ' (after --skew)' : ''}:\n${lines.join('\n')}\n`);
}

/**
 * Changes of clocks (daylight saving time) the events span, with what they
 * mean for the hour after, and each file's records stamped in a repeated or
 * skipped local hour with where they were placed: on stderr.
 */
export function reportClockChanges(changes: readonly ClockChange[], zone: Zone, notes: readonly FileClockNote[] = []): void {
  for (const c of changes) process.stderr.write(`${describeClockChange(c, zone)}\n`);
  for (const n of notes) process.stderr.write(`${describeClockNote(n, zone)}\n`);
}

/**
 * Container logs whose runtime's own times (which carry a zone) disagree
 * with their log timestamps read in --tz by a whole zone offset: said on
 * stderr, exit 1 (every time read from them is off by that much). The checks
 * are the documents' `runtimeZoneCheck` (analysis/runtime-zone.ts); returns
 * how many files were checked.
 */
export function reportRuntimeZones(checks: readonly RuntimeZoneCheckJson[]): number {
  for (const check of checks) {
    if (check.shiftMs === null) continue;
    process.stderr.write(`${check.message}\n`);
    process.exitCode = 1;
  }
  return checks.length;
}

/** --skew names a node the logs never mention: a typo, most likely. */
export function checkSkewNodes(applied: ReadonlyMap<string, number>, inputs: readonly InputJson[]): void {
  const nodes = new Set(inputs.flatMap((i) => (i.node ?? '').split(',')).filter(Boolean));
  for (const node of applied.keys()) {
    if (!nodes.has(node)) process.stderr.write(`--skew ${printable(node)}: no such node in these logs (nodes: ${[...nodes].sort().join(', ')}); nothing corrected.\n`);
  }
}

/**
 * A flag that takes a list: repeated (`--node zk-1 --node zk-2`) or
 * comma-separated (`--node zk-1,zk-2`). Non-greedy, so the paths may follow
 * it: `--topic orders ./logs` reads ./logs as a path, not a second topic.
 */
export const LIST = { multiple: true, multipleNonGreedy: true, delimiter: ',' } as const;

/**
 * oclif's "Missing 1 required arg" adds that list flags must come after the
 * arguments; here they take one value each (LIST), so the note would send the
 * user the wrong way. The message says what to give instead.
 */
export function missingArgument<E extends Error>(err: E, what: string): E {
  if (Array.isArray((err as { args?: unknown }).args) && /^Missing \d+ required arg/.test(err.message)) {
    err.message = `Missing ${what} (flags may come before or after it).`;
  }
  return err;
}

/**
 * timeline and windows read no epoch-time evidence, so the zone the logs were
 * read in stays unchecked here: said, with the command that checks it.
 */
export function noteZoneUnchecked(zone: Zone, inputs: readonly InputJson[], runtimeChecked = 0): void {
  if (runtimeChecked > 0) {
    process.stderr.write(`Zone ${zone.name} checked against the container runtime's own times of ${runtimeChecked} file(s); the other logs' zone is not checked here.\n`);
    return;
  }
  const dumps = inputs.filter((i) => i.kind === 'dump-log-segments').length;
  process.stderr.write(dumps > 0
    ? `Zone ${zone.name} not checked here: the ${dumps} DumpLogSegments file(s) among the inputs carry epoch times (CreateTime) to check it against; kforensics gap --topic TOPIC (or report) does.\n`
    : `Zone ${zone.name} not checked: no epoch-time evidence (DumpLogSegments output) among the inputs.\n`);
}
