/**
 * Map on the hosts, reduce centrally: each host's logs written as an event
 * file (`timeline --format events --all` on that host's folder alone), then
 * `windows` and `report` on the event files (with the files of other kinds —
 * describe output, properties, dumps — given as they are) must say exactly
 * what they say on the raw logs: the same windows, skew, report, and
 * evidence citing the original file:line.
 *
 * The only fields allowed to differ name the inputs read, listed in
 * INPUT_NAMING: the report's title (it names the paths given when no
 * --title is) and `paths`.
 *
 * Cases: the bundled incidents, and every run under ../shared/recordings
 * (skipped with a message when absent).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from './run-cli.js';

const LOG_KINDS = /^(kafka-|zookeeper-)/;
/** Report fields that name the inputs given (not what was read from them). */
const INPUT_NAMING = ['title', 'paths'] as const;

interface Case { dir: string; tz: string; topic?: string }

const FIXTURES: Case[] = [
  { dir: 'fixtures/account-event-2022-10-05', tz: 'Asia/Seoul', topic: 'account_event' },
  { dir: 'fixtures/ha-test-2024-02-23', tz: 'Asia/Seoul' },
  { dir: 'fixtures/isolated-leader-2023-11-14', tz: 'Europe/Berlin' },
  { dir: 'fixtures/kraft-2025-combined', tz: 'UTC' },
  { dir: 'fixtures/unclean-election-2024-03-18', tz: 'UTC', topic: 'orders' },
];

// KF_SHARED: where shared/ is when it is not beside the clone (a worktree elsewhere).
const RECORDINGS = resolve(process.env.KF_SHARED ?? resolve(REPO, '../shared'), 'recordings');
const recordings: Case[] = [];
if (existsSync(RECORDINGS)) {
  for (const version of readdirSync(RECORDINGS)) {
    const dir = join(RECORDINGS, version);
    if (!statSync(dir).isDirectory()) continue;
    for (const run of readdirSync(dir)) if (existsSync(join(dir, run, 'ground-truth.json'))) recordings.push({ dir: join(dir, run), tz: 'UTC' });
  }
} else {
  console.warn(`[event-files.test] recordings skipped: absent (looked for ${RECORDINGS}; they live outside the repository)`);
}

const work = mkdtempSync(join(tmpdir(), 'kf-event-files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface InputRow { file: string; kind: string; skipped: string | null }
type Run = ReturnType<typeof runCli>;

/** What each host would write: one event file per top-level folder holding logs; the other inputs as they are. */
function split(c: Case, name: string): { central: string[]; hosts: string[]; raw: Run } {
  const raw = runCli(['timeline', c.dir, '--tz', c.tz, '--json']);
  const inputs = (JSON.parse(raw.stdout) as { inputs: InputRow[] }).inputs;
  const hosts = new Set<string>();
  const central: string[] = [];
  const hostOf = (file: string): string => {
    const rel = relative(c.dir, file);
    return rel.includes(sep) ? join(c.dir, rel.split(sep)[0]!) : file;
  };
  for (const i of inputs) if (LOG_KINDS.test(i.kind)) hosts.add(hostOf(i.file));
  // Files of other kinds and files that are no log travel as they are; files a host could not read travel in its event file's accounting.
  for (const i of inputs) if (!LOG_KINDS.test(i.kind) && !(i.skipped ?? '').startsWith('cannot read: ')) central.push(i.file);
  const files: string[] = [];
  for (const host of [...hosts].sort()) {
    const out = join(work, `${name}-${relative(c.dir, host).replaceAll(sep, '_')}.ndjson`);
    const r = runCli(['timeline', host, '--tz', c.tz, '--format', 'events', '--all']);
    expect(r.stdout.length, r.stderr).toBeGreaterThan(0);
    writeFileSync(out, r.stdout);
    files.push(out);
  }
  return { central: [...files, ...central], hosts: files, raw };
}

function windows(paths: string[], tz: string): unknown {
  const r = runCli(['windows', ...paths, '--tz', tz, '--json']);
  expect(r.stdout.length, r.stderr).toBeGreaterThan(0);
  return { doc: JSON.parse(r.stdout), status: r.status, skew: r.stderr.split('\n').filter((l) => /skew|ahead|behind/i.test(l)) };
}

function report(paths: string[], c: Case): Record<string, unknown> {
  const r = runCli(['report', ...paths, '--tz', c.tz, '--json', ...(c.topic ? ['--topic', c.topic] : [])]);
  expect(r.stdout.length, r.stderr).toBeGreaterThan(0);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  for (const k of INPUT_NAMING) delete doc[k];
  return { doc, status: r.status };
}

/** `timeline --json` of the paths, or the run of it already made. */
function timelineJson(paths: string[], tz: string, r: Run = runCli(['timeline', ...paths, '--tz', tz, '--json'])): unknown {
  const doc = JSON.parse(r.stdout) as { inputs: InputRow[]; events: unknown[]; skew: unknown; windows: unknown };
  // Inputs of other kinds are listed where the paths put them: compared as a set.
  return { ...doc, inputs: [...doc.inputs].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)), status: r.status };
}

describe.each([...FIXTURES, ...recordings])('event files of $dir', (c) => {
  const name = c.dir.replaceAll(/[^\w-]+/g, '_');
  let parts: ReturnType<typeof split>;
  it('windows --json: identical from the hosts\' event files', () => {
    parts = split(c, name);
    expect(parts.hosts.length).toBeGreaterThan(0);
    expect(windows(parts.central, c.tz)).toEqual(windows([c.dir], c.tz));
  });
  it('timeline --json: the same events, accounting and skew estimates', () => {
    expect(timelineJson(parts.central, c.tz)).toEqual(timelineJson([c.dir], c.tz, parts.raw));
  });
  it('report --json: identical but for the fields naming the inputs given', () => {
    expect(report(parts.central, c)).toEqual(report([c.dir], c));
  });
});

describe('event files that cannot stand for the logs', () => {
  const c = FIXTURES[2]!;
  const host = join(REPO, c.dir, 'broker-1');
  it('written without --all: read, and said to be incomplete for windows (exit 1)', () => {
    const r = runCli(['timeline', host, '--tz', c.tz, '--format', 'events']);
    const file = join(work, 'classified-only.ndjson');
    writeFileSync(file, r.stdout);
    const w = runCli(['windows', file, '--tz', c.tz]);
    expect(w.status).toBe(1);
    expect(w.stderr).toMatch(/written without --all/);
    // The timeline of classified events needs nothing more, but the windows it shows do.
    const t = runCli(['timeline', file, '--tz', c.tz, '--no-windows']);
    expect(t.status, t.stderr).toBe(0);
    const withWindows = runCli(['timeline', file, '--tz', c.tz, '--json']);
    expect(withWindows.status).toBe(1);
    expect(withWindows.stderr).toMatch(/written without --all/);
  });
  it('cut short (no closing record): said, exit 1, and the events before the cut are read', () => {
    const r = runCli(['timeline', host, '--tz', c.tz, '--format', 'events', '--all']);
    const lines = r.stdout.trimEnd().split('\n');
    const file = join(work, 'cut.ndjson');
    writeFileSync(file, `${lines.slice(0, 10).join('\n')}\n`);
    const t = runCli(['timeline', file, '--tz', c.tz, '--json', '--all']);
    expect(t.status).toBe(1);
    expect(t.stderr).toMatch(/ends without its closing record/);
    // Source lines name the file of the signs of life after them: not events themselves.
    expect((JSON.parse(t.stdout) as { events: unknown[] }).events).toHaveLength(lines.slice(0, 10).filter((l) => !l.startsWith('{"kforensics"')).length);
  });
  it('plain --format ndjson read back: its events, and the missing closing records said (exit 1)', () => {
    const r = runCli(['timeline', host, '--tz', c.tz, '--format', 'ndjson']);
    const file = join(work, 'plain.ndjson');
    writeFileSync(file, r.stdout);
    const t = runCli(['timeline', file, '--tz', c.tz, '--json']);
    expect(t.status).toBe(1);
    expect(t.stderr).toMatch(/--format events/);
    expect((JSON.parse(t.stdout) as { events: unknown[] }).events).toEqual((JSON.parse(runCli(['timeline', host, '--tz', c.tz, '--json']).stdout) as { events: unknown[] }).events);
  });
  it('a damaged line and a rule this catalogue lacks: counted and named, exit 1', () => {
    const r = runCli(['timeline', host, '--tz', c.tz, '--format', 'events', '--all']);
    const lines = r.stdout.trimEnd().split('\n');
    const ruleAt = lines.findIndex((l) => /"rule":"[^"]+"/.test(l));
    lines[ruleAt] = lines[ruleAt]!.replace(/"rule":"[^"]+"/, '"rule":"no-such-rule"');
    lines.splice(3, 0, '{"time": broken');
    const file = join(work, 'damaged.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const t = runCli(['timeline', file, '--tz', c.tz, '--json']);
    expect(t.status).toBe(1);
    expect(t.stderr).toMatch(/no-such-rule/);
    const own = (JSON.parse(t.stdout) as { inputs: (InputRow & { unrecognised: number; error: string })[] }).inputs.find((i) => i.file === file)!;
    expect(own.unrecognised).toBe(2);
  });
  it('an event file is sniffed by content, whatever its name', () => {
    const r = runCli(['timeline', host, '--tz', c.tz, '--format', 'events', '--all']);
    const file = join(work, 'no-extension');
    writeFileSync(file, r.stdout);
    const t = runCli(['timeline', file, '--tz', c.tz, '--json']);
    const raw = runCli(['timeline', host, '--tz', c.tz, '--json']);
    expect(JSON.parse(t.stdout).events).toEqual(JSON.parse(raw.stdout).events);
    expect(readFileSync(file, 'utf8')).toContain('"kforensics":"end"');
  });
});
